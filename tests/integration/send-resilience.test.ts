/**
 * The outbox never sends a PEC twice and never loses one when the connection to the provider
 * breaks: a relay between PecDesk and the simulator's SMTP service cuts the first connection in
 * the middle of the message (the provider never gets it: PecDesk finds no acceptance and sends it
 * again, once), or lets the whole message through and swallows the provider's answer (the provider
 * has it: PecDesk finds the acceptance and does not send it again). Each recipient's mailbox holds
 * the envelope exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOutbox } from '../../db/outbox.ts';
import type { SimMailbox } from '../../main/sim/simulator.ts';
import { type CuttingProxy, startCuttingProxy } from '../support/cutting-proxy.ts';
import { envelopeRefs, sendingCore, simAccount, until } from '../support/send.ts';
import { dovecotAvailable, startTestSim, type TestSim } from '../support/sim.ts';

/** An attachment large enough that the relay can cut inside it. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(400_000, 0x25)]).toString('base64');

describe.runIf(dovecotAvailable)('the outbox when the connection breaks', () => {
  let sim: TestSim;
  let box: (address: string) => SimMailbox;
  const proxies: CuttingProxy[] = [];
  beforeAll(async () => {
    sim = await startTestSim();
    box = (address) => sim.info.mailboxes.find((m) => m.address === address)!;
  });
  afterAll(async () => {
    for (const p of proxies) await p.close();
    await sim?.stop();
  });

  async function run(mode: 'cut' | 'mute', sender: SimMailbox, recipient: SimMailbox, verifyMs: number) {
    const proxy = await startCuttingProxy(
      { host: sim.info.smtp.host, port: sim.info.smtp.port },
      { kind: mode, afterBytes: mode === 'cut' ? 150_000 : 540_000 },
    );
    proxies.push(proxy);
    const s = await sendingCore(sim, { env: { PECDESK_SEND_VERIFY_MS: String(verifyMs) } });
    try {
      await s.call('accounts.add', { ...simAccount(sim, sender), smtpPort: proxy.port });
      const sent = await s.call('outbox.send', {
        from: sender.address,
        to: [recipient.address],
        cc: [],
        subject: `Atto da notificare (${mode})`,
        text: 'In allegato.',
        receiptType: 'completa',
        attachments: [{ filename: 'atto.pdf', contentBase64: PDF }],
      });
      const db = s.core.services.archive!.db;
      const row = await until(
        'the provider to take it',
        () => getOutbox(db, sent.outboxId)!,
        (r) => r.state === 'sent',
        60_000,
      );
      await sim.whenIdle();
      const t = await until(
        'its delivery receipt',
        () => s.call('threads.get', { msgid: sent.messageId }),
        (v) => v.state === 'delivered',
      );
      return { proxy, row, t, refs: await envelopeRefs(sim, recipient), messageId: sent.messageId };
    } finally {
      await s.close();
    }
  }

  it('cut in the middle of the message: no acceptance comes, so it is sent again, once', async () => {
    const { proxy, row, t, refs, messageId } = await run(
      'cut',
      box('mario.rossi@pec.alfa.test'),
      box('mario.rossi@pec.beta.test'),
      2_000,
    );
    expect(proxy.broken).toBe(1);
    expect(proxy.connections).toBe(2);
    expect(row).toMatchObject({ attempts: 2, sentBy: 'smtp' });
    expect(t.members.filter((m) => m.kind === 'accettazione')).toHaveLength(1);
    expect(refs.filter((r) => r === messageId)).toHaveLength(1);
  });

  it('the answer lost after the whole message: the acceptance is found, nothing is sent again', async () => {
    const { proxy, row, t, refs, messageId } = await run(
      'mute',
      box('studio.bianchi@pec.alfa.test'),
      box('studio.bianchi@pec.beta.test'),
      120_000,
    );
    expect(proxy.broken).toBe(1);
    // One connection: the row became 'sent' from the provider's acceptance, long before the grace.
    expect(proxy.connections).toBe(1);
    expect(row).toMatchObject({ attempts: 1, sentBy: 'acceptance' });
    expect(t.members.filter((m) => m.kind === 'accettazione')).toHaveLength(1);
    expect(refs.filter((r) => r === messageId)).toHaveLength(1);
  });
});
