import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pecOf, scenario } from '../factory/pec-factory.ts';
import { testPki } from '../factory/pki.ts';
import { runPecdesk } from '../support/cli.ts';

const pecdesk = (args: string[], env: Record<string, string> = {}) =>
  runPecdesk(args, { ...process.env, ...env });

describe('npx pecdesk inspect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pecdesk-cli-'));
  const s = scenario();
  const envelope = join(dir, 'busta.eml');
  writeFileSync(envelope, pecOf(s, 'posta-certificata'));
  const anchor = join(dir, 'test-ca.pem');
  writeFileSync(anchor, testPki().rootPem);

  it('prints the contract fields as JSON', async () => {
    const r = await pecdesk(['inspect', '--trust-anchor', anchor, envelope]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.kind).toBe('posta-certificata');
    expect(json.certData.identificativo).toBe(s.identificativo);
    expect(json.original).toMatchObject({ subject: s.subject, fromAddress: s.sender });
    expect(json.original.attachments[0]).toMatchObject({
      filename: 'contratto-42-2026.pdf',
      contentType: 'application/pdf',
    });
    expect(json.original.date).toMatch(/^\d{4}-/);
    expect(json.signature).toMatchObject({
      verdict: 'valid',
      signerSubject: expect.stringContaining('Alfa PEC'),
    });
    expect(json.signature.signingTime).toMatch(/^\d{4}-/);
    expect(json.anomalies).toEqual([]);
  });

  it('takes the anchors from PECDESK_PEC_TRUST_ANCHORS too, and without them the test CA is not trusted', async () => {
    const withEnv = JSON.parse(
      (await pecdesk(['inspect', envelope], { PECDESK_PEC_TRUST_ANCHORS: anchor })).stdout,
    );
    expect(withEnv.signature.verdict).toBe('valid');
    const without = JSON.parse((await pecdesk(['inspect', envelope])).stdout);
    expect(without.signature.verdict).toBe('unknown-signer');
  });

  it('exits 0 on malformed input it could read, with kind unparseable', async () => {
    const junk = join(dir, 'junk.eml');
    writeFileSync(junk, Buffer.from([0, 1, 2, 255, 254]));
    const r = await pecdesk(['inspect', junk]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'unparseable',
      certData: null,
      original: null,
      signature: { verdict: 'unsigned' },
    });
  });

  it('prints an array for several files', async () => {
    const r = await pecdesk(['inspect', '--compact', envelope, envelope]);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
  });

  it('fails clearly on a missing file and on bad usage', async () => {
    const missing = await pecdesk(['inspect', join(dir, 'nope.eml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*ENOENT/);
    expect((await pecdesk(['inspect'])).code).toBe(2);
    expect((await pecdesk(['inspect', '--bogus', envelope])).code).toBe(2);
    expect((await pecdesk(['frobnicate'])).code).toBe(2);
  });

  it('--help works for the program and the command', async () => {
    const top = await pecdesk(['--help']);
    expect([top.code, top.stdout.includes('inspect')]).toEqual([0, true]);
    const cmd = await pecdesk(['inspect', '--help']);
    expect([cmd.code, cmd.stdout.includes('--trust-anchor')]).toEqual([0, true]);
  });
});
