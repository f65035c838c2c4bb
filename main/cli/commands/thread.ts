import { threadMembers } from '../../../db/messages.ts';
import { findThread, getThread, threadRecipientsOf } from '../../../db/threads.ts';
import { openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';

const HELP = `Usage: pecdesk [--archive DIR] thread ID [--json]

Shows a PEC with its receipts: its state, each recipient and how far delivery got (pending,
delivered, failed, warning, no-proof for ordinary-mail recipients), and every message of the thread.
ID is the threadId that "pecdesk messages" prints, or the PEC's Message-ID (msgid).
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
    const { archive, close } = await openArchive(ctx, io, true);
    try {
      const thread = /^\d+$/.test(key)
        ? getThread(archive.db, Number(key))
        : findThread(archive.db, key, key);
      if (!thread) throw new CliError(`no thread ${key}`);
      const value = {
        id: thread.id,
        msgid: thread.msgid,
        identificativo: thread.identificativo,
        subject: thread.subject,
        sender: thread.sender,
        direction: thread.direction,
        state: thread.state,
        acceptedAt: thread.acceptedAt,
        lastActivityAt: thread.lastActivityAt,
        recipients: threadRecipientsOf(archive.db, thread.id).map((r) => ({
          address: r.address,
          type: r.type,
          state: r.state,
          stateAt: r.stateAt,
          provider: r.provider,
          error: r.error,
          errorDetail: r.errorDetail,
          receiptMessageId: r.receiptMessageId,
        })),
        messages: threadMembers(archive.db, thread.id).map((m) => ({
          id: m.id,
          kind: m.kind,
          subject: m.subject,
          date: m.certDate ?? m.date,
          deliveryAddress: m.deliveryAddress,
          signature: m.signatureVerdict,
        })),
      };
      if (parsed.values.json) {
        io.out(`${JSON.stringify(value, null, 2)}\n`);
      } else {
        io.out(
          `${value.subject ?? '(no subject)'}\n${value.direction} · ${value.state} · ${value.identificativo ?? ''}\n`,
        );
        for (const r of value.recipients)
          io.out(
            `  ${r.address} (${r.type}): ${r.state}${r.stateAt ? ` ${r.stateAt}` : ''}${r.errorDetail ? ` — ${r.errorDetail}` : ''}\n`,
          );
        for (const m of value.messages) io.out(`  #${m.id} ${m.kind} ${m.date ?? ''} [${m.signature}]\n`);
      }
      return 0;
    } finally {
      close();
    }
  },
};
