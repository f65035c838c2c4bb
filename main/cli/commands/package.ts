import { readFile } from 'node:fs/promises';
import { findAccount } from '../../../db/accounts.ts';
import { readP12 } from '../../conservation/cades.ts';
import { buildPackage } from '../../conservation/package.ts';
import { period } from '../../conservation/period.ts';
import { verifyPackage } from '../../conservation/verify.ts';
import { VERSION } from '../../version.ts';
import { openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, type CliIo, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, tty } from '../terminal-text.ts';
import { auditAsCli, emptyFolder, folderSink } from './keep-support.ts';

const HELP = `Usage:
  pecdesk [--archive DIR] package --from DATE --to DATE --out DIR [--p12 FILE] [--tsa URL]
                                  [--account ADDR] [--holder NAME] [--holder-id ID] [--manual TEXT]
  pecdesk [--archive DIR] package verify DIR [--json]

package: a conservation package (pacchetto di versamento) of the PEC dated from DATE to DATE (both
     whole days, Italian time; 25/11/2026 or 2026-11-25), of every mailbox or of --account: under
     files/msg-NNNN/ the .eml of each PEC and of all its receipts and metadati.xml (the metadata
     of the AgID guidelines, 2021); PIndex.xml, the UNI 11386:2020 (SInCRO 2.0) index with the
     SHA-256 of every file (Base64). --p12 FILE signs the index (CAdES, PIndex.xml.p7s) with the
     owner's certificate (password from PECDESK_P12_PASSWORD, else asked); --tsa URL timestamps it
     (RFC 3161: inside the signature, or PIndex.xml.tsr without --p12). --holder/--holder-id
     (VATIT-01234567890) name who keeps the documents (default: the certificate's organisation);
     --manual names the document the roles rest on. DIR must be new or empty.
verify: checks a package offline: the index's signature and timestamp, every file against the
     index, nothing more than the index names. Exit 0: {"ok":true,…}; exit 1 naming the first file
     that does not hold: {"ok":false,"file":"…","reason":"…"}.
`;

async function p12Password(io: CliIo): Promise<string> {
  const fromEnv = io.env.PECDESK_P12_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  const asked = await io.askSecret('Password of the .p12 file: ');
  if (asked === null)
    throw new CliError('no .p12 password: set PECDESK_P12_PASSWORD or run on a terminal', 2);
  return asked;
}

export const packageCommand: CliCommand = {
  name: 'package',
  usage: 'package --from D --to D --out DIR | verify DIR',
  summary: 'conservation package of a period (SInCRO index, signed, timestamped), or verify one',
  help: HELP,
  async run(args, io, ctx) {
    if (args[0] === 'verify') {
      const parsed = parseCommandArgs(args.slice(1), { json: { type: 'boolean' } }, HELP, true);
      const dir = parsed.positionals[0];
      if (!dir) throw new CliError(`the package folder is needed\n\n${HELP}`, 2);
      const verdict = await verifyPackage(dir);
      if (parsed.values.json) io.out(`${jsonForTerminal(verdict)}\n`);
      else if (verdict.ok)
        io.out(
          tty`Package verified: ${verdict.files} files match the index${verdict.signer ? `; signed by ${verdict.signer}` : ''}${verdict.timestamp ? `; timestamped ${verdict.timestamp.genTime} by ${verdict.timestamp.tsa}` : ''}.\n${verdict.warnings.map((w) => `Warning: ${w}\n`).join('')}`,
        );
      else io.out(tty`Package NOT verified: ${verdict.file}: ${verdict.reason}.\n`);
      return verdict.ok ? 0 : 1;
    }
    const parsed = parseCommandArgs(
      args,
      {
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        p12: { type: 'string' },
        tsa: { type: 'string' },
        account: { type: 'string' },
        holder: { type: 'string' },
        'holder-id': { type: 'string' },
        manual: { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    const v = parsed.values;
    if (v.help) {
      io.out(HELP);
      return 0;
    }
    if (!v.from || !v.to || !v.out) throw new CliError(`--from, --to and --out are required\n\n${HELP}`, 2);
    let range: ReturnType<typeof period>;
    try {
      range = period(v.from, v.to);
    } catch (error) {
      throw new CliError((error as Error).message, 2);
    }
    if (v.tsa && !/^https?:\/\//.test(v.tsa)) throw new CliError('--tsa must be an http or https URL', 2);
    const owner = v.p12
      ? await readP12(
          await readFile(v.p12).catch((e: Error) => {
            throw new CliError(`--p12 ${v.p12}: ${e.message}`, 2);
          }),
          await p12Password(io),
        ).catch((e: Error) => {
          throw new CliError(e.message, 2);
        })
      : undefined;
    const opened = await openArchive(ctx, io, true);
    try {
      const account = v.account ? findAccount(opened.archive.db, v.account) : null;
      if (v.account && !account) throw new CliError(`no account ${v.account} in this archive`);
      const out = await emptyFolder(v.out);
      const summary = await buildPackage(
        opened.archive.db,
        opened.archive.objects,
        {
          ...range,
          label: { from: v.from, to: v.to },
          accountId: account?.id ?? null,
          mailbox: account?.email ?? null,
          scope: 'all',
          ...(owner ? { owner } : {}),
          ...(v.tsa ? { tsaUrl: v.tsa } : {}),
          ...(v.holder ? { holder: { name: v.holder, id: v['holder-id'] ?? null } } : {}),
          ...(v.manual ? { manual: v.manual } : {}),
          version: VERSION,
        },
        folderSink(out),
      ).catch((e: Error) => {
        throw new CliError(e.message);
      });
      auditAsCli(opened.archive, {
        action: 'package.build',
        targetType: account ? 'account' : null,
        targetId: account?.email ?? null,
        accountId: account?.id ?? null,
        details: {
          from: v.from,
          to: v.to,
          index: summary.indexId,
          messages: summary.messages,
          signed: summary.signed,
          timestamped: summary.timestamped,
        },
      });
      if (v.json) io.out(`${jsonForTerminal({ ...summary, out })}\n`);
      else
        io.out(
          tty`Package ${summary.indexId}: ${summary.messages} PEC, ${summary.files} files in ${out}${summary.signed ? ', index signed' : ''}${summary.timestamped ? ', timestamped' : ''}. Check it with "pecdesk package verify ${out}".\n`,
        );
      return 0;
    } finally {
      opened.close();
    }
  },
};
