/**
 * The text extractor's child in the packaged app: Electron's utilityProcess. child_process.fork
 * would run Electron as Node (ELECTRON_RUN_AS_NODE), which the RunAsNode fuse turns off
 * (electron-builder.yml). The worker (main/search/extract/extract-worker.ts) answers on
 * process.parentPort there. Kept to the interface of child-launcher.ts, so the extractor does not
 * know which one runs it.
 */
import type { ForkOptions, UtilityProcess } from 'electron';
import type { ChildLauncher, ChildSpec, ExtractorChild } from '../search/extract/child-launcher.ts';
import type { WorkerRequest, WorkerResponse } from '../search/extract/extractor.ts';

type Fork = (modulePath: string, args: string[], options: ForkOptions) => UtilityProcess;

export function utilityProcessLauncher(fork: Fork): ChildLauncher {
  return (spec: ChildSpec): ExtractorChild => {
    const child = fork(spec.modulePath, spec.args, {
      execArgv: spec.execArgv,
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'PecDesk: testo degli allegati',
    });
    let running = true;
    child.once('exit', () => {
      running = false;
    });
    return {
      get pid() {
        return child.pid ?? null;
      },
      send: (request: WorkerRequest, done) => {
        // postMessage queues until the process has started; a dead one cannot take it.
        if (!running) return done(new Error('the extraction process has ended'));
        child.postMessage(request);
        done(null);
      },
      onMessage: (listener) => child.on('message', (m: WorkerResponse) => listener(m)),
      onExit: (listener) => child.once('exit', (code: number) => listener(code, null)),
      onStderr: (listener) => child.stderr?.on('data', (chunk: Buffer) => listener(chunk.toString('utf8'))),
      onError: (listener) =>
        child.on('error', (type: string, location: string) => listener(new Error(`${type} at ${location}`))),
      alive: () => running,
      kill: () => {
        child.kill();
      },
    };
  };
}
