/** The measured side of the sync benchmark: one full sync pass, as `pecdesk sync` does it. */

import { readFileSync } from 'node:fs';
import { countMessages } from '../../db/messages.ts';
import { addAccount } from '../../main/accounts/account-service.ts';
import { EventBus } from '../../main/api/events.ts';
import { Archive } from '../../main/archive/archive.ts';
import { archiveTrustAnchors } from '../../main/archive/archive-config.ts';
import { openSecretStore } from '../../main/secrets/open-store.ts';
import { SyncService } from '../../main/sync/sync-service.ts';

const [dir, email, password, port, ca] = process.argv.slice(2) as [string, string, string, string, string];
const anchors = await archiveTrustAnchors(dir);
const archive = Archive.open(dir, anchors ? { anchors } : {});
const secrets = await openSecretStore(dir);
await addAccount(
  archive.db,
  secrets,
  { email, imapHost: '127.0.0.1', imapPort: Number(port), caPem: readFileSync(ca, 'utf8') },
  password,
);
const t0 = performance.now();
const [result] = await new SyncService(archive, secrets, new EventBus()).syncAll();
const seconds = (performance.now() - t0) / 1000;
if (!result?.ok) throw new Error(`sync failed: ${result?.error}`);
console.log(
  JSON.stringify({
    seconds,
    archived: countMessages(archive.db),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
archive.close();
