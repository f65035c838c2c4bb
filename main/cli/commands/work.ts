/** `pecdesk work …` (issue 14): the work state of a PEC, assignment, presa in carico, handling. */

import type { WorkView } from '../../api/work-contract.ts';
import { openCliApi } from '../../client/cli-remote.ts';
import { STATE_WORDS } from '../../work/states.ts';
import { callApi } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';
import { parseWorkId } from './work-id.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] work show ID [--json]       # {state, assignee, tags, deadline, history}
  pecdesk [--archive DIR] work assign ID --to USER     (--office OFFICE for an office; --to "" for nobody)
  pecdesk [--archive DIR] work claim ID [--comment C]  # presa in carico
  pecdesk [--archive DIR] work wait ID [--comment C]   # in attesa
  pecdesk [--archive DIR] work done ID [--comment C]   # gestita
  pecdesk [--archive DIR] work reopen ID [--comment C]
  pecdesk [--archive DIR] work comment ID --comment C
  pecdesk [--archive DIR] work deadline ID --due 31/12/2026|2026-12-31|none
  pecdesk [--archive DIR] work list [--state S] [--overdue] [--json]

ID: a message id as "messages --json" prints it (id), standing for its list row: the PEC thread it
belongs to, when it has one; or a thread id (threadId) written t:12.
States: new (nuova), assigned (assegnata), claimed (presa in carico), waiting (in attesa), done (gestita).
The CLI acts as the archive's owner, and the activity log names it cli:<os user>.
`;

/** What `work show --json` prints: {state, assignee, tags, deadline, history} and a little more. */
function showJson(w: WorkView) {
  return {
    id: w.headId,
    threadId: w.threadId,
    subject: w.subject,
    state: w.state,
    assignee: w.assignee
      ? { type: 'user', name: w.assignee.name }
      : w.office
        ? { type: 'office', name: w.office.name }
        : null,
    office: w.office?.name ?? null,
    claimedBy: w.claimedBy,
    claimedAt: w.claimedAt,
    priority: w.priority,
    tags: w.tags.map((t) => t.name),
    deadline: w.deadline?.due ?? null,
    deadlineSource: w.deadline?.source ?? null,
    deadlineNote: w.deadline?.note ?? null,
    history: w.history.map((h) => ({
      at: h.at,
      by: h.actorName,
      action: h.action,
      from: h.from,
      to: h.to,
      comment: h.comment,
      ...(Object.keys(h.details).length > 0 ? { details: h.details } : {}),
    })),
  };
}

function parseDue(text: string | undefined): string | null {
  if (!text) throw new CliError(`--due is required\n\n${HELP}`, 2);
  if (/^(none|nessuna)$/i.test(text)) return null;
  const it = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const day = it ? `${it[3]}-${it[2]!.padStart(2, '0')}-${it[1]!.padStart(2, '0')}` : text;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
    throw new CliError(`--due must be a day (31/12/2026 or 2026-12-31) or none`, 2);
  return day;
}

const SUBS = ['show', 'assign', 'claim', 'wait', 'done', 'reopen', 'comment', 'deadline', 'list'];

export const workCommand: CliCommand = {
  name: 'work',
  usage: 'work show|assign|claim|wait|done|reopen|list',
  summary: 'work on a PEC: assign, take in charge, handle',
  help: HELP,
  async run(args, io, ctx) {
    const [sub, ...rest] = args;
    const { values: v, positionals: pos } = parseCommandArgs(
      rest,
      {
        json: { type: 'boolean' },
        to: { type: 'string' },
        office: { type: 'string' },
        comment: { type: 'string' },
        due: { type: 'string' },
        state: { type: 'string' },
        overdue: { type: 'boolean' },
        force: { type: 'boolean' },
      },
      HELP,
      true,
    );
    if (!sub || sub === '--help' || sub === '-h' || v.help) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (!SUBS.includes(sub)) throw new CliError(`unknown work command "${sub}"\n\n${HELP}`, 2);
    const ref = sub === 'list' ? null : parseWorkId(pos[0], HELP);
    if (sub === 'assign' && v.to === undefined && v.office === undefined)
      throw new CliError(`work assign needs --to USER (or --office OFFICE)\n\n${HELP}`, 2);
    if (sub === 'comment' && !v.comment) throw new CliError(`work comment needs --comment\n\n${HELP}`, 2);
    const state = v.state ? STATE_WORDS[v.state.toLowerCase()] : undefined;
    if (v.state && !state) throw new CliError(`--state is one of new, assigned, claimed, waiting, done`, 2);
    const due = sub === 'deadline' ? parseDue(v.due) : undefined;
    const api = await openCliApi(ctx, io);
    try {
      const registry = api.registry;
      if (sub === 'list') {
        const r = await callApi(registry, 'work.list', {
          ...(state ? { state } : {}),
          ...(v.overdue ? { overdue: true } : {}),
          limit: 5_000,
        });
        if (v.json)
          io.out(
            `${jsonForTerminal(
              r.rows.map((row) => ({
                id: row.id,
                threadId: row.threadId,
                subject: row.subject,
                date: row.date,
                mailbox: row.mailbox,
                state: row.work?.state ?? null,
                assignee: row.work?.assigneeUser ?? row.work?.assigneeOffice ?? null,
                claimedBy: row.work?.claimedBy ?? null,
                deadline: row.work?.due ?? null,
                tags: row.work?.tags.map((t) => t.name) ?? [],
              })),
              2,
            )}\n`,
          );
        else
          for (const row of r.rows)
            io.out(
              tty`${row.threadId !== null ? `t:${row.threadId}` : row.id}\t${row.work?.state ?? ''}\t${row.work?.due ?? ''}\t${row.work?.assigneeUser ?? row.work?.assigneeOffice ?? ''}\t${row.subject ?? ''}` +
                '\n',
            );
        return 0;
      }
      const comment = v.comment ? { comment: v.comment } : {};
      let work: WorkView;
      switch (sub) {
        case 'show':
          work = await callApi(registry, 'work.get', ref!);
          break;
        case 'assign':
          work = await callApi(registry, 'work.assign', {
            ...ref!,
            user: v.to ? v.to : null,
            ...(v.office !== undefined ? { office: v.office || null } : {}),
            ...comment,
          });
          break;
        case 'claim':
          work = await callApi(registry, 'work.claim', {
            ...ref!,
            ...comment,
            ...(v.force ? { force: true } : {}),
          });
          break;
        case 'wait':
          work = await callApi(registry, 'work.wait', { ...ref!, ...comment });
          break;
        case 'done':
          work = await callApi(registry, 'work.done', { ...ref!, ...comment });
          break;
        case 'reopen':
          work = await callApi(registry, 'work.reopen', { ...ref!, ...comment });
          break;
        case 'comment':
          work = await callApi(registry, 'work.comment', { ...ref!, text: v.comment! });
          break;
        default:
          work = await callApi(registry, 'work.setDeadline', { ...ref!, due: due ?? null });
      }
      if (v.json || sub === 'show') {
        if (v.json) io.out(`${jsonForTerminal(showJson(work), 2)}\n`);
        else {
          const j = showJson(work);
          io.out(
            tty`${work.key}\t${j.subject ?? ''}\nstate: ${j.state ?? 'not work'}\nassignee: ${j.assignee ? j.assignee.name : 'nobody'}\nclaimed by: ${j.claimedBy ?? '-'}${j.claimedAt ? ` at ${j.claimedAt}` : ''}\ntags: ${j.tags.join(', ') || '-'}\ndeadline: ${j.deadline ?? '-'}${j.deadlineSource ? ` (${j.deadlineSource})` : ''}\n`,
          );
          for (const h of j.history)
            io.out(
              tty`  ${h.at}\t${h.by}\t${h.action}${h.to ? ` → ${h.to}` : ''}${h.comment ? `: ${h.comment}` : ''}` +
                '\n',
            );
        }
      } else
        io.out(
          tty`${work.key}: ${work.state ?? 'not work'}${work.claimedBy ? ` (${work.claimedBy})` : ''}\n`,
        );
      return 0;
    } finally {
      await api.close();
    }
  },
};
