/**
 * Sync throughput (issues: archive and IMAP sync; speed where people wait). N PEC messages (default
 * 10,000) sit in a local Dovecot INBOX. Baseline: imapflow fetching the raw sources of that mailbox
 * and doing nothing with them. Measured: a full `pecdesk sync` pass (store durably, parse, classify,
 * verify, reconcile, commit) in its own process, with its peak RSS; then the wait for the text
 * queue (attachment text, a stage after ingest that `pecdesk sync` also waits for). Ingest rate =
 * messages archived and searchable by name per second; ratio = ingest rate / raw fetch rate.
 * The measured process runs from a bundle built as the CLI's is (scripts/build.mjs: esbuild, the
 * workers beside it), as an installed PecDesk runs; `--sources` runs the TypeScript through tsx
 * instead (a loader thread per thread and its transpiled modules: about 80 MiB more).
 * `--profile DIR` writes the child's CPU profiles (one per thread) there and prints where the
 * time went, by source file (so it runs the sources); `--workers N` sets the number of ingest
 * worker threads (0: all on the writer thread).
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ObjectStore } from '../../main/archive/object-store.ts';
import { RECEIPT_KINDS } from '../../main/pec/kinds.ts';
import { buildBundle } from '../../scripts/build.mjs';
import { nodeTarget } from '../../scripts/node-targets.mjs';
import { buildOrdinary, pecOf, scenario } from '../factory/pec-factory.ts';
import { testPki } from '../factory/pki.ts';
import { tempDir } from '../support/archive.ts';
import { DovecotServer, dovecotAvailable } from '../support/dovecot.ts';
import { argValue, runChild } from './bench-support.ts';
import { printProfile } from './cpu-profile.ts';

/**
 * The measured side bundled as the CLI is (its ingest and text workers beside it), in the
 * checkout's dist/ so that its native modules resolve from node_modules. Built at every run:
 * esbuild takes a second or two.
 */
async function bundledChild(): Promise<string> {
  const dir = 'dist/bench/sync';
  const target = nodeTarget(dir, { entry: 'tests/bench/sync-child.ts', file: 'sync-child.mjs' });
  await buildBundle(target);
  return fileURLToPath(new URL(`../../${target.out}`, import.meta.url));
}

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
  const profileDir = argValue(args, '--profile');
  const workers = argValue(args, '--workers');
  const sources = args.includes('--sources') || profileDir !== undefined;
  const childEntry = sources
    ? ['--import', 'tsx', new URL('./sync-child.ts', import.meta.url).pathname]
    : [await bundledChild()];
  console.log(`measured process: ${sources ? 'the sources through tsx' : 'a bundle, as installed'}`);
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
        ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
        ...childEntry,
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
        ...(workers !== undefined && { PECDESK_BENCH_INGEST_WORKERS: workers }),
      },
    );
    const result = JSON.parse(child) as {
      seconds: number;
      textSeconds: number;
      pendingAtArchive: number;
      textLeft: number;
      archived: number;
      maxRssMiB: number;
      maxRssWithTextMiB: number;
      residentAtArchive: Record<string, number>;
      cpuSeconds: { user: number; system: number };
    };
    const fetchRate = fetched / fetchSeconds;
    const ingestRate = result.archived / result.seconds;
    const withTextRate = result.archived / result.textSeconds;
    console.log(
      `raw imapflow fetch: ${fetchRate.toFixed(0)} msg/s (${fetched} in ${fetchSeconds.toFixed(1)} s)`,
    );
    console.log(
      `ingest (sync, archived and searchable by name): ${ingestRate.toFixed(0)} msg/s (${result.archived} in ${result.seconds.toFixed(1)} s), ratio ingest/fetch ${(ingestRate / fetchRate).toFixed(2)}`,
    );
    console.log(
      `with the attachment text wait (${result.pendingAtArchive} messages still pending at the end of ingest, ${result.textLeft} left): ${withTextRate.toFixed(0)} msg/s (${result.textSeconds.toFixed(1)} s), ratio ${(withTextRate / fetchRate).toFixed(2)}`,
    );
    console.log(
      `durable object writes alone: ${durableRate.toFixed(0)} msg/s, so ratio bound by them alone: ${(durableRate / fetchRate).toFixed(2)}`,
    );
    console.log(
      `sync peak RSS: ${result.maxRssMiB.toFixed(0)} MiB during ingest, ${result.maxRssWithTextMiB.toFixed(0)} MiB with the text wait`,
    );
    const cpu = result.cpuSeconds;
    const cpuTotal = cpu.user + cpu.system;
    console.log(
      `CPU during ingest (all threads of the sync process): ${cpu.user.toFixed(1)} s user + ${cpu.system.toFixed(1)} s kernel = ${((cpuTotal * 1000) / result.archived).toFixed(2)} ms per message, ${(cpuTotal / result.seconds).toFixed(2)} cores busy on average`,
    );
    const r = result.residentAtArchive;
    if (r.anon !== undefined)
      console.log(
        `resident at the end of ingest: ${r.anon!.toFixed(0)} MiB anonymous (main thread's heap ${r.mainHeap!.toFixed(0)} MiB), ${r.file!.toFixed(0)} MiB file pages (code, SQLite's mmap)`,
      );
    if (profileDir) printProfile(profileDir);
  } finally {
    await server.destroy();
  }
}
