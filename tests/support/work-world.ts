/**
 * Issue 14's tests: an archive whose ingest runs the work hook on a clock the test moves, a PEC
 * mailbox, people and an office with its head, and incoming PEC built by the factory.
 */
import { insertAccount, upsertMailbox } from '../../db/accounts.ts';
import { findOffice, findUserByName, setOfficeHead } from '../../db/people.ts';
import { Archive } from '../../main/archive/archive.ts';
import type { AuditActor } from '../../main/auth/audit.ts';
import { People } from '../../main/auth/people.ts';
import type { AttachmentSpec } from '../../main/demo/pec-builder.ts';
import { workOnIngest } from '../../main/work/ingest-hook.ts';
import { buildOriginal, pecOf, providerRewrite, scenario } from '../factory/pec-factory.ts';
import { tempDir } from './archive.ts';
import { testAnchors } from './pec.ts';

export const STUDIO = 'studio.rossi@pec.alfa.test';
const setup: AuditActor = { actor: 'setup', actorName: 'test', origin: 'test' };

export interface WorkWorld {
  archive: Archive;
  clock: { now: Date };
  inbox: number;
  accountId: number;
  users: Record<'titolare' | 'anna' | 'bruno' | 'capo', number>;
  office: number;
  /** Archives an incoming PEC delivered at `at` (the clock moves there first). */
  receive(p: {
    from: string;
    subject: string;
    at: Date;
    attachments?: AttachmentSpec[];
    text?: string;
  }): Promise<number>;
}

/** An incoming PEC (the envelope a recipient gets) from `from` to `to`, certified at `date`. */
export function incomingPec(p: {
  from: string;
  to: string;
  subject: string;
  date: Date;
  attachments?: AttachmentSpec[];
  text?: string;
}): Buffer {
  const s = scenario({
    sender: p.from,
    recipients: [{ address: p.to, type: 'certificato' }],
    subject: p.subject,
    date: p.date,
  });
  const original = providerRewrite(
    buildOriginal({
      from: p.from,
      to: [p.to],
      subject: p.subject,
      text: p.text ?? 'Buongiorno, si trasmette quanto in oggetto.',
      attachments: p.attachments ?? [],
      messageId: s.msgid,
      date: p.date,
    }),
    s.identificativo,
    s.msgid,
  );
  return pecOf({ ...s, original }, 'posta-certificata');
}

export async function workWorld(start: Date): Promise<WorkWorld> {
  const clock = { now: start };
  const archive = Archive.open(tempDir('pecdesk-work-'), {
    anchors: testAnchors(),
    onIngest: workOnIngest(() => clock.now),
  });
  const db = archive.db;
  const account = insertAccount(db, {
    email: STUDIO,
    imapHost: '127.0.0.1',
    imapPort: 9,
    imapSecurity: 'tls',
    imapUser: STUDIO,
    createdAt: new Date(start.getTime() - 86_400_000).toISOString(),
  });
  const inbox = upsertMailbox(db, account.id, 'INBOX', 'INBOX', null).id;
  const people = new People(db);
  await people.createOwner('titolare', 'Giulia Rossi', null, setup);
  for (const name of ['anna', 'bruno', 'capo'])
    await people.addUser(
      { name, displayName: name[0]!.toUpperCase() + name.slice(1), role: 'operator' },
      setup,
    );
  people.createOffice('Contabilità', setup);
  people.addToOffice('Contabilità', 'anna', setup);
  people.addToOffice('Contabilità', 'capo', setup);
  const office = findOffice(db, 'Contabilità')!.id;
  const id = (n: string) => findUserByName(db, n)!.id;
  setOfficeHead(db, office, id('capo'));
  let uid = 1;
  return {
    archive,
    clock,
    inbox,
    accountId: account.id,
    users: { titolare: id('titolare'), anna: id('anna'), bruno: id('bruno'), capo: id('capo') },
    office,
    async receive(p) {
      clock.now = p.at;
      const raw = incomingPec({ ...p, to: STUDIO, date: p.at });
      const [out] = await archive.ingest([{ raw, location: { mailboxId: inbox, uid: uid++, flags: [] } }]);
      return out!.messageId;
    },
  };
}
