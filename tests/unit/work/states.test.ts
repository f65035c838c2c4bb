/** The work state machine (issue 14): nuova → assegnata → presa in carico → in attesa → gestita, reopen. */
import { describe, expect, it } from 'vitest';
import { NOT_WORK, transition, type WorkFacts } from '../../../main/work/states.ts';

const anna = { userId: 2, name: 'Anna Neri' };
const bruno = { userId: 3, name: 'Bruno Verdi' };
const at = '2026-03-02T09:00:00.000Z';
const later = '2026-03-02T11:00:00.000Z';

function step(f: WorkFacts, change: Parameters<typeof transition>[1], when = at): WorkFacts {
  const r = transition(f, change, when);
  if (!r.ok) throw new Error(r.message);
  return r.next;
}

describe('work states', () => {
  it('the whole road, with who and when', () => {
    let f: WorkFacts = { ...NOT_WORK, state: 'new' };
    f = step(f, { type: 'assign', user: anna.userId });
    expect(f).toMatchObject({ state: 'assigned', assigneeUserId: 2, claimedByName: null });
    f = step(f, { type: 'claim', by: anna });
    expect(f).toMatchObject({ state: 'claimed', claimedBy: 2, claimedByName: 'Anna Neri', claimedAt: at });
    f = step(f, { type: 'wait' }, later);
    expect(f).toMatchObject({ state: 'waiting', claimedByName: 'Anna Neri' });
    // Back in charge after waiting: the first time it was taken stays.
    f = step(f, { type: 'claim', by: anna }, later);
    expect(f).toMatchObject({ state: 'claimed', claimedAt: at });
    f = step(f, { type: 'done', by: anna }, later);
    expect(f).toMatchObject({ state: 'done', doneAt: later, doneByName: 'Anna Neri' });
  });

  it('a row that is not work becomes work by any change', () => {
    expect(step(NOT_WORK, { type: 'claim', by: bruno }).state).toBe('claimed');
    expect(step(NOT_WORK, { type: 'done', by: bruno }).state).toBe('done');
  });

  it('someone else’s presa in carico is not taken silently; force reassigns it', () => {
    const f = step({ ...NOT_WORK, state: 'new' }, { type: 'claim', by: anna });
    const r = transition(f, { type: 'claim', by: bruno }, later);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('already-claimed');
    expect(step(f, { type: 'claim', by: bruno, force: true }, later)).toMatchObject({
      claimedByName: 'Bruno Verdi',
      claimedAt: later,
    });
    const again = transition(f, { type: 'claim', by: anna }, later);
    expect(again.ok && again.changed).toBe(false);
  });

  it('a handled row changes only by being reopened; reopening goes back to its assignee', () => {
    const done = step(step({ ...NOT_WORK, state: 'new' }, { type: 'assign', office: 4 }), {
      type: 'done',
      by: anna,
    });
    for (const change of [
      { type: 'assign', user: 3 },
      { type: 'claim', by: bruno },
      { type: 'wait' },
      { type: 'done', by: anna },
    ] as const) {
      const r = transition(done, change, later);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('done');
    }
    expect(step(done, { type: 'reopen' })).toMatchObject({
      state: 'assigned',
      assigneeOfficeId: 4,
      doneAt: null,
    });
    expect(step(step(NOT_WORK, { type: 'done', by: anna }), { type: 'reopen' }).state).toBe('new');
    const notDone = transition({ ...NOT_WORK, state: 'claimed' }, { type: 'reopen' }, at);
    expect(notDone.ok).toBe(false);
  });

  it('assigning to an office, to a person of it, to nobody', () => {
    let f = step({ ...NOT_WORK, state: 'new' }, { type: 'assign', office: 4 });
    expect(f).toMatchObject({ state: 'assigned', assigneeOfficeId: 4, assigneeUserId: null });
    f = step(f, { type: 'assign', user: 2 });
    expect(f).toMatchObject({ state: 'assigned', assigneeOfficeId: 4, assigneeUserId: 2 });
    f = step(f, { type: 'claim', by: anna });
    // Given to the person who has it in charge: still in charge.
    expect(step(f, { type: 'assign', user: 2 }).state).toBe('claimed');
    expect(step(f, { type: 'assign', user: 3 })).toMatchObject({ state: 'assigned', claimedByName: null });
    expect(step(f, { type: 'assign', user: null, office: null })).toMatchObject({
      state: 'new',
      assigneeUserId: null,
      assigneeOfficeId: null,
    });
  });

  it('waiting twice is said', () => {
    const f = step({ ...NOT_WORK, state: 'new' }, { type: 'wait' });
    const r = transition(f, { type: 'wait' }, later);
    expect(r.ok).toBe(false);
  });
});
