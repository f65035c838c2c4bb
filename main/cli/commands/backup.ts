import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createBackup } from '../../backup/create.ts';
import type { BackupManifest } from '../../backup/manifest.ts';
import {
  BackupProblem,
  isEmptyFolder,
  RESTORE_STAGING,
  restoreBackup,
  verifyBackup,
} from '../../backup/restore.ts';
import { type CliCommand, type CliContext, CliError, type CliIo, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';

const BACKUP_HELP = `Usage:
  pecdesk backup --archive DIR --out FILE [--json]
  pecdesk backup verify FILE [--json]

backup: one file (a tar; FILE ending in .gz or .tgz is gzipped) with a consistent snapshot of the
     archive taken while the server or the app keeps working (SQLite's online backup), every
     message object its rows name, the archive's settings and the server's TLS certificate and key
     (a restored server keeps its fingerprint), and pecdesk-backup/manifest.json (rows per table,
     the database's SHA-256) with pecdesk-backup/SHA256SUMS (one line per file, for sha256sum -c).
     The mailbox passwords' file secrets.enc.json is included encrypted as it is; its key is NOT in
     the backup (PECDESK_SECRET_KEY, or the key file of the user who made it): keep it apart.
     FILE must not exist. Exit 0; 1 when it failed, or when the backup was written but the archive
     itself has problems (objects missing or damaged), which it lists.
verify: reads a backup through and checks every file against SHA256SUMS and the manifest.
     Exit 0: {"ok":true,…}; exit 1 naming the first file that does not hold: {"ok":false,"file":…}.
`;

const RESTORE_HELP = `Usage: pecdesk restore --from FILE --archive DIR [--json]

Restores a backup made by pecdesk backup into DIR, which must be empty or new (an archive in use is
never overwritten). Every object, the database and every other file is checked against its SHA-256,
SQLite's integrity check must pass, every table must hold the rows the backup counted and every
message the database names must be there; only then is the archive moved into DIR, else DIR is left
empty and the first file that does not hold is named (exit 1). secrets.enc.json comes back
encrypted: start PecDesk with the same PECDESK_SECRET_KEY (or the same key file), or enter the
mailbox passwords again (pecdesk account password --email ADDRESS).
`;

/** `--archive` given after the command wins over the one given before it (or the default). */
function archiveOf(value: string | undefined, ctx: CliContext): string {
  return value ? resolve(value) : ctx.archiveDir;
}

function secretsLine(manifest: BackupManifest): string {
  if (!manifest.secrets.included)
    return 'No secrets.enc.json in this archive (passwords in the OS keychain, or none saved).';
  const key =
    manifest.secrets.sealedWith === 'PECDESK_SECRET_KEY'
      ? 'PECDESK_SECRET_KEY'
      : manifest.secrets.sealedWith === 'key-file'
        ? 'the key file in the config folder of the user who made it'
        : 'its key';
  return `secrets.enc.json (mailbox passwords) included, encrypted; its key, ${key}, is not in the backup.`;
}

async function verify(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, { json: { type: 'boolean' } }, BACKUP_HELP, true);
  const file = parsed.positionals[0];
  if (!file) throw new CliError(`the backup file is needed\n\n${BACKUP_HELP}`, 2);
  if (!existsSync(file)) throw new CliError(`${file}: no such file`, 2);
  try {
    const summary = await verifyBackup(resolve(file));
    const m = summary.manifest;
    if (parsed.values.json)
      io.out(
        `${jsonForTerminal({ ok: true, createdAt: m.createdAt, pecdeskVersion: m.pecdeskVersion, messages: m.database.counts.messages ?? 0, objects: summary.objects, bytes: summary.bytes, database: m.database.sha256, files: m.files.map((f) => f.path), secrets: m.secrets })}\n`,
      );
    else
      io.out(
        tty`Backup verified: made ${m.createdAt} by PecDesk ${m.pecdeskVersion}; the database (SHA-256 ${m.database.sha256}, ${m.database.counts.messages ?? 0} messages), ${summary.objects} objects and ${m.files.length} other files match their hashes.\n`,
      );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupProblem)) throw error;
    if (parsed.values.json)
      io.out(`${jsonForTerminal({ ok: false, file: error.file, reason: error.reason })}\n`);
    else io.out(tty`Backup NOT verified: ${error.file}: ${error.reason}.\n`);
    return 1;
  }
}

