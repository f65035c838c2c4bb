import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { utilityProcessLauncher } from '../../../main/electron/extract-launcher.ts';
import { nodeForkLauncher, setChildLauncher } from '../../../main/search/extract/child-launcher.ts';
import { TextExtractor } from '../../../main/search/extract/extractor.ts';

const shim = pathToFileURL(new URL('../../support/parent-port-shim.mjs', import.meta.url).pathname).href;

afterEach(() => setChildLauncher(nodeForkLauncher));

/** A stand-in for Electron's UtilityProcess: what the launcher calls and the events it gets. */
class FakeUtility extends EventEmitter {
  pid = 4242;
  stderr = new EventEmitter();
  postMessage = vi.fn();
  kill = vi.fn(() => true);
}

describe('the text extractor in the packaged app (utilityProcess, RunAsNode fuse off)', () => {
  it('maps the extractor’s child onto a utility process', () => {
    const fake = new FakeUtility();
    const fork = vi.fn(() => fake as never);
    const child = utilityProcessLauncher(fork)({
      modulePath: '/app/extract-worker.mjs',
      args: ['768'],
      execArgv: ['--max-old-space-size=512'],
    });
    expect(fork).toHaveBeenCalledWith(
      '/app/extract-worker.mjs',
      ['768'],
      expect.objectContaining({
        execArgv: ['--max-old-space-size=512'],
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    const request = {
      id: 1,
      file: { filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('x') },
      limits: {} as never,
    };
    const done = vi.fn();
    child.send(request, done);
    expect(fake.postMessage).toHaveBeenCalledWith(request);
    expect(done).toHaveBeenCalledWith(null);
    const messages: unknown[] = [];
    child.onMessage((m) => messages.push(m));
    fake.emit('message', { id: 1, result: { status: 'ok', text: 'x' } });
    expect(messages).toEqual([{ id: 1, result: { status: 'ok', text: 'x' } }]);
    const stderr: string[] = [];
    child.onStderr((t) => stderr.push(t));
    fake.stderr.emit('data', Buffer.from('PECDESK memory'));
    expect(stderr).toEqual(['PECDESK memory']);
    const exits: unknown[] = [];
    child.onExit((code, signal) => exits.push([code, signal]));
    fake.emit('exit', 9);
    expect(exits).toEqual([[9, null]]);
    expect(child.alive()).toBe(false);
    const late = vi.fn();
    child.send(request, late);
    expect(late.mock.calls[0]![0]).toBeInstanceOf(Error);
    child.kill();
    expect(fake.kill).toHaveBeenCalled();
  });

  it('the worker answers over parentPort as in a utility process: a whole extraction round trip', async () => {
    // The real worker, with a parentPort like Electron's, behind the same launcher interface.
    setChildLauncher((spec) => nodeForkLauncher({ ...spec, execArgv: [...spec.execArgv, '--import', shim] }));
    const extractor = new TextExtractor();
    try {
      const result = await extractor.extract({
        filename: 'nota.txt',
        contentType: 'text/plain',
        content: Buffer.from('Nota di credito n. 12'),
      });
      expect(result).toMatchObject({ status: 'ok', text: 'Nota di credito n. 12' });
    } finally {
      await extractor.close();
    }
  });
});
