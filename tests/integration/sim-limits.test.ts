/**
 * The simulator's limits and its slow provider, as a sending client meets them: recipients per
 * message and size (non accettazione), messages per minute (a temporary SMTP error the client
 * retries later), and receipts from the slow provider arriving after its delay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimMailbox } from '../../main/sim/simulator.ts';
import {
  dovecotAvailable,
  mailer,
  simArchive,
  startTestSim,
  type TestSim,
  threadOf,
} from '../support/sim.ts';

const SLOW_MS = 1500;
const WINDOW_MS = 1500;

describe.runIf(dovecotAvailable)('PEC provider simulator: limits and the slow provider', () => {
  let sim: TestSim;
  let box: (address: string) => SimMailbox;
  beforeAll(async () => {
    sim = await startTestSim({
      slowDelayMs: SLOW_MS,
      limits: { maxRecipients: 3, maxTotalBytes: 60_000, messagesPerWindow: 3, windowMs: WINDOW_MS },
    });
    box = (address) => sim.info.mailboxes.find((m) => m.address === address)!;
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('says its limits and its slow provider in its info', () => {
    expect(sim.info.limits).toEqual({
      maxRecipients: 3,
      maxTotalBytes: 60_000,
      messagesPerWindow: 3,
      windowMs: WINDOW_MS,
    });
    expect(sim.info.slowDomain).toEqual({
      domain: 'pec.lenta.test',
      provider: 'Lenta PEC',
      delayMs: SLOW_MS,
    });
  });

  it('more recipients than allowed, or size × recipients over the limit → non accettazione with the reason', async () => {
    const from = box('mario.rossi@pec.alfa.test');
    const beta = sim.info.mailboxes.filter((m) => m.domain === 'pec.beta.test').map((m) => m.address);
    const smtp = mailer(sim, from);
    const many = await smtp.sendMail({
      from: from.address,
      to: [...beta, box('studio.bianchi@pec.alfa.test').address],
      subject: 'Quattro destinatari',
      text: 'x',
    });
    const attachment = { filename: 'perizia.pdf', content: Buffer.alloc(25_000, 0x41) };
    const big = await smtp.sendMail({
      from: from.address,
      to: beta.slice(0, 3),
      subject: 'Perizia a tre',
      text: 'x',
      attachments: [attachment],
    });
    const small = await smtp.sendMail({
      from: from.address,
      to: beta[0],
      subject: 'Perizia a uno',
      text: 'x',
      attachments: [attachment],
    });
    await sim.whenIdle();
    const { archive, syncNow } = await simArchive(sim, from);
    await syncNow();
    const m = threadOf(archive, many.messageId);
    expect(m.thread.state).toBe('rejected');
    expect(m.members[0]!.certErrorDetail).toBe('troppi destinatari: 4 (al massimo 3)');
    const b = threadOf(archive, big.messageId);
    expect(b.thread.state).toBe('rejected');
    expect(b.members[0]!.certErrorDetail).toMatch(/^messaggio troppo grande: \d+ byte per 3 destinatari/);
    expect(threadOf(archive, small.messageId).thread.state).toBe('delivered');
    archive.close();
  });

  it('more messages per minute than allowed → 451, and the same message goes through once the window has passed', async () => {
    const from = box('studio.bianchi@pec.alfa.test');
    const smtp = mailer(sim, from);
    const mail = (n: number) => ({
      from: from.address,
      to: box('mario.rossi@pec.beta.test').address,
      subject: `Messaggio ${n}`,
      text: 'x',
    });
    for (let n = 1; n <= 3; n++) await smtp.sendMail(mail(n));
    const refused = await smtp
      .sendMail(mail(4))
      .catch((e: { responseCode?: number; response?: string }) => e);
    expect(refused).toMatchObject({ responseCode: 451 });
    expect((refused as { response: string }).response).toContain('4.7.1');
    await new Promise((r) => setTimeout(r, WINDOW_MS + 100));
    const retried = await smtp.sendMail(mail(4));
    expect(retried.response).toMatch(/^250/);
  });

  it("the slow provider's receipts arrive after its delay: accepted and pending first, delivered later", async () => {
    const from = box('protocollo@pec.alfa.test');
    const slow = box('mario.rossi@pec.lenta.test');
    const sentAt = Date.now();
    const sent = await mailer(sim, from).sendMail({
      from: from.address,
      to: slow.address,
      subject: 'Al gestore lento',
      text: 'x',
    });
    const { archive, syncNow } = await simArchive(sim, from);
    // The acceptance is issued at once by the sender's (fast) provider.
    for (
      let i = 0;
      i < 50 && !sim.log.some((l) => l.includes('accettazione') && l.includes(from.address));
      i++
    )
      await new Promise((r) => setTimeout(r, 20));
    await syncNow();
    const early = threadOf(archive, sent.messageId);
    expect(Date.now() - sentAt).toBeLessThan(SLOW_MS);
    expect(early.thread).toMatchObject({ state: 'accepted', pendingCount: 1 });
    await sim.whenIdle();
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(SLOW_MS);
    await syncNow();
    const late = threadOf(archive, sent.messageId);
    expect(late.thread.state).toBe('delivered');
    const receipt = late.members.find((m) => m.kind === 'avvenuta-consegna')!;
    const acceptance = late.members.find((m) => m.kind === 'accettazione')!;
    // daticert times are to the second: the delivery is at least the delay (rounded down) later.
    expect(Date.parse(receipt.certDate!) - Date.parse(acceptance.certDate!)).toBeGreaterThanOrEqual(
      Math.floor(SLOW_MS / 1000) * 1000,
    );
    archive.close();
  });
});
