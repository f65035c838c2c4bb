import { readCaFile } from '../../accounts/ca-pem.ts';
import { PRESETS } from '../../accounts/presets.ts';
import { archiveRegistry, callApi, openArchive, openSecrets } from '../archive-access.ts';
import { type CliCommand, CliError, type CliIo, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] account add --email E [--preset P | --imap-host H --imap-port N]
                                     [--security tls|starttls] [--ca FILE] [--user U] [--name NAME]
                                     [--smtp-host H] [--smtp-port N] [--smtp-security tls|starttls]
  pecdesk [--archive DIR] account list [--json]
  pecdesk [--archive DIR] account password --email E
  pecdesk [--archive DIR] account remove --email E
  pecdesk [--archive DIR] account limits --email E [--per-minute N] [--max-recipients N] [--max-size-mb N]

add: the password comes from PECDESK_PASSWORD, else it is asked on the terminal without echo.
     It goes to the OS keychain (or, where there is none, an encrypted file beside the archive),
     never to the archive database, bound to this archive and this server. Without --preset or
     --imap-host the preset is chosen from the address's domain when one matches. --ca FILE: PEM
     certificates of an extra CA for the server (a self-hosted server); they are kept in the archive.
     --smtp-host/--smtp-port/--smtp-security: the server PEC are sent through (default: the
     preset's; without a preset and without --smtp-host the mailbox only reads). The same password.
password: enters the password again (sync said no-password: a copied archive, a password from an
     older PecDesk, a changed server); this confirms the server the account names.
remove: forgets the account, its folders and its password; archived messages stay.
limits: the provider's limits sending keeps to (default 30 messages a minute, 500 recipients per
     message, 100 MB for the message times its recipients); "default" puts one back.
