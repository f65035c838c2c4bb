import { writeFile } from 'node:fs/promises';
import { archiveRegistry, callApi, openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { tty } from '../terminal-text.ts';

const HELP = `Usage: pecdesk [--archive DIR] proof ID --out FILE.zip

The proof bundle of a PEC (fascicolo di prova), for a court, a client or an inspection: a ZIP with
the original .eml of the PEC and of every receipt (the archived bytes), fascicolo.pdf (the message,
its attachments, the receipts to the second in Italian time with their providers and signature
checks, the SHA-256 of every file; PDF/A with embedded fonts) and manifest.json with every hash.
ID is a message id as "pecdesk messages" prints it (any message of the PEC). FILE must not exist.
`;

export const proofCommand: CliCommand = {
  name: 'proof',
  usage: 'proof ID --out FILE.zip',
  summary: 'the proof bundle of a PEC: originals, receipts, PDF, hashes',
  help: HELP,
  async run(args, io, ctx) {
    const parsed = parseCommandArgs(args, { out: { type: 'string' } }, HELP, true);
    if (parsed.values.help) {
      io.out(HELP);
      return 0;
    }
    const id = parsed.positionals[0];
    if (!id || !/^\d+$/.test(id)) throw new CliError(`a message ID is needed\n\n${HELP}`, 2);
    const out = parsed.values.out;
    if (!out) throw new CliError(`--out FILE.zip is required\n\n${HELP}`, 2);
    const opened = await openArchive(ctx, io, true);
    try {
      const bundle = await callApi(archiveRegistry(opened), 'proof.bundle', { id: Number(id) });
      await writeFile(out, Buffer.from(bundle.contentBase64, 'base64'), { flag: 'wx' }).catch(
        (e: NodeJS.ErrnoException) => {
          throw new CliError(
            e.code === 'EEXIST' ? `${out} exists already` : `${out}: ${e.message}`,
            e.code === 'EEXIST' ? 2 : 1,
          );
        },
      );
      io.out(tty`Proof bundle of message ${id} written to ${out} (${bundle.files} files).\n`);
      return 0;
    } finally {
      opened.close();
    }
  },
};
