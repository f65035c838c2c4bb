/**
 * Export and import (issue 15): a mailbox exported as mbox reads back to the same bytes, and
 * imported into another archive through the ingest pipeline gives the same objects (same SHA-256),
 * PEC joined to their receipts, in an archive-only folder; importing again adds nothing; .eml
 * export with its CSV index as Excel in Italian opens it.
 */
import { describe, expect, it } from 'vitest';
import { insertAccount, upsertMailbox } from '../../../db/accounts.ts';
import { getThread } from '../../../db/threads.ts';
import type { Archive } from '../../../main/archive/archive.ts';
import { ObjectStore } from '../../../main/archive/object-store.ts';
import { exportMessages, selectForExport } from '../../../main/transfer/export.ts';
import { importMessages } from '../../../main/transfer/import.ts';
import { readMbox } from '../../../main/transfer/mbox.ts';
import { buildOriginal, pecOf, scenario } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

function account(archive: Archive, email: string) {
  return insertAccount(archive.db, {
    email,
    imapHost: '127.0.0.1',
    imapPort: 993,
    imapSecurity: 'tls',
    imapUser: email,
    createdAt: new Date().toISOString(),
  });
}

async function filled() {
  const archive = testArchive();
  const a = account(archive, 'studio@pec.alfa.test');
  const inbox = upsertMailbox(archive.db, a.id, 'INBOX', 'INBOX', null);
  const s = scenario({ date: new Date('2026-10-02T10:00:00Z') });
  const raws = [
    buildOriginal({
      from: s.sender,
      to: s.recipients.map((r) => r.address),
      subject: s.subject,
      text: 'Testo',
      messageId: s.msgid,
      date: s.date,
    }),
    pecOf(s, 'accettazione'),
    pecOf(s, 'avvenuta-consegna', { deliveryAddress: s.recipients[0]!.address }),
    // A body line that starts with "From " and one with ">From ": mboxrd quotes and unquotes them.
    Buffer.from(
      'From: amministratore@example.test\r\nTo: studio@pec.alfa.test\r\nSubject: Verbale; riunione "condominio"\r\nDate: Fri, 02 Oct 2026 12:00:00 +0200\r\nMessage-ID: <verbale-1@example.test>\r\n\r\nCiao\r\nFrom here on\r\n>From there\r\nfine\r\n',
    ),
  ];
  await archive.ingest(
    raws.map((raw, i) => ({ raw, location: { mailboxId: inbox.id, uid: i + 1, flags: [] } })),
  );
  return { archive, account: a, raws, s };
}

describe('export and import', () => {
  it('mbox reads back byte for byte; imported elsewhere: same objects, PEC threaded, idempotent', async () => {
    const { archive, account: a, raws } = await filled();
    const files = new Map<string, Buffer>();
    const rows = selectForExport(archive.db, {
      accountId: a.id,
      folder: null,
      from: null,
      to: null,
      query: null,
    });
    const done = await exportMessages(archive.objects, rows, 'mbox', async (p, b) => void files.set(p, b));
    expect(done).toEqual({ messages: 4, files: 2 });
    const mbox = files.get('INBOX.mbox')!;
    expect(mbox.toString('latin1')).toContain('\n>From here on');
    expect(mbox.toString('latin1')).toContain('\n>>From there');
    const back = [...readMbox(mbox)];
    expect(back.map((b) => ObjectStore.hash(b)).sort()).toEqual(raws.map((r) => ObjectStore.hash(r)).sort());

    const other = testArchive();
    const b = account(other, 'nuovo@pec.alfa.test');
    const first = await importMessages(other, b.id, 'Thunderbird 2019', [{ name: 'Archivio', bytes: mbox }]);
    expect(first).toEqual({
      folder: 'Importati/Thunderbird 2019',
      read: 4,
      imported: 4,
      known: 0,
      failed: 0,
    });
    const hashes = other.db.$client.prepare('SELECT object_hash FROM messages').pluck().all() as string[];
    expect(hashes.sort()).toEqual(raws.map((r) => ObjectStore.hash(r)).sort());
    const thread = other.db.$client
      .prepare('SELECT thread_id FROM messages WHERE thread_id IS NOT NULL')
      .pluck()
      .get() as number;
    expect(getThread(other.db, thread)).toMatchObject({ direction: 'sent', deliveredCount: 1 });
    const folder = other.db.$client
      .prepare('SELECT local, path FROM mailboxes WHERE account_id = ?')
      .get(b.id);
    expect(folder).toEqual({ local: 1, path: 'Importati/Thunderbird 2019' });
    const again = await importMessages(other, b.id, 'Thunderbird 2019', [{ name: 'Archivio', bytes: mbox }]);
    expect(again).toMatchObject({ read: 4, imported: 0, known: 4 });
    expect(other.db.$client.prepare('SELECT count(*) FROM message_locations').pluck().get()).toBe(4);
    archive.close();
    other.close();
  });

  it('.eml files with indice.csv (semicolons, BOM), each original unchanged', async () => {
    const { archive, account: a, raws } = await filled();
    const files = new Map<string, Buffer>();
    const rows = selectForExport(archive.db, {
      accountId: a.id,
      folder: 'INBOX',
      from: null,
      to: null,
      query: null,
    });
    await exportMessages(archive.objects, rows, 'eml', async (p, b) => void files.set(p, b));
    const emls = [...files.keys()].filter((k) => k.endsWith('.eml'));
    expect(emls).toHaveLength(4);
    expect(emls.every((k) => k.startsWith('INBOX/'))).toBe(true);
    expect(
      [...files.entries()]
        .filter(([k]) => k.endsWith('.eml'))
        .map(([, v]) => ObjectStore.hash(v))
        .sort(),
    ).toEqual(raws.map((r) => ObjectStore.hash(r)).sort());
    const csv = files.get('indice.csv')!.toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      'file;cartella;data;tipo;mittente;oggetto;identificativo;message-id;sha256;byte;sul server',
    );
    expect(lines).toHaveLength(5);
    expect(csv).toContain('"Verbale; riunione ""condominio"""');
    expect(csv).toContain('Ricevuta di accettazione');
    archive.close();
  });

  it('a search narrows the export to its matches and their PEC threads', async () => {
    const { archive, account: a, s } = await filled();
    const rows = selectForExport(archive.db, {
      accountId: a.id,
      folder: null,
      from: null,
      to: null,
      query: `"${s.subject.split(' ').slice(0, 3).join(' ')}"`,
    });
    expect(rows.map((r) => r.kind).sort()).toEqual(['accettazione', 'avvenuta-consegna', 'ordinary']);
    archive.close();
  });
});
