import { describe, expect, it } from 'vitest';
import { classify } from '../../../main/pec/classify.ts';
import { RECEIPT_KINDS } from '../../../main/pec/kinds.ts';
import { buildOrdinary, buildPec, pecOf, scenario } from '../../factory/pec-factory.ts';
import { inspectTest } from '../../support/pec.ts';

const ALL_KINDS = ['posta-certificata', 'errore', ...RECEIPT_KINDS] as const;

function withoutHeader(raw: Buffer, header: RegExp): Buffer {
  return Buffer.from(
    raw
      .toString('latin1')
      .split('\r\n')
      .filter((l) => !header.test(l))
      .join('\r\n'),
    'latin1',
  );
}

describe('classify', () => {
  const s = scenario();

  for (const kind of ALL_KINDS) {
    it(`reads ${kind} from its PEC header`, () => {
      const c = classify(pecOf(s, kind));
      expect(c.kind).toBe(kind);
      expect(c.basis).toBe('header');
      expect(c.findings).toEqual([]);
    });
  }

  it('tells the delivery receipt types apart', () => {
    expect(classify(pecOf(s, 'avvenuta-consegna', { deliveryType: 'completa' })).deliveryType).toBe(
      'completa',
    );
    expect(classify(pecOf(s, 'avvenuta-consegna', { deliveryType: 'breve' })).deliveryType).toBe('breve');
    const sintetica = classify(pecOf(s, 'avvenuta-consegna', { deliveryType: 'sintetica' }));
    expect(sintetica.deliveryType).toBe('sintetica');
    expect(sintetica.findings).toEqual([]);
  });

  it('marks virus notices: rilevazione virus and the per-virus non accettazione / mancata consegna', () => {
    expect(classify(pecOf(s, 'rilevazione-virus')).virus).toBe(true);
    const nonAcc = classify(pecOf(s, 'non-accettazione', { virus: true, error: 'virus' }));
    expect([nonAcc.kind, nonAcc.virus]).toEqual(['non-accettazione', true]);
    const failed = classify(pecOf(s, 'errore-consegna', { virus: true, error: 'virus' }));
    expect([failed.kind, failed.virus]).toEqual(['errore-consegna', true]);
    expect(classify(pecOf(s, 'errore-consegna')).virus).toBe(false);
  });

  it('matches header names and values case-insensitively (X-Tiporicevuta, X-RICEVUTA)', () => {
    const raw = Buffer.from(
      pecOf(s, 'accettazione')
        .toString('latin1')
        .replace('X-Ricevuta: accettazione', 'X-RICEVUTA: Accettazione'),
      'latin1',
    );
    expect(classify(raw).kind).toBe('accettazione');
  });

  it('falls back to the subject when the PEC headers are gone, and says so', () => {
    const c = classify(withoutHeader(pecOf(s, 'errore-consegna'), /^X-Ricevuta:/i));
    expect(c.kind).toBe('errore-consegna');
    expect(c.basis).toBe('subject');
    expect(c.findings.map((f) => f.code)).toContain('classified-from-subject');
  });

  it('falls back to daticert.xml when headers and subject prefix are both missing', () => {
    const raw = withoutHeader(pecOf(s, 'accettazione', { subject: 'x' }), /^X-Ricevuta:/i);
    const patched = Buffer.from(
      raw.toString('latin1').replace('Subject: ACCETTAZIONE: x', 'Subject: x'),
      'latin1',
    );
    const c = classify(patched);
    expect([c.kind, c.basis]).toEqual(['accettazione', 'daticert']);
  });

  it('reports a subject that disagrees with the header, and keeps the header', () => {
    const raw = Buffer.from(
      pecOf(s, 'accettazione').toString('latin1').replace('Subject: ACCETTAZIONE:', 'Subject: CONSEGNA:'),
      'latin1',
    );
    const c = classify(raw);
    expect(c.kind).toBe('accettazione');
    expect(c.findings.map((f) => f.code)).toContain('subject-header-mismatch');
  });

  it('accepts either reading of the shared "SUP. TEMPO MASSIMO" subject', () => {
    const final = pecOf(s, 'errore-consegna', { virus: false });
    const raw = Buffer.from(
      final
        .toString('latin1')
        .replace('AVVISO DI MANCATA CONSEGNA: ', 'AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO: '),
      'latin1',
    );
    const c = classify(raw);
    expect(c.kind).toBe('errore-consegna');
    expect(c.findings.map((f) => f.code)).not.toContain('subject-header-mismatch');
  });

  it('reports a daticert.xml whose tipo disagrees with the header', () => {
    const raw = buildPec({ ...baseSpec(), kind: 'accettazione' });
    const text = raw.toString('latin1').replace('X-Ricevuta: accettazione', 'X-Ricevuta: avvenuta-consegna');
    const c = classify(Buffer.from(text, 'latin1'));
    expect(c.kind).toBe('avvenuta-consegna');
    expect(c.findings.map((f) => f.code)).toContain('daticert-mismatch');
  });

  it('reports a missing daticert.xml or postacert.eml', () => {
    const noDaticert = classify(buildPec({ ...baseSpec(), kind: 'accettazione', omitDaticert: true }));
    expect(noDaticert.findings.map((f) => f.code)).toContain('daticert-missing');
    const noOriginal = classify(buildPec({ ...baseSpec(), kind: 'posta-certificata' }));
    expect(noOriginal.findings.map((f) => f.code)).toContain('postacert-missing');
  });

  it('does not take an anomaly envelope without daticert.xml as a defect', () => {
    expect(classify(pecOf(s, 'errore')).findings).toEqual([]);
  });

  it('an ordinary message is ordinary, even with a subject like "Consegna: merce"', () => {
    expect(classify(buildOrdinary()).kind).toBe('ordinary');
    expect(classify(buildOrdinary({ subject: 'Consegna: merce ordine 12' })).kind).toBe('ordinary');
    const shouting = classify(buildOrdinary({ subject: 'CONSEGNA: merce ordine 12' }));
    expect(shouting.kind).toBe('ordinary');
    expect(shouting.findings.map((f) => f.code)).toEqual(['subject-without-pec-structure']);
  });

  it('reads list tags before the prefix, as on a mailing-list copy', () => {
    const raw = withoutHeader(pecOf(s, 'posta-certificata'), /^X-Trasporto:/i);
    const tagged = Buffer.from(
      raw
        .toString('latin1')
        .replace('Subject: POSTA CERTIFICATA:', 'Subject: [Osst-users] [SPAM] POSTA CERTIFICATA:'),
      'latin1',
    );
    expect(classify(tagged).kind).toBe('posta-certificata');
  });

  it('a forged receipt inside an envelope is the envelope, not a receipt', async () => {
    const forgedReceipt = pecOf(scenario(), 'avvenuta-consegna', { signing: { mode: 'none' } });
    const envelope = pecOf(scenario({ original: forgedReceipt }), 'posta-certificata');
    const r = await inspectTest(envelope);
    expect(r.kind).toBe('posta-certificata');
    expect(r.original?.subject?.startsWith('CONSEGNA:')).toBe(true);
  });

  it('reports unknown and conflicting header values', () => {
    const text = pecOf(s, 'accettazione').toString('latin1');
    const unknown = classify(
      Buffer.from(text.replace('X-Ricevuta: accettazione', 'X-Ricevuta: accettata'), 'latin1'),
    );
    expect(unknown.findings.map((f) => f.code)).toContain('header-unknown-value');
    expect(unknown.kind).toBe('accettazione');
    expect(unknown.basis).toBe('subject');
    const both = classify(
      Buffer.from(
        text.replace(
          'X-Ricevuta: accettazione',
          'X-Ricevuta: accettazione\r\nX-Trasporto: posta-certificata',
        ),
        'latin1',
      ),
    );
    expect(both.kind).toBe('accettazione');
    expect(both.findings.map((f) => f.code)).toContain('header-conflict');
  });

  it('says unparseable when no header can be read', () => {
    expect(classify(Buffer.alloc(0)).kind).toBe('unparseable');
    expect(classify(Buffer.from('\r\n\r\njust a body')).kind).toBe('unparseable');
    expect(classify(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02])).kind).toBe('unparseable');
  });
});

function baseSpec() {
  const s = scenario();
  return {
    sender: s.sender,
    recipients: s.recipients,
    subject: s.subject,
    msgid: s.msgid,
    identificativo: s.identificativo,
  };
}
