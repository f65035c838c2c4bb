import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { findAccount } from '../../../db/accounts.ts';
import { period } from '../../conservation/period.ts';
import { exportMessages, selectForExport } from '../../transfer/export.ts';
import { type ImportFile, importMessages } from '../../transfer/import.ts';
import { openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';
import { auditAsCli, emptyFolder, folderSink } from './keep-support.ts';

const EXPORT_HELP = `Usage: pecdesk [--archive DIR] export --account ADDR --out DIR [--format mbox|eml]
                                      [--folder F] [--from DATE] [--to DATE] [--search QUERY] [--json]

The archived originals of a mailbox, for moving elsewhere: --format eml (default) writes one .eml per
message in a folder per mailbox folder; mbox writes one mbox file per folder (mboxrd: read back
exactly). indice.csv (semicolons, UTF-8) lists every message: file, folder, date, kind, sender,
subject, identificativo, Message-ID, SHA-256, size, whether it is still on the server. --folder,
--from/--to (whole days, Italian time) and --search (the search language) narrow it. DIR must be new
or empty.
`;

const IMPORT_HELP = `Usage: pecdesk [--archive DIR] import --account ADDR --folder NAME PATH… [--json]

Imports an mbox file (a Thunderbird folder file), .eml files, or a folder of them (walked; Thunderbird's
.msf index files are skipped) through the archive's ingest pipeline, into the folder
"Importati/NAME" of the mailbox: a folder of the archive only, never synced nor emptied. PEC are
recognised, checked and joined to their receipts as if synced. Importing again adds nothing.
`;

export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'export --account ADDR --out DIR',
  summary: 'export a mailbox as .eml files or mbox, with a CSV index',
  help: EXPORT_HELP,
  async run(args, io, ctx) {
    const parsed = parseCommandArgs(
      args,
      {
        account: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string' },
        folder: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        search: { type: 'string' },
        json: { type: 'boolean' },
      },
      EXPORT_HELP,
    );
    const v = parsed.values;
    if (v.help) {
      io.out(EXPORT_HELP);
      return 0;
    }
    if (!v.account || !v.out) throw new CliError(`--account and --out are required\n\n${EXPORT_HELP}`, 2);
    const format = v.format ?? 'eml';
    if (format !== 'eml' && format !== 'mbox') throw new CliError('--format must be eml or mbox', 2);
    let range: { from: string; to: string } | null = null;
    try {
      if (v.from || v.to) range = period(v.from ?? '01/01/1970', v.to ?? '31/12/9999');
    } catch (error) {
      throw new CliError((error as Error).message, 2);
    }
    const opened = await openArchive(ctx, io, true);
    try {
      const account = findAccount(opened.archive.db, v.account);
      if (!account) throw new CliError(`no account ${v.account} in this archive`);
      const out = await emptyFolder(v.out);
      const rows = selectForExport(opened.archive.db, {
        accountId: account.id,
        folder: v.folder ?? null,
        from: range?.from ?? null,
        to: range?.to ?? null,
        query: v.search ?? null,
      });
      const done = await exportMessages(opened.archive.objects, rows, format, folderSink(out));
      auditAsCli(opened.archive, {
        action: 'mailbox.export',
        targetType: 'account',
        targetId: account.email,
        accountId: account.id,
        details: {
          format,
          folder: v.folder ?? null,
          from: v.from ?? null,
          to: v.to ?? null,
          query: v.search ?? null,
          messages: done.messages,
        },
      });
      if (v.json) io.out(`${jsonForTerminal({ ...done, out })}\n`);
      else
        io.out(
          tty`${done.messages} messages exported to ${out} (${done.files} files, indice.csv included).\n`,
        );
      return 0;
    } finally {
      opened.close();
    }
  },
};

/** The files to import: the paths given, folders walked (Thunderbird's .msf and hidden files skipped). */
async function importFiles(paths: string[]): Promise<ImportFile[]> {
  const out: ImportFile[] = [];
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => null);
    if (!info) throw new CliError(`${path}: no such file or folder`, 2);
    if (info.isDirectory()) {
      for (const entry of (await readdir(path)).sort()) {
        if (entry.startsWith('.') || /\.(msf|dat|json|sqlite)$/i.test(entry)) continue;
        await visit(join(path, entry));
      }
    } else out.push({ name: path, bytes: await readFile(path) });
  };
  for (const p of paths) await visit(p);
  return out;
}

export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import --account ADDR --folder NAME PATH…',
  summary: 'import an mbox file or .eml files into the archive',
  help: IMPORT_HELP,
  async run(args, io, ctx) {
    const parsed = parseCommandArgs(
      args,
      { account: { type: 'string' }, folder: { type: 'string' }, json: { type: 'boolean' } },
      IMPORT_HELP,
      true,
    );
    const v = parsed.values;
    if (v.help) {
      io.out(IMPORT_HELP);
      return 0;
    }
    if (!v.account || !v.folder || parsed.positionals.length === 0)
      throw new CliError(`--account, --folder and at least one PATH are required\n\n${IMPORT_HELP}`, 2);
    const files = await importFiles(parsed.positionals);
    const opened = await openArchive(ctx, io, true);
    try {
      const account = findAccount(opened.archive.db, v.account);
      if (!account) throw new CliError(`no account ${v.account} in this archive`);
      const result = await importMessages(opened.archive, account.id, v.folder, files, (done) => {
        if (io.isTerminal) io.err(`\rImported ${done} messages…`);
      }).catch((e: Error) => {
        throw new CliError(e.message);
      });
      if (io.isTerminal) io.err('\n');
      auditAsCli(opened.archive, {
        action: 'mailbox.import',
        targetType: 'account',
        targetId: account.email,
        accountId: account.id,
        details: { ...result, files: files.length },
      });
      if (v.json) io.out(`${jsonForTerminal(result)}\n`);
      else
        io.out(
          tty`${result.read} messages read into ${result.folder}: ${result.imported} new to the archive, ${result.known} already archived${result.failed ? `, ${result.failed} files not read (neither mbox nor .eml)` : ''}.\n`,
        );
      return 0;
    } finally {
      opened.close();
    }
  },
};
