/**
 * The measured side of the sync benchmark: one full sync pass, as `pecdesk sync` does it, then the
 * wait for the attachment text (the text queue, a separate stage that `pecdesk sync` also waits for).
 */

import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { countMessages } from '../../db/messages.ts';
import { addAccount } from '../../main/accounts/account-service.ts';
import { EventBus } from '../../main/api/events.ts';
import { Archive } from '../../main/archive/archive.ts';
import { archiveTrustAnchors } from '../../main/archive/archive-config.ts';
import { openSecretStore } from '../../main/secrets/open-store.ts';
import { SyncService } from '../../main/sync/sync-service.ts';
import { residentMiB } from './bench-support.ts';

const [dir, email, password, port, ca] = process.argv.slice(2) as [string, string, string, string, string];
const anchors = await archiveTrustAnchors(dir);
// `npm run bench sync -- --workers N` compares pool sizes; by default the archive chooses.
const workers = process.env.PECDESK_BENCH_INGEST_WORKERS;
const archive = Archive.open(dir, {
  ...(anchors && { anchors }),
  ...(workers !== undefined && { ingestWorkers: Number(workers) }),
});
const secrets = await openSecretStore(dir);
await addAccount(
  archive.db,
  secrets,
  { email, imapHost: '127.0.0.1', imapPort: Number(port), caPem: readFileSync(ca, 'utf8') },
  password,
);
const rssMiB = () => process.resourceUsage().maxRSS / 1024;
/** Resident memory by kind (bench-support.ts residentMiB) and the main thread's heap. */
function residentWithHeap(): Record<string, number> {
  const resident = residentMiB();
  return resident ? { ...resident, mainHeap: getHeapStatistics().total_heap_size / 1048576 } : {};
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const [result] = await new SyncService(archive, secrets, new EventBus()).syncAll();
// Every message archived, committed and searchable by its attachments' names.
const seconds = (performance.now() - t0) / 1000;
const maxRssMiB = rssMiB();
// CPU of every thread of the process (workers included), user and kernel, during ingest.
const cpu = process.cpuUsage(cpu0);
const residentAtArchive = residentWithHeap();
if (!result?.ok) throw new Error(`sync failed: ${result?.error}`);
const pendingAtArchive = archive.pendingText();
const left = await archive.drainText(10 * 60_000);
// And their attachments' text read too (what `pecdesk sync` waits for before it returns).
const textSeconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    seconds,
    textSeconds,
    pendingAtArchive,
    textLeft: left,
    archived: countMessages(archive.db),
    maxRssMiB,
    maxRssWithTextMiB: rssMiB(),
    residentAtArchive,
    cpuSeconds: { user: cpu.user / 1e6, system: cpu.system / 1e6 },
  }),
);
archive.close();
