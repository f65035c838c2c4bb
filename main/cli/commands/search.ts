import { openCliApi } from '../../client/cli-remote.ts';
import { callApi } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';
import { jsonForTerminal, terminalLine } from '../terminal-text.ts';

const HELP = `Usage: pecdesk [--archive DIR] search "QUERY" [--json] [--relevance] [--limit N] [--offset N]

Searches the archive: subject, certified sender, recipients, the original's body, attachment names
and attachment text (PDF, text, XML and FatturaPA, signed .p7m, attached .eml). A hit on a receipt
or an envelope shows its whole PEC thread once. Prints a table, or JSON with --json.
  words                 every word must appear (accents do not matter: perche finds perché)
  "exact phrase"        the words in this order
  prefix*               words starting so
  from: to: subject:    in that field only (da: a: oggetto:); from:@studio.it = sender domain
  mailbox:ADDRESS       in that PEC mailbox (casella:), by address, its start, or display name
  folder:INBOX          in that folder (cartella:)
  after:01/12/2025 before:31/12/2025   Italian dates, Rome time (dopo: prima:)
  has:allegato          with attachments (has:attachment, con:allegato)
  is:failed|delivered|pending          PEC by delivery state (stato:fallita|consegnata|attesa)
  kind:pec|ricevuta|accettazione|consegna|mancata-consegna|anomalia|ordinaria   (tipo:)
  domain:legalmail.it   sender at that domain, subdomains too (dominio:)
Unknown operators are searched as words; nothing typed is an error.
`;

export const searchCommand: CliCommand = {
  name: 'search',
  usage: 'search "QUERY" [--json]',
  summary: 'search the archive (full text and filters)',
  help: HELP,
  async run(args, io, ctx) {
    const parsed = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        relevance: { type: 'boolean' },
        limit: { type: 'string' },
        offset: { type: 'string' },
      },
      HELP,
      true,
    );
    if (parsed.values.help) {
      io.out(HELP);
      return 0;
    }
    const text = parsed.positionals.join(' ');
    if (!text.trim()) throw new CliError(`a query is needed\n\n${HELP}`, 2);
    const limit = parsed.values.limit ? Number(parsed.values.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliError('--limit must be 1..500', 2);
    const offset = parsed.values.offset ? Number(parsed.values.offset) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new CliError('--offset must be 0 or more', 2);
    const api = await openCliApi(ctx, io);
    try {
      const result = await callApi(api.registry, 'search.query', {
        text,
        sort: parsed.values.relevance ? 'relevance' : 'date',
        offset,
        limit,
        // A script reads `total` as the count: the terminal waits for the exact one.
        exactCount: true,
      });
      const strip = (s: string | null) => (s ?? '').replace(/[\u0002\u0003]/g, '');
      if (parsed.values.json) {
        const hits = result.hits.map((h) => ({
          ...h,
          subjectHighlight: strip(h.subjectHighlight),
          snippet: strip(h.snippet),
        }));
        io.out(
          `${jsonForTerminal({ total: result.total, filters: result.chips, rankedNewest: result.rankedNewest, hits }, 2)}\n`,
        );
      } else {
        io.out(
          `${result.total} result(s)${result.total > result.hits.length ? `, showing ${offset + 1}-${offset + result.hits.length}` : ''}\n`,
        );
        if (result.hits.length > 0)
          io.out(
            table(
              ['ID', 'DATE (ROME)', 'KIND', 'STATE', 'CORRESPONDENT', 'SUBJECT'],
              result.hits.map((h) => [
                String(h.id),
                romeTime(h.date),
                h.kind,
                h.threadState ?? '',
                h.correspondent ?? '',
                h.subject ?? '',
              ]),
            ),
          );
      }
      return 0;
    } finally {
      await api.close();
    }
  },
};

const ROME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

function romeTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : ROME.format(d).replace(',', '');
}

/** Columns padded to their widest cell; long cells cut so a row fits a terminal. */
function table(head: string[], rows: string[][]): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const cells = [head, ...rows].map((r) =>
    r.map((c, i) => cut(terminalLine(c).replace(/\s+/g, ' '), i >= 4 ? 40 : 24)),
  );
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return `${cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}
