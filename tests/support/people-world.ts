/**
 * An archive with two PEC mailboxes and a person of every role, for permission tests:
 * - A, studio.rossi@pec.alfa.test: a sent PEC (Sent copy, acceptance, two deliveries) and an
 *   ordinary message with an attachment, words "alfaonly";
 * - B, amministrazione@pec.beta.test: the same PEC as its recipient received it (one thread across
 *   both mailboxes), an ordinary message with an attachment, words "betaonly", and a PEC from
 *   outside ("Diffida betaonly"), a thread of B alone.
 * People: titolare (owner, logins on), ada (admin), otto (operator: read, route, send on A), rita
 * (reader: read on A, through the office "Segreteria"), nemo (operator without any grant).
 */
import { insertAccount, upsertMailbox } from '../../db/accounts.ts';
import { insertCampaign } from '../../db/campaigns.ts';
import { getMessage } from '../../db/messages.ts';
import { insertOutbox } from '../../db/outbox.ts';
import type { Archive } from '../../main/archive/archive.ts';
import type { AuditActor } from '../../main/auth/audit.ts';
import { People } from '../../main/auth/people.ts';
import { buildOrdinary, buildOriginal, pecOf, scenario } from '../factory/pec-factory.ts';
import { testArchive } from './archive.ts';

export const ROLES_UNDER_TEST = ['owner', 'admin', 'operator', 'reader', 'ungranted'] as const;
export type RoleUnderTest = (typeof ROLES_UNDER_TEST)[number];

export const PASSWORD = 'password-di-prova-2026';
const NAMES: Record<RoleUnderTest, string> = {
  owner: 'titolare',
  admin: 'ada',
  operator: 'otto',
  reader: 'rita',
  ungranted: 'nemo',
};

export interface Side {
  email: string;
  accountId: number;
  /** The ordinary message with an attachment, only in this mailbox. */
  message: number;
  /** A PEC thread with messages in this mailbox only (B's has none in A). */
  thread: number;
  /** A message of that thread in this mailbox. */
  threadMessage: number;
  inbox: number;
  /** A refused PEC in the outbox, sent from this mailbox. */
  outbox: number;
  /** A mass sending from this mailbox. */
  campaign: number;
}

export interface PeopleWorld {
  archive: Archive;
  a: Side;
  b: Side;
  msgid: string;
  /** The PEC from A to B: one thread, its sent copy and receipts in A, its envelope in B. */
  shared: { thread: number; inA: number; inB: number };
  tokens: Record<RoleUnderTest, string>;
  names: Record<RoleUnderTest, string>;
}

const setup: AuditActor = { actor: 'setup', actorName: 'test', origin: 'test' };

