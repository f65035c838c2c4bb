/**
 * What the work commands take as ID (issue 14): a bare number is a message id as `messages --json`
 * prints it (`id`), standing for its list row (the PEC thread it belongs to, when it has one);
 * `t:12` (or `thread:12`) is a thread id as `messages --json` prints it (`threadId`); `m:12` is the
 * message explicitly.
 */
import { CliError } from '../command.ts';

export function parseWorkId(text: string | undefined, help: string): { id: number } | { threadId: number } {
  const m = /^(?:(t|thread|m|msg|message):)?(\d{1,15})$/i.exec((text ?? '').trim());
  if (!m) throw new CliError(`ID must be a message id (12) or a thread id (t:12)\n\n${help}`, 2);
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`ID must be a positive number\n\n${help}`, 2);
  return m[1] && /^t/i.test(m[1]) ? { threadId: n } : { id: n };
}
