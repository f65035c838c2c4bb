/** Terms as Italian law counts them (deadlines-sdi.md A2-A3), with the worked examples of the notes. */
import { describe, expect, it } from 'vitest';
import {
  computeTerm,
  easter,
  isHoliday,
  nextWorkingDay,
  romeDay,
  romeDayStart,
} from '../../../main/work/calendar.ts';

describe('terms', () => {
  it('the August suspension: the examples of the notes', () => {
    // Notified in August: day 1 is 1 September, the 60-day ricorso ends on 30 October 2023.
    expect(computeTerm(new Date('2023-08-10T10:00:00+02:00'), 60, { feriale: true }).due).toBe('2023-10-30');
    // Notified 20 July 2023: ends 19 October 2023.
    const july = computeTerm(new Date('2023-07-20T10:00:00+02:00'), 60, { feriale: true });
    expect(july).toMatchObject({ due: '2023-10-19', suspended: true, shiftedFrom: null });
    // Without the suspension August runs.
    expect(computeTerm(new Date('2023-07-20T10:00:00+02:00'), 60).due).toBe('2023-09-18');
  });

  it('the first day is excluded and a last day on a Saturday, Sunday or holiday moves on', () => {
    // Monday 2 March 2026 + 5 days = Saturday 7 March → Monday 9 March.
    expect(computeTerm(new Date('2026-03-02T10:00:00+01:00'), 5)).toMatchObject({
      due: '2026-03-09',
      shiftedFrom: '2026-03-07',
    });
    // Ending on Easter Monday 2026 (6 April) → Tuesday 7 April.
    expect(computeTerm(new Date('2026-03-27T10:00:00+01:00'), 10).due).toBe('2026-04-07');
    // 25 December 2026 is a Friday, 26 a Saturday: → Monday 28.
    expect(computeTerm(new Date('2026-12-15T10:00:00+01:00'), 10).due).toBe('2026-12-28');
  });

  it('a civil notification delivered from 21:00 counts from the next day; the day is Rome’s', () => {
    const late = new Date('2026-03-02T21:30:00+01:00');
    expect(computeTerm(late, 10).from).toBe('2026-03-02');
    expect(computeTerm(late, 10, { civil: true }).from).toBe('2026-03-03');
    // 23:30 UTC on 1 March is already 2 March in Rome.
    expect(romeDay(new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02');
    expect(romeDayStart('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    expect(romeDayStart('2026-01-10')).toBe('2026-01-09T23:00:00.000Z');
  });

  it('holidays: Easter, San Francesco from 2026, not before', () => {
    expect(easter(2026)).toBe('2026-04-05');
    expect(easter(2027)).toBe('2027-03-28');
    expect(isHoliday('2027-10-04')).toBe(true);
    expect(isHoliday('2025-10-04')).toBe(false);
    expect(isHoliday('2026-06-02')).toBe(true);
    expect(nextWorkingDay('2026-08-15')).toBe('2026-08-17');
  });
});
