import { callApi } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';
import { openAnySendSession, readFileArg, readTextArg, receiptArg, stopSignal } from './send-support.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] send --from ADDR --to A[,B…] [--cc C[,D…]] --subject S
                               (--body TEXT | --body-file F) [--attach FILE]…
                               [--receipt completa|breve|sintetica] [--wait SECONDS] [--json]

Sends a PEC from one of the archive's mailboxes. The message (with the Message-ID PecDesk gives it)
and its outbox row are written to the archive before anything is sent, so it is never lost: if the
provider cannot be reached, PecDesk tries again with growing pauses, and a PEC still waiting when
this command ends is sent the next time PecDesk runs (the app, or "pecdesk outbox resume").
Exits 0 once the provider took the message (its acceptance then arrives with the next sync),
1 when it refused it or it is still waiting after --wait seconds (default 120), 2 on wrong usage.
Checked first, as the provider would: recipients per message, size × recipients, no Bcc.
  --receipt   the delivery receipt asked for (X-TipoRicevuta): completa (default: with the
              message and its attachments), breve (attachments as their hashes), sintetica
  --json      prints {outboxId, messageId, state}
`;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

export const sendCommand: CliCommand = {
  name: 'send',
  usage: 'send --from A --to B --subject S --body T',
  summary: 'send a PEC (written to the outbox first, never twice)',
  help: HELP,
  async run(args, io, ctx) {
    const { values } = parseCommandArgs(
      args,
      {
        from: { type: 'string' },
        to: { type: 'string', multiple: true },
        cc: { type: 'string', multiple: true },
        bcc: { type: 'string', multiple: true },
        subject: { type: 'string' },
        body: { type: 'string' },
        'body-file': { type: 'string' },
        attach: { type: 'string', multiple: true },
        receipt: { type: 'string' },
        wait: { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (!values.from) throw new CliError(`--from is required\n\n${HELP}`, 2);
    const to = (values.to ?? []).flatMap(list);
    if (to.length === 0) throw new CliError(`--to is required\n\n${HELP}`, 2);
    if (values.subject === undefined) throw new CliError(`--subject is required\n\n${HELP}`, 2);
    if ((values.body === undefined) === (values['body-file'] === undefined))
      throw new CliError(`give either --body or --body-file\n\n${HELP}`, 2);
    if ((values.bcc ?? []).length > 0)
      throw new CliError('a PEC cannot have Bcc recipients: the provider refuses it (use --cc)', 2);
    const waitSeconds = values.wait === undefined ? 120 : Number(values.wait);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
      throw new CliError('--wait must be a number of seconds', 2);
    const text = values.body ?? readTextArg(values['body-file']!, '--body-file');
    const attachments = (values.attach ?? []).map((f) => readFileArg(f, '--attach'));
    const receiptType = receiptArg(values.receipt);
    const session = await openAnySendSession(ctx, io);
    const stop = stopSignal();
    try {
      const sent = await callApi(session.registry, 'outbox.send', {
        from: values.from,
        to,
        cc: (values.cc ?? []).flatMap(list),
        subject: values.subject,
        text,
        receiptType,
        attachments,
      });
      // Written and committed: from here on the PEC is sent exactly once, whatever happens.
      io.err(tty`Queued as outbox ${sent.outboxId}, Message-ID ${sent.messageId}\n`);
      await session.run([sent.outboxId], { waitMs: waitSeconds * 1000, signal: stop.signal });
      const row = (await session.row(sent.outboxId))!;
      const result = { outboxId: row.id, messageId: row.messageId, state: row.state };
      if (values.json) io.out(`${jsonForTerminal(result)}\n`);
      else if (row.state === 'sent')
        io.out(tty`Sent: the provider took ${row.messageId} (outbox ${row.id}).\n`);
      else if (row.state === 'failed') io.out(tty`Not sent: ${row.lastError ?? row.lastErrorCode}\n`);
      else
        io.out(
          tty`Still waiting (${row.lastError ?? row.state}): PecDesk sends it when it runs again, or "pecdesk outbox resume".\n`,
        );
      return row.state === 'sent' ? 0 : 1;
    } finally {
      stop.dispose();
      await session.close();
    }
  },
};