export async function peopleWorld(): Promise<PeopleWorld> {
  const archive = testArchive();
  const db = archive.db;
  const now = new Date().toISOString();
  const account = (email: string) =>
    insertAccount(db, {
      email,
      imapHost: '127.0.0.1',
      imapPort: 9,
      imapSecurity: 'tls',
      imapUser: email,
      createdAt: now,
    });
  const A = account('studio.rossi@pec.alfa.test');
  const B = account('amministrazione@pec.beta.test');
  const aInbox = upsertMailbox(db, A.id, 'INBOX', 'INBOX', null).id;
  const aSent = upsertMailbox(db, A.id, 'Sent', 'Sent', '\\Sent').id;
  const bInbox = upsertMailbox(db, B.id, 'INBOX', 'INBOX', null).id;
  const s = scenario({ subject: 'Contratto comune alfa beta' });
  let uid = 1;
  const at = (mailboxId: number) => ({ mailboxId, uid: uid++, flags: [] as string[] });
  const attach = (word: string) => [
    { filename: `${word}.txt`, contentType: 'text/plain', content: `allegato ${word}` },
  ];
  const [sent, acceptance, , , aMessage] = await archive.ingest([
    {
      raw: buildOriginal({
        from: s.sender,
        to: s.recipients.map((r) => r.address),
        subject: s.subject,
        text: 'x',
        messageId: s.msgid,
      }),
      location: at(aSent),
    },
    { raw: pecOf(s, 'accettazione'), location: at(aInbox) },
    ...s.recipients.map((r) => ({
      raw: pecOf(s, 'avvenuta-consegna', { deliveryAddress: r.address }),
      location: at(aInbox),
    })),
    {
      raw: buildOrdinary({
        from: 'cliente@example.test',
        to: [A.email],
        subject: 'Parcella alfaonly',
        text: 'testo alfaonly',
        attachments: attach('alfaonly'),
      }),
      location: at(aInbox),
    },
  ]);
  // A PEC only B received, from a sender outside the archive.
  const other = scenario({
    sender: 'protocollo@pec.gamma.test',
    recipients: [{ address: B.email, type: 'certificato' }],
    subject: 'Diffida betaonly',
  });
  const [envelope, bMessage, bOnly] = await archive.ingest([
    { raw: pecOf(s, 'posta-certificata'), location: at(bInbox) },
    {
      raw: buildOrdinary({
        from: 'fornitore@example.test',
        to: [B.email],
        subject: 'Verbale betaonly',
        text: 'testo betaonly',
        attachments: attach('betaonly'),
      }),
      location: at(bInbox),
    },
    { raw: pecOf(other, 'posta-certificata'), location: at(bInbox) },
  ]);
  const thread = getMessage(db, sent!.messageId)!.threadId!;
  if (getMessage(db, envelope!.messageId)!.threadId !== thread)
    throw new Error('the world needs the PEC in one thread across both mailboxes');

  // What was sent from each mailbox: an outbox row and a mass sending (the send methods' targets).
  const sentFrom = (accountId: number, email: string) => ({
    outbox: insertOutbox(db, {
      accountId,
      fromAddress: email,
      messageId: `<rifiutata-${accountId}@pec.test>`,
      objectHash: 'f'.repeat(64),
      size: 1,
      recipients: '[]',
      receiptType: 'completa',
      state: 'failed',
      createdAt: now,
      createdBy: 'test',
    }),
    campaign: insertCampaign(db, {
      accountId,
      fromAddress: email,
      name: `Avviso ${accountId}`,
      subjectTemplate: 'Avviso',
      bodyTemplate: 'Gentile cliente',
      receiptType: 'completa',
      state: 'paused',
      createdAt: now,
      createdBy: 'test',
    }),
  });
  const aSentFrom = sentFrom(A.id, A.email);
  const bSentFrom = sentFrom(B.id, B.email);

  const people = new People(db);
  await people.createOwner(NAMES.owner, 'Studio Rossi', PASSWORD, setup);
  await people.addUser({ name: NAMES.admin, role: 'admin', password: PASSWORD }, setup);
  await people.addUser({ name: NAMES.operator, role: 'operator', password: PASSWORD }, setup);
  await people.addUser({ name: NAMES.reader, role: 'reader', password: PASSWORD }, setup);
  await people.addUser({ name: NAMES.ungranted, role: 'operator', password: PASSWORD }, setup);
  people.grant({ user: NAMES.operator }, A.id, 'read,route,send', setup);
  people.createOffice('Segreteria', setup);
  people.addToOffice('Segreteria', NAMES.reader, setup);
  // A reader's role caps what the office is given: read only.
  people.grant({ office: 'Segreteria' }, A.id, 'read,route,send,manage', setup);
  const tokens = {} as Record<RoleUnderTest, string>;
  for (const role of ROLES_UNDER_TEST)
    tokens[role] = (await people.login(NAMES[role], PASSWORD, 'test')).token;
  return {
    archive,
    msgid: s.msgid,
    shared: { thread, inA: acceptance!.messageId, inB: envelope!.messageId },
    tokens,
    names: NAMES,
    a: {
      email: A.email,
      accountId: A.id,
      message: aMessage!.messageId,
      thread,
      threadMessage: acceptance!.messageId,
      inbox: aInbox,
      ...aSentFrom,
    },
    b: {
      email: B.email,
      accountId: B.id,
      message: bMessage!.messageId,
      thread: getMessage(db, bOnly!.messageId)!.threadId!,
      threadMessage: bOnly!.messageId,
      inbox: bInbox,
      ...bSentFrom,
    },
  };
}
