import { archiveRegistry, callApi, openArchive } from '../archive-access.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';

const HELP = `Usage: pecdesk [--archive DIR] search "QUERY" [--json] [--relevance] [--limit N]

Searches the archive (full text: subject, certified sender, recipients, the original's body,
attachment names). A hit on a receipt or an envelope shows its whole PEC thread once.
  words            every word must appear (accents do not matter: perche finds perché)
  "exact phrase"   the words in this order
  prefix*          words starting so
  from: to: subject:   in that field only
  mailbox:INBOX    in that folder
  after:01/12/2025 before:31/12/2025   Italian dates
  has:allegato     with attachments
  is:failed|delivered|pending   PEC by delivery state
Unknown operators are searched as words.
`;

export const searchCommand: CliCommand = {
  name: 'search',
  usage: 'search "QUERY" [--json]',
  summary: 'search the archive (full text and filters)',
  help: HELP,
  async run(args, io, ctx) {
    const parsed = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, relevance: { type: 'boolean' }, limit: { type: 'string' } },
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
    const opened = await openArchive(ctx, io, true);
    try {
      const result = await callApi(archiveRegistry(opened), 'search.query', {
        text,
        sort: parsed.values.relevance ? 'relevance' : 'date',
        offset: 0,
        limit,
      });
      const strip = (s: string | null) => (s ?? '').replace(/[\u0002\u0003]/g, '');
      if (parsed.values.json) {
        const hits = result.hits.map((h) => ({
          ...h,
          subjectHighlight: strip(h.subjectHighlight),
          snippet: strip(h.snippet),
        }));
        io.out(`${JSON.stringify({ total: result.total, hits }, null, 2)}\n`);
      } else {
        io.out(`${result.total} result(s)\n`);
        for (const h of result.hits) {
          io.out(
            `${h.id}\t${h.date.slice(0, 16).replace('T', ' ')}\t${h.kind}\t${h.threadState ?? ''}\t${h.subject ?? ''}\n`,
          );
        }
      }
      return 0;
    } finally {
      opened.close();
    }
  },
};
