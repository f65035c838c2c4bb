import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Archive } from '../../../main/archive/archive.ts';
import { type Core, openCore } from '../../../main/core.ts';
import { tempDir } from '../../support/archive.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The background work an opened archive starts: the suggestion index and the upgrade loop. */
function watchBackground() {
  return {
    instant: vi.spyOn(Archive.prototype, 'instant'),
    upgrade: vi.spyOn(Archive.prototype, 'reconcileThreads'),
  };
}

describe('the first screen comes before background work', () => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.close();
    core = undefined;
    vi.restoreAllMocks();
  });

  it('starts the suggestion index and the upgrades only once the first list has been answered', async () => {
    const spies = watchBackground();
    const archiveDir = join(tempDir('pecdesk-first-screen-'), 'archive');
    core = await openCore({
      archiveDir,
      watch: false,
      env: { PECDESK_SECRETS: 'file', PECDESK_SECRET_KEY: 't' },
    });
    // Longer than the suggestion index used to wait (1 s), while no list was asked for.
    await sleep(1_300);
    expect(spies.instant).not.toHaveBeenCalled();
    expect(spies.upgrade).not.toHaveBeenCalled();

    const list = await core.registry.call(
      'messages.list',
      { view: { kind: 'smart', view: 'all' }, offset: 0, limit: 50 },
      { transport: 'http' },
    );
    expect(list.ok).toBe(true);
    // Not in the same turn: the front end paints the answer first.
    expect(spies.instant).not.toHaveBeenCalled();
    await vi.waitFor(() => {
      expect(spies.instant).toHaveBeenCalledTimes(1);
      expect(spies.upgrade).toHaveBeenCalledTimes(1);
    });
  });

  it('starts them anyway when no front end asks for a list', async () => {
    const spies = watchBackground();
    const archiveDir = join(tempDir('pecdesk-first-screen-'), 'archive');
    core = await openCore({
      archiveDir,
      watch: false,
      firstScreenMs: 300,
      env: { PECDESK_SECRETS: 'file', PECDESK_SECRET_KEY: 't' },
    });
    expect(spies.upgrade).not.toHaveBeenCalled();
    await vi.waitFor(() => {
      expect(spies.instant).toHaveBeenCalledTimes(1);
      expect(spies.upgrade).toHaveBeenCalledTimes(1);
    });
  });
});
