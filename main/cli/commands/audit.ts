/**
 * `pecdesk audit`: the activity log (main/auth/audit.ts), and `audit verify`: the whole hash chain
 * checked, with an exit code scripts can rely on (0 intact, 1 broken).
 */
import type { AuditEntryView } from '../../api/people-contract.ts';
import { openCliApi } from '../../client/cli-remote.ts';
import { callApi } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] audit [--json] [--user U] [--since DATE] [--until DATE] [--message ID]
                                [--mailbox ADDR] [--action A] [--limit N]
  pecdesk [--archive DIR] audit verify [--json]

audit: the activity log, newest first: who (a person, or cli:<os user> for this command line), when,
     from where, what (auth.login, auth.login-failed, message.open, attachment.download,
     message.export, message.send, account.*, permission.*, user.*…), on which message or mailbox.
     DATE: dd/mm/yyyy or yyyy-mm-dd (whole days). --user takes a person's name or cli:<os user>.
verify: checks every entry's SHA-256 chain from the first: exit 0 and {"ok":true,"entries":N} when
     intact; exit 1 and {"ok":false,"firstBroken":ID,"reason":"…"} when an entry was changed,
     removed or inserted outside PecDesk.
`;

function line(e: AuditEntryView): string {
  const target = e.targetType ? `${e.targetType} ${e.targetId ?? ''}`.trim() : '';
  const details = Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : '';
  return tty`${String(e.id)}\t${e.at}\t${e.actorName} (${e.actor})\t${e.origin}\t${e.action}\t${target}\t${e.mailbox ?? ''}\t${details}`;
}

export const auditCommand: CliCommand = {
  name: 'audit',
  usage: 'audit [verify] [--json]',
  summary: 'the activity log (who did what), and the check of its chain',
  help: HELP,
  async run(args, io, ctx) {
    const verify = args[0] === 'verify';
    const { values: v } = parseCommandArgs(
      verify ? args.slice(1) : args,
      {
        json: { type: 'boolean' },
        user: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        message: { type: 'string' },
        mailbox: { type: 'string' },
        action: { type: 'string' },
        limit: { type: 'string' },
      },
      HELP,
    );
    if (v.help) {
      io.out(HELP);
      return 0;
    }
    const messageId = v.message === undefined ? undefined : Number(v.message);
    if (messageId !== undefined && !(Number.isInteger(messageId) && messageId > 0))
      throw new CliError('--message takes a message id as "pecdesk messages --json" prints it', 2);
    const limit = v.limit === undefined ? 1_000 : Number(v.limit);
    if (!(Number.isInteger(limit) && limit > 0 && limit <= 1_000))
      throw new CliError('--limit takes a number from 1 to 1000', 2);
    const api = await openCliApi(ctx, io, false);
    try {
      const registry = api.registry;
      if (verify) {
        const verdict = await callApi(registry, 'audit.verify', {});
        // Exactly the documented fields: scripts compare them.
        const out = verdict.ok
          ? { ok: true, entries: verdict.entries }
          : { ok: false, firstBroken: verdict.firstBroken, reason: verdict.reason };
        if (v.json) io.out(`${JSON.stringify(out)}\n`);
        else if (verdict.ok) io.out(`The activity log is intact: ${verdict.entries} entries.\n`);
        else
          io.out(
            tty`The activity log was altered: the first entry that does not hold is ${String(verdict.firstBroken)} (${verdict.reason}).` +
              '\n',
          );
        return verdict.ok ? 0 : 1;
      }
      const { total, entries } = await callApi(registry, 'audit.list', {
        ...(v.user ? { user: v.user } : {}),
        ...(v.since ? { since: v.since } : {}),
        ...(v.until ? { until: v.until } : {}),
        ...(messageId ? { messageId } : {}),
        ...(v.mailbox ? { mailbox: v.mailbox } : {}),
        ...(v.action ? { action: v.action } : {}),
        offset: 0,
        limit,
      });
      if (v.json) io.out(`${jsonForTerminal({ total, entries }, 2)}\n`);
      else if (entries.length === 0) io.out('No entries.\n');
      else {
        for (const e of entries) io.out(`${line(e)}\n`);
        if (total > entries.length)
          io.out(`… ${total - entries.length} older entries (use --since or --limit).\n`);
      }
      return 0;
    } finally {
      await api.close();
    }
  },
};
