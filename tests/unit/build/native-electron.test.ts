/**
 * The desktop app's native modules, built for Electron's ABI in their own copy (scripts/native-
 * electron.mjs). Electron's binary is not here, so Electron's package is a fake (version, ABI) and
 * the build commands are a fake runner that records what it was asked and writes the binary a
 * real build would. Nothing is downloaded or compiled.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ABI_STABLE,
  buildCommands,
  ELECTRON_MODULES_DIR,
  type ElectronFacts,
  electronFacts,
  ensureElectronNative,
  FIX_COMMAND,
  MARKER,
  planElectronNative,
  REBUILT,
  type Tools,
} from '../../../scripts/native-electron.mjs';
import { tempDir } from '../../support/archive.ts';

const NODE_BINARY = 'built for Node (ABI 115)';
const BINARY = 'build/Release/better_sqlite3.node';

/** A checkout with Electron's package and better-sqlite3 as npm ci leaves them (Node's build). */
function checkout(electron = '41.7.1', abi = '145') {
  const root = tempDir('pecdesk-native-');
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write('package.json', '{"name":"app","type":"module"}\n');
  write('node_modules/electron/package.json', JSON.stringify({ name: 'electron', version: electron }));
  write('node_modules/electron/abi_version', `${abi}\n`);
  const pkg = 'node_modules/better-sqlite3';
  write(
    `${pkg}/package.json`,
    JSON.stringify({ name: 'better-sqlite3', version: '12.11.1', main: 'lib/index.js' }),
  );
  write(`${pkg}/lib/index.js`, 'module.exports = "better-sqlite3";\n');
  write(`${pkg}/binding.gyp`, '{}\n');
  write(`${pkg}/${BINARY}`, NODE_BINARY);
  return { root, write };
}

const tools: Tools = {
  node: '/usr/bin/node',
  prebuildInstall: '/m/prebuild-install/bin.js',
  nodeGyp: '/m/node-gyp/bin/node-gyp.js',
  home: '/home/giulia',
};

interface Call {
  how: string;
  cwd: string;
  args: string[];
  nodeBuildThere: boolean;
}

/** Runs nothing: fails the listed steps, and for the others writes the binary into the copy. */
function fakeRunner(fail: string[] = []) {
  const calls: Call[] = [];
  const run = (_cmd: string, args: string[], cwd: string) => {
    const how = args[0]!.includes('prebuild-install') ? 'prebuilt' : 'compiled';
    calls.push({ how, cwd, args, nodeBuildThere: existsSync(join(cwd, BINARY)) });
    if (fail.includes(how)) return false;
    mkdirSync(join(cwd, 'build/Release'), { recursive: true });
    writeFileSync(join(cwd, BINARY), `built for Electron (${how})`);
    return true;
  };
  return { calls, run };
}

const facts: ElectronFacts = {
  electron: '41.7.1',
  abi: '145',
  platform: 'win32',
  arch: 'x64',
  modules: { 'better-sqlite3': '12.11.1' },
};

describe('is the Electron copy current', () => {
  const everyBinary = () => true;

  it('is not before the first build', () => {
    expect(planElectronNative(facts, null, everyBinary)).toEqual({
      current: false,
      reasons: ['not built for Electron yet'],
    });
  });

  it('is when the marker records these facts and the binary is there', () => {
    expect(planElectronNative(facts, { ...facts }, everyBinary).current).toBe(true);
  });

  it('is not after Electron, its ABI, the platform, the architecture or a module changed', () => {
    const changed = (marker: ElectronFacts) => planElectronNative(facts, marker, everyBinary);
    expect(changed({ ...facts, electron: '41.6.0' }).reasons).toEqual(['Electron was 41.6.0, is 41.7.1']);
    expect(changed({ ...facts, abi: '143' }).reasons).toEqual(['Electron ABI was 143, is 145']);
    expect(changed({ ...facts, platform: 'linux' }).reasons).toEqual(['platform was linux, is win32']);
    expect(changed({ ...facts, arch: 'arm64' }).reasons).toEqual(['architecture was arm64, is x64']);
    expect(changed({ ...facts, modules: { 'better-sqlite3': '12.10.0' } }).reasons).toEqual([
      'better-sqlite3 was 12.10.0, is 12.11.1',
    ]);
    expect(changed({ ...facts, modules: {} }).reasons).toEqual(['better-sqlite3 was not built, is 12.11.1']);
  });

  it('is not when the binary is gone (dist/ cleaned) though the marker is current', () => {
    const seen: string[] = [];
    const plan = planElectronNative(facts, { ...facts }, (file) => {
      seen.push(file);
      return false;
    });
    expect(plan).toEqual({ current: false, reasons: ["better-sqlite3's Electron binary is missing"] });
    expect(seen).toEqual([`${ELECTRON_MODULES_DIR}/better-sqlite3/${BINARY}`]);
  });
});

