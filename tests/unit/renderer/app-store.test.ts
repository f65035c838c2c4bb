import { describe, expect, it } from 'vitest';
import type { ApiResponse, PecDeskBridge } from '../../../main/api/contract.ts';
import { useAppStore } from '../../../renderer/src/store/app-store.ts';

/** A bridge whose demo.open answers when the test says, with events the test emits. */
function bridge(answer: ApiResponse<unknown>) {
  const listeners = new Map<string, (p: unknown) => void>();
  let finish: () => void = () => {};
  const calls: string[] = [];
  const b = {
    call: async (method: string) => {
      calls.push(method);
      if (method === 'demo.open') await new Promise<void>((r) => (finish = r));
      if (method === 'demo.open') return answer;
      if (method === 'accounts.list') return { ok: true, value: [] };
      return { ok: true, value: { demo: answer.ok, empty: !answer.ok } };
    },
    on: (event: string, l: (p: unknown) => void) => {
      listeners.set(event, l);
      return () => listeners.delete(event);
    },
  } as unknown as PecDeskBridge;
  return { b, emit: (event: string, p: unknown) => listeners.get(event)?.(p), finish: () => finish(), calls };
}

describe('opening the demo archive', () => {
  it('shows progress from the moment it is asked, follows the core, and ends', async () => {
    const fake = bridge({ ok: true, value: { archiveDir: '/a-demo' } });
    await useAppStore.getState().init(fake.b);
    const opening = useAppStore.getState().setDemo(true);
    expect(useAppStore.getState().demoOpening).toEqual({ done: 0, total: 1 });
    await Promise.resolve();
    fake.emit('demo.progress', { done: 2, total: 4 });
    expect(useAppStore.getState().demoOpening).toEqual({ done: 2, total: 4 });
    // A second click while it runs does not start another.
    await useAppStore.getState().setDemo(true);
    expect(fake.calls.filter((c) => c === 'demo.open')).toHaveLength(1);
    fake.finish();
    await opening;
    expect(useAppStore.getState().demoOpening).toBeNull();
    expect(useAppStore.getState().demoError).toBeNull();
    expect(useAppStore.getState().info).toMatchObject({ demo: true });
  });

  it('says when it failed instead of dropping it', async () => {
    const fake = bridge({ ok: false, error: { code: 'internal', message: 'demo.open failed: disk full' } });
    await useAppStore.getState().init(fake.b);
    const opening = useAppStore.getState().setDemo(true);
    fake.finish();
    await opening;
    expect(useAppStore.getState().demoError).toEqual({ open: true, message: 'demo.open failed: disk full' });
    expect(useAppStore.getState().demoOpening).toBeNull();
    // Progress events from another window's opening are not ours.
    fake.emit('demo.progress', { done: 1, total: 4 });
    expect(useAppStore.getState().demoOpening).toBeNull();
  });
});
