/**
 * `pecdesk grant` and `pecdesk revoke`: rights of a person or an office on one mailbox or on all of
 * them (main/auth/rights.ts), over the same API as the app's "Persone e permessi".
 */
import { archiveRegistry, callApi, openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const GRANT_HELP = `Usage:
  pecdesk [--archive DIR] grant (--user N | --office O) (--mailbox ADDR | --all) --rights read,route,send,manage
  pecdesk [--archive DIR] grant list [--json]

Rights: read (see its messages, counts, search hits, attachments), route (assign, tag, take in
charge), send (send and reply), manage (settings, emptying, export). A role caps them: a reader only
ever reads, an operator never manages; owner and administrators have every right everywhere.
Granting again replaces the rights on that mailbox. --all: every mailbox, those added later too.
`;

const REVOKE_HELP = `Usage:
  pecdesk [--archive DIR] revoke (--user N | --office O) (--mailbox ADDR | --all)

Removes what was granted on that mailbox (or the grant on all mailboxes); the person's open windows
stop showing it at their next request.
`;

const OPTIONS = {
  user: { type: 'string' },
  office: { type: 'string' },
  mailbox: { type: 'string' },
  all: { type: 'boolean' },
  rights: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function target(v: { user?: string; office?: string; mailbox?: string; all?: boolean }, help: string) {
  if (Boolean(v.user) === Boolean(v.office)) throw new CliError(`name --user or --office\n\n${help}`, 2);
  if (Boolean(v.mailbox) === Boolean(v.all)) throw new CliError(`name --mailbox or --all\n\n${help}`, 2);
  return {
    ...(v.user ? { user: v.user } : { office: v.office! }),
    ...(v.all ? { all: true } : { mailbox: v.mailbox! }),
  };
}

const where = (t: { mailbox?: string; all?: boolean }) => (t.all ? 'every mailbox' : t.mailbox!);
const who = (t: { user?: string; office?: string }) => (t.user ? t.user : `office ${t.office}`);

export const grantCommand: CliCommand = {
  name: 'grant',
  usage: 'grant --user N --mailbox ADDR --rights R',
  summary: 'give a person or an office rights on a mailbox',
  help: GRANT_HELP,
  async run(args, io, ctx) {
    const list = args[0] === 'list';
    const { values: v } = parseCommandArgs(list ? args.slice(1) : args, OPTIONS, GRANT_HELP);
    if (v.help || args.length === 0) {
      io.out(GRANT_HELP);
      return v.help ? 0 : 2;
    }
    const opened = await openArchive(ctx, io);
    try {
      const registry = archiveRegistry(opened);
      if (list) {
        const grants = await callApi(registry, 'grants.list', {});
        if (v.json) io.out(`${jsonForTerminal(grants, 2)}\n`);
        else if (grants.length === 0)
          io.out('No rights granted: only the owner and administrators see mailboxes.\n');
        else
          for (const g of grants)
            io.out(
              tty`${g.subjectType === 'office' ? `office ${g.subject}` : g.subject}\t${g.mailbox ?? 'every mailbox'}\t${g.rights.join(',')}` +
                '\n',
            );
        return 0;
      }
      if (!v.rights) throw new CliError(`--rights is required\n\n${GRANT_HELP}`, 2);
      const t = target(v, GRANT_HELP);
      await callApi(registry, 'grants.put', { ...t, rights: v.rights });
      io.out(tty`${who(t)}: ${v.rights} on ${where(t)}.\n`);
      return 0;
    } finally {
      opened.close();
    }
  },
};

export const revokeCommand: CliCommand = {
  name: 'revoke',
  usage: 'revoke --user N --mailbox ADDR',
  summary: 'take back the rights granted on a mailbox',
  help: REVOKE_HELP,
  async run(args, io, ctx) {
    const { values: v } = parseCommandArgs(args, OPTIONS, REVOKE_HELP);
    if (v.help || args.length === 0) {
      io.out(REVOKE_HELP);
      return v.help ? 0 : 2;
    }
    const t = target(v, REVOKE_HELP);
    const opened = await openArchive(ctx, io);
    try {
      const { removed } = await callApi(archiveRegistry(opened), 'grants.remove', t);
      if (removed === 0) throw new CliError(`${who(t)} had no rights granted on ${where(t)}`, 1);
      io.out(tty`${who(t)}: no rights on ${where(t)} any more.\n`);
      return 0;
    } finally {
      opened.close();
    }
  },
};
