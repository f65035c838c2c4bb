/**
 * The PEC provider simulator (main/sim/) for the tests: one in this process (so a test can wait
 * until it has handled everything), a mail client that sends through it, and a PecDesk archive
 * whose account is a simulated mailbox, trusting the simulator's PEC root as people configure it.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { AccountRow } from '../../db/accounts.ts';
import { getMessage, listMessages, type MessageRow } from '../../db/messages.ts';
import { findThread, getThread, type ThreadRow, threadRecipientsOf } from '../../db/threads.ts';
import { addAccount } from '../../main/accounts/account-service.ts';
import { EventBus } from '../../main/api/events.ts';
import { Archive } from '../../main/archive/archive.ts';
import { loadTrustAnchors } from '../../main/pec/trust-config.ts';
import { FileSecretStore } from '../../main/secrets/file-store.ts';
import {
  type SimMailbox,
  type SimOptions,
  type Simulator,
  startSimulator,
} from '../../main/sim/simulator.ts';
import { SyncService } from '../../main/sync/sync-service.ts';
import { tempDir } from './archive.ts';

export { dovecotAvailable } from '../../main/sim/dovecot.ts';

export interface TestSim extends Simulator {
  log: string[];
  ca: string;
}

export async function startTestSim(options: SimOptions = {}): Promise<TestSim> {
  const log: string[] = [];
  const dir = tempDir('pecdesk-sim-');
  chmodSync(dir, 0o755); // Dovecot's processes (user dovecot) must reach the mail inside
  const sim = await startSimulator({ dir, log: (l) => log.push(l), ...options });
  return { ...sim, log, ca: readFileSync(sim.info.ca, 'utf8') };
}

export function mailer(
  sim: TestSim,
  box: { address: string; password: string },
  security: 'tls' | 'starttls' = 'tls',
): Transporter<SMTPTransport.SentMessageInfo> {
  return nodemailer.createTransport({
    host: sim.info.smtp.host,
    port: security === 'tls' ? sim.info.smtp.port : sim.info.smtp.starttlsPort,
    secure: security === 'tls',
    requireTLS: security === 'starttls',
    auth: { user: box.address, pass: box.password },
    tls: { ca: [sim.ca], servername: 'localhost' },
  });
}

/**
 * An IMAP client logged in to `box` on the simulator (implicit TLS, its CA): the test's own look
 * at a mailbox, or mail put in it. The caller logs out.
 */
export async function mailboxClient(
  sim: Pick<TestSim, 'info' | 'ca'>,
  box: { address: string; password: string },
): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: sim.info.imap.host,
    port: sim.info.imap.port,
    secure: true,
    auth: { user: box.address, pass: box.password },
    tls: { ca: [sim.ca], servername: 'localhost' },
    logger: false,
  });
  await client.connect();
  return client;
}

/** How many messages a folder of `box` holds on the simulator. */
export async function messagesIn(
  sim: Pick<TestSim, 'info' | 'ca'>,
  box: { address: string; password: string },
  folder = 'INBOX',
): Promise<number> {
  const client = await mailboxClient(sim, box);
  try {
    const status = await client.status(folder, { messages: true });
    return status ? (status.messages ?? 0) : 0;
  } finally {
    await client.logout();
  }
}

/** A PecDesk archive with `box` as its account (implicit TLS, the simulator's CA and PEC root). */
export async function simArchive(sim: TestSim, box: SimMailbox) {
  const archive = Archive.open(tempDir('pecdesk-archive-'), {
    anchors: await loadTrustAnchors([sim.info.trustAnchor]),
  });
  const secrets = new FileSecretStore(join(tempDir(), 'secrets.json'), {
    kind: 'passphrase',
    passphrase: 'test',
  });
  const account: AccountRow = await addAccount(
    archive.db,
    secrets,
    {
      email: box.address,
      imapHost: sim.info.imap.host,
      imapPort: sim.info.imap.port,
      security: 'tls',
      caPem: sim.ca,
    },
    box.password,
  );
  const sync = new SyncService(archive, secrets, new EventBus(), { backoff: { initialMs: 50, maxMs: 200 } });
  const syncNow = async () => {
    const results = await sync.syncAll();
    if (!results.every((r) => r.ok)) throw new Error(`sync failed: ${JSON.stringify(results)}`);
  };
  return { archive, account, sync, syncNow };
}

export interface ThreadView {
  thread: ThreadRow;
  recipients: ReturnType<typeof threadRecipientsOf>;
  members: MessageRow[];
}

/** The PEC thread of a sent message (by the sender's Message-ID), with its recipients and messages. */
export function threadOf(archive: Archive, msgid: string): ThreadView {
  const found = findThread(archive.db, msgid, null);
  if (!found) throw new Error(`no thread for ${msgid}`);
  const thread = getThread(archive.db, found.id)!;
  const members = listMessages(archive.db)
    .filter((m) => m.threadId === thread.id)
    .map((m) => getMessage(archive.db, m.id)!)
    .sort((a, b) => a.id - b.id);
  return { thread, recipients: threadRecipientsOf(archive.db, thread.id), members };
}
