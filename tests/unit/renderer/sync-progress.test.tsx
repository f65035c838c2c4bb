// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PublicAccount, SyncProgress } from '../../../main/api/contract.ts';
import { SyncStatusLine } from '../../../renderer/src/components/SyncStatusLine.tsx';
import { setFormatLocale } from '../../../renderer/src/format.ts';
import { initI18n } from '../../../renderer/src/i18n/index.ts';
import { useAppStore } from '../../../renderer/src/store/app-store.ts';
import {
  applyProgress,
  applyState,
  type SyncProgressState,
  seedAccounts,
  summarize,
} from '../../../renderer/src/store/sync-progress.ts';
import { statusText, timeLeft } from '../../../renderer/src/sync-text.ts';

beforeAll(() => {
  initI18n('it');
});
afterEach(async () => {
  cleanup();
  await i18next.changeLanguage('it');
  setFormatLocale('it');
  useAppStore.setState({ sync: {} });
});

const progress = (p: Partial<SyncProgress>): SyncProgress => ({
  accountId: 1,
  email: 'studio@pec.it',
  folder: 'INBOX',
  done: 0,
  total: 0,
  rate: 0,
  ...p,
});

const syncing = (id: number, email: string): SyncProgressState =>
  applyState({}, { accountId: id, email, state: 'syncing', errorCode: null, error: null });

describe('sync progress from the core events', () => {
  it('sums the folders of a pass: done of total, the current folder, its rate, the time left', () => {
    let s = syncing(1, 'studio@pec.it');
    s = applyProgress(s, progress({ folder: 'INBOX', done: 20_000, total: 20_000, rate: 400 }));
    s = applyProgress(s, progress({ folder: 'Sent', done: 100, total: 1_000, rate: 300 }));
    const summary = summarize(Object.values(s))!;
    expect(summary).toMatchObject({
      accounts: 1,
      email: 'studio@pec.it',
      folder: 'Sent',
      done: 20_100,
      total: 21_000,
    });
    // Only the folder being fetched counts for the rate: INBOX is done.
    expect(summary.rate).toBe(300);
    expect(summary.secondsLeft).toBe(3);
  });

  it('adds the accounts syncing at once', () => {
    let s = { ...syncing(1, 'a@pec.it'), ...syncing(2, 'b@pec.it') };
    s = applyProgress(s, progress({ accountId: 1, email: 'a@pec.it', done: 100, total: 1_000, rate: 100 }));
    s = applyProgress(s, progress({ accountId: 2, email: 'b@pec.it', done: 500, total: 1_000, rate: 200 }));
    expect(summarize(Object.values(s))).toMatchObject({
      accounts: 2,
      email: null,
      done: 600,
      total: 2_000,
      rate: 300,
    });
  });

  it('nothing to show when idle; a pass that ends or starts again starts from zero', () => {
    let s = syncing(1, 'studio@pec.it');
    s = applyProgress(s, progress({ done: 50, total: 100, rate: 10 }));
    s = applyState(s, { accountId: 1, email: 'studio@pec.it', state: 'idle', errorCode: null, error: null });
    expect(summarize(Object.values(s))).toBeNull();
    s = applyState(s, {
      accountId: 1,
      email: 'studio@pec.it',
      state: 'syncing',
      errorCode: null,
      error: null,
    });
    expect(summarize(Object.values(s))).toMatchObject({ done: 0, total: 0, secondsLeft: null });
  });

  it('new mail while watching shows until fetched, without a syncing state', () => {
    let s = seedAccounts({}, [{ id: 1, email: 'studio@pec.it', syncState: 'idle' } as PublicAccount]);
    expect(summarize(Object.values(s))).toBeNull();
    s = applyProgress(s, progress({ done: 0, total: 3 }));
    expect(summarize(Object.values(s))).toMatchObject({ done: 0, total: 3 });
    s = applyProgress(s, progress({ done: 3, total: 3, rate: 30 }));
    expect(summarize(Object.values(s))).toBeNull();
  });

  it('a list reload keeps the progress of a pass under way and drops removed accounts', () => {
    let s = { ...syncing(1, 'a@pec.it'), ...syncing(2, 'b@pec.it') };
    s = applyProgress(s, progress({ accountId: 1, email: 'a@pec.it', done: 10, total: 100 }));
    s = seedAccounts(s, [{ id: 1, email: 'a@pec.it', syncState: 'syncing' } as PublicAccount]);
    expect(Object.keys(s)).toEqual(['1']);
    expect(s[1]!.folders.INBOX).toEqual({ done: 10, total: 100, rate: 0 });
  });
});

describe('the words of progress', () => {
  const t = i18next.t.bind(i18next);

  it('says the time left plainly', () => {
    expect(timeLeft(t, 20)).toBe('meno di un minuto');
    expect(timeLeft(t, 65)).toBe('circa 1 min');
    expect(timeLeft(t, 25 * 60)).toBe('circa 25 min');
    expect(timeLeft(t, 2 * 3600 + 10 * 60)).toBe('circa 2 h 10 min');
  });

  it('one account: address, folder by its Italian name, counts, rate, time left', () => {
    const text = statusText(t, i18next, {
      accounts: 1,
      email: 'studio@pec.it',
      folder: 'INBOX',
      done: 12_345,
      total: 20_000,
      rate: 310,
      secondsLeft: 24.7,
    });
    expect(text).toBe(
      'Sincronizzazione: studio@pec.it — Posta in arrivo 12.345 di 20.000 · 310 msg/s · meno di un minuto',
    );
  });

  it('several accounts, before any folder is known', () => {
    const text = statusText(t, i18next, {
      accounts: 3,
      email: null,
      folder: null,
      done: 0,
      total: 0,
      rate: 0,
      secondsLeft: null,
    });
    expect(text).toBe('Sincronizzazione di 3 caselle — controllo delle cartelle…');
  });
});

describe('the status line', () => {
  it('is absent when nothing syncs, and shows a progress bar with the counts while a mailbox syncs', () => {
    render(<SyncStatusLine />);
    expect(screen.queryByTestId('sync-status')).toBeNull();
    act(() => {
      let s = syncing(1, 'studio@pec.it');
      s = applyProgress(s, progress({ done: 12_345, total: 40_000, rate: 310 }));
      useAppStore.setState({ sync: s });
    });
    const line = screen.getByTestId('sync-status');
    expect(line.textContent).toContain(
      'Sincronizzazione: studio@pec.it — Posta in arrivo 12.345 di 40.000 · 310 msg/s · circa 1 min',
    );
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('12345');
    expect(bar.getAttribute('aria-valuemax')).toBe('40000');
  });

  it('speaks English in the English UI', async () => {
    await i18next.changeLanguage('en');
    setFormatLocale('en');
    useAppStore.setState({
      sync: applyProgress(syncing(1, 'studio@pec.it'), progress({ done: 12_345, total: 40_000, rate: 310 })),
    });
    render(<SyncStatusLine />);
    expect(screen.getByTestId('sync-status').textContent).toContain(
      'Syncing studio@pec.it — Inbox 12,345 of 40,000 · 310 msg/s · about 1 min left',
    );
  });
});
