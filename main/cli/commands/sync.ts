import type { SyncProgress } from '../../api/contract.ts';
import type { Archive } from '../../archive/archive.ts';
import { SyncService } from '../../sync/sync-service.ts';
import { openArchive, openSecrets } from '../archive-access.ts';
import { type CliCommand, type CliIo, parseCommandArgs } from '../command.ts';
import { tty } from '../terminal-text.ts';

/** How long `sync` waits for attachment text after the messages are archived. */
const TEXT_WAIT_MINUTES = 10;

const HELP = `Usage: pecdesk [--archive DIR] sync [--watch] [--quiet]

Archives every message of every account's folders: the first time all of them, then what is new.
Then waits (up to ${TEXT_WAIT_MINUTES} minutes) until the text of the new attachments is read, so that
the archive is searchable when it returns; what is left is read the next time the archive is opened.
Exits 0 when every account is in sync, 1 when any failed (the others are synced all the same).
  --watch   keep going: IDLE on INBOX for new messages, other folders every few minutes (Ctrl+C stops)
  --quiet   no progress output
`;

/** A one-line progress bar on a terminal; a line per finished folder otherwise. */
export function progressPrinter(io: CliIo) {
  let lastDraw = 0;
  return (p: SyncProgress) => {
    const finished = p.done >= p.total;
    if (io.isTerminal) {
      const now = Date.now();
      if (!finished && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 24;
      const filled = p.total > 0 ? Math.round((p.done / p.total) * width) : width;
      io.err(
        `\r\x1b[K${tty`${p.email} ${p.folder}`} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${p.rate.toFixed(0)} msg/s${finished ? '\n' : ''}`,
      );
    } else if (finished && p.total > 0) {
      io.err(tty`${p.email} ${p.folder}: ${p.done} messages (${p.rate.toFixed(0)} msg/s)\n`);
    }
  };
}

/** Waits for the attachment text of what was archived, with a progress line. */
async function waitForText(archive: Archive, io: CliIo, quiet: boolean, signal: AbortSignal) {
  let lastDraw = 0;
  let announced = false;
  const left = await archive.drainText(
    TEXT_WAIT_MINUTES * 60_000,
    (done, total) => {
      if (quiet) return;
      if (!announced) {
        announced = true;
        if (!io.isTerminal) io.err(`Reading the text of the attachments of ${total} messages...\n`);
      }
      const now = Date.now();
      if (io.isTerminal && (now - lastDraw >= 100 || done >= total)) {
        lastDraw = now;
        io.err(`\r\x1b[KAttachment text: ${done}/${total} messages${done >= total ? '\n' : ''}`);
      }
    },
    signal,
  );
  if (left > 0 && !quiet)
    io.err(
      `${io.isTerminal ? '\n' : ''}The attachment text of ${left} messages is not read yet: it is read the next time the archive is opened (pecdesk sync, or the app).\n`,
    );
}

export const syncCommand: CliCommand = {
  name: 'sync',
  usage: 'sync [--watch]',
  summary: 'archive every message of every account',
  help: HELP,
  async run(args, io, ctx) {
    const { values } = parseCommandArgs(
      args,
      { watch: { type: 'boolean' }, quiet: { type: 'boolean' } },
      HELP,
    );
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const { archive, events, close } = await openArchive(ctx, io, true);
    try {
      const secrets = await openSecrets(ctx, io);
      if (!values.quiet) events.on('sync.progress', progressPrinter(io));
      events.on('sync.state', (s) => {
        if (s.state === 'error') io.err(tty`${s.email}: ${s.errorCode}: ${s.error}\n`);
      });
      const service = new SyncService(archive, secrets, events);
      // Ctrl+C stops the sync, or the wait for attachment text after it.
      const stopping = new AbortController();
      const stop = () => {
        stopping.abort();
        service.stop();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const results = await service.syncAll(Boolean(values.watch));
      if (!stopping.signal.aborted) await waitForText(archive, io, Boolean(values.quiet), stopping.signal);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (results.length === 0) {
        io.err('No accounts: add one with "pecdesk account add".\n');
        return 1;
      }
      const failed = results.filter((r) => !r.ok);
      if (!values.quiet) io.err(`${results.length - failed.length} of ${results.length} accounts in sync.\n`);
      return failed.length === 0 ? 0 : 1;
    } finally {
      close();
    }
  },
};
