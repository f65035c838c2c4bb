import { listAccounts } from '../../../db/accounts.ts';
import { listMessages } from '../../../db/messages.ts';
import { openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, type CliIo, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const HELP = `Usage: pecdesk [--archive DIR] messages [--json] [--limit N]

Lists the archived messages, newest first. --json prints an array with one object per message:
{ id, mailbox, account, kind, subject, date, threadId }.
`;

/** One message as `pecdesk messages` prints it, from the archive or through a server (HELP's fields). */
export interface MessageLine {
  id: number;
  mailbox: string | null;
  account: string | null;
  kind: string;
  subject: string | null;
  date: string | null;
  threadId: number | null;
}

/** The list as JSON (--json), or one tab-separated line per message. */
export function printMessages(io: CliIo, rows: MessageLine[], json: boolean): void {
  if (json) io.out(`${jsonForTerminal(rows, 2)}\n`);
  else
    for (const m of rows)
      io.out(tty`${m.id}\t${m.date ?? ''}\t${m.kind}\t${m.mailbox ?? ''}\t${m.subject ?? ''}\n`);
}

export const messagesCommand: CliCommand = {
  name: 'messages',
  usage: 'messages [--json]',
  summary: 'list the archived messages',
  help: HELP,
  async run(args, io, ctx) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' }, limit: { type: 'string' } }, HELP);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const limit = values.limit ? Number(values.limit) : undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new CliError('--limit must be a positive number', 2);
    const { archive, close } = await openArchive(ctx, io, true);
    try {
      const emails = new Map(listAccounts(archive.db).map((a) => [a.id, a.email]));
      const rows: MessageLine[] = listMessages(archive.db, limit).map((m) => ({
        id: m.id,
        mailbox: m.mailbox,
        account: m.account !== null ? (emails.get(m.account) ?? null) : null,
        kind: m.kind,
        subject: m.subject,
        date: m.date,
        threadId: m.threadId,
      }));
      printMessages(io, rows, values.json === true);
      return 0;
    } finally {
      close();
    }
  },
};
