/**
 * What the simulated PEC world holds: the providers and their domains, the mailboxes, the limits.
 * Kept small and plain so that the provider logic (provider.ts) and the tests share it.
 */

export interface SimLimits {
  /** Recipients (To + Cc) one message may have; more → non-accettazione. Aruba: 500. */
  maxRecipients: number;
  /**
   * Message size × recipients, in bytes (Aruba: 100 MB divided by the recipients, pec-format.md §6);
   * more → non-accettazione. A message alone larger than this is refused by SMTP (552).
   */
  maxTotalBytes: number;
  /** Messages one mailbox may submit per window; more → a temporary SMTP error (451). */
  messagesPerWindow: number;
  /** The window of the rate limit: a minute, shorter in tests. */
  windowMs: number;
}

export const DEFAULT_LIMITS: SimLimits = {
  maxRecipients: 500,
  maxTotalBytes: 100 * 1024 * 1024,
  messagesPerWindow: 30,
  windowMs: 60_000,
};

/** The regular providers, in order: `--domains N` takes the first N. */
export const PROVIDER_NAMES = ['Alfa', 'Beta', 'Gamma', 'Delta', 'Epsilon', 'Zeta', 'Eta', 'Theta'] as const;

/** The provider that answers late: its envelopes, receipts and notices wait `slowDelayMs`. */
export const SLOW_PROVIDER = { name: 'Lenta PEC', domain: 'pec.lenta.test' } as const;

export const DEFAULT_SLOW_DELAY_MS = 10_000;

/** The mailboxes of each simulated domain (local parts). */
export const MAILBOX_NAMES = ['mario.rossi', 'studio.bianchi', 'protocollo'] as const;

/** On the second domain: an address with no mailbox (errore-consegna no-dest). */
export const UNKNOWN_LOCAL_PART = 'nessuno';

/** On the second domain: a mailbox whose quota is always exceeded (errore-consegna, 5.2.2). */
export const FULL_LOCAL_PART = 'casella.piena';
export const FULL_QUOTA_BYTES = 1024;

/**
 * Every address outside the simulated PEC domains is "posta ordinaria": what the providers send
 * there lands in this one catch-all mailbox, so tests and people can see it.
 */
export const EXTERNAL_MAILBOX = 'esterno@posta-ordinaria.test';

export interface SimDomain {
  domain: string;
  /** Provider name without "S.p.A.", e.g. "Alfa PEC". */
  provider: string;
  /** Milliseconds this provider waits before it delivers or issues anything (0: at once). */
  delayMs: number;
}

export function simDomains(count: number, slowDelayMs: number): SimDomain[] {
  if (!Number.isInteger(count) || count < 2 || count > PROVIDER_NAMES.length)
    throw new Error(`--domains must be between 2 and ${PROVIDER_NAMES.length}`);
  return [
    ...PROVIDER_NAMES.slice(0, count).map((n) => ({
      domain: `pec.${n.toLowerCase()}.test`,
      provider: `${n} PEC`,
      delayMs: 0,
    })),
    { domain: SLOW_PROVIDER.domain, provider: SLOW_PROVIDER.name, delayMs: slowDelayMs },
  ];
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
