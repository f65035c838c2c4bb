/**
 * How the text extractor's child process is started. Plain Node (the CLI, `serve`, the server):
 * child_process.fork. The packaged Electron app cannot do that: fork runs Electron as Node
 * (ELECTRON_RUN_AS_NODE), which its RunAsNode fuse turns off (electron-builder.yml); there,
 * main/electron installs a launcher on Electron's utilityProcess. The extractor sees only this
 * interface, so both behave the same: one request at a time, killed and replaced when it overruns.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { WorkerRequest, WorkerResponse } from './extractor.ts';

export interface ChildSpec {
  modulePath: string;
  args: string[];
  execArgv: string[];
}

export interface ExtractorChild {
  readonly pid: number | null;
  /** Sends a request; `done` gets an error when it could not be delivered. */
  send(request: WorkerRequest, done: (error: Error | null) => void): void;
  onMessage(listener: (response: WorkerResponse) => void): void;
  /** The child ended (exit code or signal); called once. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Its stderr, for the memory watchdog's marker and V8's out-of-memory report. */
  onStderr(listener: (text: string) => void): void;
  onError(listener: (error: Error) => void): void;
  /** Whether it still runs. */
  alive(): boolean;
  kill(): void;
}

export type ChildLauncher = (spec: ChildSpec) => ExtractorChild;

export const nodeForkLauncher: ChildLauncher = (spec) => {
  const child: ChildProcess = fork(spec.modulePath, spec.args, {
    execArgv: spec.execArgv,
    // Structured clone: attachment bytes cross as bytes, not as JSON arrays.
    serialization: 'advanced',
    // pdf.js talks on the console about odd files; that is not the app's log.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // An idle child never keeps the app (or the CLI) running; a job's timer does while it lasts.
  child.unref();
  child.channel?.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  return {
    get pid() {
      return child.pid ?? null;
    },
    send: (request, done) => {
      child.send(request, (error) => done(error ?? null));
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as WorkerResponse)),
    onExit: (listener) => child.on('close', (code, signal) => listener(code, signal)),
    onStderr: (listener) => child.stderr?.on('data', (chunk: Buffer) => listener(chunk.toString('utf8'))),
    onError: (listener) => child.on('error', listener),
    alive: () => child.exitCode === null && child.signalCode === null,
    kill: () => {
      child.kill('SIGKILL');
    },
  };
};

let launcher: ChildLauncher = nodeForkLauncher;

/** The Electron main process installs its utilityProcess launcher before opening an archive. */
export function setChildLauncher(next: ChildLauncher): void {
  launcher = next;
}

export function childLauncher(): ChildLauncher {
  return launcher;
}
