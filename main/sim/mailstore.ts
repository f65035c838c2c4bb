/**
 * The providers' "punto di consegna": puts messages in the simulated mailboxes with IMAP APPEND
 * as the mailbox's owner, so Dovecot applies everything it applies to mail (a full mailbox answers
 * OVERQUOTA, which the provider turns into an avviso di mancata consegna). One connection per
 * mailbox is kept while messages keep coming (a campaign delivers hundreds), appends to one
 * mailbox go in order, and an idle connection is closed after a while.
 */
import type { ImapFlow } from 'imapflow';
import type { DovecotServer, DovecotUser } from './dovecot.ts';

export type StoreResult = 'stored' | 'quota';

const IDLE_CLOSE_MS = 3000;

interface Slot {
  client: Promise<ImapFlow> | null;
  queue: Promise<unknown>;
  timer: NodeJS.Timeout | null;
}

export class MailStore {
  private readonly slots = new Map<string, Slot>();
  private closed = false;

  constructor(
    private readonly dovecot: DovecotServer,
    private readonly userOf: (address: string) => DovecotUser | undefined,
  ) {}

  /** Appends `raw` to the mailbox's INBOX; 'quota' when the mailbox is full. */
  store(address: string, raw: Buffer): Promise<StoreResult> {
    const user = this.userOf(address);
    if (!user) return Promise.reject(new Error(`no mailbox ${address}`));
    let slot = this.slots.get(user.user);
    if (!slot) {
      slot = { client: null, queue: Promise.resolve(), timer: null };
      this.slots.set(user.user, slot);
    }
    const s = slot;
    const run = s.queue.then(() => this.append(user, s, raw));
    s.queue = run.catch(() => {});
    return run;
  }

  private async append(user: DovecotUser, slot: Slot, raw: Buffer): Promise<StoreResult> {
    if (this.closed) throw new Error('the mail store is closed');
    if (slot.timer) clearTimeout(slot.timer);
    for (let attempt = 1; ; attempt++) {
      slot.client ??= this.dovecot.client(user);
      let client: ImapFlow;
      try {
        client = await slot.client;
      } catch (e) {
        slot.client = null;
        throw e;
      }
      try {
        await client.append('INBOX', raw);
        slot.timer = setTimeout(() => this.release(user.user), IDLE_CLOSE_MS);
        return 'stored';
      } catch (e) {
        const err = e as { serverResponseCode?: string; responseText?: string; message: string };
        if (err.serverResponseCode === 'OVERQUOTA') {
          slot.timer = setTimeout(() => this.release(user.user), IDLE_CLOSE_MS);
          return 'quota';
        }
        // A connection the server dropped (idle timeout, restart) is made again once.
        const dropped = !client.usable;
        slot.client = null;
        client.close();
        if (attempt >= 2 || !dropped)
          throw new Error(`APPEND to ${user.user} failed: ${err.message} ${err.responseText ?? ''}`.trim());
      }
    }
  }

  private release(user: string): void {
    const slot = this.slots.get(user);
    if (!slot?.client) return;
    const client = slot.client;
    slot.client = null;
    slot.timer = null;
    slot.queue = slot.queue.then(() =>
      client.then(
        (c) => c.logout().catch(() => c.close()),
        () => {},
      ),
    );
  }

  /** Waits for the appends under way and closes every connection. */
  async close(): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => s.queue));
    this.closed = true;
    for (const [user, slot] of this.slots) {
      if (slot.timer) clearTimeout(slot.timer);
      this.release(user);
    }
    await Promise.all([...this.slots.values()].map((s) => s.queue));
  }
}
