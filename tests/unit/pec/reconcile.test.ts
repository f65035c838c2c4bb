import { describe, expect, it } from 'vitest';
import { deliveryOverdue, reconcile, type ThreadMember } from '../../../main/pec/reconcile.ts';
import { seededRandom } from '../../support/random.ts';

let id = 0;
function member(kind: string, extra: Partial<ThreadMember> = {}): ThreadMember {
  return {
    id: ++id,
    kind,
    certDate: `2026-11-25T10:0${id % 10}:00.000Z`,
    date: null,
    identificativo: 'opec1@pec.alfa.test',
    certifiedSender: 'studio@pec.alfa.test',
    subject: 'Oggetto',
    certRecipients: [],
    deliveryAddress: null,
    certProvider: 'Beta PEC S.p.A.',
    certError: null,
    certErrorDetail: null,
    signatureVerdict: 'valid',
    ...extra,
  };
}

const recipients = [
  { address: 'a@pec.beta.test', type: 'certificato' as const },
  { address: 'b@pec.beta.test', type: 'certificato' as const },
];

describe('reconcile', () => {
  it('a non-acceptance without acceptance is rejected', () => {
    expect(reconcile([member('non-accettazione', { certRecipients: recipients })]).state).toBe('rejected');
  });

  it('a 12-hour warning is a warning, but a permanent 5.4.1 one is already a failure', () => {
    const acc = member('accettazione', { certRecipients: recipients });
    const warn = member('preavviso-errore-consegna', {
      deliveryAddress: 'a@pec.beta.test',
      certErrorDetail: '4.4.7 ritardo',
    });
    const final = member('preavviso-errore-consegna', {
      deliveryAddress: 'b@pec.beta.test',
      certErrorDetail: '5.4.1 - indirizzo non raggiungibile',
    });
    const r = reconcile([acc, warn, final]);
    expect(r.recipients.map((x) => x.state)).toEqual(['warning', 'failed']);
    expect(r.state).toBe('partial');
  });

  it('a warning never overrides a delivery, whatever the order', () => {
    const acc = member('accettazione', { certRecipients: [recipients[0]!] });
    const delivered = member('avvenuta-consegna', { deliveryAddress: 'a@pec.beta.test' });
    const warn = member('preavviso-errore-consegna', {
      deliveryAddress: 'A@PEC.BETA.TEST',
      certDate: '2026-11-26T00:00:00.000Z',
    });
    expect(reconcile([warn, acc, delivered]).state).toBe('delivered');
  });

  it('receipts that are not validly signed prove nothing', () => {
    const acc = member('accettazione', { certRecipients: [recipients[0]!] });
    const forged = member('avvenuta-consegna', {
      deliveryAddress: 'a@pec.beta.test',
      signatureVerdict: 'unknown-signer',
    });
    const r = reconcile([acc, forged]);
    expect(r.state).toBe('accepted');
    expect(r.recipients[0]!.state).toBe('pending');
  });

  it('only envelopes: a received PEC', () => {
    const r = reconcile([member('posta-certificata', { certRecipients: recipients })]);
    expect([r.direction, r.state]).toEqual(['received', 'received']);
  });

  it('all failed is failed; accepted with nothing else is accepted, with its time', () => {
    const acc = member('accettazione', { certRecipients: recipients });
    expect(reconcile([acc]).state).toBe('accepted');
    expect(reconcile([acc]).acceptedAt).toBe(acc.certDate);
    const f1 = member('errore-consegna', { deliveryAddress: 'a@pec.beta.test', certError: 'no-dest' });
    const f2 = member('errore-consegna', { deliveryAddress: 'b@pec.beta.test', certError: 'no-dest' });
    const r = reconcile([acc, f1, f2]);
    expect([r.state, r.failedCount]).toEqual(['failed', 2]);
    expect(r.recipients[0]!.error).toBe('no-dest');
  });

  it('delivery receipts prove the acceptance even when the acceptance is not in the archive', () => {
    const d1 = member('avvenuta-consegna', {
      deliveryAddress: 'a@pec.beta.test',
      certRecipients: recipients,
    });
    const r = reconcile([member('ordinary'), d1]);
    expect(r.state).toBe('accepted');
    expect(r.acceptanceMissing).toBe(true);
    expect(r.acceptedAt).toBeNull();
    expect([r.deliveredCount, r.pendingCount]).toEqual([1, 1]);
    // With the acceptance there is nothing missing.
    const withAcc = reconcile([member('accettazione', { certRecipients: recipients }), d1]);
    expect(withAcc.acceptanceMissing).toBe(false);
  });

  it('a failure notice alone also proves the acceptance: partial, not "waiting for receipts"', () => {
    const f = member('errore-consegna', {
      deliveryAddress: 'a@pec.beta.test',
      certRecipients: recipients,
      certError: 'no-dest',
    });
    const r = reconcile([member('ordinary'), f]);
    expect([r.state, r.acceptanceMissing, r.failedCount, r.pendingCount]).toEqual(['partial', true, 1, 1]);
  });

  it('1 delivered, 1 failed, 1 ordinary address: partial with the counts to say "Consegnata 1 di 3 · 1 mancata"', () => {
    const three = [...recipients, { address: 'c@example.it', type: 'esterno' as const }];
    const acc = member('accettazione', { certRecipients: three });
    const d = member('avvenuta-consegna', { deliveryAddress: 'a@pec.beta.test' });
    const f = member('errore-consegna', { deliveryAddress: 'b@pec.beta.test', certError: 'no-dest' });
    const r = reconcile([acc, d, f]);
    expect(r.state).toBe('partial');
    expect([r.deliveredCount, r.failedCount, r.recipientTotal, r.certifiedCount, r.noProofCount]).toEqual([
      1, 1, 3, 2, 1,
    ]);
    expect(r.recipients.find((x) => x.address === 'c@example.it')?.state).toBe('no-proof');
  });

  it("a non-accepted PEC's recipients were never sent anything", () => {
    const r = reconcile([member('ordinary'), member('non-accettazione', { certRecipients: recipients })]);
    expect(r.state).toBe('rejected');
    expect(r.recipients.map((x) => x.state)).toEqual(['not-sent', 'not-sent']);
    expect(r.pendingCount).toBe(0);
  });

  it('a preavviso is counted as a warning until a final answer comes', () => {
    const acc = member('accettazione', { certRecipients: [recipients[0]!] });
    const warn = member('preavviso-errore-consegna', { deliveryAddress: 'a@pec.beta.test' });
    const r = reconcile([acc, warn]);
    expect([r.state, r.warningCount, r.pendingCount]).toEqual(['accepted', 1, 0]);
  });

  it('receipts that do not verify are counted as unverified, never as proof', () => {
    const acc = member('accettazione', { certRecipients: recipients });
    const unsigned = member('errore-consegna', {
      deliveryAddress: 'a@pec.beta.test',
      signatureVerdict: 'unsigned',
    });
    const r = reconcile([acc, unsigned]);
    expect([r.state, r.unverifiedCount, r.failedCount]).toEqual(['accepted', 1, 0]);
  });

  it('the same result whatever order the receipts are given in (a later failure listed before an earlier delivery)', () => {
    const acc = member('accettazione', { certRecipients: recipients, certDate: '2026-11-25T10:00:00.000Z' });
    const delivered = member('avvenuta-consegna', {
      deliveryAddress: 'a@pec.beta.test',
      certDate: '2026-11-25T10:00:05.000Z',
    });
    const laterFailure = member('errore-consegna', {
      deliveryAddress: 'a@pec.beta.test',
      certDate: '2026-11-25T11:00:00.000Z',
      certError: 'altro',
    });
    const sameSecond = member('avvenuta-consegna', {
      deliveryAddress: 'b@pec.beta.test',
      certDate: '2026-11-25T10:00:07.000Z',
    });
    const sameSecondFailure = member('errore-consegna', {
      deliveryAddress: 'b@pec.beta.test',
      certDate: '2026-11-25T10:00:07.000Z',
      certError: 'no-dest',
    });
    const all = [acc, delivered, laterFailure, sameSecond, sameSecondFailure, member('ordinary')];
    const expected = reconcile(all);
    expect(expected.recipients.map((x) => x.state)).toEqual(['failed', 'failed']);
    const random = seededRandom(42);
    for (let i = 0; i < 50; i++) {
      const shuffled = [...all].sort(() => random() - 0.5);
      expect(reconcile(shuffled)).toEqual(expected);
    }
  });

  it('flags a sent PEC with no delivery receipt 24 hours after acceptance', () => {
    const acc = member('accettazione', { certRecipients: recipients, certDate: '2026-11-25T10:00:00.000Z' });
    const r = reconcile([member('ordinary'), acc]);
    const t = { ...r, state: r.state as string };
    expect(deliveryOverdue(t, new Date('2026-11-26T09:59:00Z'))).toBe(false);
    expect(deliveryOverdue(t, new Date('2026-11-26T10:00:00Z'))).toBe(true);
    const done = reconcile([
      member('ordinary'),
      acc,
      member('avvenuta-consegna', { deliveryAddress: 'a@pec.beta.test' }),
      member('avvenuta-consegna', { deliveryAddress: 'b@pec.beta.test' }),
    ]);
    expect(deliveryOverdue(done, new Date('2026-12-01T00:00:00Z'))).toBe(false);
  });
});
