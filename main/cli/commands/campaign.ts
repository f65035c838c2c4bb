import { writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { campaignOutboxIds } from '../../../db/campaigns.ts';
import { parseRecipientList } from '../../send/recipient-list.ts';
import { callApi } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';
import { openSendSession, readFileArg, readTextArg, receiptArg, stopSignal } from './send-support.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] campaign send --from ADDR --csv FILE --subject TPL (--body TPL | --body-file F)
                                        [--attach-column COL] [--address-column COL] [--name NAME]
                                        [--receipt completa|breve|sintetica] [--json]
  pecdesk [--archive DIR] campaign show ID [--json]
  pecdesk [--archive DIR] campaign list [--json]
  pecdesk [--archive DIR] campaign resume ID | pause ID | resend-failed ID
  pecdesk [--archive DIR] campaign export ID [--out FILE]

send: one PEC per row of the list (a CSV, semicolons or commas, or an .xlsx workbook; its first row
  names the columns). {{column}} in the subject and body takes each row's value ({{ragione_sociale}}
  matches a column "Ragione sociale"). The addresses come from a column named PEC or email (or
  --address-column); --attach-column names a column with each recipient's file(s), separated by ";",
  found beside the list. The whole list is checked and every message written to the outbox before
  anything is sent; prints {"campaignId": N} at once, then sends within the mailbox's messages per
  minute until the provider took each one. Stopped (Ctrl+C), it goes on with "campaign resume".
