/**
 * PEC sent through the provider simulator (main/sim/) by a real SMTP client (nodemailer: AUTH,
 * implicit TLS and STARTTLS), the sender's mailbox synced by PecDesk's SyncService: the threads
 * PecDesk reconciles from what the simulated providers put in the mailboxes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimMailbox } from '../../main/sim/simulator.ts';
import {
  dovecotAvailable,
  mailer,
  messagesIn,
  simArchive,
  startTestSim,
  type TestSim,
  threadOf,
} from '../support/sim.ts';

describe.runIf(dovecotAvailable)('PEC provider simulator: what PecDesk makes of it', () => {
  let sim: TestSim;
  let box: (address: string) => SimMailbox;
  beforeAll(async () => {
    sim = await startTestSim();
    box = (address) => sim.info.mailboxes.find((m) => m.address === address)!;
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const inboxCount = (b: { address: string; password: string }, folder = 'INBOX') =>
    messagesIn(sim, b, folder);

  it('a PEC to two recipients (implicit TLS): one acceptance, two delivery receipts, delivered; each recipient has the envelope; no sent copy on the server', async () => {
    const from = box('mario.rossi@pec.alfa.test');
    const [r1, r2] = [box('mario.rossi@pec.beta.test'), box('protocollo@pec.beta.test')];
    const before = [await inboxCount(r1), await inboxCount(r2)];
    const sent = await mailer(sim, from).sendMail({
      from: from.address,
      to: [r1.address, r2.address],
      subject: 'Ricorso n. 12/2026',
      text: 'In allegato il ricorso.',
      attachments: [{ filename: 'ricorso.pdf', content: Buffer.from('%PDF-1.4 ricorso') }],
    });
    expect(sent.response).toMatch(/^250/);
    await sim.whenIdle();
    const { archive, syncNow } = await simArchive(sim, from);
    await syncNow();
    const t = threadOf(archive, sent.messageId);
    expect(t.thread).toMatchObject({ state: 'delivered', direction: 'sent', deliveredCount: 2 });
    expect(t.members.map((m) => m.kind).sort()).toEqual([
      'accettazione',
      'avvenuta-consegna',
      'avvenuta-consegna',
    ]);
    expect(t.members.every((m) => m.signatureVerdict === 'valid')).toBe(true);
    expect(t.recipients.map((r) => [r.address, r.state])).toEqual([
      [r1.address, 'delivered'],
      [r2.address, 'delivered'],
    ]);
    const acceptance = t.members.find((m) => m.kind === 'accettazione')!;
    expect(t.thread.identificativo).toBe(acceptance.identificativo);
    expect(t.members.every((m) => m.identificativo === acceptance.identificativo)).toBe(true);
    expect([await inboxCount(r1), await inboxCount(r2)]).toEqual([before[0]! + 1, before[1]! + 1]);
    expect(await inboxCount(from, 'Sent')).toBe(0); // the client keeps its own sent copy

    // The recipient's side: the envelope, signed by the sender's provider, the original inside.
    const other = await simArchive(sim, r1);
    await other.syncNow();
    const received = threadOf(other.archive, sent.messageId);
    expect(received.thread).toMatchObject({
      direction: 'received',
      identificativo: acceptance.identificativo,
    });
    expect(received.members.map((m) => [m.kind, m.signatureVerdict])).toContainEqual([
      'posta-certificata',
      'valid',
    ]);
    archive.close();
    other.archive.close();
  });

  it('STARTTLS submission; an unknown recipient fails with its reason, an ordinary one has no proof and lands in the catch-all mailbox', async () => {
    const from = box('studio.bianchi@pec.alfa.test');
    const ok = box('studio.bianchi@pec.beta.test');
    const externalBefore = await inboxCount(sim.info.externalMailbox);
    const sent = await mailer(sim, from, 'starttls').sendMail({
      from: from.address,
      to: [ok.address, sim.info.unknownRecipient, 'cliente@esempio.test'],
      subject: 'Convocazione assemblea',
      text: 'Si convoca…',
    });
    await sim.whenIdle();
    const { archive, syncNow } = await simArchive(sim, from);
    await syncNow();
    const t = threadOf(archive, sent.messageId);
    expect(t.thread).toMatchObject({ state: 'partial', deliveredCount: 1, failedCount: 1, noProofCount: 1 });
    expect(t.recipients.map((r) => [r.address, r.type, r.state, r.error])).toEqual([
      ['cliente@esempio.test', 'esterno', 'no-proof', null],
      [sim.info.unknownRecipient, 'certificato', 'failed', 'no-dest'],
      [ok.address, 'certificato', 'delivered', null],
    ]);
    expect(t.recipients.find((r) => r.state === 'failed')?.errorDetail).toBe(
      '5.1.1 - Beta PEC S.p.A. - indirizzo non valido',
    );
    expect(await inboxCount(sim.info.externalMailbox)).toBe(externalBefore + 1);
    archive.close();
  });

  it('a full mailbox → mancata consegna 5.2.2; a Bcc → non accettazione (rejected), nothing delivered', async () => {
    const from = box('protocollo@pec.alfa.test');
    const r = box('mario.rossi@pec.beta.test');
    const full = await mailer(sim, from).sendMail({
      from: from.address,
      to: sim.info.overQuotaRecipient,
      subject: 'Sollecito',
      text: 'x',
    });
    const before = await inboxCount(r);
    const bcc = await mailer(sim, from).sendMail({
      from: from.address,
      to: box('protocollo@pec.beta.test').address,
      bcc: r.address,
      subject: 'Con copia nascosta',
      text: 'x',
    });
    expect(bcc.response).toMatch(/^250/); // a PEC is refused by a notice, not by SMTP
    await sim.whenIdle();
    const { archive, syncNow } = await simArchive(sim, from);
    await syncNow();
    const f = threadOf(archive, full.messageId);
    expect(f.thread.state).toBe('failed');
    expect(f.recipients[0]).toMatchObject({
      state: 'failed',
      error: 'altro',
      errorDetail: '5.2.2 - Beta PEC S.p.A. - casella piena',
    });
    const b = threadOf(archive, bcc.messageId);
    expect(b.thread.state).toBe('rejected');
    expect(b.members.map((m) => m.kind)).toEqual(['non-accettazione']);
    expect(b.members[0]!.certErrorDetail).toContain(r.address);
    expect(b.recipients.map((x) => x.state)).toEqual(['not-sent']);
    expect(await inboxCount(r)).toBe(before);
    archive.close();
  });

  it('X-TipoRicevuta breve and sintetica: delivery receipts of that type (breve: the original with hashes), Cc always sintetica', async () => {
    const from = box('mario.rossi@pec.alfa.test');
    const [to, cc] = [box('studio.bianchi@pec.beta.test'), box('protocollo@pec.beta.test')];
    const send = (type: string) =>
      mailer(sim, from).sendMail({
        from: from.address,
        to: to.address,
        cc: cc.address,
        subject: `Ricevuta ${type}`,
        text: 'x',
        headers: { 'X-TipoRicevuta': type },
        attachments: [{ filename: 'atto.pdf', content: Buffer.from('%PDF-1.4 atto') }],
      });
    const breve = await send('breve');
    const sintetica = await send('sintetica');
    await sim.whenIdle();
    const { archive, syncNow } = await simArchive(sim, from);
    await syncNow();
    for (const [sent, type] of [
      [breve, 'breve'],
      [sintetica, 'sintetica'],
    ] as const) {
      const t = threadOf(archive, sent.messageId);
      expect(t.thread.state).toBe('delivered');
      const receipts = t.members.filter((m) => m.kind === 'avvenuta-consegna');
      expect(receipts.map((m) => [m.deliveryAddress, m.deliveryType]).sort()).toEqual([
        [cc.address, 'sintetica'],
        [to.address, type],
      ]);
    }
    archive.close();
  });

  it('SMTP AUTH: a wrong password is refused (535), and no AUTH without TLS', async () => {
    const from = box('mario.rossi@pec.alfa.test');
    await expect(
      mailer(sim, { address: from.address, password: 'sbagliata' }).sendMail({
        from: from.address,
        to: from.address,
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 535 });
    const plain = (await import('nodemailer')).default.createTransport({
      host: sim.info.smtp.host,
      port: sim.info.smtp.starttlsPort,
      secure: false,
      ignoreTLS: true,
      auth: { user: from.address, pass: from.password },
    });
    await expect(plain.sendMail({ from: from.address, to: from.address, text: 'x' })).rejects.toThrow();
  });
});