describe('how a module is built for Electron', () => {
  it("first fetches the prebuilt binary for Electron's version, then compiles against Electron's headers", () => {
    const [prebuilt, compiled, ...rest] = buildCommands(facts, tools);
    expect(rest).toEqual([]);
    expect(prebuilt).toEqual({
      how: 'prebuilt',
      cmd: '/usr/bin/node',
      args: [
        '/m/prebuild-install/bin.js',
        '--runtime=electron',
        '--target=41.7.1',
        '--arch=x64',
        '--platform=win32',
      ],
    });
    expect(compiled).toEqual({
      how: 'compiled',
      cmd: '/usr/bin/node',
      args: [
        '/m/node-gyp/bin/node-gyp.js',
        'rebuild',
        '--release',
        '--target=41.7.1',
        '--arch=x64',
        '--dist-url=https://electronjs.org/headers',
        `--devdir=${join('/home/giulia', '.electron-gyp')}`,
      ],
    });
  });

  it('leaves out a tool that is not installed', () => {
    expect(buildCommands(facts, { ...tools, prebuildInstall: null }).map((c) => c.how)).toEqual(['compiled']);
    expect(buildCommands(facts, { ...tools, prebuildInstall: null, nodeGyp: null })).toEqual([]);
  });

  it("reads Electron's version and ABI from its package, and the module's version", () => {
    const { root } = checkout('41.7.1', '145');
    expect(electronFacts(root, 'darwin', 'arm64')).toEqual({
      electron: '41.7.1',
      abi: '145',
      platform: 'darwin',
      arch: 'arm64',
      modules: { 'better-sqlite3': '12.11.1' },
    });
  });
});

