/**
 * Attack: text from a mail or a server, printed by the CLI, rewrites the person's terminal: an OSC
 * retitles the window, CSI erases lines and paints a fake green "OK", a line break forges a table
 * row, the 8-bit CSI (U+009B) does all of it in one character. The texts here reach the CLI today
 * through the archive (a receipt's subject, with its line breaks and C1 bytes; a server's error
 * stored on the account; a server's folder name in the sync progress). Every human-readable line
 * must come out with no control character but the layout's own tabs and newlines, and every JSON
 * output with none raw at all (escaped, so scripts read the same values).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAccount, setAccountSyncState } from '../../db/accounts.ts';
import type { CliIo } from '../../main/cli/command.ts';
import { progressPrinter } from '../../main/cli/commands/sync.ts';
import { runCli } from '../../main/cli/main.ts';
import { jsonForTerminal, terminalLine, terminalText } from '../../main/cli/terminal-text.ts';
import { buildOrdinary, pecOf, scenario } from '../factory/pec-factory.ts';
import { tempDir, testArchive } from '../support/archive.ts';

const HOSTILE =
  'Fattura\u001b]0;PWNED\u0007\u001b[2K\r\n\u001b[32mOK firmato\u001b[0m\u009b2J\u009d0;titolo\u009c\u202eotsop';
/** What a terminal would obey: C0 but tab and newline (the layout's own), DEL, C1, bidi overrides. */
const OBEYED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function captureIo(): CliIo & { text: () => string } {
  let text = '';
  return {
    out: (t) => {
      text += t;
    },
    err: (t) => {
      text += t;
    },
    readStdin: async () => Buffer.alloc(0),
    askSecret: async () => null,
    isTerminal: true,
    env: { ...process.env, PECDESK_SECRETS: 'file', PECDESK_SECRET_KEY: 'cli-terminal' },
    text: () => text,
  };
}

async function pecdesk(dir: string, ...args: string[]): Promise<string> {
  const io = captureIo();
  const code = await runCli(['--archive', dir, ...args], io);
  expect(code, io.text()).toBe(0);
  return io.text();
}

describe('the CLI never prints control characters from the archive', () => {
  const dir = tempDir('pecdesk-cli-tty-');
  let threadId: number;

  beforeAll(async () => {
    const archive = testArchive(dir);
    const s = scenario({ subject: HOSTILE });
    const outcomes = await archive.ingest([
      { raw: s.original },
      { raw: pecOf(s, 'accettazione') },
      { raw: buildOrdinary({ subject: HOSTILE }) },
    ]);
    expect(outcomes.every((o) => o.messageId > 0)).toBe(true);
    const account = insertAccount(archive.db, {
      email: 'studio.rossi@pec.alfa.test',
      imapHost: '127.0.0.1',
      imapPort: 993,
      imapSecurity: 'tls',
      imapUser: 'studio.rossi@pec.alfa.test',
      createdAt: new Date().toISOString(),
    });
    // A server's own words, stored as the account's last error.
    setAccountSyncState(archive.db, account.id, 'error', {
      code: 'auth-failed',
      message: `NO [AUTHENTICATIONFAILED] ${HOSTILE}\n\u001b[32mSync completed`,
    });
    archive.close();
    const rows = JSON.parse(await pecdesk(dir, 'messages', '--json')) as { threadId: number | null }[];
    threadId = rows.find((r) => r.threadId !== null)!.threadId!;
  });

  it('messages: one line per message, nothing a terminal obeys, the words kept', async () => {
    const out = await pecdesk(dir, 'messages');
    expect(out).not.toMatch(OBEYED);
    expect(out.trimEnd().split('\n')).toHaveLength(3);
    expect(out).toContain('Fattura');
    expect(out).toContain('OK firmato');
  });

  it('search: the table has one row per hit and nothing a terminal obeys', async () => {
    const out = await pecdesk(dir, 'search', 'fattura');
    expect(out).not.toMatch(OBEYED);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\d+ result/);
    expect(lines).toHaveLength(2 + Number(lines[0]!.split(' ')[0]));
  });

  it('thread and account list: nothing a terminal obeys', async () => {
    const thread = await pecdesk(dir, 'thread', String(threadId));
    expect(thread).not.toMatch(OBEYED);
    expect(thread).toContain('Fattura');
    const accounts = await pecdesk(dir, 'account', 'list');
    expect(accounts).not.toMatch(OBEYED);
    expect(accounts.trimEnd().split('\n')).toHaveLength(1);
    expect(accounts).toContain('AUTHENTICATIONFAILED');
  });

  it('error messages quoting what they were given print nothing a terminal obeys', async () => {
    const io = captureIo();
    expect(await runCli(['--archive', dir, 'thread', '<x\u001b]0;PWNED\u0007@pec.test>'], io)).toBe(1);
    expect(io.text()).toContain('<x@pec.test>');
    expect(io.text()).not.toMatch(OBEYED);
  });

  it('--json: no raw control character, and the same values when parsed', async () => {
    for (const args of [
      ['messages', '--json'],
      ['search', 'fattura', '--json'],
      ['thread', String(threadId), '--json'],
      ['account', 'list', '--json'],
    ]) {
      const out = await pecdesk(dir, ...args);
      expect(out, args.join(' ')).not.toMatch(OBEYED);
      expect(() => JSON.parse(out)).not.toThrow();
    }
    const accounts = JSON.parse(await pecdesk(dir, 'account', 'list', '--json')) as { lastError: string }[];
    expect(accounts[0]!.lastError).toContain('\u001b[32mSync completed');
  });

  it('sync progress: a folder name from the server cannot draw on the terminal', () => {
    const io = captureIo();
    progressPrinter(io)({
      accountId: 1,
      email: 'studio.rossi@pec.alfa.test',
      folder: `INBOX\u001b[2K\r\u001b[32m✓ tutto sincronizzato\u001b]0;x\u0007`,
      done: 10,
      total: 10,
      rate: 5,
    });
    // The bar's own "\r ESC[K" (redraw the line) is the only control it may print.
    const own = io.text().replace(/^\r\u001b\[K/, '');
    expect(own).not.toMatch(OBEYED);
    expect(own).toContain('INBOX');
  });
});

describe('terminal-text', () => {
  it('removes whole escape sequences, 7- and 8-bit, and bidi overrides; keeps the words', () => {
    expect(terminalLine('a\u001b]0;title\u0007b\u001b[1;31mc\u001b(Bd\u009b2Je\u009d0;t\u009cf\u202eg')).toBe(
      'abcdefg',
    );
    expect(terminalLine('riga\r\nfalsa\triga')).toBe('riga  falsa riga');
    expect(terminalLine('unterminated \u001b]0;title')).toBe('unterminated ');
    expect(terminalLine(null)).toBe('');
    expect(terminalText('usage:\n\tpecdesk\u001b[2J x\r\n')).toBe('usage:\n\tpecdesk x\n');
  });

  it('JSON for a terminal parses back to the same values', () => {
    const value = { s: HOSTILE, n: 1, list: ['\u2028', '\u009b'] };
    const text = jsonForTerminal(value, 2);
    expect(text).not.toMatch(OBEYED);
    expect(JSON.parse(text)).toEqual(value);
  });
});
