/**
 * `pecdesk user …`: the people of the archive, over the same API as the app (main/api/
 * people-contract.ts). The CLI runs on the archive's own machine as its owner and the log names it
 * "cli:<os user>".
 */
import type { PublicUser } from '../../api/people-contract.ts';
import { archiveRegistry, callApi, openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, type CliIo, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] user add --name N --role owner|admin|operator|reader [--display-name D]
  pecdesk [--archive DIR] user list [--json]
  pecdesk [--archive DIR] user remove --name N
  pecdesk [--archive DIR] user password --name N
  pecdesk [--archive DIR] user sessions-revoke --name N
  pecdesk [--archive DIR] user logins-on

add: the password comes from PECDESK_USER_PASSWORD, else it is asked on the terminal without echo;
     left empty, the person gets a one-time invitation code (valid 7 days) to choose their own in
     the app. --role owner creates the archive's owner (only when it has none yet) with personal
     logins on: the way to set up an office server without a screen. Operators and readers see only
     the mailboxes granted to them ("pecdesk grant").
list: people, their role, two-factor authentication, offices; disabled people are not listed.
remove: disables the person: they can no longer sign in, their sessions end; what they did stays in
     the activity log under their name.
password: sets a new password (PECDESK_USER_PASSWORD or asked) and ends their sessions.
sessions-revoke: ends every open session of the person (a lost laptop).
logins-on: from "solo io" to personal logins: the owner's password (PECDESK_USER_PASSWORD or asked)
     is set, and from now on everyone signs in (the CLI on this machine still acts as the owner).
`;

async function askPassword(io: CliIo, name: string, allowEmpty: boolean): Promise<string | null> {
  const fromEnv = io.env.PECDESK_USER_PASSWORD;
  if (fromEnv) return fromEnv;
  const asked = await io.askSecret(
    allowEmpty ? `Password for ${name} (empty: an invitation code instead): ` : `Password for ${name}: `,
  );
  if (asked === null && !allowEmpty)
    throw new CliError('no password: set PECDESK_USER_PASSWORD or run on a terminal', 2);
  return asked ? asked : null;
}

function userLine(u: PublicUser): string {
  const extras = [
    u.totp ? '2FA' : null,
    u.locked ? 'locked' : null,
    u.offices.length > 0 ? `offices: ${u.offices.join(', ')}` : null,
  ].filter(Boolean);
  return tty`${u.name}\t${u.role}\t${u.displayName ?? ''}\t${extras.join('; ')}` + '\n';
}

export const userCommand: CliCommand = {
  name: 'user',
  usage: 'user add|list|remove|password',
  summary: 'people with personal logins: add, list, disable, set a password',
  help: HELP,
  async run(args, io, ctx) {
    const [sub, ...rest] = args;
    const { values: v } = parseCommandArgs(
      rest,
      {
        name: { type: 'string' },
        role: { type: 'string' },
        'display-name': { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!sub || sub === '--help' || sub === '-h' || v.help) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (!['add', 'list', 'remove', 'password', 'sessions-revoke', 'logins-on'].includes(sub))
      throw new CliError(`unknown user command "${sub}"\n\n${HELP}`, 2);
    if (sub !== 'list' && sub !== 'logins-on' && !v.name)
      throw new CliError(`--name is required\n\n${HELP}`, 2);
    const name = v.name ?? '';
    const opened = await openArchive(ctx, io);
    try {
      const registry = archiveRegistry(opened);
      if (sub === 'list') {
        const users = await callApi(registry, 'users.list', {});
        if (v.json) io.out(`${jsonForTerminal(users, 2)}\n`);
        else if (users.length === 0)
          io.out('No people yet: the app asks for the owner at its first start.\n');
        else for (const u of users) io.out(userLine(u));
        return 0;
      }
      if (sub === 'logins-on') {
        const status = await callApi(registry, 'auth.status', {});
        if (status.mode === 'logins') {
          io.out('Personal logins are already on.\n');
          return 0;
        }
        const ownerName = status.user?.name ?? 'the owner';
        const password = (await askPassword(io, ownerName, false))!;
        await callApi(registry, 'auth.enableLogins', { password });
        io.out(tty`Personal logins are on: ${ownerName} signs in with this password from now on.\n`);
        return 0;
      }
      if (sub === 'remove') {
        const { removed } = await callApi(registry, 'users.remove', { name });
        io.out(tty`${removed} can no longer sign in; what they did stays in the activity log.\n`);
        return 0;
      }
      if (sub === 'sessions-revoke') {
        const { revoked } = await callApi(registry, 'users.revokeSessions', { name });
        io.out(tty`Ended ${String(revoked)} open session(s) of ${name}.\n`);
        return 0;
      }
      if (sub === 'password') {
        const password = (await askPassword(io, name, false))!;
        await callApi(registry, 'users.setPassword', { name, password });
        io.out(tty`New password set for ${name}; their open sessions have ended.\n`);
        return 0;
      }
      const role = v.role;
      if (role !== 'owner' && role !== 'admin' && role !== 'operator' && role !== 'reader')
        throw new CliError('--role must be owner, admin, operator or reader', 2);
      const displayName = v['display-name'];
      if (role === 'owner') {
        const status = await callApi(registry, 'auth.status', {});
        if (!status.needsSetup) throw new CliError('this archive already has its owner', 1);
        const password = await askPassword(io, name, false);
        await callApi(registry, 'auth.setup', {
          name,
          ...(displayName ? { displayName } : {}),
          password: password!,
        });
        io.out(tty`${name} is the owner of this archive; personal logins are on.\n`);
        return 0;
      }
      const status = await callApi(registry, 'auth.status', {});
      if (status.needsSetup)
        throw new CliError(
          'this archive has no owner yet: open PecDesk once, or "pecdesk user add --name N --role owner"',
          1,
        );
      const password = await askPassword(io, name, true);
      const { user, invitation } = await callApi(registry, 'users.add', {
        name,
        role,
        ...(displayName ? { displayName } : {}),
        ...(password ? { password } : {}),
      });
      io.out(tty`Added ${user.name} (${user.role}).\n`);
      if (invitation) io.out(tty`Invitation code for ${user.name} (once, valid 7 days): ${invitation}\n`);
      if (role !== 'admin')
        io.out(
          tty`They see no mailbox until one is granted: pecdesk grant --user ${user.name} --mailbox ADDR --rights read\n`,
        );
      if (status.mode === 'single')
        io.out(
          "Personal logins are off ('solo io'): nobody signs in until the owner turns them on in the app (Persone e permessi).\n",
        );
      return 0;
    } finally {
      opened.close();
    }
  },
};
