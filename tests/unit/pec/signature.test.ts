import { describe, expect, it } from 'vitest';
import { inspectMessage } from '../../../main/pec/inspect.ts';
import { pecOf, scenario } from '../../factory/pec-factory.ts';
import { testPki } from '../../factory/pki.ts';
import { inspectTest } from '../../support/pec.ts';

describe('provider signature', () => {
  const pki = testPki();
  const s = scenario();

  it('valid: detached signature by the issuing provider, chained to the configured anchor', async () => {
    const r = await inspectTest(pecOf(s, 'accettazione'));
    expect(r.signature.verdict).toBe('valid');
    expect(r.signature.form).toBe('detached');
    expect(r.signature.signer?.subject).toContain('CN=Posta Certificata Alfa PEC');
    expect(r.signature.chain).toEqual([
      expect.stringContaining('Posta Certificata Alfa PEC'),
      expect.stringContaining('PecDesk Test PEC CA1'),
      expect.stringContaining('PecDesk Test Root CA'),
    ]);
    expect(Math.abs(Date.parse(r.signature.signingTime ?? '') - s.date.getTime())).toBeLessThan(1500);
  });

  it('valid: delivery receipts are signed by the recipient provider', async () => {
    const r = await inspectTest(pecOf(s, 'avvenuta-consegna'));
    expect(r.signature.verdict).toBe('valid');
    expect(r.signature.signer?.emails).toEqual([`posta-certificata@${s.recipientProvider.domain}`]);
  });

  it('valid: opaque application/pkcs7-mime, with the PEC parts read from inside the CMS', async () => {
    const r = await inspectTest(pecOf(s, 'posta-certificata', { signing: { mode: 'opaque' } }));
    expect([r.kind, r.signature.verdict, r.signature.form]).toEqual(['posta-certificata', 'valid', 'opaque']);
    expect(r.certData?.identificativo).toBe(s.identificativo);
    expect(r.original?.attachments.map((a) => a.filename)).toEqual(['contratto-42-2026.pdf']);
  });

  it('valid: a copy stored with bare LF line ends is checked in canonical CRLF form', async () => {
    expect((await inspectTest(pecOf(s, 'accettazione', { lineEnding: 'lf' }))).signature.verdict).toBe(
      'valid',
    );
  });

  it('tampered: one byte of the signed content changed after signing', async () => {
    const r = await inspectTest(pecOf(s, 'accettazione', { signing: { mode: 'tampered' } }));
    expect(r.signature.verdict).toBe('tampered');
    expect(r.signature.reason).toMatch(/digest/);
    expect(r.anomalies.map((a) => a.code)).toContain('signature');
  });

  it('tampered: the signature part itself is garbage', async () => {
    const raw = pecOf(s, 'accettazione').toString('latin1');
    const p7s = raw.indexOf('filename="smime.p7s"');
    const broken = raw.slice(0, p7s + 30) + 'QUJDREVGR0g=\r\n' + raw.slice(raw.lastIndexOf('\r\n------'));
    const r = await inspectTest(Buffer.from(broken, 'latin1'));
    expect(r.signature.verdict).toBe('tampered');
  });

  it('unsigned: no signature part', async () => {
    const r = await inspectTest(pecOf(s, 'accettazione', { signing: { mode: 'none' } }));
    expect(r.signature.verdict).toBe('unsigned');
    expect(r.signature.reason).toBeTruthy();
  });

  it('expired: the signer certificate was not valid at the signing time', async () => {
    const r = await inspectTest(pecOf(s, 'accettazione', { signing: { mode: 'valid', by: pki.expired } }));
    expect(r.signature.verdict).toBe('expired');
  });

  it('valid: a certificate expired since, but valid when it signed', async () => {
    const signingTime = new Date(pki.expired.cert.validity.notBefore.getTime() + 86_400_000);
    const old = scenario({ date: signingTime });
    const r = await inspectTest(
      pecOf(old, 'accettazione', { signing: { mode: 'valid', by: pki.expired, signingTime } }),
    );
    expect(r.signature.verdict).toBe('valid');
  });

  it('unknown-signer: a self-signed impostor using the provider address', async () => {
    const r = await inspectTest(pecOf(s, 'accettazione', { signing: { mode: 'valid', by: pki.impostor } }));
    expect(r.signature.verdict).toBe('unknown-signer');
  });

  it('unknown-signer: a certificate without the PEC policy', async () => {
    const r = await inspectTest(pecOf(s, 'accettazione', { signing: { mode: 'valid', by: pki.noPolicy } }));
    expect(r.signature.verdict).toBe('unknown-signer');
    expect(r.signature.reason).toMatch(/policy/);
  });

  it('unknown-signer: another provider signing for this envelope sender', async () => {
    const r = await inspectTest(
      pecOf(s, 'accettazione', { signing: { mode: 'valid', by: pki.providers.beta } }),
    );
    expect(r.signature.verdict).toBe('unknown-signer');
    expect(r.signature.reason).toMatch(/not the envelope sender/);
  });

  it('unknown-signer: a domain outside the intermediate name constraints', async () => {
    const gamma = scenario({ provider: pki.outsideConstraints });
    const r = await inspectTest(pecOf(gamma, 'accettazione'));
    expect(r.signature.verdict).toBe('unknown-signer');
    expect(r.signature.reason).toMatch(/may not issue/);
  });

  it('unknown-signer: the test CA is not trusted unless configured', async () => {
    const r = await inspectMessage(pecOf(s, 'accettazione'));
    expect(r.signature.verdict).toBe('unknown-signer');
    expect(r.signature.reason).toMatch(/Actalis/);
  });
});
