/**
 * Sync throughput (issue: archive and IMAP sync). N PEC messages (default 10,000) sit in a local
 * Dovecot INBOX. Baseline: imapflow fetching the raw sources of that mailbox and doing nothing with
 * them. Measured: a full `pecdesk sync` pass (store durably, parse, classify, verify, reconcile,
 * commit) in its own process, with its peak RSS. Ratio = ingest rate / raw fetch rate (goal ≥ 0.5).
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectStore } from '../../main/archive/object-store.ts';
import { RECEIPT_KINDS } from '../../main/pec/kinds.ts';
import { buildOrdinary, pecOf, scenario } from '../factory/pec-factory.ts';
import { testPki } from '../factory/pki.ts';
import { tempDir } from '../support/archive.ts';
import { DovecotServer, dovecotAvailable } from '../support/dovecot.ts';
import { argValue, runChild } from './bench-support.ts';

export function corpus(n: number): Buffer[] {
  const out: Buffer[] = [];
  const kinds = [
    'posta-certificata',
    'accettazione',
    'avvenuta-consegna',
    'avvenuta-consegna',
    ...RECEIPT_KINDS,
  ] as const;
  let s = scenario();
  for (let i = 0; out.length < n; i++) {
    if (i % 6 === 0) s = scenario();
    out.push(
      i % 10 === 9 ? buildOrdinary({ subject: `Comunicazione ${i}` }) : pecOf(s, kinds[i % kinds.length]!),
    );
  }
  return out;
}

export async function benchSync(args: string[]): Promise<void> {
  if (!dovecotAvailable) {
    console.log('sync: skipped, Dovecot is not installed (apt-get install -y dovecot-imapd)');
    return;
  }
  const n = Number(argValue(args, '--messages') ?? 10_000);
  const server = await DovecotServer.start();
  try {
    const user = server.addUser('bench@pec.alfa.test');
    const t0 = performance.now();
    const messages = corpus(n);
    const bytes = messages.reduce((a, m) => a + m.length, 0);
    server.deliverToMaildir(user, messages);
    console.log(
      `corpus: ${n} messages, ${(bytes / 1024 / 1024).toFixed(1)} MiB, made in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    // Baseline: raw imapflow fetch of the same mailbox (first a warm-up that lets Dovecot index it).
    const client = await server.client(user);
    const lock = await client.getMailboxLock('INBOX');
    for await (const _ of client.fetch('1:50', { uid: true })) void _;
    const f0 = performance.now();
    let fetched = 0;
    for await (const msg of client.fetch('1:*', { uid: true, source: true, flags: true, internalDate: true }))
      fetched += msg.source ? 1 : 0;
    const fetchSeconds = (performance.now() - f0) / 1000;
    lock.release();
    await client.logout();

    // What durability alone costs: the same messages written to a fresh object store (temporary
    // file, fsync, rename, folder fsync), as the issue requires of every message.
    const store = new ObjectStore(tempDir('pecdesk-bench-objects-'));
    const d0 = performance.now();
    for (let i = 0; i < messages.length; i += 100) {
      await store.putMany(
        messages.slice(i, i + 100).map((bytes) => ({ bytes, hash: ObjectStore.hash(bytes) })),
      );
    }
    const durableRate = messages.length / ((performance.now() - d0) / 1000);

    // Measured: the real sync, in its own process so its peak RSS is its own.
    const dir = tempDir('pecdesk-bench-');
    const archive = join(dir, 'archive');
    const anchor = join(dir, 'ca.pem');
    writeFileSync(anchor, testPki().rootPem);
    const child = await runChild(
      [
        '--import',
        'tsx',
        new URL('./sync-child.ts', import.meta.url).pathname,
        archive,
        user.user,
        user.password,
        String(server.tlsPort),
        server.caFile,
      ],
      {
        ...process.env,
        PECDESK_PEC_TRUST_ANCHORS: anchor,
        PECDESK_SECRETS: 'file',
        PECDESK_SECRET_KEY: 'bench',
      },
    );
    const result = JSON.parse(child) as { seconds: number; archived: number; maxRssMiB: number };
    const fetchRate = fetched / fetchSeconds;
    const ingestRate = result.archived / result.seconds;
    console.log(
      `raw imapflow fetch: ${fetchRate.toFixed(0)} msg/s (${fetched} in ${fetchSeconds.toFixed(1)} s)`,
    );
    console.log(
      `full ingest (sync): ${ingestRate.toFixed(0)} msg/s (${result.archived} in ${result.seconds.toFixed(1)} s)`,
    );
    console.log(`ratio ingest/fetch: ${(ingestRate / fetchRate).toFixed(2)} (goal >= 0.5)`);
    console.log(
      `durable object writes alone: ${durableRate.toFixed(0)} msg/s, so ratio bound by fsync alone: ${(durableRate / fetchRate).toFixed(2)}`,
    );
    console.log(`sync peak RSS: ${result.maxRssMiB.toFixed(0)} MiB`);
  } finally {
    await server.destroy();
  }
}
