/** `pecdesk office …`: groups of people, to grant rights to all of them at once. */
import { archiveRegistry, callApi, openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] office add --name O
  pecdesk [--archive DIR] office member --office O --user N
  pecdesk [--archive DIR] office head --office O (--user N | --none)
  pecdesk [--archive DIR] office list [--json]

A person in an office has the rights granted to the office ("pecdesk grant --office O …") as well
as their own, within what their role allows.
`;

export const officeCommand: CliCommand = {
  name: 'office',
  usage: 'office add|member|head|list',
  summary: 'offices: groups of people sharing rights',
  help: HELP,
  async run(args, io, ctx) {
    const [sub, ...rest] = args;
    const { values: v } = parseCommandArgs(
      rest,
      {
        name: { type: 'string' },
        office: { type: 'string' },
        user: { type: 'string' },
        none: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!sub || sub === '--help' || sub === '-h' || v.help) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (sub === 'add' && !v.name) throw new CliError(`--name is required\n\n${HELP}`, 2);
    if (sub === 'member' && (!v.office || !v.user))
      throw new CliError(`--office and --user are required\n\n${HELP}`, 2);
    if (sub === 'head' && (!v.office || Boolean(v.user) === Boolean(v.none)))
      throw new CliError(`--office and one of --user or --none are required\n\n${HELP}`, 2);
    if (!['add', 'member', 'head', 'list'].includes(sub))
      throw new CliError(`unknown office command "${sub}"\n\n${HELP}`, 2);
    const opened = await openArchive(ctx, io);
    try {
      const registry = archiveRegistry(opened);
      if (sub === 'list') {
        const offices = await callApi(registry, 'offices.list', {});
        if (v.json) io.out(`${jsonForTerminal(offices, 2)}\n`);
        else if (offices.length === 0) io.out('No offices.\n');
        else for (const o of offices) io.out(tty`${o.name}\t${o.members.join(', ')}` + '\n');
        return 0;
      }
      if (sub === 'add') {
        await callApi(registry, 'offices.create', { name: v.name! });
        io.out(tty`Office ${v.name!} created.\n`);
        return 0;
      }
      if (sub === 'head') {
        await callApi(registry, 'offices.setHead', { office: v.office!, user: v.user ?? null });
        io.out(
          v.user
            ? tty`${v.user} heads the office ${v.office!}.\n`
            : tty`The office ${v.office!} has no head now.\n`,
        );
        return 0;
      }
      await callApi(registry, 'offices.addMember', { office: v.office!, user: v.user! });
      io.out(tty`${v.user!} is in the office ${v.office!}.\n`);
      return 0;
    } finally {
      opened.close();
    }
  },
};
