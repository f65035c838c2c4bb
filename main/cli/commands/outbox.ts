import { callApi } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';
import { openAnySendSession, stopSignal } from './send-support.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] outbox [--json] [--limit N]
  pecdesk [--archive DIR] outbox resume [--json]
  pecdesk [--archive DIR] outbox retry ID
  pecdesk [--archive DIR] outbox cancel ID

outbox: every PEC sent from this archive, newest first, with how far it got: queued, retrying,
  sending, verifying (an interrupted sending: PecDesk looks for the provider's acceptance before
  sending again), sent (the provider took it), accepted, not-accepted, delivered, partial,
  delivery-failed, failed (the server refused it), cancelled.
resume: sends what is waiting (queued, or interrupted by a stop or a crash) and returns when the
  provider took each one, or refused it. Exits 1 when any is still waiting or was refused.
retry: sends again a PEC the server refused. cancel: a PEC not yet handed to the provider.
`;

export const outboxCommand: CliCommand = {
  name: 'outbox',
  usage: 'outbox [resume|retry|cancel] [--json]',
  summary: 'the PEC sent from this archive and their state; send what is waiting',
  help: HELP,
  async run(args, io, ctx) {
    const parsed = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, limit: { type: 'string' } },
      HELP,
      true,
    );
    if (parsed.values.help) {
      io.out(HELP);
      return 0;
    }
    const [sub, idText] = parsed.positionals;
    const session = await openAnySendSession(ctx, io);
    const stop = stopSignal();
    try {
      if (sub === 'resume') {
        const ids = await session.unsettled();
        await session.run(ids, { signal: stop.signal });
        const { rows } = await callApi(session.registry, 'outbox.list', { offset: 0, limit: 500 });
        const mine = rows.filter((r) => ids.includes(r.id));
        if (parsed.values.json) io.out(`${jsonForTerminal(mine, 2)}\n`);
        else io.out(`${mine.length} waiting PEC handled.\n`);
        return mine.every((r) => !['queued', 'retrying', 'sending', 'verifying', 'failed'].includes(r.state))
          ? 0
          : 1;
      }
      if (sub === 'retry' || sub === 'cancel') {
        const id = Number(idText);
        if (!Number.isInteger(id) || id <= 0) throw new CliError(`an outbox ID is needed\n\n${HELP}`, 2);
        const row = await callApi(session.registry, sub === 'retry' ? 'outbox.retry' : 'outbox.cancel', {
          id,
        });
        if (sub === 'retry') await session.run([id], { signal: stop.signal, waitMs: 120_000 });
        io.out(parsed.values.json ? `${jsonForTerminal(row)}\n` : tty`outbox ${row.id}: ${row.state}\n`);
        return 0;
      }
      if (sub !== undefined) throw new CliError(`unknown outbox command "${sub}"\n\n${HELP}`, 2);
      const limit = parsed.values.limit === undefined ? 500 : Number(parsed.values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw new CliError('--limit must be 1 to 500', 2);
      const { rows } = await callApi(session.registry, 'outbox.list', { offset: 0, limit });
      if (parsed.values.json) {
        io.out(`${jsonForTerminal(rows, 2)}\n`);
        return 0;
      }
      if (rows.length === 0) io.out('The outbox is empty.\n');
      for (const r of rows) {
        const to = r.recipients.map((x) => x.address).join(', ');
        const delivered = r.recipientCount > 0 ? ` ${r.delivered}/${r.recipientCount} delivered` : '';
        io.out(
          tty`${r.id}\t${r.createdAt}\t${r.from} → ${to}\t${r.subject ?? ''}\t${r.state}${delivered}${r.error ? ` — ${r.error}` : ''}\n`,
        );
      }
      return 0;
    } finally {
      stop.dispose();
      await session.close();
    }
  },
};
