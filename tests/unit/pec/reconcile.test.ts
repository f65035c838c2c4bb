import { describe, expect, it } from 'vitest';
import { reconcile, type ThreadMember } from '../../../main/pec/reconcile.ts';

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
});
