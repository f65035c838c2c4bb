/**
 * The Dockerfile's steps, run on this machine (Docker itself and an image registry are not here):
 * every instruction of both stages is read from the committed Dockerfile and carried out on a clean
 * copy of the committed checkout (git archive HEAD), then the image's ENTRYPOINT + CMD is started
 * as the container would start it, /health and the web app answer, the HEALTHCHECK's own command
 * passes, and a second start keeps the certificate (the fingerprint clients pinned).
 *
 * Substitutions, each the smallest that lets it run here:
 * - `npm ci` becomes a symbolic link to /work/main's node_modules: there is no network for it here,
 *   and node_modules is shared by everyone on this machine (never reinstalled by a test). npm ci
 *   itself is exercised by .ci/run on a machine with a registry.
 * - `npm prune --omit=dev` becomes a node_modules of links to the production packages only, read
 *   from package-lock.json as npm prune reads it (entries not marked dev): pruning the shared
 *   folder would remove everyone's dev tools. The bundle then finds only what the image would hold.
 * - apt-get: the packages it installs must already be here (they are checked, not installed).
 * - The final stage's RUN lines set up the image's system (its user, /data): not done to this
 *   machine; any other kind of RUN there fails the test, so nothing is skipped silently.
 * - /data (the VOLUME) becomes a temporary folder, and the listen address 0.0.0.0:4443 becomes
 *   127.0.0.1 with a free port: only loopback addresses are used on this machine.
 * Every other instruction must be one this test knows, or it fails naming the line.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/archive.ts';

const REPO = new URL('../../', import.meta.url).pathname;
const SHARED_MODULES = join(REPO, 'node_modules');

interface Instruction {
  op: string;
  args: string;
  line: number;
}

/** Dockerfile instructions by stage, comments dropped, continuation lines joined. */
function parseDockerfile(text: string): { from: string; name: string | null; steps: Instruction[] }[] {
  const stages: { from: string; name: string | null; steps: Instruction[] }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length)
      line = `${line.slice(0, -1).trim()} ${lines[++i]!.trim()}`;
    const m = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start}: cannot read "${line}"`);
    const op = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (op === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile line ${start}: FROM ${args}`);
      stages.push({ from: from[1]!, name: from[2] ?? null, steps: [] });
    } else {
      if (stages.length === 0) throw new Error(`Dockerfile line ${start}: ${op} before FROM`);
      stages.at(-1)!.steps.push({ op, args, line: start });
    }
  }
  return stages;
}

/** ENV KEY=VALUE (one or more pairs, values without spaces or in double quotes). */
function envPairs(args: string): [string, string][] {
  const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)].map(
    (m) => [m[1]!, m[3] ?? m[2]!] as [string, string],
  );
  if (pairs.length === 0) throw new Error(`ENV ${args}: only KEY=VALUE is understood here`);
  return pairs;
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv): void {
  try {
    execFileSync('/bin/sh', ['-c', command], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 600_000,
    });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `${command} failed:\n${String(e.stdout ?? '').slice(-3000)}\n${String(e.stderr ?? '').slice(-3000)}`,
    );
  }
}

/** The packages npm prune --omit=dev keeps: top-level entries of the lock not marked dev. */
function productionPackages(lockFile: string): string[] {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, info]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !info.dev)
    .map(([path]) => path.slice('node_modules/'.length));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function fetchInsecure(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    // The server's certificate is its own self-signed one: this checks that it answers.
    get(url, { rejectUnauthorized: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }),
      );
    }).on('error', reject);
  });
}

/** JSON form ["a", "b"] of ENTRYPOINT, CMD and HEALTHCHECK's CMD. */
function execForm(args: string, what: string): string[] {
  try {
    const value = JSON.parse(args) as unknown;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {}
  throw new Error(`${what} must be in the JSON (exec) form so signals reach node: ${args}`);
}

const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the container's command; resolves with the fingerprint line once it is printed. */
function startContainer(argv: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const fingerprint = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const m = /^SHA256 ([0-9A-F:]{95})$/.exec(line);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) =>
      reject(new Error(`the server exited (${code}) before printing its fingerprint:\n${output}`)),
    );
  });
  return { child, exited, fingerprint, output: () => output };
}

