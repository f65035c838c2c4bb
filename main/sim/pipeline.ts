/**
 * What happens after a message is submitted, in time: the sender's provider issues its notice and
 * hands the envelope over, each recipient's provider delivers it and answers (late, for the slow
 * provider), every result stored in the mailboxes it belongs to. Keeps count of the work under way
 * and of delayed work, so tests can wait for all of it and stopping can drop what is not due.
 */
import { EXTERNAL_MAILBOX } from './config.ts';
import type { MailStore, StoreResult } from './mailstore.ts';
import {
  deliveryFailure,
  deliveryReceipt,
  type Outcome,
  type PecContext,
  type SimWorld,
  submit,
  type Transport,
} from './provider.ts';

export interface SubmittedMessage {
  raw: Buffer;
  from: string;
  to: string[];
  authUser: string;
}

export class Pipeline {
  private pending = 0;
  private waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly world: SimWorld,
    private readonly store: MailStore,
    private readonly log: (line: string) => void,
  ) {}

  /** Judges a submitted message and schedules everything that follows from it. */
  handle(message: SubmittedMessage): void {
    let outcome: Outcome;
    try {
      outcome = submit(
        {
          raw: message.raw,
          envelopeFrom: message.from,
          envelopeTo: message.to,
          authUser: message.authUser,
          at: new Date(),
        },
        this.world,
      );
    } catch (e) {
      this.log(`error: a message from ${message.authUser} could not be handled: ${(e as Error).message}`);
      return;
    }
    this.after(outcome.context.senderProvider.delayMs, () => this.accept(outcome));
  }

  /** Resolves when nothing is under way or waiting. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => (this.pending === 0 ? resolve() : this.waiters.push(resolve)));
  }

  /** Drops the delayed work (the simulator is stopping); returns how much there was. */
  dropDelayed(): number {
    const dropped = this.timers.size;
    for (const t of this.timers) {
      clearTimeout(t);
      this.done();
    }
    this.timers.clear();
    return dropped;
  }

  private done(): void {
    if (--this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private after(ms: number, task: () => Promise<void>): void {
    this.pending++;
    const run = () => {
      task()
        .catch((e: Error) => this.log(`error: ${e.message}`))
        .finally(() => this.done());
    };
    if (ms <= 0) {
      run();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      run();
    }, ms);
    this.timers.add(t);
  }

  private async accept(outcome: Outcome): Promise<void> {
    const { context } = outcome;
    await this.toSender(context, outcome.notice);
    if (!outcome.accepted) {
      const codes = outcome.rejections.map((r) => r.code).join(', ');
      this.log(`non accettazione ${context.msgid} da ${context.sender}: ${codes}`);
      return;
    }
    this.log(
      `accettazione ${context.identificativo} da ${context.sender} → ${outcome.transports.length} destinatari`,
    );
    for (const t of outcome.transports) {
      if (t.type === 'esterno') {
        // Ordinary mail: the sender's provider hands the envelope over; nobody certifies delivery.
        this.after(0, async () => {
          await this.store.store(EXTERNAL_MAILBOX, outcome.envelope!);
          this.log(`posta ordinaria ${context.identificativo} → ${t.address} (casella ${EXTERNAL_MAILBOX})`);
        });
      } else {
        this.after(t.provider!.delayMs, () => this.deliver(outcome, t));
      }
    }
  }

  /** A notice or receipt for the sender; a full sender's mailbox loses it, as with a real provider. */
  private async toSender(context: PecContext, raw: Buffer): Promise<void> {
    if ((await this.store.store(context.sender, raw)) === 'quota')
      this.log(
        `error: ${context.sender} is full: a notice about ${context.identificativo} was not delivered`,
      );
  }

  /** The recipient's provider: the envelope into the mailbox, then the receipt or the failure. */
  private async deliver(outcome: Outcome, t: Transport): Promise<void> {
    const { context } = outcome;
    const now = () => new Date();
    if (!t.known) {
      await this.toSender(context, deliveryFailure(context, t, { cause: 'no-dest' }, now()));
      this.log(`mancata consegna ${context.identificativo} → ${t.address}: casella inesistente`);
      return;
    }
    let result: StoreResult;
    try {
      result = await this.store.store(t.address, outcome.envelope!);
    } catch (e) {
      this.log(`error: delivering ${context.identificativo} to ${t.address}: ${(e as Error).message}`);
      const detail = `5.0.0 - ${t.provider!.identity.name} S.p.A. - errore del punto di consegna`;
      await this.toSender(context, deliveryFailure(context, t, { cause: 'other', detail }, now()));
      return;
    }
    if (result === 'quota') {
      await this.toSender(context, deliveryFailure(context, t, { cause: 'quota' }, now()));
      this.log(`mancata consegna ${context.identificativo} → ${t.address}: casella piena`);
      return;
    }
    await this.toSender(context, deliveryReceipt(context, t, now()));
    this.log(`consegna ${context.identificativo} → ${t.address} (${t.deliveryType})`);
  }
}
