import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveTrustAnchors } from '../../main/archive/archive-config.ts';
import { DEMO_MARKER } from '../../main/demo/demo-archive.ts';
import { inspectMessage } from '../../main/pec/inspect.ts';
import { pecOf, scenario } from '../factory/pec-factory.ts';
import { testPki } from '../factory/pki.ts';
import { tempDir } from '../support/archive.ts';

/**
 * Attack: someone hands over an archive folder whose config.json names their own CA as a trust
 * anchor; their forged PEC would then show "Firma valida". Only a demo archive (always shown under
 * the demo banner) may bring anchors; any other archive is judged by the shipped PEC trust list.
 */
describe('an archive cannot choose whom PecDesk trusts', () => {
  function preparedArchive(demo: boolean): string {
    const dir = tempDir('pecdesk-prepared-');
    writeFileSync(join(dir, 'their-ca.pem'), testPki().rootPem);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ trustAnchorFiles: ['their-ca.pem'] }));
    if (demo) writeFileSync(join(dir, DEMO_MARKER), '{}');
    return dir;
  }

  it('ignores the anchors of a config.json in an ordinary archive', async () => {
    const anchors = await archiveTrustAnchors(preparedArchive(false), {});
    expect(anchors).toBeUndefined();
    const forged = await inspectMessage(pecOf(scenario(), 'posta-certificata'), anchors ? { anchors } : {});
    expect(forged.signature.verdict).toBe('unknown-signer');
  });

  it('honours them for a demo archive, whose banner says the signatures are from test providers', async () => {
    const anchors = await archiveTrustAnchors(preparedArchive(true), {});
    expect(anchors?.source).toBe('configured');
    const r = await inspectMessage(pecOf(scenario(), 'posta-certificata'), { anchors: anchors! });
    expect(r.signature.verdict).toBe('valid');
  });
});
