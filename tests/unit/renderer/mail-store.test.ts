import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResponse, ListRow, PecDeskBridge } from '../../../main/api/contract.ts';
import { PAGE_SIZE, useMailStore } from '../../../renderer/src/store/mail-store.ts';
import { listRow } from '../../support/list-row.ts';

function row(id: number): ListRow {
  return listRow({ id, subject: `m${id}` });
}

const TOTAL = 1_000;

function fakeBridge() {
  const calls: { method: string; args: unknown }[] = [];
  const bridge: PecDeskBridge = {
    call: vi.fn(async (method: string, args: unknown): Promise<ApiResponse<unknown>> => {
      calls.push({ method, args });
      if (method === 'views.list') return { ok: true, value: { smart: [], mailboxes: [] } };
      if (method === 'messages.list') {
        const { offset, limit } = args as { offset: number; limit: number };
        return {
          ok: true,
          value: {
            total: TOTAL,
            rows: Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) =>
              row(offset + i + 1),
            ),
          },
        };
      }
      if (method === 'messages.get')
        return {
          ok: true,
          value: {
            id: (args as { id: number }).id,
            threadId: null,
            locations: [],
            inspect: {},
            thread: null,
          },
        };
      return { ok: false, error: { code: 'unknown-method', message: method } };
    }) as PecDeskBridge['call'],
    on: () => () => {},
    setSession: () => {},
  };
  return { bridge, calls };
}

describe('mail store', () => {
  beforeEach(() =>
    useMailStore.setState({ pages: new Map(), total: 0, selectedIndex: null, openId: null, open: null }),
  );

  it('loads only the pages asked for, once each', async () => {
    const { bridge, calls } = fakeBridge();
    useMailStore.getState().attach(bridge);
    await useMailStore.getState().setView({ kind: 'smart', view: 'all' });
    expect(useMailStore.getState().total).toBe(TOTAL);
    await Promise.all([useMailStore.getState().ensurePage(3), useMailStore.getState().ensurePage(3)]);
    const lists = calls
      .filter((c) => c.method === 'messages.list')
      .map((c) => (c.args as { offset: number }).offset);
    expect(lists).toEqual([0, 3 * PAGE_SIZE]);
    expect(useMailStore.getState().rowAt(3 * PAGE_SIZE)?.id).toBe(3 * PAGE_SIZE + 1);
    expect(useMailStore.getState().rowAt(PAGE_SIZE)).toBeUndefined();
  });

  it('selection is clamped to the list and opens the message, loading its page when needed', async () => {
    const { bridge } = fakeBridge();
    useMailStore.getState().attach(bridge);
    await useMailStore.getState().setView({ kind: 'smart', view: 'all' });
    useMailStore.getState().select(-5);
    expect(useMailStore.getState().selectedIndex).toBe(0);
    await vi.waitFor(() => expect(useMailStore.getState().open?.id).toBe(1));
    useMailStore.getState().select(TOTAL + 10);
    expect(useMailStore.getState().selectedIndex).toBe(TOTAL - 1);
    await vi.waitFor(() => expect(useMailStore.getState().open?.id).toBe(TOTAL));
  });

  it('a search counted up to a limit asks for the exact count with the last page of its list', async () => {
    const asked: { offset: number; exactCount?: boolean }[] = [];
    const bridge: PecDeskBridge = {
      call: vi.fn(async (method: string, args: unknown): Promise<ApiResponse<unknown>> => {
        if (method !== 'search.query')
          return { ok: true, value: { smart: [], mailboxes: [], rows: [], total: 0 } };
        const { offset, limit, exactCount } = args as { offset: number; limit: number; exactCount?: boolean };
        asked.push({ offset, exactCount });
        // 10,000 match; counting stops at 1,000 unless asked.
        const exact = exactCount === true;
        return {
          ok: true,
          value: {
            total: exact ? 10_000 : 1_000,
            totalApproximate: !exact,
            hits: Array.from({ length: limit }, (_, i) => row(offset + i + 1)),
            chips: [],
            rankedNewest: null,
          },
        };
      }) as PecDeskBridge['call'],
      on: () => () => {},
      setSession: () => {},
    };
    useMailStore.getState().attach(bridge);
    await useMailStore.getState().setText('fattura');
    expect(useMailStore.getState()).toMatchObject({ total: 1_000, totalApproximate: true });
    await useMailStore.getState().ensurePage(1);
    expect(useMailStore.getState().totalApproximate).toBe(true);
    // The list ends at 1,000 rows: its last page is the one that asks.
    await useMailStore.getState().ensurePage(1_000 / PAGE_SIZE - 1);
    expect(useMailStore.getState()).toMatchObject({ total: 10_000, totalApproximate: false });
    expect(asked.map((a) => a.exactCount)).toEqual([false, false, true]);
    // A new search starts counted again.
    await useMailStore.getState().setText('diffida');
    expect(useMailStore.getState().totalApproximate).toBe(true);
    expect(asked.at(-1)).toEqual({ offset: 0, exactCount: false });
  });
});
