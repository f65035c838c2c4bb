/**
 * Who hears of a reminder or an escalation, and what they are told (issue 14). Escalations go to
 * the head of the office the PEC is assigned to (or of the assignee's offices); reminders to the
 * person who has it, else its office; when nobody is named, to the owner and administrators.
 */
import type { Db } from '../../db/database.ts';
import { officesOf } from '../../db/people.ts';
import { adminIds, officeMemberIds, officeRows } from '../../db/work-queries.ts';

export interface WorkNotice {
  kind: 'reminder' | 'overdue' | 'escalation';
  /** The people it is for (users.id); the owner and administrators when nobody else. */
  userIds: number[];
  /** The list row's message (to open it) and thread. */
  messageId: number;
  threadId: number | null;
  subject: string | null;
  due: string | null;
  /** Days left to the due day (reminders), hours waited (escalations). */
  daysLeft: number | null;
  hours: number | null;
  /** Italian words for a desktop notification (the app says them in its own language). */
  title: string;
  body: string;
}

const unique = (ids: (number | null | undefined)[]) => [
  ...new Set(ids.filter((i): i is number => typeof i === 'number')),
];

function headsOf(db: Db, officeIds: readonly number[]): number[] {
  const offices = officeRows(db);
  return unique(officeIds.map((id) => offices.find((o) => o.id === id)?.headUserId));
}

export function escalationRecipients(
  db: Db,
  w: { assigneeUserId: number | null; assigneeOfficeId: number | null },
): number[] {
  const offices =
    w.assigneeOfficeId !== null
      ? [w.assigneeOfficeId]
      : w.assigneeUserId !== null
        ? officesOf(db, w.assigneeUserId)
        : [];
  const heads = headsOf(db, offices);
  if (heads.length > 0) return heads;
  // Not assigned, or an office without a head: every head, else the owner and administrators.
  const allHeads =
    w.assigneeOfficeId === null && w.assigneeUserId === null
      ? headsOf(
          db,
          officeRows(db).map((o) => o.id),
        )
      : [];
  return allHeads.length > 0 ? allHeads : adminIds(db);
}

export function reminderRecipients(
  db: Db,
  w: { assigneeUserId: number | null; assigneeOfficeId: number | null; claimedBy: number | null },
): number[] {
  const people = unique([w.claimedBy, w.assigneeUserId]);
  if (people.length > 0) return people;
  if (w.assigneeOfficeId !== null) {
    const members = officeMemberIds(db, w.assigneeOfficeId);
    if (members.length > 0) return members;
  }
  return adminIds(db);
}

const itDate = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

export function noticeText(
  kind: WorkNotice['kind'],
  subject: string | null,
  facts: { due?: string | null; daysLeft?: number | null; hours?: number | null },
): { title: string; body: string } {
  const what = subject?.trim() || '(senza oggetto)';
  if (kind === 'escalation')
    return {
      title: `PEC non presa in carico entro ${facts.hours} ${facts.hours === 1 ? 'ora' : 'ore'}`,
      body: what,
    };
  if (kind === 'overdue') return { title: `Scadenza superata il ${itDate(facts.due ?? '')}`, body: what };
  const when =
    facts.daysLeft === 0
      ? 'oggi'
      : facts.daysLeft === 1
        ? 'domani'
        : `tra ${facts.daysLeft} giorni (${itDate(facts.due ?? '')})`;
  return { title: `Scadenza ${when}`, body: what };
}
