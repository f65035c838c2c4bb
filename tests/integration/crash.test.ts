/**
 * The archive never loses or duplicates a message: `pecdesk sync` is killed with SIGKILL at 50
 * random moments while it archives 2,000 messages from Dovecot, restarted each time; at the end
 * every message is archived exactly once, every object matches its hash, and SQLite's
 * integrity_check is ok. The seed is fixed so a failure reproduces (PECDESK_CRASH_SEED).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allObjectHashes, countMessages } from '../../db/messages.ts';
import { Archive } from '../../main/archive/archive.ts';
import { RECEIPT_KINDS } from '../../main/pec/kinds.ts';
import { buildOrdinary, pecOf, scenario } from '../factory/pec-factory.ts';
import { tempDir } from '../support/archive.ts';
import { accountAddArgs, runPecdesk } from '../support/cli.ts';
import { DovecotServer, dovecotAvailable } from '../support/dovecot.ts';
import { seededRandom } from '../support/random.ts';

const KILLS = 50;
const MESSAGES = 2_000;
const SEED = Number(process.env.PECDESK_CRASH_SEED ?? 7);

describe.runIf(dovecotAvailable)('crash safety', () => {
  let server: DovecotServer;
  const archiveDir = tempDir('pecdesk-crash-');
  const env = { ...process.env, PECDESK_SECRETS: 'file', PECDESK_SECRET_KEY: 'crash-test' };

  beforeAll(async () => {
    server = await DovecotServer.start();
    const user = server.addUser('crash@pec.alfa.test');
    const messages: Buffer[] = [];
    const kinds = ['posta-certificata', ...RECEIPT_KINDS] as const;
    for (let i = 0; messages.length < MESSAGES; i++) {
      if (i % 5 === 4) messages.push(buildOrdinary({ subject: `ordinaria ${i}` }));
      else messages.push(pecOf(scenario(), kinds[i % kinds.length]!));
    }
    await server.append(user, 'INBOX', messages);
    const add = await runPecdesk(['--archive', archiveDir, ...accountAddArgs(server, user.user)], {
      ...env,
      PECDESK_PASSWORD: user.password,
    });
    expect(add.code).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await server?.destroy();
  });

  it(`${KILLS} SIGKILLs during a sync of ${MESSAGES} messages: each archived exactly once, objects intact`, async () => {
    const random = seededRandom(SEED);
    let killedMidway = 0;
    for (let i = 0; i < KILLS; i++) {
      // Start-up takes about a second; the kill lands anywhere from start-up to deep in a batch.
      const at = 400 + Math.floor(random() * 2600);
      const run = await runPecdesk(['--archive', archiveDir, 'sync', '--quiet'], env, at);
      if (run.signal === 'SIGKILL') killedMidway++;
      else expect(run.code, run.stderr).toBe(0);
    }
    expect(killedMidway).toBeGreaterThan(KILLS / 2);
    const final = await runPecdesk(['--archive', archiveDir, 'sync', '--quiet'], env);
    expect(final.code, final.stderr).toBe(0);

    const archive = Archive.open(archiveDir);
    try {
      expect(countMessages(archive.db)).toBe(MESSAGES);
      const locations = archive.db.$client
        .prepare(
          'select count(*) n, count(distinct uid) u, count(distinct message_id) m from message_locations',
        )
        .get() as { n: number; u: number; m: number };
      expect(locations).toEqual({ n: MESSAGES, u: MESSAGES, m: MESSAGES });
      for (const hash of allObjectHashes(archive.db))
        expect(await archive.objects.verify(hash), hash).toBe(true);
      expect(archive.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(archive.db.$client.pragma('foreign_key_check')).toEqual([]);
      const threadless = archive.db.$client
        .prepare(
          "select count(*) n from messages where kind in ('accettazione','avvenuta-consegna','posta-certificata') and thread_id is null",
        )
        .get() as { n: number };
      expect(threadless.n).toBe(0);
    } finally {
      archive.close();
    }
  }, 900_000);
});
