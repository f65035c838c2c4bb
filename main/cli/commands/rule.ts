/** `pecdesk rule …` (issue 14): routing rules from RULE.json, tried, saved, applied, listed. */
import { readFileSync } from 'node:fs';
import { parseRule, type RuleDefinition } from '../../work/rules.ts';
import { archiveRegistry, callApi, openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] rule add --file RULE.json
  pecdesk [--archive DIR] rule test --file RULE.json [--json]     # {"matches":N,"ids":[…]}
  pecdesk [--archive DIR] rule apply RULE_ID [--dry-run] [--json]
  pecdesk [--archive DIR] rule list [--json]
  pecdesk [--archive DIR] rule remove RULE_ID

RULE.json (README "Working as a team"), e.g. every message from SdI gets the tag SdI:
  {"name": "SdI", "match": "all",
   "conditions": [{"field": "senderDomain", "op": "is", "value": "pec.fatturapa.it"}],
   "actions": [{"type": "tag", "tags": ["SdI"]}]}
Rules run in order on every message archived; "rule apply" runs one on the messages already there.
`;

function readRule(file: string | undefined): RuleDefinition {
  if (!file) throw new CliError(`--file RULE.json is required\n\n${HELP}`, 2);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message}`, 2);
  }
  const parsed = parseRule(json);
  if (!parsed.ok) throw new CliError(`${file} is not a valid rule:\n  ${parsed.problems.join('\n  ')}`, 2);
  return parsed.rule;
}

function ruleId(text: string | undefined): number {
  const id = Number(text);
  if (!text || !Number.isSafeInteger(id) || id < 1)
    throw new CliError(`RULE_ID must be a rule's number (rule list)\n\n${HELP}`, 2);
  return id;
}

export const ruleCommand: CliCommand = {
  name: 'rule',
  usage: 'rule add|test|apply|list|remove',
  summary: 'routing rules: tags, assignment, deadlines on arrival',
  help: HELP,
  async run(args, io, ctx) {
    const [sub, ...rest] = args;
    const { values: v, positionals: pos } = parseCommandArgs(
      rest,
      { file: { type: 'string' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
      HELP,
      true,
    );
    if (!sub || sub === '--help' || sub === '-h' || v.help) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (!['add', 'test', 'apply', 'list', 'remove'].includes(sub))
      throw new CliError(`unknown rule command "${sub}"\n\n${HELP}`, 2);
    const rule = sub === 'add' || sub === 'test' ? readRule(v.file) : null;
    const id = sub === 'apply' || sub === 'remove' ? ruleId(pos[0]) : null;
    const opened = await openArchive(ctx, io, true);
    try {
      const registry = archiveRegistry(opened);
      if (sub === 'test') {
        const r = await callApi(registry, 'rules.test', { rule: rule!, limit: 1_000_000 });
        if (v.json) io.out(`${jsonForTerminal({ matches: r.matches, ids: r.ids })}\n`);
        else {
          io.out(`${r.matches} messages would match.\n`);
          for (const row of r.rows.slice(0, 20))
            io.out(tty`${row.id}\t${row.date}\t${row.subject ?? ''}` + '\n');
        }
        return 0;
      }
      if (sub === 'add') {
        const saved = await callApi(registry, 'rules.save', { rule: rule! });
        if (v.json) io.out(`${jsonForTerminal(saved, 2)}\n`);
        else io.out(tty`Rule ${saved.id} "${saved.name}" saved (position ${saved.position}).\n`);
        return 0;
      }
      if (sub === 'apply') {
        const r = await callApi(registry, 'rules.apply', { id: id!, dryRun: Boolean(v['dry-run']) });
        if (v.json) io.out(`${jsonForTerminal(r)}\n`);
        else
          io.out(
            r.dryRun
              ? `${r.matches} messages would match; nothing changed (--dry-run).\n`
              : `${r.matches} messages matched; ${r.changed} rows changed.\n`,
          );
        return 0;
      }
      if (sub === 'remove') {
        await callApi(registry, 'rules.remove', { id: id! });
        io.out(`Rule ${id} removed.\n`);
        return 0;
      }
      const rules = await callApi(registry, 'rules.list', {});
      if (v.json) io.out(`${jsonForTerminal(rules, 2)}\n`);
      else if (rules.length === 0) io.out('No rules.\n');
      else
        for (const r of rules)
          io.out(tty`${r.id}\t${r.position}\t${r.enabled ? 'on' : 'off'}\t${r.name}` + '\n');
      return 0;
    } finally {
      opened.close();
    }
  },
};
