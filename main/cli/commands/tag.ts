/** `pecdesk tag …` (issue 14): the shared tags, and tags on list rows. */
import { openCliApi } from '../../client/cli-remote.ts';
import { callApi } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';
import { parseWorkId } from './work-id.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] tag create NAME [--color #rrggbb] [--category C]
  pecdesk [--archive DIR] tag add ID NAME
  pecdesk [--archive DIR] tag remove ID NAME
  pecdesk [--archive DIR] tag list [--json]

ID is a message id as "messages --json" prints it (its PEC thread is tagged), or a thread id as t:12.
Tags are found in search as tag:NAME (etichetta:NAME).
`;

export const tagCommand: CliCommand = {
  name: 'tag',
  usage: 'tag create|add|remove|list',
  summary: 'tags: create them, put them on messages, take them off',
  help: HELP,
  async run(args, io, ctx) {
    const [sub, ...rest] = args;
    const { values: v, positionals: pos } = parseCommandArgs(
      rest,
      { color: { type: 'string' }, category: { type: 'string' }, json: { type: 'boolean' } },
      HELP,
      true,
    );
    if (!sub || sub === '--help' || sub === '-h' || v.help) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (!['create', 'add', 'remove', 'list'].includes(sub))
      throw new CliError(`unknown tag command "${sub}"\n\n${HELP}`, 2);
    if (sub === 'create' && pos.length !== 1) throw new CliError(`tag create needs NAME\n\n${HELP}`, 2);
    if ((sub === 'add' || sub === 'remove') && pos.length !== 2)
      throw new CliError(`tag ${sub} needs ID and NAME\n\n${HELP}`, 2);
    if (v.color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(v.color))
      throw new CliError('--color must be a colour as #rrggbb', 2);
    const ref = sub === 'add' || sub === 'remove' ? parseWorkId(pos[0], HELP) : null;
    const api = await openCliApi(ctx, io);
    try {
      const registry = api.registry;
      if (sub === 'list') {
        const tags = await callApi(registry, 'tags.list', {});
        if (v.json) io.out(`${jsonForTerminal(tags, 2)}\n`);
        else if (tags.length === 0) io.out('No tags.\n');
        else for (const t of tags) io.out(tty`${t.name}\t${t.color}\t${t.count}` + '\n');
        return 0;
      }
      if (sub === 'create') {
        const tag = await callApi(registry, 'tags.create', {
          name: pos[0]!,
          ...(v.color ? { color: v.color } : {}),
          ...(v.category ? { category: v.category } : {}),
        });
        io.out(tty`Tag ${tag.name} created (${tag.color}).\n`);
        return 0;
      }
      const work = await callApi(registry, 'work.tag', { ...ref!, tag: pos[1]!, add: sub === 'add' });
      io.out(tty`${work.key}: ${work.tags.map((t) => t.name).join(', ') || 'no tags'}\n`);
      return 0;
    } finally {
      await api.close();
    }
  },
};
