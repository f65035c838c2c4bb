/**
 * Sending a PEC with PecDesk's own core against the PEC provider simulator: the outbox writes the
 * message first, the simulated providers answer, and sync brings the receipts into the PEC's
 * thread. No mocks: real SMTP over TLS, real Dovecot, the providers' signed receipts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOutbox } from '../../db/outbox.ts';
import type { SimMailbox } from '../../main/sim/simulator.ts';
import { envelopeRefs, type SendingCore, sendingCore, simAccount, until } from '../support/send.ts';
import { dovecotAvailable, mailer, startTestSim, type TestSim } from '../support/sim.ts';

describe.runIf(dovecotAvailable)('sending PEC through the simulator', () => {
  let sim: TestSim;
  let box: (address: string) => SimMailbox;
  let s: SendingCore;
  const from = () => box('mario.rossi@pec.alfa.test');
  beforeAll(async () => {
    sim = await startTestSim();
    box = (address) => sim.info.mailboxes.find((m) => m.address === address)!;
    s = await sendingCore(sim);
    await s.call('accounts.add', simAccount(sim, from()));
  });
  afterAll(async () => {
    await s?.close();
    await sim?.stop();
  });

  async function sendAndSettle(to: string[], subject: string) {
    const sent = await s.call('outbox.send', {
      from: from().address,
      to,
      cc: [],
      subject,
      text: `Buongiorno,\nin allegato quanto richiesto.\n\nStudio Rossi`,
      receiptType: 'completa',
      attachments: [
        { filename: 'ricorso.pdf', contentBase64: Buffer.from('%PDF-1.4 ricorso').toString('base64') },
      ],
    });
    expect(sent.state).toBe('queued');
    await until(
      'the provider to take it',
      () => getOutbox(s.core.services.archive!.db, sent.outboxId)!.state,
      (st) => st === 'sent',
    );
    await sim.whenIdle();
    // The mailbox is watched (IDLE) since it was added: the receipts arrive by themselves.
    await until(
      'the receipts',
      () => s.call('threads.get', { msgid: sent.messageId }),
      (t) => t.pendingCount === 0 && t.acceptedAt !== null,
    );
    return sent;
  }

  it('a PEC to two recipients: at once in its thread, then one acceptance and two delivery receipts as sync brings them; the copy in Sent', async () => {
    const [r1, r2] = [box('mario.rossi@pec.beta.test'), box('protocollo@pec.beta.test')];
    const sent = await s.call('outbox.send', {
      from: from().address,
      to: [r1.address, r2.address],
      cc: [],
      subject: 'Ricorso n. 12/2026',
      text: 'In allegato il ricorso.',
      receiptType: 'completa',
      attachments: [
        { filename: 'ricorso.pdf', contentBase64: Buffer.from('%PDF-1.4 ricorso').toString('base64') },
      ],
    });
    expect(sent.messageId).toMatch(/^<pecdesk\.[0-9a-z]+\.[0-9a-f]{24}@pec\.alfa\.test>$/);
    const db = s.core.services.archive!.db;
    await until(
      'sent',
      () => getOutbox(db, sent.outboxId)!.state,
      (st) => st === 'sent',
    );
    // At once: the sent copy is the PEC's thread, before any receipt.
    const early = await s.call('threads.get', { msgid: sent.messageId });
    expect(early).toMatchObject({ direction: 'sent', subject: 'Ricorso n. 12/2026' });
    expect(early.members.map((m) => m.kind)).toContain('ordinary');
    await sim.whenIdle();
    const t = await until(
      'the receipts',
      () => s.call('threads.get', { msgid: sent.messageId }),
      (v) => v.state === 'delivered',
    );
    expect(t).toMatchObject({ state: 'delivered', deliveredCount: 2, recipientCount: 2 });
    expect(t.members.map((m) => m.kind).sort()).toEqual([
      'accettazione',
      'avvenuta-consegna',
      'avvenuta-consegna',
      'ordinary',
    ]);
    expect(t.members.filter((m) => m.kind !== 'ordinary').every((m) => m.signatureVerdict === 'valid')).toBe(
      true,
    );
    expect(t.recipients.map((r) => [r.address, r.state])).toEqual([
      [r1.address, 'delivered'],
      [r2.address, 'delivered'],
    ]);
    // Each recipient got the envelope once.
    expect((await envelopeRefs(sim, r1)).filter((m) => m === sent.messageId)).toHaveLength(1);
    expect((await envelopeRefs(sim, r2)).filter((m) => m === sent.messageId)).toHaveLength(1);
    const list = await s.call('outbox.list', { offset: 0, limit: 10 });
    expect(list.rows.find((r) => r.id === sent.outboxId)).toMatchObject({
      state: 'delivered',
      delivered: 2,
      recipientCount: 2,
      sentCopy: 'done',
    });
    // The copy sits in the mailbox's Sent folder: the sent PEC belongs to its mailbox.
    const message = await s.call('messages.get', {
      id: list.rows.find((r) => r.id === sent.outboxId)!.archivedMessageId!,
    });
    expect(message.locations.map((l) => l.path)).toContain('Sent');
  });

  it('an unknown recipient fails with its reason; an ordinary address has no proof', async () => {
    const ok = box('studio.bianchi@pec.beta.test');
    const sent = await sendAndSettle(
      [ok.address, sim.info.unknownRecipient, 'cliente@esempio.test'],
      'Convocazione assemblea',
    );
    const t = await s.call('threads.get', { msgid: sent.messageId });
    expect(t.state).toBe('partial');
    expect(t.recipients.map((r) => [r.address, r.state, r.error])).toEqual([
      ['cliente@esempio.test', 'no-proof', null],
      [sim.info.unknownRecipient, 'failed', 'no-dest'],
      [ok.address, 'delivered', null],
    ]);
    expect(t.recipients.find((r) => r.state === 'failed')?.errorDetail).toBe(
      '5.1.1 - Beta PEC S.p.A. - indirizzo non valido',
    );
    const row = (await s.call('outbox.list', { offset: 0, limit: 10 })).rows.find(
      (r) => r.id === sent.outboxId,
    )!;
    expect(row).toMatchObject({ state: 'partial', delivered: 1, failed: 1, noProof: 1 });
  });

  it('reply quotes the original (not the envelope) and answers its msgid; forward carries postacert.eml or the whole envelope', async () => {
    const client = box('protocollo@pec.beta.test');
    const incoming = await mailer(sim, client).sendMail({
      from: client.address,
      to: from().address,
      cc: box('studio.bianchi@pec.beta.test').address,
      subject: 'Richiesta documenti',
      text: 'Buongiorno,\nvi chiediamo copia del contratto.',
    });
    await sim.whenIdle();
    const received = await until(
      'the incoming PEC',
      () => s.call('threads.get', { msgid: incoming.messageId }).catch(() => null),
      (t) => t?.members.some((m) => m.kind === 'posta-certificata') ?? false,
    );
    const envelopeId = received!.members.find((m) => m.kind === 'posta-certificata')!.id;
    const reply = await s.call('compose.reply', { id: envelopeId, all: true });
    expect(reply).toMatchObject({
      from: from().address,
      to: [client.address],
      cc: [box('studio.bianchi@pec.beta.test').address],
      subject: 'Re: Richiesta documenti',
      inReplyTo: incoming.messageId,
      references: [incoming.messageId],
    });
    expect(reply.quoted.text).toBe('Buongiorno,\nvi chiediamo copia del contratto.');
    const forward = await s.call('compose.forward', { id: envelopeId, envelope: false });
    expect(forward.subject).toBe('I: Richiesta documenti');
    expect(forward.attachments).toEqual([
      expect.objectContaining({ messageId: envelopeId, part: 'original', filename: 'postacert.eml' }),
    ]);
    const to = box('studio.bianchi@pec.alfa.test');
    for (const part of ['original', 'envelope'] as const) {
      const sent = await s.call('outbox.send', {
        from: from().address,
        to: [to.address],
        cc: [],
        subject: forward.subject,
        text: 'Vi inoltro la richiesta.',
        receiptType: 'completa',
        attachments: [{ messageId: envelopeId, part }],
      });
      await until(
        'sent',
        () => getOutbox(s.core.services.archive!.db, sent.outboxId)!.state,
        (st) => st === 'sent',
      );
      await sim.whenIdle();
      const t = await until(
        'delivered',
        () => s.call('threads.get', { msgid: sent.messageId }),
        (v) => v.state === 'delivered',
      );
      const copy = await s.call('messages.get', { id: t.members.find((m) => m.kind === 'ordinary')!.id });
      const attached = copy.inspect.original!.attachments[0]!;
      expect(attached.contentType).toBe('message/rfc822');
      expect(attached.filename).toBe(part === 'original' ? 'postacert.eml' : 'Richiesta documenti.eml');
    }
  });

  it('the limits are checked before anything is written: Bcc, too many recipients, size × recipients, with every problem named', async () => {
    const before = (await s.call('outbox.list', { offset: 0, limit: 500 })).total;
    const check = await s.call('outbox.check', {
      from: from().address,
      to: ['non-un-indirizzo', box('protocollo@pec.beta.test').address],
      cc: [],
      bcc: ['nascosto@pec.beta.test'],
      subject: ' ',
      text: 'x',
      receiptType: 'completa',
      attachments: [],
    });
    expect(check.problems.map((p) => p.code)).toEqual(['bad-address', 'bcc-not-allowed', 'no-subject']);
    await s.call('accounts.setSendLimits', {
      email: from().address,
      sendPerMinute: null,
      maxRecipients: 2,
      maxTotalBytes: 40_000,
    });
    const big = Buffer.alloc(15_000, 0x41).toString('base64');
    const many = await s.call('outbox.check', {
      from: from().address,
      to: ['a@pec.beta.test', 'b@pec.beta.test', 'c@pec.beta.test'],
      cc: [],
      subject: 'Tre',
      text: 'x',
      receiptType: 'completa',
      attachments: [{ filename: 'a.bin', contentBase64: big }],
    });
    expect(many.problems.map((p) => p.code)).toEqual(['too-many-recipients', 'too-large']);
    await expect(
      s.call('outbox.send', {
        from: from().address,
        to: ['a@pec.beta.test'],
        cc: [],
        bcc: ['b@pec.beta.test'],
        subject: 'Ccn',
        text: 'x',
        receiptType: 'completa',
        attachments: [],
      }),
    ).rejects.toThrow(/invalid-arguments: a PEC cannot have Bcc/);
    expect((await s.call('outbox.list', { offset: 0, limit: 500 })).total).toBe(before);
    await s.call('accounts.setSendLimits', {
      email: from().address,
      sendPerMinute: null,
      maxRecipients: null,
      maxTotalBytes: null,
    });
  });
});