export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup --archive DIR --out FILE | verify FILE',
  summary: 'back up an archive in use into one verified file, or verify one',
  help: BACKUP_HELP,
  async run(args, io, ctx) {
    if (args[0] === 'verify') return verify(args.slice(1), io);
    const parsed = parseCommandArgs(
      args,
      { archive: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
      BACKUP_HELP,
    );
    const v = parsed.values;
    if (v.help) {
      io.out(BACKUP_HELP);
      return 0;
    }
    if (!v.out) throw new CliError(`--out is required\n\n${BACKUP_HELP}`, 2);
    const archiveDir = archiveOf(v.archive, ctx);
    if (!existsSync(resolve(archiveDir, 'archive.db'))) throw new CliError(`no archive in ${archiveDir}`, 2);
    const out = resolve(v.out);
    if (existsSync(out)) throw new CliError(`${out} exists already: a backup never replaces a file`, 2);
    if (!existsSync(dirname(out))) throw new CliError(`${dirname(out)}: no such folder for --out`, 2);
    const result = await createBackup({
      archiveDir,
      out,
      onProgress: (done) => {
        if (io.isTerminal && done % 500 === 0) io.err(`\rCopied ${done} messages…`);
      },
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST')
        throw new CliError(`${out} exists already: a backup never replaces a file`, 2);
      throw new CliError(`backup failed, nothing written: ${error.message}`);
    });
    if (io.isTerminal) io.err('\r\x1b[K');
    const m = result.manifest;
    if (v.json)
      io.out(
        `${jsonForTerminal({ ok: result.problems.length === 0, out: result.out, createdAt: m.createdAt, messages: m.database.counts.messages ?? 0, objects: m.objects.count, bytes: m.objects.bytes, database: m.database.sha256, counts: m.database.counts, files: m.files.map((f) => f.path), secrets: m.secrets, problems: result.problems })}\n`,
      );
    else {
      io.out(
        tty`Backup written to ${result.out}: the database (${m.database.counts.messages ?? 0} messages, SHA-256 ${m.database.sha256}), ${m.objects.count} objects (${m.objects.bytes} bytes), ${m.files.length} other files.\n`,
      );
      io.out(tty`${secretsLine(m)}\n`);
      io.out(tty`Check it anywhere with "pecdesk backup verify ${result.out}".\n`);
    }
    for (const problem of result.problems) io.err(tty`Warning: ${problem}\n`);
    return result.problems.length === 0 ? 0 : 1;
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'restore --from FILE --archive DIR',
  summary: 'restore a backup into an empty folder, verified by counts and hashes',
  help: RESTORE_HELP,
  async run(args, io, ctx) {
    const parsed = parseCommandArgs(
      args,
      { from: { type: 'string' }, archive: { type: 'string' }, json: { type: 'boolean' } },
      RESTORE_HELP,
    );
    const v = parsed.values;
    if (v.help) {
      io.out(RESTORE_HELP);
      return 0;
    }
    if (!v.from) throw new CliError(`--from is required\n\n${RESTORE_HELP}`, 2);
    const from = resolve(v.from);
    if (!existsSync(from)) throw new CliError(`${v.from}: no such file`, 2);
    const archiveDir = archiveOf(v.archive, ctx);
    if (!(await isEmptyFolder(archiveDir)))
      throw new CliError(
        existsSync(join(archiveDir, RESTORE_STAGING))
          ? `${archiveDir} holds an interrupted restore (${RESTORE_STAGING}): remove that folder and restore again`
          : `${archiveDir} is not empty: restore into a new or empty folder`,
        2,
      );
    try {
      const result = await restoreBackup(from, archiveDir);
      const m = result.manifest;
      if (v.json)
        io.out(
          `${jsonForTerminal({ ok: true, archive: result.archiveDir, createdAt: m.createdAt, pecdeskVersion: m.pecdeskVersion, messages: result.counts.messages ?? 0, objects: result.objects, bytes: result.bytes, database: { sha256: m.database.sha256, integrity: result.integrity, counts: result.counts }, files: m.files.map((f) => f.path), secrets: m.secrets, missingInSource: m.objects.missing.length, damagedInSource: m.objects.damaged.length })}\n`,
        );
      else {
        io.out(
          tty`Restored into ${result.archiveDir}: ${result.counts.messages ?? 0} messages, ${result.objects} objects, ${m.files.length} other files; every hash and count matches the backup of ${m.createdAt}, integrity check ok.\n`,
        );
        io.out(tty`${secretsLine(m)}\n`);
      }
      if (m.objects.missing.length + m.objects.damaged.length > 0)
        io.err(
          tty`Warning: the archive backed up already lacked ${m.objects.missing.length + m.objects.damaged.length} objects (missing or damaged there); the backup could not hold them.\n`,
        );
      return 0;
    } catch (error) {
      if (!(error instanceof BackupProblem)) throw error;
      if (v.json) io.out(`${jsonForTerminal({ ok: false, file: error.file, reason: error.reason })}\n`);
      throw new CliError(`not restored, ${archiveDir} left empty: ${error.file}: ${error.reason}`);
    }
  },
};
