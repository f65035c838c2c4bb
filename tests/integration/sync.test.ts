/**
 * Sync against a real Dovecot on 127.0.0.1 (tests/dovecot/), with PEC messages from the factory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountRow, findAccount, mailboxesOf, upsertMailbox } from '../../db/accounts.ts';
import { countMessages, listMessages, messageLocationsOf } from '../../db/messages.ts';
import { getThread, threadRecipientsOf } from '../../db/threads.ts';
import { addAccount } from '../../main/accounts/account-service.ts';
import type { SyncStateEvent } from '../../main/api/contract.ts';
import { EventBus } from '../../main/api/events.ts';
import { FileSecretStore } from '../../main/secrets/file-store.ts';
import type { SecretStore } from '../../main/secrets/secret-store.ts';
import { AccountSync } from '../../main/sync/account-sync.ts';
import { syncFolder } from '../../main/sync/folder-sync.ts';
import { SyncService } from '../../main/sync/sync-service.ts';
import { buildOrdinary, buildOriginal, pecOf, scenario } from '../factory/pec-factory.ts';
import { tempDir, testArchive } from '../support/archive.ts';
import { DovecotServer, type DovecotUser, dovecotAvailable } from '../support/dovecot.ts';

if (!dovecotAvailable)
  console.warn('[pecdesk tests] Dovecot is not installed: the IMAP sync tests do not run');

describe.runIf(dovecotAvailable)('IMAP sync against Dovecot', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await DovecotServer.start();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  function secretsFor(): SecretStore {
    return new FileSecretStore(`${tempDir()}/secrets.json`, { kind: 'passphrase', passphrase: 'test' });
  }

  async function setup(users: DovecotUser[], security: 'tls' | 'starttls' = 'tls') {
    const archive = testArchive();
    const secrets = secretsFor();
    const accounts: AccountRow[] = [];
    for (const u of users) {
      accounts.push(
        await addAccount(
          archive.db,
          secrets,
          {
            email: u.user,
            imapHost: '127.0.0.1',
            imapPort: security === 'tls' ? server.tlsPort : server.starttlsPort,
            security,
            caPem: server.caPem,
          },
          u.password,
        ),
      );
    }
    const events = new EventBus();
    const service = new SyncService(archive, secrets, events, {
      backoff: { initialMs: 50, maxMs: 200 },
      attempts: 3,
    });
    return { archive, secrets, accounts, events, service };
  }

  let n = 0;
  const newUser = () => server.addUser(`utente${++n}@pec.alfa.test`);

  it('two accounts × several folders, concurrently; duplicates across folders stored once; receipts before their PEC', async () => {
    const [a, b] = [newUser(), newUser()];
    const s = scenario();
    const sentCopy = buildOriginal({
      from: s.sender,
      to: s.recipients.map((r) => r.address),
      subject: s.subject,
      text: 'x',
      messageId: s.msgid,
    });
    const acceptance = pecOf(s, 'accettazione');
    const deliveries = s.recipients.map((r) => pecOf(s, 'avvenuta-consegna', { deliveryAddress: r.address }));
    // INBOX is synced before Sent: the receipts arrive before their PEC's sent copy.
    await server.append(a, 'INBOX', [acceptance, ...deliveries, buildOrdinary()]);
    await server.append(a, 'Sent', [sentCopy]);
    await server.append(a, 'Ricevute', [acceptance]); // the same receipt filed twice
    const other = scenario();
    await server.append(b, 'INBOX', [pecOf(other, 'posta-certificata'), pecOf(other, 'errore')]);
    await server.append(b, 'Archivio/2025', [buildOrdinary({ subject: 'vecchio' })]);

    const { archive, service, events } = await setup([a, b]);
    const progress: string[] = [];
    events.on('sync.progress', (p) => progress.push(`${p.email}:${p.folder}:${p.done}/${p.total}`));
    const results = await service.syncAll();
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(countMessages(archive.db)).toBe(5 + 3);
    const acc = listMessages(archive.db).find((m) => m.kind === 'accettazione')!;
    expect(
      messageLocationsOf(archive.db, acc.id)
        .map((l) => l.path)
        .sort(),
    ).toEqual(['INBOX', 'Ricevute']);
    const thread = getThread(archive.db, acc.threadId!)!;
    expect(thread).toMatchObject({ state: 'delivered', deliveredCount: 2, direction: 'sent' });
    const sent = listMessages(archive.db).find((m) => m.mailbox === 'Sent')!;
    expect(sent.threadId).toBe(thread.id);
    expect(threadRecipientsOf(archive.db, thread.id).map((r) => r.state)).toEqual(['delivered', 'delivered']);
    expect(progress).toContain(`${a.user}:INBOX:4/4`);
    expect(mailboxesOf(archive.db, findAccount(archive.db, b.user)!.id).map((m) => m.path)).toContain(
      'Archivio/2025',
    );
    archive.close();
  });

  it('STARTTLS works, and a second sync fetches only what was appended since', async () => {
    const u = newUser();
    await server.append(u, 'INBOX', [buildOrdinary({ subject: 'uno' }), buildOrdinary({ subject: 'due' })]);
    const { archive, service } = await setup([u], 'starttls');
    expect((await service.syncAll())[0]!.ok).toBe(true);
    expect(countMessages(archive.db)).toBe(2);
    const inbox = () => mailboxesOf(archive.db, 1).find((m) => m.path === 'INBOX')!;
    expect(inbox().lastUid).toBe(2);
    await server.append(u, 'INBOX', [buildOrdinary({ subject: 'tre' })]);
    const fetched: number[] = [];
    const sync = new AccountSync(
      archive,
      findAccount(archive.db, u.user)!,
      u.password,
      { watch: false },
      { progress: (p) => fetched.push(p.total) },
    );
    await sync.run();
    expect(countMessages(archive.db)).toBe(3);
    expect(fetched.filter((t) => t > 0)).toEqual([1, 1]);
    expect(inbox().lastUid).toBe(3);
    archive.close();
  });

  it('flag changes on the server reach the archive through CONDSTORE', async () => {
    const u = newUser();
    await server.append(u, 'INBOX', [buildOrdinary({ subject: 'da leggere' })]);
    const { archive, service } = await setup([u]);
    await service.syncAll();
    const [m] = listMessages(archive.db);
    expect(JSON.parse(messageLocationsOf(archive.db, m!.id)[0]!.flags)).not.toContain('\\Seen');
    const client = await server.client(u);
    const lock = await client.getMailboxLock('INBOX');
    await client.messageFlagsAdd('1', ['\\Seen', '\\Flagged'], { uid: true });
    lock.release();
    await client.logout();
    await service.syncAll();
    expect(JSON.parse(messageLocationsOf(archive.db, m!.id)[0]!.flags)).toEqual(
      expect.arrayContaining(['\\Seen', '\\Flagged']),
    );
    expect(countMessages(archive.db)).toBe(1);
    archive.close();
  });

  it('a message arriving during IDLE is archived within a second', async () => {
    const u = newUser();
    await server.append(u, 'INBOX', [buildOrdinary({ subject: 'prima' })]);
    const { archive, accounts } = await setup([u]);
    let passes = 0;
    const running = new AccountSync(
      archive,
      accounts[0]!,
      u.password,
      { watch: true },
      { passDone: () => passes++ },
    );
    const done = running.run();
    let latency: number;
    try {
      await expect.poll(() => passes, { timeout: 10_000 }).toBe(1);
      await new Promise((r) => setTimeout(r, 500)); // let IDLE start
      const sentAt = Date.now();
      await server.append(u, 'INBOX', [pecOf(scenario(), 'accettazione')]);
      await expect.poll(() => countMessages(archive.db), { timeout: 5000, interval: 20 }).toBe(2);
      latency = Date.now() - sentAt;
    } finally {
      running.stop();
      await done;
    }
    expect(latency).toBeLessThan(1000);
    archive.close();
  });

  it('UIDVALIDITY change: the folder is read again, nothing archived twice', async () => {
    const u = newUser();
    const msgs = [buildOrdinary({ subject: 'a' }), buildOrdinary({ subject: 'b' })];
    await server.append(u, 'Pratiche', msgs);
    const { archive, service } = await setup([u]);
    await service.syncAll();
    expect(countMessages(archive.db)).toBe(2);
    const before = mailboxesOf(archive.db, 1).find((m) => m.path === 'Pratiche')!;
    // Delete and recreate the folder: the server gives it a new UIDVALIDITY.
    const client = await server.client(u);
    await client.mailboxDelete('Pratiche');
    await client.mailboxCreate('Pratiche');
    await client.append('Pratiche', msgs[1]!);
    await client.append('Pratiche', buildOrdinary({ subject: 'c' }));
    await client.logout();
    await service.syncAll();
    const after = mailboxesOf(archive.db, 1).find((m) => m.path === 'Pratiche')!;
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect(countMessages(archive.db)).toBe(3);
    const locations = listMessages(archive.db)
      .flatMap((m) => messageLocationsOf(archive.db, m.id))
      .filter((l) => l.path === 'Pratiche');
    expect(locations.map((l) => l.uid).sort()).toEqual([1, 2]);
    archive.close();
  });

  it('the server killed mid-sync and restarted: the sync reconnects and finishes, exactly once each', async () => {
    const u = newUser();
    const many = Array.from({ length: 400 }, (_, i) =>
      buildOrdinary({ subject: `messaggio ${i}`, text: 'x'.repeat(2000) }),
    );
    await server.append(u, 'INBOX', many);
    const { archive, accounts } = await setup([u]);
    const failures: string[] = [];
    let killed = false;
    const sync = new AccountSync(
      archive,
      accounts[0]!,
      u.password,
      { watch: false, backoff: { initialMs: 200, maxMs: 1000 }, attempts: 20 },
      {
        progress: (p) => {
          if (!killed && p.done >= 100) {
            killed = true;
            void server.kill().then(() => setTimeout(() => void server.resume(), 700));
          }
        },
        failed: (e) => failures.push(e.code),
      },
    );
    await sync.run();
    expect(killed).toBe(true);
    expect(failures.length).toBeGreaterThan(0);
    expect(countMessages(archive.db)).toBe(400);
    const uids = listMessages(archive.db).flatMap((m) =>
      messageLocationsOf(archive.db, m.id).map((l) => l.uid),
    );
    expect(new Set(uids).size).toBe(400);
    archive.close();
  });

  it('one failing account does not stop the others, and says why', async () => {
    const good = newUser();
    await server.append(good, 'INBOX', [buildOrdinary()]);
    const { archive, secrets, service, events } = await setup([good]);
    await addAccount(
      archive.db,
      secrets,
      {
        email: 'sbagliata@pec.alfa.test',
        imapHost: '127.0.0.1',
        imapPort: server.tlsPort,
        caPem: server.caPem,
      },
      'wrong-password',
    );
    await addAccount(
      archive.db,
      secrets,
      { email: 'spenta@pec.alfa.test', imapHost: '127.0.0.1', imapPort: 1, caPem: server.caPem },
      'x',
    );
    const states: SyncStateEvent[] = [];
    events.on('sync.state', (s) => states.push(s));
    const results = await service.syncAll();
    const byEmail = Object.fromEntries(results.map((r) => [r.email, r]));
    expect(byEmail[good.user]).toMatchObject({ ok: true });
    expect(byEmail['sbagliata@pec.alfa.test']).toMatchObject({ ok: false, errorCode: 'auth-failed' });
    expect(byEmail['spenta@pec.alfa.test']).toMatchObject({ ok: false, errorCode: 'connection-failed' });
    expect(countMessages(archive.db)).toBe(1);
    expect(findAccount(archive.db, 'sbagliata@pec.alfa.test')).toMatchObject({
      syncState: 'error',
      lastErrorCode: 'auth-failed',
    });
    expect(states.some((s) => s.email === 'sbagliata@pec.alfa.test' && s.state === 'error')).toBe(true);
    archive.close();
  });

  it('a batch that fails stops the folder there, though the next was already being read; the next sync resumes', async () => {
    const user = server.addUser('lotti@pec.alfa.test');
    server.deliverToMaildir(
      user,
      Array.from({ length: 250 }, (_, i) => buildOrdinary({ subject: `Lotto ${i}` })),
    );
    const { archive, accounts } = await setup([user]);
    const inbox = upsertMailbox(archive.db, accounts[0]!.id, 'INBOX', 'INBOX', null);
    // The second batch's last commit fails (a full disk); the third is ingested meanwhile.
    const ingest = archive.ingest.bind(archive);
    let calls = 0;
    archive.ingest = (items, commitWith, after) =>
      ingest(
        items,
        ++calls === 2
          ? () => {
              throw new Error('disco pieno');
            }
          : commitWith,
        after,
      );
    const client = await server.client(user);
    try {
      await expect(syncFolder(client, archive, inbox)).rejects.toThrow('disco pieno');
      expect(calls).toBe(3);
      // Only the first batch is the folder's: what the failed batch committed before its last
      // chunk is known by its hash next time, and nothing of the third was committed.
      expect(mailboxesOf(archive.db, accounts[0]!.id)[0]!.lastUid).toBe(100);
      expect(countMessages(archive.db)).toBeLessThan(200);
      archive.ingest = ingest;
      const again = await syncFolder(client, archive, mailboxesOf(archive.db, accounts[0]!.id)[0]!);
      expect(again.fetched).toBe(150);
      expect(countMessages(archive.db)).toBe(250);
      expect(mailboxesOf(archive.db, accounts[0]!.id)[0]!.lastUid).toBe(250);
    } finally {
      await client.logout();
      archive.close();
    }
  });
});
