/**
 * What a PEC provider refuses (pec-format.md §6), checked before anything is written or sent, so
 * the person hears it in words before the provider answers with an avviso di non accettazione:
 * recipients per message, message size × recipients, no Bcc, and messages per minute (throttling).
 * Aruba documents 500 recipients and 100 MB divided by the recipients; "100 MB per message" is the
 * market practice; no provider documents a rate, yet all throttle bulk sending: 30 a minute unless
 * the person sets their mailbox's own figure.
 */
import type { AccountRow } from '../../db/accounts.ts';

export interface SendLimits {
  /** Recipients (To + Cc) one message may have. */
  maxRecipients: number;
  /** Message size × recipients, in bytes. */
  maxTotalBytes: number;
  /** Messages the mailbox may hand to the provider per minute. */
  perMinute: number;
}

export const DEFAULT_LIMITS: SendLimits = {
  maxRecipients: 500,
  maxTotalBytes: 100 * 1024 * 1024,
  perMinute: 30,
};

export function limitsOf(
  account: Pick<AccountRow, 'maxRecipients' | 'maxTotalBytes' | 'sendPerMinute'>,
): SendLimits {
  return {
    maxRecipients: account.maxRecipients ?? DEFAULT_LIMITS.maxRecipients,
    maxTotalBytes: account.maxTotalBytes ?? DEFAULT_LIMITS.maxTotalBytes,
    perMinute: account.sendPerMinute ?? DEFAULT_LIMITS.perMinute,
  };
}

/** What stops a message from being sent; the UI says each in Italian (compose.problem.<code>). */
export type SendProblem =
  | { code: 'no-recipients' }
  | { code: 'bad-address'; address: string }
  | { code: 'bcc-not-allowed' }
  | { code: 'too-many-recipients'; count: number; max: number }
  | { code: 'too-large'; size: number; recipients: number; total: number; max: number }
  | { code: 'no-subject' }
  | { code: 'no-smtp' };

const EMAIL = /^[^\s@<>",;:()[\]\\]+@[^\s@<>",;:()[\]\\]+\.[^\s@<>",;:()[\]\\]{2,}$/;

export function isAddress(value: string): boolean {
  return EMAIL.test(value) && value.length <= 320;
}

export interface CheckInput {
  to: string[];
  cc: string[];
  bcc?: string[];
  subject: string;
  /** The message's size in bytes as it will be sent (headers, body, encoded attachments). */
  size: number;
}

/** Every problem, not the first: the person fixes them all at once. */
export function checkMessage(input: CheckInput, limits: SendLimits, hasSmtp: boolean): SendProblem[] {
  const problems: SendProblem[] = [];
  if (!hasSmtp) problems.push({ code: 'no-smtp' });
  const recipients = [...input.to, ...input.cc];
  if (recipients.length === 0) problems.push({ code: 'no-recipients' });
  for (const address of recipients) if (!isAddress(address)) problems.push({ code: 'bad-address', address });
  // A PEC with a blind copy is refused by the provider: nobody may receive it unseen.
  if ((input.bcc ?? []).length > 0) problems.push({ code: 'bcc-not-allowed' });
  if (recipients.length > limits.maxRecipients)
    problems.push({ code: 'too-many-recipients', count: recipients.length, max: limits.maxRecipients });
  const total = input.size * Math.max(1, recipients.length);
  if (total > limits.maxTotalBytes)
    problems.push({
      code: 'too-large',
      size: input.size,
      recipients: recipients.length,
      total,
      max: limits.maxTotalBytes,
    });
  if (!input.subject.trim()) problems.push({ code: 'no-subject' });
  return problems;
}

/** The English sentence of a problem, for the CLI and the logs. */
export function problemText(p: SendProblem): string {
  switch (p.code) {
    case 'no-recipients':
      return 'no recipient';
    case 'bad-address':
      return `"${p.address}" is not an e-mail address`;
    case 'bcc-not-allowed':
      return 'a PEC cannot have Bcc recipients: the provider refuses it';
    case 'too-many-recipients':
      return `${p.count} recipients: this provider takes at most ${p.max} per message`;
    case 'too-large':
      return `the message (${p.size} bytes) × ${p.recipients} recipients is ${p.total} bytes: the provider takes at most ${p.max}`;
    case 'no-subject':
      return 'the subject is empty';
    case 'no-smtp':
      return 'this mailbox has no SMTP server: set it in the mailbox settings';
  }
}

/** Lower-cased, trimmed, each address once, in the order given. */
export function uniqueAddresses(list: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const a = raw.trim().toLowerCase();
    if (!a || seen.has(a)) continue;
    seen.add(a);
    out.push(a);
  }
  return out;
}
