import { describe, expect, it } from 'vitest';
import { inspectMessage } from '../../../main/pec/inspect.ts';
import { readRealFixture, realFixtureNames, realFixturesPresent } from '../../support/fixtures.ts';

/** What shared/fixtures/pec/README.md says each real message is. */
const EXPECTED: Record<
  string,
  { kind: string; verdict: string; deliveryType?: string; error?: string; era?: 'DigitPA CA1' | 'AgID CA1' }
> = {
  'aruba-accettazione.eml': { kind: 'accettazione', verdict: 'valid', era: 'AgID CA1' },
  'aruba-avvenuta-consegna-completa.eml': {
    kind: 'avvenuta-consegna',
    verdict: 'valid',
    deliveryType: 'completa',
    era: 'AgID CA1',
  },
  // 2014, under the older chain (DigitPA CA1 → Baltimore CyberTrust Root), judged at its signing
  // time; no X-TipoRicevuta header, daticert asks for completa.
  'aruba-busta-trasporto-2014.eml': {
    kind: 'posta-certificata',
    verdict: 'valid',
    deliveryType: 'completa',
    era: 'DigitPA CA1',
  },
  'aruba-errore-consegna-2021.eml': {
    kind: 'errore-consegna',
    verdict: 'valid',
    error: 'no-dest',
    era: 'AgID CA1',
  },
  'cedacri-busta-trasporto-2018-sigfail.eml': { kind: 'posta-certificata', verdict: 'tampered' },
  'legalmail-busta-trasporto-2019-small.eml': {
    kind: 'posta-certificata',
    verdict: 'valid',
    era: 'AgID CA1',
  },
  'register-busta-trasporto-2018.eml': { kind: 'posta-certificata', verdict: 'valid', era: 'AgID CA1' },
  'sogei-busta-trasporto-sdi-invio-file.eml': {
    kind: 'posta-certificata',
    verdict: 'tampered',
    deliveryType: 'breve',
  },
  'tozzi-consegna.eml': { kind: 'errore-consegna', verdict: 'unsigned', error: 'no-dest' },
};

describe.runIf(realFixturesPresent)('real provider messages (../shared/fixtures/pec)', () => {
  it('every real message is one the tests know', () => {
    expect(realFixtureNames().filter((n) => !(n in EXPECTED))).toEqual([]);
  });

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: ${want.kind}, signature ${want.verdict}`, async () => {
      const r = await inspectMessage(readRealFixture(name));
      expect(r.kind).toBe(want.kind);
      expect(r.basis).toBe('header');
      expect(r.signature.verdict).toBe(want.verdict);
      expect(r.certData).not.toBeNull();
      expect(r.certData?.identificativo).toBeTruthy();
      expect(r.certData?.date?.iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
      if (want.deliveryType) expect(r.deliveryType).toBe(want.deliveryType);
      if (want.error) expect(r.certData?.error).toBe(want.error);
      if (want.verdict === 'valid') {
        expect(r.signature.signer?.emails[0]).toBe(r.from?.match(/posta-certificata@[^>\s]+/)?.[0]);
        expect(r.signature.era).toBe(want.era);
        expect(r.signature.reasonCode).toBe('verified');
        if (want.era === 'AgID CA1') {
          expect(r.signature.chain.at(-1)).toContain('Actalis Authentication Root CA');
          expect(r.signature.chain.some((s) => s.includes('Agenzia per l'))).toBe(true);
        } else {
          expect(r.signature.chain.at(-1)).toContain('Baltimore CyberTrust Root');
          expect(r.signature.chain[1]).toContain('CN=DigitPA CA1');
        }
        // A genuine PEC is shown without any anomaly: no false alarm on ten years of archive.
        expect(r.anomalies).toEqual([]);
      } else {
        expect(r.anomalies.some((a) => a.code === 'signature')).toBe(true);
      }
    });
  }

  it('the two Aruba receipts describe one sent PEC (same identificativo and msgid, consegna names the recipient)', async () => {
    const acc = await inspectMessage(readRealFixture('aruba-accettazione.eml'));
    const del = await inspectMessage(readRealFixture('aruba-avvenuta-consegna-completa.eml'));
    expect(acc.certData?.identificativo).toBe('opec288.20181113163926.01838.310.1.63@pec.aruba.it');
    expect(del.certData?.identificativo).toBe(acc.certData?.identificativo);
    expect(del.certData?.msgid).toBe(acc.certData?.msgid);
    expect(acc.certData?.msgid).toBe(
      '<1542123565.921546936035156.464602125997431-openerp-8-fatturapa.attachment.out@elbati-Vostro-3550>',
    );
    expect(del.certData?.deliveryAddress).toBe('l.battistini@pec.it');
    expect(acc.certData?.date?.iso).toBe('2018-11-13T16:39:26+01:00');
    expect(del.original?.attachments.map((a) => a.filename)).toEqual(['IT03339130126_00009.xml']);
  });

  it('the Sogei envelope carries the e-invoice as the original and asks for a breve receipt', async () => {
    const r = await inspectMessage(readRealFixture('sogei-busta-trasporto-sdi-invio-file.eml'));
    expect(r.certData?.sender).toBe('sdi03@pec.fatturapa.it');
    expect(r.certData?.recipients).toEqual([{ address: 'l.battistini@pec.it', type: 'certificato' }]);
    expect(r.certData?.msgid).toBe('<4163125586355393.1544268377979@pec.fatturapa.it>');
    expect(r.original?.subject).toBe('Invio File 7339338 (SIMULAZIONE)');
    expect(r.original?.attachments.length).toBeGreaterThan(0);
  });

  it('the Cedacri envelope: control byte in the subject, esterno and certificato recipients', async () => {
    const r = await inspectMessage(readRealFixture('cedacri-busta-trasporto-2018-sigfail.eml'));
    expect(r.certData?.recipients.map((x) => x.type)).toEqual(['esterno', 'certificato']);
    expect(r.certData?.subject).toContain('Pignoramento');
    expect(r.certData?.subject).not.toMatch(/[\u0000-\u0008]/);
    expect(r.original?.attachments[0]?.contentType).toBe('application/pdf');
  });

  it('the 2014 Aruba envelope: signed by ARUBA PEC S.p.A. under DigitPA CA1, its sender is the certified one', async () => {
    const r = await inspectMessage(readRealFixture('aruba-busta-trasporto-2014.eml'));
    expect(r.signature.signer?.organization).toBe('ARUBA PEC S.p.A.');
    expect(r.signature.signingTime?.slice(0, 10)).toBe('2014-11-27');
    expect(r.certData?.sender).toBe('thinkstudio@pec.it');
    expect(r.certData?.receiptType).toBe('completa');
    expect(r.original?.subject).toBe('Re: test');
  });

  it('the same 2014 signature is refused once its era is removed from the trust list', async () => {
    const { loadTrustList } = await import('../../../main/pec/trust-store.ts');
    const list = loadTrustList();
    const withoutDigitPa = { ...list, eras: list.eras!.filter((e) => e.id !== 'digitpa-ca1') };
    const r = await inspectMessage(readRealFixture('aruba-busta-trasporto-2014.eml'), {
      anchors: withoutDigitPa,
    });
    expect(r.signature.verdict).toBe('unknown-signer');
    expect(r.signature.reasonCode).toBe('outside-era');
  });

  it('the Register.it envelope decodes its encoded subject', async () => {
    const r = await inspectMessage(readRealFixture('register-busta-trasporto-2018.eml'));
    expect(r.subject?.startsWith('POSTA CERTIFICATA: ')).toBe(true);
    expect(r.subject).not.toContain('=?');
  });
});
