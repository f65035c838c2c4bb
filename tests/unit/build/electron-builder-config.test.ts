/**
 * electron-builder.yml, read and matched by electron-builder's own code (its config loader and the
 * file matchers it packs with), since packaging itself needs Electron's binary, which cannot be
 * downloaded here. What a release would get wrong without noticing: a target missing for an OS, a
 * worker left inside the asar (worker threads and utility processes load their script from disk),
 * a folder the bundle reads beside itself (migrations, trust list, fonts) not packaged, the
 * development copy of better-sqlite3 for `npm start` packaged instead of the rebuilt one.
 * The fuses are tests/security/electron-fuses.test.ts.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_MODULES_DIR } from '../../../scripts/native-electron.mjs';
import { NODE_TARGETS, stampPath } from '../../../scripts/node-targets.mjs';

const require = createRequire(import.meta.url);
const projectDir = process.cwd();

type Filter = (file: string, stat: { isDirectory(): boolean }) => boolean;
interface Matcher {
  createFilter(): Filter;
}
interface FileMatcherModule {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (s: string) => string,
    platformOptions: object,
    platformPackager: object,
    outDir: string,
    isElectronCompile: boolean,
  ): Matcher[];
  getFileMatchers(
    config: object,
    name: string,
    destination: string,
    options: {
      macroExpander: (s: string) => string;
      customBuildOptions: object;
      globalOutDir: string;
      defaultSrc: string;
    },
  ): Matcher[] | null;
}

type Config = Record<string, unknown> & {
  directories: { buildResources: string; output: string };
  win: { target: string[] };
  mac: { target: string };
  linux: { target: string };
};

async function builder() {
  require('app-builder-lib');
  const config = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(projectDir: string, configPath: string, options: null): Promise<Config>;
    validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
  };
  const matchers = require('app-builder-lib/out/fileMatcher.js') as FileMatcherModule;
  const loaded = await config.getConfig(projectDir, 'electron-builder.yml', null);
  await config.validateConfiguration(loaded, { isEnabled: false, add: () => {} });
  const expand = (s: string) => s;
  const outDir = join(projectDir, loaded.directories.output);
  // What a platform packager gives the matcher: the loaded configuration and where things are.
  const packager = {
    info: {
      isPrepackedAppAsar: false,
      config: loaded,
      projectDir,
      buildResourcesDir: loaded.directories.buildResources,
      debugLogger: { isEnabled: false },
    },
  };
  const files = matchers.getMainFileMatchers(projectDir, '/app', expand, {}, packager, outDir, false)[0]!;
  const unpack = matchers.getFileMatchers(loaded, 'asarUnpack', '/app', {
    macroExpander: expand,
    customBuildOptions: {},
    globalOutDir: outDir,
    defaultSrc: projectDir,
  })?.[0];
  const test = (filter: Filter | undefined) => (file: string) =>
    filter ? filter(join(projectDir, file), { isDirectory: () => false }) : false;
  return { config: loaded, packaged: test(files.createFilter()), unpacked: test(unpack?.createFilter()) };
}

function filesIn(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).replaceAll('\\', '/'));
}

const electron = NODE_TARGETS.electron;

describe('electron-builder.yml', () => {
  it('builds every installer the README promises: Windows portable and NSIS, macOS dmg, Linux AppImage', async () => {
    const { config } = await builder();
    expect(config.win.target).toEqual(expect.arrayContaining(['portable', 'nsis']));
    expect([config.mac.target].flat()).toContain('dmg');
    expect([config.linux.target].flat()).toContain('AppImage');
    // The portable .exe and the installer get different names, side by side in release/.
    const names = [config.portable, config.nsis].map((o) => (o as { artifactName?: string }).artifactName);
    expect(new Set(names).size).toBe(2);
  });

  it("rebuilds native modules for the target Electron's ABI, with prebuilt binaries where they exist", async () => {
    const { config } = await builder();
    expect(config.npmRebuild).not.toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
    expect(config.asar).not.toBe(false);
    // Electron's version comes from node_modules/electron, the one `npm start` and the tests use.
    expect(config.electronVersion).toBeUndefined();
  });

  it('packages the desktop bundle, its workers, the preload and the interface', async () => {
    const { packaged } = await builder();
    for (const file of electron.outputs) expect(packaged(file), file).toBe(true);
    expect(electron.preload).toBeTruthy();
    expect(packaged('dist/renderer/index.html')).toBe(true);
    expect(packaged('dist/renderer/assets/index-abc123.js')).toBe(true);
    expect(packaged('package.json')).toBe(true);
  });

  it('packages every file the desktop bundle reads beside itself (migrations, trust list, fonts)', async () => {
    const { packaged } = await builder();
    expect(electron.copies.map((c) => c.to)).toEqual(
      expect.arrayContaining(['migrations', 'trust', 'fonts']),
    );
    for (const { from, to } of electron.copies) {
      const files = filesIn(from);
      expect(files.length, from).toBeGreaterThan(0);
      for (const file of files) expect(packaged(`${electron.dir}/${to}/${file}`), `${to}/${file}`).toBe(true);
    }
  });

  it('keeps every worker and every native binary out of the asar', async () => {
    const { unpacked } = await builder();
    for (const [, file] of electron.workers) expect(unpacked(`${electron.dir}/${file}`), file).toBe(true);
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpacked('node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node')).toBe(true);
    // The main bundle stays inside, where the asar integrity fuse checks it.
    expect(unpacked(electron.out)).toBe(false);
  });

  it('leaves out what the app does not run: server and CLI bundles, build records, source maps, the npm start copy', async () => {
    const { packaged } = await builder();
    for (const name of ['server', 'cli'] as const)
      for (const file of NODE_TARGETS[name].outputs) expect(packaged(file), file).toBe(false);
    for (const name of ['electron', 'server', 'cli'] as const) expect(packaged(stampPath(name))).toBe(false);
    expect(packaged(`${electron.out}.map`)).toBe(false);
    expect(packaged(`${ELECTRON_MODULES_DIR}/better-sqlite3/build/Release/better_sqlite3.node`)).toBe(false);
    expect(packaged(`${ELECTRON_MODULES_DIR}/better-sqlite3/lib/index.js`)).toBe(false);
    expect(packaged(`${ELECTRON_MODULES_DIR}/.pecdesk-electron-abi`)).toBe(false);
    expect(packaged('main/paths.ts')).toBe(false);
  });
});
