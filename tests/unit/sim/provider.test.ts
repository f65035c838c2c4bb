/**
 * The simulated provider's rules (main/sim/provider.ts) on messages as a mail client writes them
 * (nodemailer's composer), read back with PecDesk's own PEC reader: kinds, daticert, ids, receipt
 * types and signatures that verify against the test PKI.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type SimLimits } from '../../../main/sim/config.ts';
import {
  deliveryFailure,
  deliveryReceipt,
  type SimWorld,
  type Submission,
  submit,
} from '../../../main/sim/provider.ts';
import { testPki } from '../../factory/pki.ts';
import { inspectTest } from '../../support/pec.ts';

const ALFA = 'pec.alfa.test';
const BETA = 'pec.beta.test';
const sender = `mario.rossi@${ALFA}`;
const to1 = `protocollo@${BETA}`;
const to2 = `studio.bianchi@${BETA}`;

function world(limits: Partial<SimLimits> = {}): SimWorld {
  const pki = testPki();
  const providers = new Map([
    [ALFA, { identity: pki.providers.alfa, delayMs: 0 }],
    [BETA, { identity: pki.providers.beta, delayMs: 0 }],
  ]);
  const mailboxes = new Set([sender, to1, to2]);
  return {
    providerOf: (d) => providers.get(d),
    hasMailbox: (a) => mailboxes.has(a),
    limits: { ...DEFAULT_LIMITS, ...limits },
  };
}

interface Compose {
  from?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  type?: string;
  attachment?: Buffer;
  messageId?: string;
}

async function message(c: Compose = {}): Promise<Submission & { msgid: string }> {
  const msgid = c.messageId ?? `<m0.${Math.random().toString(36).slice(2)}@client.test>`;
  const raw = await new MailComposer({
    from: c.from ?? sender,
    to: c.to ?? [to1, to2],
    ...(c.cc && { cc: c.cc }),
    subject: 'Diffida n. 7 - perché',
    text: 'Buongiorno,\nin allegato la diffida.',
    messageId: msgid,
    headers: c.type ? { 'X-TipoRicevuta': c.type } : {},
    attachments: [{ filename: 'diffida.pdf', content: c.attachment ?? Buffer.from('%PDF-1.4 diffida') }],
  })
    .compile()
    .build();
  const envelopeTo = [...(c.to ?? [to1, to2]), ...(c.cc ?? []), ...(c.bcc ?? [])];
  return { raw, envelopeFrom: sender, envelopeTo, authUser: sender, at: new Date(), msgid };
}

describe('simulated provider: acceptance and envelope', () => {
  it('accepts, signs the acceptance and the envelope as the sender provider, ids per pec-format §4', async () => {
    const m = await message({ to: [to1], cc: [to2, 'cliente@esempio.test'] });
    const out = submit(m, world());
    expect(out.accepted).toBe(true);
    const acc = await inspectTest(out.notice);
    expect(acc.kind).toBe('accettazione');
    expect(acc.signature.verdict).toBe('valid');
    expect(acc.referenceMessageId).toBe(m.msgid);
    expect(acc.certData).toMatchObject({
      sender,
      msgid: m.msgid,
      identificativo: out.context.identificativo,
      provider: 'Alfa PEC S.p.A.',
      recipients: [
        { address: to1, type: 'certificato' },
        { address: to2, type: 'certificato' },
        { address: 'cliente@esempio.test', type: 'esterno' },
      ],
    });
    expect(acc.original).toBeNull();
    expect(acc.signature.signer?.emails).toEqual([`posta-certificata@${ALFA}`]);

    const env = await inspectTest(out.envelope!);
    expect(env.kind).toBe('posta-certificata');
    expect(env.signature.verdict).toBe('valid');
    expect(env.messageId).toBe(`<${out.context.identificativo}>`);
    expect(env.original).toMatchObject({
      messageId: `<${out.context.identificativo}>`,
      referenceMessageId: m.msgid,
      subject: 'Diffida n. 7 - perché',
    });
    expect(env.original!.attachments.map((a) => a.filename)).toEqual(['diffida.pdf']);
    // Cc recipients get the sintetica whatever was asked; ordinary addresses get nothing to wait for.
    expect(out.transports.map((t) => [t.address, t.type, t.deliveryType, t.known])).toEqual([
      [to1, 'certificato', 'completa', true],
      [to2, 'certificato', 'sintetica', true],
      ['cliente@esempio.test', 'esterno', 'sintetica', true],
    ]);
  });

  it('a client without Message-ID gets one from the provider, used everywhere', async () => {
    const m = await message();
    const raw = Buffer.from(m.raw.toString('latin1').replace(/^Message-ID:.*\r\n/im, ''), 'latin1');
    const out = submit({ ...m, raw }, world());
    expect(out.context.msgid).toMatch(/^<.+@pec\.alfa\.test>$/);
    expect((await inspectTest(out.notice)).certData?.msgid).toBe(out.context.msgid);
  });
});

describe('simulated provider: non-accettazione', () => {
  async function refused(m: Submission, limits: Partial<SimLimits> = {}) {
    const out = submit(m, world(limits));
    expect(out.accepted).toBe(false);
    expect(out.envelope).toBeNull();
    expect(out.transports).toEqual([]);
    const notice = await inspectTest(out.notice);
    expect(notice.kind).toBe('non-accettazione');
    expect(notice.signature.verdict).toBe('valid');
    return { codes: out.rejections.map((r) => r.code), notice };
  }

  it('a Bcc recipient (envelope recipient not in To/Cc)', async () => {
    const { codes, notice } = await refused(await message({ to: [to1], bcc: [to2] }));
    expect(codes).toEqual(['bcc']);
    expect(notice.certData?.errorDetail).toContain(to2);
    expect(notice.certData?.error).toBe('altro');
  });

  it('a From that is not the authenticated mailbox', async () => {
    const m = await message({ from: `studio.bianchi@${ALFA}` });
    expect((await refused(m)).codes).toEqual(['sender-mismatch']);
    const m2 = await message();
    expect((await refused({ ...m2, envelopeFrom: `altro@${ALFA}` })).codes).toEqual(['sender-mismatch']);
  });

  it('too many recipients; too large for its recipients (size × recipients); every reason named', async () => {
    expect((await refused(await message(), { maxRecipients: 1 })).codes).toEqual(['too-many-recipients']);
    const big = await message({ attachment: Buffer.alloc(30_000, 7) });
    const limit = big.raw.length * 2 - 1;
    expect((await refused(big, { maxTotalBytes: limit })).codes).toEqual(['too-large']);
    const one = await message({ to: [to1], attachment: Buffer.alloc(30_000, 7) });
    expect(submit(one, world({ maxTotalBytes: limit })).accepted).toBe(true);
    const all = await refused(await message({ to: [to1], bcc: [to2] }), { maxRecipients: 1 });
    expect(all.codes).toEqual(['bcc', 'too-many-recipients']);
  });

  it('a header recipient the SMTP envelope does not carry', async () => {
    const m = await message();
    expect((await refused({ ...m, envelopeTo: [to1] })).codes).toEqual(['recipients-mismatch']);
  });
});

describe('simulated provider: delivery receipts and failures', () => {
  it('completa carries the original, breve its attachments as hashes, sintetica only daticert', async () => {
    const pdf = Buffer.from('%PDF-1.4 contenuto della diffida');
    for (const type of ['completa', 'breve', 'sintetica'] as const) {
      const out = submit(await message({ to: [to1], type, attachment: pdf }), world());
      const t = out.transports[0]!;
      expect(t.deliveryType).toBe(type);
      const r = await inspectTest(deliveryReceipt(out.context, t, new Date()));
      expect(r.kind).toBe('avvenuta-consegna');
      expect(r.signature.verdict).toBe('valid');
      // The recipient's provider signs the delivery receipt.
      expect(r.certData).toMatchObject({
        provider: 'Beta PEC S.p.A.',
        deliveryAddress: to1,
        receiptType: type,
        msgid: out.context.msgid,
        identificativo: out.context.identificativo,
      });
      expect(r.signature.signer?.emails).toEqual([`posta-certificata@${BETA}`]);
      const names = r.original?.attachments.map((a) => a.filename) ?? null;
      if (type === 'completa') expect(names).toEqual(['diffida.pdf']);
      if (type === 'breve') {
        expect(names).toEqual(['diffida.pdf.hash']);
        expect(r.original?.text).toContain('in allegato la diffida');
      }
      if (type === 'sintetica') expect(r.original).toBeNull();
    }
  });

  it('the breve hash is the SHA-1 of the attachment', async () => {
    const pdf = Buffer.from('%PDF-1.4 altro contenuto');
    const out = submit(await message({ to: [to1], type: 'breve', attachment: pdf }), world());
    const receipt = deliveryReceipt(out.context, out.transports[0]!, new Date()).toString('latin1');
    expect(receipt).toContain(createHash('sha1').update(pdf).digest('hex'));
    expect(receipt).not.toContain(pdf.toString('base64'));
  });

  it('unknown mailbox → errore-consegna no-dest; full mailbox → altro 5.2.2', async () => {
    const out = submit(await message({ to: [`nessuno@${BETA}`] }), world());
    const t = out.transports[0]!;
    expect(t.known).toBe(false);
    const noDest = await inspectTest(deliveryFailure(out.context, t, { cause: 'no-dest' }, new Date()));
    expect(noDest.kind).toBe('errore-consegna');
    expect(noDest.signature.verdict).toBe('valid');
    expect(noDest.certData).toMatchObject({
      error: 'no-dest',
      deliveryAddress: `nessuno@${BETA}`,
      provider: 'Beta PEC S.p.A.',
    });
    const full = await inspectTest(deliveryFailure(out.context, t, { cause: 'quota' }, new Date()));
    expect(full.certData).toMatchObject({
      error: 'altro',
      errorDetail: '5.2.2 - Beta PEC S.p.A. - casella piena',
    });
  });

  it('an ordinary address never gets a receipt', async () => {
    const out = submit(await message({ to: ['cliente@esempio.test'] }), world());
    expect(() => deliveryReceipt(out.context, out.transports[0]!, new Date())).toThrow(/not a PEC address/);
  });
});
