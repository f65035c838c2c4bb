/**
 * Parsing in worker threads (main/archive/ingest-pool.ts): the same records as on the archive's own
 * thread, a bounded number of messages in flight, and no message lost when a worker stops.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mailboxesOf, recordMailboxProgress } from '../../../db/accounts.ts';
import { countMessages, messageLocationsOf } from '../../../db/messages.ts';
import { Archive } from '../../../main/archive/archive.ts';
import { IngestPool } from '../../../main/archive/ingest-pool.ts';
import { ingestRecord } from '../../../main/archive/ingest-record.ts';
import { ENVELOPE_KINDS, RECEIPT_KINDS } from '../../../main/pec/kinds.ts';
import { buildOrdinary, minimalPdf, pecOf, scenario } from '../../factory/pec-factory.ts';
import { studioInbox, tempDir } from '../../support/archive.ts';
import { testAnchors } from '../../support/pec.ts';

function corpus(): Buffer[] {
  const s = scenario();
  return [
    ...[...ENVELOPE_KINDS, ...RECEIPT_KINDS].map((kind) => pecOf(s, kind)),
    pecOf(s, 'accettazione', { signing: { mode: 'tampered' } }),
    buildOrdinary({
      subject: 'Con allegato',
      attachments: [
        { filename: 'nota.pdf', contentType: 'application/pdf', content: minimalPdf('Nota spese') },
        // Over the Buffer pool's size: its memory moves from the worker instead of being copied.
        { filename: 'grande.txt', contentType: 'text/plain', content: Buffer.alloc(64 * 1024, 'testo ') },
      ],
    }),
    Buffer.from('non è un messaggio\x00\xff'),
  ];
}

const AT = '2026-11-30T10:00:00.000Z';
const pools: IngestPool[] = [];

function pool(options: ConstructorParameters<typeof IngestPool>[0] = {}): IngestPool {
  const p = new IngestPool({ anchors: testAnchors(), size: 2, ...options });
  pools.push(p);
  return p;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('ingest worker threads', () => {
  it('give the same record as the archive thread, attachment bytes included, from threads of their own', async () => {
    const p = pool();
    expect(await p.whenReady()).toBe(true);
    expect(p.threadIds).toHaveLength(2);
    const raws = corpus();
    const inWorkers = await Promise.all(raws.map((raw) => p.record(raw, AT)));
    const here = await Promise.all(raws.map((raw) => ingestRecord(raw, AT, testAnchors())));
    expect(inWorkers).toEqual(here);
    for (const record of inWorkers)
      for (const c of record.contents) {
        expect(Buffer.isBuffer(c.content)).toBe(true);
        // Its own memory, no more: not a view that keeps a larger buffer alive in the text queue.
        expect(c.content.buffer.byteLength).toBe(c.content.byteLength);
      }
    expect(inWorkers.flatMap((r) => r.contents).some((c) => c.content.byteLength < 4096)).toBe(true);
    expect(inWorkers.at(-1)!.row.kind).toBe('unparseable');
  });

  it('hold no more than a few messages each: the rest wait in the queue', async () => {
    const p = pool({ perWorker: 2 });
    await p.whenReady();
    const raws = Array.from({ length: 40 }, (_, i) => buildOrdinary({ subject: `Numero ${i}` }));
    let most = 0;
    await Promise.all(
      raws.map((raw) =>
        p.record(raw, AT).then(() => {
          most = Math.max(most, p.inFlight);
        }),
      ),
    );
    most = Math.max(most, p.inFlight);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('hold no more bytes each than their bound, and always one message, however big', async () => {
    const p = pool({ perWorker: 16, perWorkerBytes: 20_000 });
    await p.whenReady();
    // About 8 KB each: two fit in a worker's 20,000 bytes, a third does not.
    const raws = Array.from({ length: 30 }, (_, i) =>
      buildOrdinary({ subject: `Peso ${i}`, text: 'x'.repeat(8_000) }),
    );
    const big = buildOrdinary({ subject: 'Grande', text: 'y'.repeat(40_000) });
    let most = 0;
    const done = [...raws, big].map((raw) =>
      p.record(raw, AT).then((r) => {
        most = Math.max(most, p.inFlight);
        return r;
      }),
    );
    most = Math.max(most, p.inFlight);
    const records = await Promise.all(done);
    expect(records.every((r) => r.row.kind === 'ordinary')).toBe(true);
    expect(most).toBeGreaterThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('read their messages one after the other, answering each as it is read', async () => {
    const p = pool({ size: 1 });
    await p.whenReady();
    const order: string[] = [];
    const pec = pecOf(scenario(), 'posta-certificata');
    await Promise.all([
      p.record(pec, AT).then(() => order.push('pec')),
      p.record(buildOrdinary({ subject: 'Breve' }), AT).then(() => order.push('short')),
    ]);
    expect(order).toEqual(['pec', 'short']);
  });

  it('a worker that stops loses nothing: its messages are read again alone; the one that stops two is unparseable, with why', async () => {
    const p = pool();
    await p.whenReady();
    const killer = buildOrdinary({ subject: 'Ferma il lettore' });
    const post = Worker.prototype.postMessage;
    let kills = 0;
    vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker, value, transfer) {
      const job = value as { raw?: Uint8Array };
      if (job.raw && Buffer.from(job.raw).equals(killer)) {
        kills++;
        void this.terminate();
        return;
      }
      return post.call(this, value, transfer);
    });
    const others = Array.from({ length: 6 }, (_, i) => buildOrdinary({ subject: `Altro ${i}` }));
    const [stopped, ...rest] = await Promise.all([killer, ...others].map((raw) => p.record(raw, AT)));
    // Once beside the others, then twice alone.
    expect(kills).toBe(3);
    expect(stopped!.row.kind).toBe('unparseable');
    expect(stopped!.row.parseError).toMatch(/the thread reading it stopped/);
    expect(rest.map((r) => r.row.kind)).toEqual(others.map(() => 'ordinary'));
    // New workers took the place of those that stopped.
    expect(await p.whenReady()).toBe(true);
  });

  it('an archive reads a big batch in its workers into the same rows as on its own thread', async () => {
    const raws = Array.from({ length: 3 }, () => corpus()).flat();
    const rowsOf = async (workers: number) => {
      const archive = Archive.open(join(tempDir(), 'archive'), {
        anchors: testAnchors(),
        ingestWorkers: workers,
      });
      try {
        expect(await archive.startIngestWorkers()).toBe(workers > 0);
        const record = vi.spyOn(IngestPool.prototype, 'record');
        await archive.ingest(raws.map((raw) => ({ raw })));
        expect(record.mock.calls.length > 0).toBe(workers > 0);
        record.mockRestore();
        return archive.db.$client
          .prepare(
            `select m.object_hash, m.kind, m.subject, m.signature_verdict, m.signature_reason, m.anomalies,
                    m.parse_error, m.original_subject, m.thread_id is not null as threaded,
                    (select group_concat(a.filename || ':' || a.text_status, ',') from attachments a where a.message_id = m.id) as files
             from messages m order by m.object_hash`,
          )
          .all();
      } finally {
        archive.close();
      }
    };
    const inWorkers = await rowsOf(2);
    expect(inWorkers.length).toBeGreaterThan(10);
    expect(inWorkers).toEqual(await rowsOf(0));
  });

  it('a big batch commits in chunks, in order; stopped between two, the batch again archives each message once', async () => {
    let calls = 0;
    let failOn = 2;
    const archive = Archive.open(join(tempDir(), 'archive'), {
      anchors: testAnchors(),
      ingestWorkers: 1,
      // Routing runs inside each chunk's transaction: the second one fails, as a crash would stop it.
      onIngest: () => {
        calls++;
        if (calls === failOn) throw new Error('interrotto');
      },
    });
    try {
      expect(await archive.startIngestWorkers()).toBe(true);
      const { account, inbox } = studioInbox(archive.db, { createdAt: AT });
      const raws = Array.from({ length: 80 }, (_, i) => buildOrdinary({ subject: `Lotto ${i}` }));
      const batch = raws.map((raw, i) => ({
        raw,
        location: { mailboxId: inbox.id, uid: i + 1, flags: [], modseq: null, internalDate: null },
      }));
      const bookkeeping = (db: Parameters<typeof recordMailboxProgress>[0]) =>
        recordMailboxProgress(db, inbox.id, { lastUid: 80 });
      await expect(archive.ingest(batch, bookkeeping)).rejects.toThrow(/interrotto/);
      const first = countMessages(archive.db);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(80);
      expect(mailboxesOf(archive.db, account.id)[0]!.lastUid).toBe(0);

      failOn = 0;
      calls = 0;
      const outcomes = await archive.ingest(batch, bookkeeping);
      expect(calls).toBeGreaterThan(1);
      expect(outcomes.filter((o) => o.created)).toHaveLength(80 - first);
      expect(countMessages(archive.db)).toBe(80);
      expect(messageLocationsOf(archive.db, outcomes[0]!.messageId)).toHaveLength(1);
      expect(
        archive.db.$client.prepare('select count(*) n, count(distinct uid) u from message_locations').get(),
      ).toEqual({ n: 80, u: 80 });
      expect(mailboxesOf(archive.db, account.id)[0]!.lastUid).toBe(80);
      // In the batch's order: the rows' ids follow the UIDs.
      const ids = outcomes.map((o) => o.messageId);
      expect(ids.slice(first)).toEqual([...ids.slice(first)].sort((a, b) => a - b));
    } finally {
      archive.close();
    }
  });
});