describe('building the Electron copy', () => {
  const quiet = () => {};
  const copy = (root: string) => join(root, ELECTRON_MODULES_DIR, 'better-sqlite3');

  it("builds a copy for Electron beside the desktop bundle and leaves Node's build as it was", () => {
    const { root } = checkout();
    const runner = fakeRunner(['prebuilt']);
    const result = ensureElectronNative({ checkout: root, tools, run: runner.run, log: quiet });

    expect(result).toEqual({ built: true, how: { 'better-sqlite3': 'compiled' } });
    expect(runner.calls.map((c) => c.how)).toEqual(['prebuilt', 'compiled']);
    // Built in a copy without Node's binary (else `bindings` could still find that one).
    expect(
      runner.calls.every((c) => !c.nodeBuildThere && !c.cwd.startsWith(join(root, 'node_modules'))),
    ).toBe(true);
    expect(readFileSync(join(copy(root), BINARY), 'utf8')).toBe('built for Electron (compiled)');
    expect(readFileSync(join(copy(root), 'lib/index.js'), 'utf8')).toContain('better-sqlite3');
    expect(readFileSync(join(root, 'node_modules/better-sqlite3', BINARY), 'utf8')).toBe(NODE_BINARY);
    expect(JSON.parse(readFileSync(join(root, MARKER), 'utf8'))).toEqual({
      ...electronFacts(root),
      how: { 'better-sqlite3': 'compiled' },
    });
  });

  it('the desktop bundles load the Electron copy; the CLI and the server keep Node’s', () => {
    const { root } = checkout();
    ensureElectronNative({ checkout: root, tools, run: fakeRunner().run, log: quiet });
    const resolvedFrom = (bundle: string) => createRequire(join(root, bundle)).resolve('better-sqlite3');
    for (const bundle of ['dist/electron/main.mjs', 'dist/electron/ingest-worker.mjs'])
      expect(resolvedFrom(bundle)).toBe(join(copy(root), 'lib/index.js'));
    for (const bundle of ['dist/cli/main.mjs', 'dist/server/serve.mjs', 'db/database.ts'])
      expect(resolvedFrom(bundle)).toBe(join(root, 'node_modules/better-sqlite3/lib/index.js'));
  });

  it('runs once per Electron version: nothing the second time, again when Electron changed', () => {
    const { root, write } = checkout('41.7.1', '145');
    ensureElectronNative({ checkout: root, tools, run: fakeRunner().run, log: quiet });

    const again = fakeRunner();
    expect(ensureElectronNative({ checkout: root, tools, run: again.run, log: quiet }).built).toBe(false);
    expect(again.calls).toEqual([]);

    write('node_modules/electron/package.json', JSON.stringify({ name: 'electron', version: '42.0.0' }));
    write('node_modules/electron/abi_version', '146\n');
    const upgraded = fakeRunner();
    const lines: string[] = [];
    expect(
      ensureElectronNative({ checkout: root, tools, run: upgraded.run, log: (l) => lines.push(l) }).built,
    ).toBe(true);
    expect(upgraded.calls.map((c) => c.args.find((a) => a.startsWith('--target=')))).toEqual([
      '--target=42.0.0',
    ]);
    expect(lines[0]).toContain('Electron was 41.7.1, is 42.0.0');
    expect(JSON.parse(readFileSync(join(root, MARKER), 'utf8')).abi).toBe('146');
  });

  it('rebuilds when asked even though the marker is current (the command the error dialog gives)', () => {
    const { root } = checkout();
    ensureElectronNative({ checkout: root, tools, run: fakeRunner().run, log: quiet });
    const forced = fakeRunner();
    expect(
      ensureElectronNative({ checkout: root, tools, run: forced.run, log: quiet, force: true }).built,
    ).toBe(true);
    expect(forced.calls).toHaveLength(1);
    expect(FIX_COMMAND).toBe('node scripts/native-electron.mjs --force');
  });

  it('when nothing can build it: an error naming the command, no marker, no half-built copy', () => {
    const { root } = checkout();
    const runner = fakeRunner(['prebuilt', 'compiled']);
    expect(() => ensureElectronNative({ checkout: root, tools, run: runner.run, log: quiet })).toThrow(
      FIX_COMMAND,
    );
    expect(existsSync(join(root, MARKER))).toBe(false);
    expect(existsSync(copy(root))).toBe(false);
    expect(existsSync(join(root, ELECTRON_MODULES_DIR, '.building-better-sqlite3'))).toBe(false);

    // A command that says it succeeded but left no binary does not count either.
    const liar = () => true;
    expect(() => ensureElectronNative({ checkout: root, tools, run: liar, log: quiet })).toThrow(
      'could not be built for Electron 41.7.1',
    );
    expect(existsSync(join(root, MARKER))).toBe(false);

    expect(() =>
      ensureElectronNative({
        checkout: root,
        tools: { ...tools, prebuildInstall: null, nodeGyp: null },
        run: runner.run,
        log: quiet,
      }),
    ).toThrow('neither prebuild-install nor node-gyp is installed');
  });
});

describe('which native modules the app ships, and which need Electron’s ABI', () => {
  it('every production dependency with native code is rebuilt or known to be ABI-stable', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { dev?: boolean; hasInstallScript?: boolean; optional?: boolean }>;
    };
    const classified = new Set([...REBUILT.map((m) => m.name), ...ABI_STABLE.map((m) => m.name)]);
    const native: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!path.startsWith('node_modules/') || entry.dev) continue;
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const pkg = existsSync(join(path, 'package.json'))
        ? (JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { napi?: unknown })
        : {};
      // Built at install (binding.gyp, an install script), or the JS side of an N-API binary package.
      if (entry.hasInstallScript || existsSync(join(path, 'binding.gyp')) || pkg.napi) native.push(name);
    }
    expect(native.sort()).toEqual([...classified].sort());
  });
});
