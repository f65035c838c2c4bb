import { archiveRegistry, callApi, openArchive, openSecrets } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] mailbox empty --account ADDR (--older-than DAYS | --until-percent P)
                                        [--folder F] [--move-to F] [--include-unhandled]
                                        [--dry-run] [--json]
  pecdesk [--archive DIR] mailbox runs --account ADDR [--json]

empty: removes from the provider's mailbox the copies the archive holds, verified one by one: the
     archived original re-read now, its SHA-256 checked, its size equal to the server's
     (RFC822.SIZE), the folder not renumbered. --older-than DAYS: copies older than that on the
     server; --until-percent P: the oldest until the mailbox's usage is under P % of its quota.
     Messages not yet handled (work states) stay unless --include-unhandled. --move-to F moves them
     to a folder of the provider instead. --dry-run does every check and removes nothing: it lists
     exactly what would go. Every removal is in the activity log with its SHA-256. A run stopped
     half-way is resumed first. Needs the server to have UIDPLUS (or MOVE, to move).
     --json: {"candidates":N,"deleted":N,"skipped":[{"uid","reason","folder"}],"items":[…]}
     (items: what would go, or what went; skipped reasons: not-handled, object-missing,
     object-corrupt, size-mismatch, not-on-server, uidvalidity-changed, folder-missing,
     no-uidplus, server-kept).
runs: the last emptying runs of the mailbox.
`;

export const mailboxCommand: CliCommand = {
  name: 'mailbox',
  usage: 'mailbox empty|runs --account ADDR',
  summary: 'empty the provider mailbox of what the archive holds, verified',
  help: HELP,
  async run(args, io, ctx) {
    const [sub, ...rest] = args;
    const parsed = parseCommandArgs(
      rest,
      {
        account: { type: 'string' },
        'older-than': { type: 'string' },
        'until-percent': { type: 'string' },
        folder: { type: 'string' },
        'move-to': { type: 'string' },
        'include-unhandled': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    const v = parsed.values;
    if (!sub || v.help || sub === '--help' || sub === '-h') {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (sub !== 'empty' && sub !== 'runs')
      throw new CliError(`unknown mailbox command "${sub}"\n\n${HELP}`, 2);
    if (!v.account) throw new CliError(`--account is required\n\n${HELP}`, 2);
    const opened = await openArchive(ctx, io, true);
    try {
      const registry = archiveRegistry(opened, await openSecrets(ctx, io));
      if (sub === 'runs') {
        const runs = await callApi(registry, 'emptying.runs', { email: v.account, limit: 20 });
        if (v.json) io.out(`${jsonForTerminal(runs, 2)}\n`);
        else if (runs.length === 0) io.out('No emptying runs.\n');
        else
          for (const r of runs)
            io.out(
              tty`#${r.id} ${r.startedAt} ${r.state} by ${r.actorName}: ${r.deleted} removed, ${r.skipped} kept of ${r.candidates}${r.error ? ` (${r.error})` : ''}\n`,
            );
        return 0;
      }
      const days = v['older-than'];
      const percent = v['until-percent'];
      if ((days === undefined) === (percent === undefined))
        throw new CliError(`give either --older-than DAYS or --until-percent P\n\n${HELP}`, 2);
      const number = (text: string, flag: string, min: number, max: number) => {
        const n = Number(text);
        if (!Number.isInteger(n) || n < min || n > max)
          throw new CliError(`${flag} must be a whole number from ${min} to ${max}`, 2);
        return n;
      };
      const policy = {
        email: v.account,
        mode: days !== undefined ? ('older-than' as const) : ('until-percent' as const),
        ...(days !== undefined ? { olderThanDays: number(days, '--older-than', 0, 36_500) } : {}),
        ...(percent !== undefined ? { untilPercent: number(percent, '--until-percent', 1, 99) } : {}),
        ...(v.folder ? { folder: v.folder } : {}),
        action: v['move-to'] ? ('move' as const) : ('delete' as const),
        ...(v['move-to'] ? { moveTo: v['move-to'] } : {}),
        includeUnhandled: Boolean(v['include-unhandled']),
      };
      const result = await callApi(registry, v['dry-run'] ? 'emptying.preview' : 'emptying.run', policy);
      if (v.json) {
        io.out(
          `${jsonForTerminal(
            {
              candidates: result.candidates,
              deleted: result.deleted,
              skipped: result.skipped.map((s) => ({ uid: s.uid, reason: s.reason, folder: s.folder })),
              dryRun: result.dryRun,
              runId: result.runId,
              items: result.items,
            },
            2,
          )}\n`,
        );
        return 0;
      }
      const verb = result.dryRun ? 'would be removed' : 'removed';
      io.out(
        tty`${result.candidates} candidates, ${result.dryRun ? result.items.length : result.deleted} ${verb}, ${result.skipped.length} kept on the server.\n`,
      );
      for (const it of result.items)
        io.out(
          tty`  ${result.dryRun ? 'would go' : 'removed'}: ${it.folder} UID ${it.uid} ${it.date.slice(0, 10)} ${it.subject ?? ''} (SHA-256 ${it.sha256.slice(0, 12)}…)\n`,
        );
      for (const s of result.skipped) io.out(tty`  kept: ${s.folder} UID ${s.uid}: ${s.reason}\n`);
      return 0;
    } finally {
      opened.close();
    }
  },
};
