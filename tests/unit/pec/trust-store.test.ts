import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrustList, trustFolder } from '../../../main/pec/trust-store.ts';
import { tempDir } from '../../support/archive.ts';

describe('the PEC trust list shipped in resources/trust', () => {
  it('has both roots and both eras, each era on its root', () => {
    const list = loadTrustList();
    expect(list.source).toBe('pec-trust-list');
    expect(list.certificates).toHaveLength(2);
    expect(list.eras?.map((e) => [e.id, e.intermediate.commonName])).toEqual([
      ['digitpa-ca1', 'DigitPA CA1'],
      ['agid-ca1', 'AgID CA1'],
    ]);
    const digitpa = list.eras!.find((e) => e.id === 'digitpa-ca1')!;
    expect([digitpa.from.toISOString().slice(0, 10), digitpa.until?.toISOString().slice(0, 10)]).toEqual([
      '2011-01-14',
      '2018-01-14',
    ]);
  });

  it('refuses a root file that is not the certificate trust.json names', () => {
    const dir = tempDir('pecdesk-trust-');
    cpSync(trustFolder(), dir, { recursive: true });
    // Another real certificate in place of the Baltimore root: well-formed, but not the one named.
    writeFileSync(
      join(dir, 'baltimore-cybertrust-root.pem'),
      readFileSync(join(dir, 'actalis-authentication-root-ca.pem')),
    );
    expect(() => loadTrustList(dir)).toThrow(/baltimore-cybertrust-root.pem is not the certificate/);
  });

  it('refuses an era on a root it does not list', () => {
    const dir = tempDir('pecdesk-trust-');
    cpSync(trustFolder(), dir, { recursive: true });
    const list = JSON.parse(readFileSync(join(dir, 'trust.json'), 'utf8'));
    list.eras[0].root = 'someone-elses-root.pem';
    writeFileSync(join(dir, 'trust.json'), JSON.stringify(list));
    expect(() => loadTrustList(dir)).toThrow(/unknown root/);
  });
});
