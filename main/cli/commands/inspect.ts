import { readFile } from 'node:fs/promises';
import { type InspectResult, inspectMessage } from '../../pec/inspect.ts';
import { loadTrustAnchors } from '../../pec/trust-config.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal } from '../terminal-text.ts';

const HELP = `Usage: pecdesk inspect [--trust-anchor PEM]... FILE.eml [FILE.eml...]

Reads raw messages (.eml; "-" reads standard input) and prints what PecDesk understands of each as
JSON: kind, certData (daticert.xml), original (postacert.eml), signature and anomalies.
Exits 0 for every file it could read, also malformed ones.

Options:
  --trust-anchor PEM   trust this CA instead of the Actalis root for PEC signatures (tests, demo);
                       also from PECDESK_PEC_TRUST_ANCHORS (paths separated by ":")
  --compact            one line of JSON per file
  -h, --help           show this help
`;

export const inspectCommand: CliCommand = {
  name: 'inspect',
  usage: 'inspect FILE.eml...',
  summary: 'classify a message, read daticert.xml and postacert.eml, verify the signature',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      { 'trust-anchor': { type: 'string', multiple: true }, compact: { type: 'boolean' } },
      HELP,
      true,
    );
    if (parsed.values.help) {
      io.out(HELP);
      return 0;
    }
    const files = parsed.positionals;
    if (files.length === 0) throw new CliError(`no file given\n\n${HELP}`, 2);
    const anchorFiles = [
      ...(parsed.values['trust-anchor'] ?? []),
      ...(io.env.PECDESK_PEC_TRUST_ANCHORS?.split(':').filter(Boolean) ?? []),
    ];
    const anchors = anchorFiles.length > 0 ? await loadTrustAnchors(anchorFiles) : undefined;
    const results: object[] = [];
    for (const file of files) {
      const raw = file === '-' ? await io.readStdin() : await readInput(file);
      results.push(toJson(file, await inspectMessage(raw, anchors ? { anchors } : {})));
    }
    const value = results.length === 1 ? results[0] : results;
    io.out(`${parsed.values.compact ? jsonForTerminal(value) : jsonForTerminal(value, 2)}\n`);
    return 0;
  },
};

async function readInput(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** The printed shape: the full result, the signer flattened for scripts, HTML bodies left out. */
function toJson(file: string, r: InspectResult): object {
  const { html, ...original } = r.original ?? { html: null };
  return {
    file,
    ...r,
    original: r.original ? { ...original, hasHtml: html !== null } : null,
    signature: { ...r.signature, signerSubject: r.signature.signer?.subject ?? null },
  };
}
