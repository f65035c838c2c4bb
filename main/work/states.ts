/**
 * The work state of a list row (issue 14): nuova → assegnata → presa in carico (by a named person,
 * with the time) → in attesa → gestita, reopenable. Pure: router.ts and work-service.ts store what
 * this decides. Opening a message is not a transition: reading is not handling.
 */

export const WORK_STATES = ['new', 'assigned', 'claimed', 'waiting', 'done'] as const;
export type WorkState = (typeof WORK_STATES)[number];

/** The Italian words people type at the CLI, beside the codes. */
export const STATE_WORDS: Record<string, WorkState> = {
  new: 'new',
  nuova: 'new',
  assigned: 'assigned',
  assegnata: 'assigned',
  claimed: 'claimed',
  presa: 'claimed',
  'presa-in-carico': 'claimed',
  waiting: 'waiting',
  attesa: 'waiting',
  'in-attesa': 'waiting',
  done: 'done',
  gestita: 'done',
};

export interface Person {
  /** users.id; null for the CLI or "solo io" before an owner exists. */
  userId: number | null;
  name: string;
}

export interface WorkFacts {
  /** null: not work yet (a sent PEC, ordinary mail): any action makes it work. */
  state: WorkState | null;
  assigneeUserId: number | null;
  assigneeOfficeId: number | null;
  claimedBy: number | null;
  claimedByName: string | null;
  claimedAt: string | null;
  doneAt: string | null;
  doneByName: string | null;
}

export type WorkChange =
  /** To a person, an office, or nobody (back to "nuova"). */
  | { type: 'assign'; user?: number | null; office?: number | null }
  /** Presa in carico by this person; `force` takes it from a colleague (reassigning). */
  | { type: 'claim'; by: Person; force?: boolean }
  | { type: 'wait' }
  | { type: 'done'; by: Person }
  | { type: 'reopen' };

export type Transition =
  | { ok: true; next: WorkFacts; changed: boolean }
  /** code: a stable word the UI says in Italian (already-claimed, done, not-done, waiting). */
  | { ok: false; code: 'already-claimed' | 'done' | 'not-done' | 'already-waiting'; message: string };

export const NOT_WORK: WorkFacts = {
  state: null,
  assigneeUserId: null,
  assigneeOfficeId: null,
  claimedBy: null,
  claimedByName: null,
  claimedAt: null,
  doneAt: null,
  doneByName: null,
};

const unclaimed = { claimedBy: null, claimedByName: null, claimedAt: null };

/** What a change makes of a row's work at `at` (ISO), or why it cannot be made. */
export function transition(facts: WorkFacts, change: WorkChange, at: string): Transition {
  const state = facts.state ?? 'new';
  const ok = (next: WorkFacts): Transition => ({ ok: true, next, changed: !sameFacts(facts, next) });
  if (state === 'done' && change.type !== 'reopen')
    return { ok: false, code: 'done', message: 'done: it was handled already; reopen it first' };
  switch (change.type) {
    case 'assign': {
      const user = change.user ?? null;
      const office =
        change.office === undefined ? (user === null ? null : facts.assigneeOfficeId) : change.office;
      if (user === null && office === null)
        return ok({ ...facts, state: 'new', assigneeUserId: null, assigneeOfficeId: null, ...unclaimed });
      // Given to the person who has it in charge already: still in charge.
      if (state === 'claimed' && user !== null && user === facts.claimedBy)
        return ok({ ...facts, assigneeUserId: user, assigneeOfficeId: office });
      return ok({
        ...facts,
        state: 'assigned',
        assigneeUserId: user,
        assigneeOfficeId: office,
        ...unclaimed,
      });
    }
    case 'claim': {
      const { by } = change;
      const mine =
        facts.claimedByName !== null &&
        (by.userId !== null ? facts.claimedBy === by.userId : facts.claimedByName === by.name);
      if (state === 'claimed' && mine) return { ok: true, next: facts, changed: false };
      if (state === 'claimed' && facts.claimedByName !== null && !change.force)
        return {
          ok: false,
          code: 'already-claimed',
          message: `already-claimed: ${facts.claimedByName} took it in charge at ${facts.claimedAt}`,
        };
      // In charge again after waiting keeps the first time it was taken, by the same person.
      const keepTime = state === 'waiting' && mine;
      return ok({
        ...facts,
        state: 'claimed',
        assigneeUserId: by.userId ?? facts.assigneeUserId,
        claimedBy: by.userId,
        claimedByName: by.name,
        claimedAt: keepTime ? facts.claimedAt : at,
      });
    }
    case 'wait':
      if (state === 'waiting')
        return { ok: false, code: 'already-waiting', message: 'already-waiting: it is waiting already' };
      return ok({ ...facts, state: 'waiting' });
    case 'done':
      return ok({ ...facts, state: 'done', doneAt: at, doneByName: change.by.name });
    case 'reopen':
      if (state !== 'done')
        return { ok: false, code: 'not-done', message: 'not-done: only a handled row is reopened' };
      return ok({
        ...facts,
        state: facts.assigneeUserId !== null || facts.assigneeOfficeId !== null ? 'assigned' : 'new',
        ...unclaimed,
        doneAt: null,
        doneByName: null,
      });
  }
}

function sameFacts(a: WorkFacts, b: WorkFacts): boolean {
  return (Object.keys(a) as (keyof WorkFacts)[]).every((k) => a[k] === b[k]);
}