async function waitHealthy(url: string): Promise<{ status: number; body: string }> {
  const until = Date.now() + 60_000;
  for (;;) {
    const answer = await fetchInsecure(url).catch(() => null);
    if (answer?.status === 200 || Date.now() > until) return answer ?? { status: 0, body: '' };
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('the Dockerfile', () => {
  it('builds and starts here with the same steps: install, build, prune, start, /health', {
    timeout: 900_000,
  }, async () => {
    const root = tempDir('pecdesk-docker-');
    const src = join(root, 'src');
    mkdirSync(src);
    // A clean copy of what is committed: what a build context from a fresh clone holds.
    // PECDESK_DOCKER_STEPS_TREE=1 takes the working tree instead (files git tracks or would add),
    // to try a change before committing it.
    const copy = process.env.PECDESK_DOCKER_STEPS_TREE
      ? `cd '${REPO}' && git ls-files -z --cached --others --exclude-standard | xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\\0" "$f"; done' sh | tar --null -T - -c | tar -x -C '${src}'`
      : `git -C '${REPO}' archive HEAD | tar -x -C '${src}'`;
    execFileSync('/bin/sh', ['-c', copy]);
    const dockerfile = readFileSync(join(src, 'Dockerfile'), 'utf8');
    const stages = parseDockerfile(dockerfile);
    expect(stages.map((s) => s.from)).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim']);
    // The image's Node is this machine's major version.
    expect(process.versions.node.split('.')[0]).toBe('20');
    const ignored = readFileSync(join(src, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.git']) expect(ignored).toContain(entry);

    const [build, runtime] = stages as [(typeof stages)[0], (typeof stages)[0]];
    const buildEnv: NodeJS.ProcessEnv = { ...process.env };
    const ran: string[] = [];
    for (const step of build.steps) {
      const where = `Dockerfile line ${step.line}: ${step.op} ${step.args}`;
      if (step.op === 'WORKDIR') expect(step.args, where).toBe('/app');
      else if (step.op === 'ENV') for (const [k, v] of envPairs(step.args)) buildEnv[k] = v;
      else if (step.op === 'COPY') {
        const parts = step.args.split(/\s+/);
        const dest = parts.pop();
        expect(dest, where).toMatch(/^\.\/?$/);
        for (const from of parts) expect(existsSync(join(src, from)), where).toBe(true);
      } else if (step.op === 'RUN' && /^apt-get update && apt-get install /.test(step.args)) {
        const packages = /install -y --no-install-recommends ([^&]+)/
          .exec(step.args)![1]!
          .trim()
          .split(/\s+/);
        for (const pkg of packages) run(`command -v ${pkg}`, src, buildEnv);
        ran.push('apt-get (checked)');
      } else if (step.op === 'RUN' && /^npm ci\b/.test(step.args)) {
        symlinkSync(SHARED_MODULES, join(src, 'node_modules'));
        ran.push('npm ci (linked)');
      } else if (step.op === 'RUN' && /^npm prune --omit=dev\b/.test(step.args)) {
        ran.push('npm prune (production links)');
      } else if (step.op === 'RUN') {
        run(step.args, src, buildEnv);
        ran.push(step.args);
      } else throw new Error(`${where}: a step this test does not know; teach it`);
    }
    expect(ran).toEqual([
      'apt-get (checked)',
      'npm ci (linked)',
      'npm run build',
      'npm prune (production links)',
    ]);
    expect(buildEnv.ELECTRON_SKIP_BINARY_DOWNLOAD).toBe('1');

    const app = join(root, 'app');
    const data = join(root, 'data');
    mkdirSync(app);
    mkdirSync(data, { mode: 0o700 });
    const port = await freePort();
    const keyFile = join(root, 'pecdesk_secret_key');
    writeFileSync(keyFile, 'una chiave per il container\n', { mode: 0o600 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: data,
      // As compose.yaml gives it: the key as a Docker secret's file.
      PECDESK_SECRET_KEY_FILE: keyFile,
    };
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    let health: string[] = [];
    let user = 'root';
    const volumes: string[] = [];
    const exposed: string[] = [];
    const substitute = (arg: string) =>
      arg
        .replaceAll('0.0.0.0:4443', `127.0.0.1:${port}`)
        .replaceAll('127.0.0.1:4443', `127.0.0.1:${port}`)
        .replace(/^\/data$/, data)
        .replace(/^\/app\//, `${app}/`);
    for (const step of runtime.steps) {
      const where = `Dockerfile line ${step.line}: ${step.op} ${step.args}`;
      if (step.op === 'WORKDIR') expect(step.args, where).toBe('/app');
      else if (step.op === 'ENV') for (const [k, v] of envPairs(step.args)) env[k] = substitute(v);
      else if (step.op === 'RUN') {
        // The image's system: its user and the archive folder, nothing else.
        expect(step.args, where).toMatch(
          /^(mkdir -p \/data|chown \S+ \/data|chmod 700 \/data)( && (mkdir -p \/data|chown \S+ \/data|chmod 700 \/data))*$/,
        );
      } else if (step.op === 'COPY') {
        const m = /^--from=build (\/app\/(\S+)) (\.\/(\S+))$/.exec(step.args);
        expect(m, where).not.toBeNull();
        const [, , what, , to] = m!;
        expect(to, where).toBe(what);
        if (what === 'node_modules') {
          // What npm prune --omit=dev leaves, as links into the shared folder.
          mkdirSync(join(app, 'node_modules'));
          for (const pkg of productionPackages(join(src, 'package-lock.json'))) {
            if (!existsSync(join(SHARED_MODULES, pkg))) continue; // an optional package of another platform
            if (pkg.includes('/'))
              mkdirSync(join(app, 'node_modules', pkg.split('/')[0]!), { recursive: true });
            symlinkSync(join(SHARED_MODULES, pkg), join(app, 'node_modules', pkg));
          }
        } else cpSync(join(src, what!), join(app, what!), { recursive: true });
      } else if (step.op === 'USER') user = step.args;
      else if (step.op === 'VOLUME') volumes.push(step.args);
      else if (step.op === 'EXPOSE') exposed.push(step.args);
      else if (step.op === 'HEALTHCHECK') {
        const m = /\bCMD\s+(\[.*\])$/.exec(step.args);
        expect(m, where).not.toBeNull();
        health = execForm(m![1]!, 'HEALTHCHECK CMD');
      } else if (step.op === 'ENTRYPOINT') entrypoint = execForm(step.args, 'ENTRYPOINT');
      else if (step.op === 'CMD') cmd = execForm(step.args, 'CMD');
      else throw new Error(`${where}: a step this test does not know; teach it`);
    }
    expect(user).not.toMatch(/^(root|0)$/);
    expect(volumes).toEqual(['/data']);
    expect(exposed).toEqual(['4443']);
    expect(env).toMatchObject({ PECDESK_ARCHIVE: data, PECDESK_SECRETS: 'file' });
    expect(entrypoint).toEqual(['node', '/app/bin/pecdesk.mjs']);
    // The image holds the bundle, not the sources: bin/pecdesk.mjs must run dist/cli/main.mjs.
    expect(existsSync(join(app, 'main'))).toBe(false);
    expect(existsSync(join(app, 'dist', 'cli', 'main.mjs'))).toBe(true);
    expect(cmd).toEqual(['server', '--archive', '/data', '--listen', '0.0.0.0:4443']);
    // compose.yaml probes the same way.
    expect(readFileSync(join(src, 'compose.yaml'), 'utf8')).toContain(JSON.stringify(health.at(-1)));

    const image = [...entrypoint, ...cmd].map(substitute);
    // The README's first step in a container: the owner, through the image's entrypoint, on /data.
    execFileSync(
      process.execPath,
      [...entrypoint.slice(1).map(substitute), 'user', 'add', '--name', 'admin', '--role', 'owner'],
      {
        cwd: app,
        env: { ...env, PECDESK_USER_PASSWORD: 'Password-del-titolare-1' },
        stdio: 'pipe',
      },
    );

    const first = startContainer(image, app, env);
    const fingerprint = await first.fingerprint;
    const healthUrl = `https://127.0.0.1:${port}/health`;
    const answer = await waitHealthy(healthUrl);
    expect(answer.status, first.output()).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok', archive: 'ok', accounts: 0 });
    // The HEALTHCHECK's own command, as Docker runs it inside the container.
    const probe = spawn(process.execPath, health.slice(1).map(substitute), {
      cwd: app,
      env,
      stdio: 'ignore',
    });
    expect(await new Promise((r) => probe.on('exit', r))).toBe(0);
    // The web app is served from the image's dist/renderer.
    const page = await fetchInsecure(`https://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(existsSync(join(data, 'server-tls', 'cert.pem'))).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // Restarted (an upgrade replaces the image, the volume stays): the same certificate.
    const second = startContainer(image, app, env);
    expect(await second.fingerprint).toBe(fingerprint);
    expect((await waitHealthy(healthUrl)).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
