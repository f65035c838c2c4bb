import { openCliApi } from '../../client/cli-remote.ts';
import { callApi } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const HELP = `Usage: pecdesk [--archive DIR] thread ID [--json]

Shows a PEC with its receipts, as the app's reader does: its state, each recipient and how far
delivery got (pending, delivered, failed, warning, no-proof for ordinary-mail recipients), and every
message of the thread ("members"). ID is the threadId that "pecdesk messages" prints, or the PEC's
Message-ID (msgid) or identificativo.
`;

export const threadCommand: CliCommand = {
  name: 'thread',
  usage: 'thread ID [--json]',
  summary: 'a PEC with its receipts and per-recipient delivery state',
  help: HELP,
  async run(args, io, ctx) {
    const parsed = parseCommandArgs(args, { json: { type: 'boolean' } }, HELP, true);
    if (parsed.values.help) {
      io.out(HELP);
      return 0;
    }
    const key = parsed.positionals[0];
    if (!key) throw new CliError(`a thread ID is needed\n\n${HELP}`, 2);
    const api = await openCliApi(ctx, io);
    try {
      const thread = await callApi(
        api.registry,
        'threads.get',
        /^\d+$/.test(key) ? { id: Number(key) } : { msgid: key },
      );
      if (parsed.values.json) {
        io.out(`${jsonForTerminal(thread, 2)}\n`);
      } else {
        io.out(
          tty`${thread.subject ?? '(no subject)'}\n${thread.direction} · ${thread.state} · ${thread.identificativo ?? ''}\n`,
        );
        for (const r of thread.recipients) {
          io.out(
            tty`  ${r.address} (${r.type}): ${r.state}${r.stateAt ? ` ${r.stateAt}` : ''}${r.errorDetail ? ` — ${r.errorDetail}` : ''}\n`,
          );
        }
        for (const m of thread.members)
          io.out(tty`  #${m.id} ${m.kind} ${m.date ?? ''} [${m.signatureVerdict}]\n`);
      }
      return 0;
    } finally {
      await api.close();
    }
  },
};
