import { afterEach, describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDateTime,
  formatListDate,
  formatNumber,
  setFormatLocale,
} from '../../../renderer/src/format.ts';

const words = { today: (t: string) => `oggi ${t}`, yesterday: (t: string) => `ieri ${t}` };

afterEach(() => setFormatLocale('it'));

describe('Italian formats in Europe/Rome', () => {
  it('writes date and time as dd/mm/yyyy hh:mm in Rome time, summer and winter', () => {
    expect(formatDateTime('2026-11-25T13:32:00Z')).toBe('25/11/2026 14:32');
    expect(formatDateTime('2026-07-01T22:30:00Z')).toBe('02/07/2026 00:30');
    expect(formatDateTime('not a date')).toBe('');
  });

  it('gives receipt times to the second', () => {
    expect(formatDateTime('2018-11-13T15:39:26Z', { seconds: true })).toBe('13/11/2018 16:39:26');
  });

  it('says oggi, ieri, a short day this year, the full date before', () => {
    const now = new Date('2026-11-25T15:00:00Z');
    expect(formatListDate('2026-11-25T13:32:00Z', now, words)).toBe('oggi 14:32');
    expect(formatListDate('2026-11-24T08:10:00Z', now, words)).toBe('ieri 09:10');
    expect(formatListDate('2026-11-03T08:10:00Z', now, words)).toBe('mar 3 nov');
    expect(formatListDate('2025-11-24T08:10:00Z', now, words)).toBe('24/11/2025');
  });

  it('writes sizes and numbers with Italian decimals', () => {
    expect(formatBytes(12)).toBe('12 byte');
    expect(formatBytes(1536)).toBe('1,5 kB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatNumber(20003)).toBe('20.003');
  });
});

describe('English formats, still in Europe/Rome', () => {
  it('writes English dates when the UI is in English', () => {
    setFormatLocale('en');
    const now = new Date('2026-11-25T15:00:00Z');
    expect(formatDateTime('2026-11-25T13:32:00Z')).toBe('25 Nov 2026, 14:32');
    expect(formatDateTime('2018-11-13T15:39:26Z', { seconds: true })).toBe('13 Nov 2018, 16:39:26');
    expect(formatListDate('2026-11-03T08:10:00Z', now, words)).toBe('Tue 3 Nov');
    expect(formatListDate('2025-11-24T08:10:00Z', now, words)).toBe('24 Nov 2025');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatNumber(20003)).toBe('20,003');
  });
});

describe('numbers are always grouped', () => {
  it('writes 1.234, not 1234', () => {
    expect(formatNumber(1234)).toBe('1.234');
    setFormatLocale('en');
    expect(formatNumber(1234)).toBe('1,234');
  });
});
