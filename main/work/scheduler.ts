/**
 * The work clock (issue 14): reminders before due days, a notice when a due day has passed, and
 * escalation of incoming PEC nobody took in charge within the hours set. Owned by the core (started
 * and stopped with the archive), with an injectable clock for tests; each tick is one transaction
 * per notice, with its history line and audit entry ('system'), then the notice event.
 */
import type { Db } from '../../db/database.ts';
import { getItem, type RowRef, updateItem } from '../../db/work.ts';
import { dueItems, escalationCandidates } from '../../db/work-queries.ts';
import { type AuditActor, appendAudit } from '../auth/audit.ts';
import type { CoreEvents } from '../common/core-events.ts';
import type { EventSink } from '../common/event-bus.ts';
import { addDays, daysBetween, romeDay } from './calendar.ts';
import { escalationRecipients, noticeText, reminderRecipients, type WorkNotice } from './notices.ts';
import { readWorkSettings } from './settings.ts';
import { note, type WorkContext } from './work.ts';

export interface SchedulerOptions {
  clock?: () => Date;
  /** How often it looks (a minute). */
  intervalMs?: number;
  events?: EventSink<Pick<CoreEvents, 'archive.changed'> & { 'work.notice': WorkNotice }>;
  log?(line: string): void;
}

const SYSTEM: AuditActor = { actor: 'system', actorName: 'PecDesk', origin: 'scheduler' };

export class WorkScheduler {
  private timer: NodeJS.Timeout | null = null;
  private readonly clock: () => Date;

  constructor(
    private readonly db: () => Db | undefined,
    private readonly options: SchedulerOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    if (this.timer) return;
    const run = () => {
      try {
        this.tick();
      } catch (error) {
        (this.options.log ?? console.error)(`work scheduler: ${(error as Error).stack ?? String(error)}`);
      }
    };
    // The first look a few seconds after start, not in the middle of opening the archive.
    this.timer = setTimeout(
      function again(this: WorkScheduler) {
        run();
        this.timer = setTimeout(again.bind(this), this.options.intervalMs ?? 60_000).unref();
      }.bind(this),
      5_000,
    ).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One look at the clock: the notices given now. */
  tick(): WorkNotice[] {
    const db = this.db();
    if (!db) return [];
    const now = this.clock();
    const settings = readWorkSettings(db);
    const today = romeDay(now);
    const notices: WorkNotice[] = [];
    const ctx = (): WorkContext => ({
      db,
      now,
      actor: { actor: SYSTEM.actor, actorName: SYSTEM.actorName, person: { userId: null, name: 'PecDesk' } },
      audit: (event) => appendAudit(db, SYSTEM, event, now),
    });
    const furthest = Math.max(0, ...settings.remindDays);
    for (const item of dueItems(db, addDays(today, furthest))) {
      const daysLeft = daysBetween(today, item.dueDate);
      // The nearest reminder step reached: 3 days before, on the day (0), past it (-1).
      const level = daysLeft < 0 ? -1 : Math.min(...settings.remindDays.filter((d) => d >= daysLeft));
      if (!Number.isFinite(level) || (item.remindedFor !== null && item.remindedFor <= level)) continue;
      const ref: RowRef =
        item.threadId !== null ? { threadId: item.threadId } : { messageId: item.messageId! };
      const kind = level < 0 ? 'overdue' : 'reminder';
      db.$client.transaction(() => {
        updateItem(db, item.itemId, { remindedFor: level });
        note(ctx(), ref, kind, { due: item.dueDate, daysLeft });
      })();
      notices.push({
        kind,
        userIds: reminderRecipients(db, item),
        messageId: item.headId,
        threadId: item.threadId,
        subject: item.subject,
        due: item.dueDate,
        daysLeft,
        hours: null,
        ...noticeText(kind, item.subject, { due: item.dueDate, daysLeft }),
      });
    }
    if (settings.escalateAfterHours !== null && settings.escalateSince) {
      const hours = settings.escalateAfterHours;
      const before = new Date(now.getTime() - hours * 3_600_000).toISOString();
      for (const c of escalationCandidates(db, settings.escalateSince, before)) {
        const ref: RowRef = c.threadId !== null ? { threadId: c.threadId } : { messageId: c.headId };
        db.$client.transaction(() => {
          note(ctx(), ref, 'escalate', { hours, arrivedAt: c.arrivedAt });
          const item = getItem(db, ref)!;
          updateItem(db, item.id, { escalatedAt: now.toISOString() });
        })();
        notices.push({
          kind: 'escalation',
          userIds: escalationRecipients(db, c),
          messageId: c.headId,
          threadId: c.threadId,
          subject: c.subject,
          due: null,
          daysLeft: null,
          hours,
          ...noticeText('escalation', c.subject, { hours }),
        });
      }
    }
    for (const n of notices) this.options.events?.emit('work.notice', n);
    if (notices.length > 0)
      this.options.events?.emit('archive.changed', {
        created: 0,
        threads: notices.flatMap((n) => (n.threadId !== null ? [n.threadId] : [])),
      });
    return notices;
  }
}