Presets: ${PRESETS.map((p) => p.id).join(', ')}
`;

/** "12.3 of 2048 MB (0.6 %), full in about 40 days": what the quota says, in one column. */
function quotaLine(q: NonNullable<import('../../api/contract.ts').PublicAccount['quota']>): string {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const days = q.forecastFullAt
    ? Math.max(0, Math.round((Date.parse(q.forecastFullAt) - Date.now()) / 86_400_000))
    : null;
  return `${mb(q.used)} of ${mb(q.limit)} MB (${q.percent} %)${days === null ? '' : `, full in about ${days} days`}`;
}

async function password(io: CliIo, email: string): Promise<string> {
  const fromEnv = io.env.PECDESK_PASSWORD;
  if (fromEnv) return fromEnv;
  const asked = await io.askSecret(`Password for ${email}: `);
  if (!asked) throw new CliError('no password: set PECDESK_PASSWORD or run on a terminal', 2);
  return asked;
}

export const accountCommand: CliCommand = {
  name: 'account',
  usage: 'account add|list|password|remove',
  summary: 'add, list or remove a mailbox (IMAP account), or enter its password again',
  help: HELP,
  async run(args, io, ctx) {
    const [sub, ...rest] = args;
    const parsed = parseCommandArgs(
      rest,
      {
        email: { type: 'string' },
        'imap-host': { type: 'string' },
        'imap-port': { type: 'string' },
        security: { type: 'string' },
        ca: { type: 'string' },
        user: { type: 'string' },
        preset: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean' },
        'smtp-host': { type: 'string' },
        'smtp-port': { type: 'string' },
        'smtp-security': { type: 'string' },
        'per-minute': { type: 'string' },
        'max-recipients': { type: 'string' },
        'max-size-mb': { type: 'string' },
      },
      HELP,
    );
    const v = parsed.values;
    if (!sub || sub === '--help' || sub === '-h' || v.help) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (sub === 'list') {
      const opened = await openArchive(ctx, io);
      try {
        const rows = await callApi(archiveRegistry(opened), 'accounts.list', {});
        if (v.json) io.out(`${jsonForTerminal(rows, 2)}\n`);
        else if (rows.length === 0) io.out('No accounts.\n');
        else {
          for (const a of rows) {
            io.out(
              `${tty`${a.email}\t${a.imapHost}:${a.imapPort} (${a.security})\t${a.syncState}`}${a.quota ? `\t${quotaLine(a.quota)}` : ''}${a.lastError ? tty`\t${a.lastError}` : ''}\n`,
            );
          }
        }
        return 0;
      } finally {
        opened.close();
      }
    }
    if (sub !== 'add' && sub !== 'remove' && sub !== 'password' && sub !== 'limits')
      throw new CliError(`unknown account command "${sub}"\n\n${HELP}`, 2);
    if (!v.email) throw new CliError(`--email is required\n\n${HELP}`, 2);
    const security = v.security;
    if (security !== undefined && security !== 'tls' && security !== 'starttls')
      throw new CliError('--security must be tls or starttls', 2);
    const port = v['imap-port'] !== undefined ? Number(v['imap-port']) : undefined;
    if (port !== undefined && !Number.isInteger(port)) throw new CliError('--imap-port must be a number', 2);
    const smtpSecurity = v['smtp-security'];
    if (smtpSecurity !== undefined && smtpSecurity !== 'tls' && smtpSecurity !== 'starttls')
      throw new CliError('--smtp-security must be tls or starttls', 2);
    const smtpPort = v['smtp-port'] !== undefined ? Number(v['smtp-port']) : undefined;
    if (smtpPort !== undefined && !Number.isInteger(smtpPort))
      throw new CliError('--smtp-port must be a number', 2);
    /** A limit flag: a positive number, "default" (null), or not given (unchanged). */
    const limit = (flag: 'per-minute' | 'max-recipients' | 'max-size-mb', scale = 1) => {
      const value = v[flag];
      if (value === undefined) return undefined;
      if (value === 'default') return null;
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0)
        throw new CliError(`--${flag} must be a positive number or "default"`, 2);
      return Math.round(n * scale);
    };
    // The CLI reads the CA file itself and sends the certificates: the API takes no paths.
    let caPem: string | undefined;
    if (v.ca) {
      const read = readCaFile(v.ca);
      if (!read.ok) throw new CliError(`--ca ${v.ca}: ${read.reason}`, 2);
      caPem = read.pem;
    }
    const opened = await openArchive(ctx, io);
    try {
      const registry = archiveRegistry(opened, await openSecrets(ctx, io));
      if (sub === 'remove') {
        const { removed } = await callApi(registry, 'accounts.remove', { email: v.email });
        io.out(tty`Removed ${removed}. Its archived messages are kept.\n`);
        return 0;
      }
      if (sub === 'limits') {
        const current = (await callApi(registry, 'accounts.list', {})).find(
          (a) => a.email === v.email!.trim().toLowerCase(),
        );
        if (!current) throw new CliError(`no account ${v.email} in this archive`);
        const pick = <T>(given: T | undefined, now: T) => (given === undefined ? now : given);
        const row = await callApi(registry, 'accounts.setSendLimits', {
          email: v.email,
          sendPerMinute: pick(limit('per-minute'), current.sendLimitsSet.perMinute),
          maxRecipients: pick(limit('max-recipients'), current.sendLimitsSet.maxRecipients),
          maxTotalBytes: pick(limit('max-size-mb', 1024 * 1024), current.sendLimitsSet.maxTotalBytes),
        });
        const l = row.sendLimits;
        io.out(
          tty`Limits of ${row.email}: ${l.perMinute} messages a minute, ${l.maxRecipients} recipients per message, ${Math.round(l.maxTotalBytes / 1024 / 1024)} MB for the message times its recipients.\n`,
        );
        return 0;
      }
      if (sub === 'password') {
        const row = await callApi(registry, 'accounts.setPassword', {
          email: v.email,
          password: await password(io, v.email),
        });
        io.out(
          tty`Password of ${row.email} stored for ${row.user} at ${row.imapHost}:${row.imapPort}. Run "pecdesk sync".\n`,
        );
        return 0;
      }
      const row = await callApi(registry, 'accounts.add', {
        email: v.email,
        password: await password(io, v.email),
        ...(v['imap-host'] ? { imapHost: v['imap-host'] } : {}),
        ...(port !== undefined ? { imapPort: port } : {}),
        ...(security ? { security } : {}),
        ...(caPem ? { caPem } : {}),
        ...(v.user ? { user: v.user } : {}),
        ...(v.preset ? { preset: v.preset } : {}),
        ...(v.name ? { displayName: v.name } : {}),
        ...(v['smtp-host'] ? { smtpHost: v['smtp-host'] } : {}),
        ...(smtpPort !== undefined ? { smtpPort } : {}),
        ...(smtpSecurity ? { smtpSecurity } : {}),
      });
      io.out(
        tty`Added ${row.email} (${row.imapHost}:${row.imapPort}, ${row.security}${row.smtpHost ? `; sends through ${row.smtpHost}:${row.smtpPort}, ${row.smtpSecurity}` : '; no SMTP server: it cannot send'}). Run "pecdesk sync" to archive its messages.\n`,
      );
      return 0;
    } finally {
      opened.close();
    }
  },
};
