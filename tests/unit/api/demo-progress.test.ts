import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiEvents } from '../../../main/api/contract.ts';
import { EventBus } from '../../../main/api/events.ts';
import { registryFor } from '../../../main/api/handlers.ts';
import { tempDir } from '../../support/archive.ts';

describe('demo.open', () => {
  it('reports its steps while the demo archive is built, the last once it is open', async () => {
    const home = join(tempDir('pecdesk-demo-progress-'), 'archive');
    const events = new EventBus();
    const seen: ApiEvents['demo.progress'][] = [];
    events.on('demo.progress', (p) => seen.push(p));
    const opened: string[] = [];
    const registry = registryFor({
      version: '1',
      archiveDir: home,
      homeArchiveDir: home,
      anchors: undefined,
      events,
      switchArchive: async (dir) => {
        // Opening comes after the building steps, before the last report.
        opened.push(`${dir} after ${seen.map((p) => p.done).join(',')}`);
      },
    });
    const result = await registry.call('demo.open', {}, { transport: 'http' });
    expect(result).toEqual({ ok: true, value: { archiveDir: `${home}-demo` } });
    expect(opened).toEqual([`${home}-demo after 0,1,2,3`]);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((done) => ({ done, total: 4 })));

    // Built once: opening it again goes straight to the end.
    seen.length = 0;
    await registry.call('demo.open', {}, { transport: 'http' });
    expect(seen).toEqual([{ done: 4, total: 4 }]);
    expect(opened[1]).toBe(`${home}-demo after `);
  });
});
