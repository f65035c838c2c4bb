import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAccounts, mailboxesOf } from '../../../db/accounts.ts';
import { getMessage, listMessages, messageAttachments, messageLocationsOf } from '../../../db/messages.ts';
import { getThread } from '../../../db/threads.ts';
import { countView } from '../../../db/views.ts';
import { Archive } from '../../../main/archive/archive.ts';
import { archiveTrustAnchors } from '../../../main/archive/archive-config.ts';
import { createDemoArchive } from '../../../main/demo/demo-archive.ts';
import { inspectMessage } from '../../../main/pec/inspect.ts';
import { readOriginal } from '../../../main/pec/original.ts';
import { tempDir } from '../../support/archive.ts';

describe('the demo archive hangs together', () => {
  it('every state of a PEC, the sent copy carrying what its receipts prove, each message its own body', async () => {
    const dir = join(tempDir('pecdesk-demo-'), 'archive-demo');
    await createDemoArchive(dir);
    const anchors = await archiveTrustAnchors(dir, {});
    const archive = Archive.open(dir, anchors ? { anchors } : {});
    try {
      const rows = listMessages(archive.db);
      const thread = (subject: string) => {
        const row = rows.find((r) => r.subject === subject && r.threadId !== null)!;
        return getThread(archive.db, row.threadId!)!;
      };
      expect(thread('Trasmissione contratto di locazione - Via Garibaldi 8').state).toBe('delivered');
      expect(thread('Convocazione assemblea condominiale')).toMatchObject({
        state: 'partial',
        deliveredCount: 1,
        failedCount: 1,
        recipientTotal: 3,
      });
      expect(thread('Invio documentazione con copia nascosta').state).toBe('rejected');
      expect(thread('Sollecito pagamento fattura 77/2026').warningCount).toBe(1);
      expect(thread('Invio bilancio di esercizio 2025')).toMatchObject({
        state: 'delivered',
        acceptanceMissing: true,
      });
      expect(thread('Richiesta di rimborso spese')).toMatchObject({ state: 'accepted', unverifiedCount: 1 });
      expect(countView(archive.db, { kind: 'smart', view: 'no-delivery' }, 'all')).toBe(2);
      // Every incoming PEC is to handle until someone handles it, read or not (issue 14): the
      // invoice, the court notice, the forged PEC and the anomaly.
      expect(countView(archive.db, { kind: 'smart', view: 'to-handle' }, 'all')).toBe(4);

      // The sent copy's attachment is the one the completa delivery receipt carries.
      const contract = thread('Trasmissione contratto di locazione - Via Garibaldi 8');
      const members = rows.filter((r) => r.threadId === contract.id);
      const sentCopy = members.find((m) => m.kind === 'ordinary')!;
      const receipt = members.find((m) => m.kind === 'avvenuta-consegna')!;
      const hashes = (id: number) => messageAttachments(archive.db, id).map((a) => a.sha256);
      expect(hashes(sentCopy.id)).toHaveLength(1);
      expect(hashes(receipt.id)).toEqual(hashes(sentCopy.id));
      expect(messageLocationsOf(archive.db, sentCopy.id).map((l) => l.path)).toEqual(['Sent']);

      // Each original has a body of its own.
      const bodies = new Set<string>();
      const originals = rows.filter((m) => m.kind === 'ordinary' || m.kind === 'posta-certificata');
      for (const r of originals) {
        const raw = await archive.objects.get(getMessage(archive.db, r.id)!.objectHash);
        const inspected = await inspectMessage(raw, anchors ? { anchors } : {});
        const parsed = await readOriginal(raw);
        const own = inspected.original ?? (parsed.ok ? parsed.value : null);
        bodies.add((own?.text ?? '').trim());
      }
      expect(bodies.size).toBe(originals.length);

      // One demo mailbox, never synced (no server): INBOX and Posta inviata.
      const [account] = listAccounts(archive.db);
      expect(account?.imapHost).toBe('demo.invalid');
      expect(mailboxesOf(archive.db, account!.id).map((m) => m.path)).toEqual(['INBOX', 'Sent']);
    } finally {
      archive.close();
    }
  });
});
