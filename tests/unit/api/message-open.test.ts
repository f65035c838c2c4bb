/**
 * Opening a message (messages.get): what the reader gets is what the archived bytes say, signature
 * checked again, and the original's attachments are listed without being decoded.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { insertAccount, upsertMailbox } from '../../../db/accounts.ts';
import type { ApiResponse, MessageView } from '../../../main/api/contract.ts';
import { registryFor } from '../../../main/api/handlers.ts';
import type { Archive } from '../../../main/archive/archive.ts';
import { inspectMessage } from '../../../main/pec/inspect.ts';
import * as original from '../../../main/pec/original.ts';
import {
  buildOrdinary,
  buildOriginal,
  minimalPdf,
  pecOf,
  providerRewrite,
  scenario,
} from '../../factory/pec-factory.ts';
import { testPki } from '../../factory/pki.ts';
import { testArchive } from '../../support/archive.ts';
import { testAnchors } from '../../support/pec.ts';

vi.mock('../../../main/pec/original.ts', { spy: true });

const ME = 'studio@pec.alfa.test';
const BIG = 800_000;

async function archiveWith(messages: Buffer[]): Promise<{ archive: Archive; ids: number[] }> {
  const archive = testArchive();
  const account = insertAccount(archive.db, {
    email: ME,
    imapHost: '127.0.0.1',
    imapPort: 993,
    imapSecurity: 'tls',
    imapUser: ME,
    createdAt: new Date().toISOString(),
  });
  const inbox = upsertMailbox(archive.db, account.id, 'INBOX', 'INBOX', null);
  const outcomes = await archive.ingest(
    messages.map((raw, i) => ({ raw, location: { mailboxId: inbox.id, uid: i + 1, flags: [] } })),
  );
  return { archive, ids: outcomes.map((o) => o.messageId) };
}

function received(attachments: { filename: string; contentType: string; content: Buffer | string }[]) {
  const pki = testPki();
  const s = scenario({
    subject: 'Perizia di stima',
    sender: 'perito@pec.beta.test',
    provider: pki.providers.beta,
    recipientProvider: pki.providers.alfa,
    recipients: [{ address: ME, type: 'certificato' }],
  });
  const authored = buildOriginal({
    from: s.sender,
    to: [ME],
    subject: s.subject,
    text: 'In allegato la perizia.',
    html: '<p>In allegato la <b>perizia</b>.</p>',
    attachments,
    messageId: s.msgid,
  });
  return pecOf({ ...s, original: providerRewrite(authored, s.identificativo, s.msgid) }, 'posta-certificata');
}

describe('opening a message', () => {
  let archive: Archive | undefined;
  afterEach(() => {
    archive?.close();
    archive = undefined;
    vi.mocked(original.readOriginal).mockClear();
  });

  it('shows a PEC as a full reading does, its signature checked again, without decoding its attachments', async () => {
    const pdf = Buffer.concat([minimalPdf('Perizia'), randomBytes(BIG)]);
    const raw = received([
      { filename: 'perizia.pdf', contentType: 'application/pdf', content: pdf },
      { filename: 'dati.xml', contentType: 'application/xml', content: '<dati/>' },
    ]);
    const ordinary = buildOrdinary({
      subject: 'Copia inviata',
      attachments: [{ filename: 'scansione.pdf', contentType: 'application/pdf', content: pdf }],
    });
    const made = await archiveWith([raw, ordinary]);
    archive = made.archive;
    const registry = registryFor({ version: 't', archiveDir: archive.dir, anchors: testAnchors(), archive });
    vi.mocked(original.readOriginal).mockClear();

    const open = (id: number) =>
      registry.call('messages.get', { id }, { transport: 'ipc' }) as Promise<ApiResponse<MessageView>>;
    const opened = await open(made.ids[0]!);
    const own = await open(made.ids[1]!);
    if (!opened.ok || !own.ok) throw new Error('messages.get failed');
    // mailparser never got the attachments' bytes.
    for (const [bytes] of vi.mocked(original.readOriginal).mock.calls)
      expect(bytes.length).toBeLessThan(20_000);

    const full = await inspectMessage(raw, { anchors: testAnchors() });
    expect(opened.value.inspect.signature.verdict).toBe('valid');
    expect(opened.value.inspect).toEqual(full);
    expect(opened.value.inspect.original?.attachments.map((a) => a.size)).toEqual([pdf.length, 7]);
    const ownFull = await original.readOriginal(ordinary);
    expect(own.value.inspect.original).toEqual(ownFull.ok ? ownFull.value : null);
  });

  it('reads the whole original when what was archived lists other attachments', async () => {
    const raw = received([
      { filename: 'perizia.pdf', contentType: 'application/pdf', content: minimalPdf('x') },
    ]);
    const made = await archiveWith([raw]);
    archive = made.archive;
    // As an archive written by a version that read attachments differently.
    archive.db.$client.prepare("UPDATE attachments SET filename = 'altro.pdf'").run();
    const registry = registryFor({ version: 't', archiveDir: archive.dir, anchors: testAnchors(), archive });
    const opened = (await registry.call(
      'messages.get',
      { id: made.ids[0]! },
      { transport: 'ipc' },
    )) as ApiResponse<MessageView>;
    if (!opened.ok) throw new Error('messages.get failed');
    expect(opened.value.inspect.original?.attachments.map((a) => a.filename)).toEqual(['perizia.pdf']);
    expect(opened.value.inspect).toEqual(await inspectMessage(raw, { anchors: testAnchors() }));
  });
});