show: each recipient's state (queued, sent, accepted, delivered, failed) and the reason of a failure.
export: that table with the list's own columns, as CSV for Excel (semicolons, UTF-8).
resend-failed: a new PEC to each recipient whose PEC failed (the server's refusals go again as they were).
`;

export const campaignCommand: CliCommand = {
  name: 'campaign',
  usage: 'campaign send|show|list|resume|pause|export',
  summary: 'mass sending: one PEC per row of a CSV/XLSX list, with its receipts',
  help: HELP,
  async run(args, io, ctx) {
    const [sub, ...rest] = args;
    const parsed = parseCommandArgs(
      rest,
      {
        from: { type: 'string' },
        csv: { type: 'string' },
        subject: { type: 'string' },
        body: { type: 'string' },
        'body-file': { type: 'string' },
        'attach-column': { type: 'string' },
        'address-column': { type: 'string' },
        name: { type: 'string' },
        receipt: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
      true,
    );
    const v = parsed.values;
    if (!sub || sub === '--help' || sub === '-h' || v.help) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    const idArg = () => {
      const id = Number(parsed.positionals[0]);
      if (!Number.isInteger(id) || id <= 0) throw new CliError(`a campaign ID is needed\n\n${HELP}`, 2);
      return id;
    };
    if (sub === 'send') {
      if (!v.from || !v.csv || v.subject === undefined)
        throw new CliError(`--from, --csv and --subject are required\n\n${HELP}`, 2);
      if ((v.body === undefined) === (v['body-file'] === undefined))
        throw new CliError(`give either --body or --body-file\n\n${HELP}`, 2);
      const list = readFileArg(v.csv, '--csv');
      const body = v.body ?? readTextArg(v['body-file']!, '--body-file');
      // The files the attachment column names, read here beside the list: the core reads no path.
      const files: { filename: string; contentBase64: string }[] = [];
      if (v['attach-column']) {
        const parsedList = await parseRecipientList(
          list.filename,
          Buffer.from(list.contentBase64, 'base64'),
        ).catch((e: Error) => {
          throw new CliError(`--csv ${v.csv}: ${e.message}`, 1);
        });
        const column = v['attach-column'];
        if (!parsedList.columns.includes(column)) throw new CliError(`the list has no column "${column}"`, 2);
        const names = new Set(
          parsedList.rows.flatMap((r) =>
            (r[column] ?? '')
              .split(';')
              .map((f) => f.trim())
              .filter(Boolean),
          ),
        );
        for (const name of names) {
          const path = isAbsolute(name) ? name : join(dirname(v.csv), name);
          files.push({ ...readFileArg(path, 'attachment'), filename: name });
        }
      }
      const session = await openSendSession(ctx, io);
      const stop = stopSignal();
      try {
        const created = await callApi(session.registry, 'campaigns.create', {
          from: v.from,
          list,
          subject: v.subject,
          body,
          receiptType: receiptArg(v.receipt),
          files,
          ...(v.name ? { name: v.name } : {}),
          ...(v['attach-column'] ? { attachColumn: v['attach-column'] } : {}),
          ...(v['address-column'] ? { addressColumn: v['address-column'] } : {}),
        });
        io.out(
          v.json
            ? `${jsonForTerminal({ campaignId: created.campaignId })}\n`
            : `Campaign ${created.campaignId}: ${created.total} PEC queued.\n`,
        );
        io.err(`Campaign ${created.campaignId}: sending ${created.total} PEC…\n`);
        return await sendCampaign(session, created.campaignId, stop.signal, io);
      } finally {
        stop.dispose();
        await session.close();
      }
    }
    const session = await openSendSession(ctx, io);
    const stop = stopSignal();
    try {
      switch (sub) {
        case 'list': {
          const all = await callApi(session.registry, 'campaigns.list', {});
          if (v.json) io.out(`${jsonForTerminal(all, 2)}\n`);
          else if (all.length === 0) io.out('No campaigns.\n');
          else
            for (const c of all)
              io.out(
                tty`${c.id}\t${c.createdAt}\t${c.from}\t${c.name}\t${c.state}\t${c.total} recipients: ${c.counts.delivered} delivered, ${c.counts.accepted} accepted, ${c.counts.sent} sent, ${c.counts.queued} queued, ${c.counts.failed} failed\n`,
              );
          return 0;
        }
        case 'show': {
          const c = await callApi(session.registry, 'campaigns.get', { id: idArg() });
          if (v.json) {
            io.out(
              `${jsonForTerminal(
                {
                  id: c.id,
                  total: c.total,
                  name: c.name,
                  from: c.from,
                  state: c.state,
                  counts: c.counts,
                  recipients: c.recipients.map((r) => ({
                    address: r.address,
                    state: r.state,
                    reason: r.reason,
                    detail: r.detail,
                    row: r.row,
                    messageId: r.messageId,
                    sentAt: r.sentAt,
                    acceptedAt: r.acceptedAt,
                    deliveredAt: r.deliveredAt,
                  })),
                },
                2,
              )}\n`,
            );
          } else {
            io.out(tty`Campaign ${c.id} "${c.name}" from ${c.from}: ${c.state}, ${c.total} recipients\n`);
            for (const r of c.recipients)
              io.out(
                tty`  ${r.row}\t${r.address}\t${r.state}${r.reason ? ` — ${r.reason}` : ''}${r.detail ? ` (${r.detail})` : ''}\n`,
              );
          }
          return 0;
        }
        case 'pause': {
          const c = await callApi(session.registry, 'campaigns.pause', { id: idArg() });
          io.out(tty`Campaign ${c.id}: paused.\n`);
          return 0;
        }
        case 'resume': {
          const id = idArg();
          await callApi(session.registry, 'campaigns.resume', { id });
          io.err(`Campaign ${id}: sending what is left…\n`);
          return await sendCampaign(session, id, stop.signal, io);
        }
        case 'resend-failed': {
          const id = idArg();
          const { resent } = await callApi(session.registry, 'campaigns.resendFailed', { id });
          io.err(`Campaign ${id}: ${resent} PEC sent again…\n`);
          return resent > 0 ? await sendCampaign(session, id, stop.signal, io) : 0;
        }
        case 'export': {
          const { contentBase64 } = await callApi(session.registry, 'campaigns.export', { id: idArg() });
          const csv = Buffer.from(contentBase64, 'base64');
          if (v.out) writeFileSync(v.out, csv, { flag: 'wx' });
          else io.out(csv.toString('utf8'));
          return 0;
        }
        default:
          throw new CliError(`unknown campaign command "${sub}"\n\n${HELP}`, 2);
      }
    } finally {
      stop.dispose();
      await session.close();
    }
  },
};

/** Sends the campaign's waiting PEC; 0 once the provider took every one, 1 if any was refused or left. */
async function sendCampaign(
  session: Awaited<ReturnType<typeof openSendSession>>,
  id: number,
  signal: AbortSignal,
  io: Parameters<CliCommand['run']>[1],
): Promise<number> {
  const ids = campaignOutboxIds(session.opened.archive.db, id);
  await session.run(ids, { signal, quiet: true });
  const c = await callApi(session.registry, 'campaigns.get', { id });
  const waiting = c.counts.queued;
  io.err(
    `Campaign ${id}: ${c.total - waiting - c.counts.failed} of ${c.total} taken by the provider, ${c.counts.failed} failed, ${waiting} waiting.\n`,
  );
  return waiting === 0 && c.counts.failed === 0 ? 0 : 1;
}
