// The native modules of the desktop app, built for Electron's ABI beside the bundle that loads them.
//
// `npm ci` builds better-sqlite3 for Node's ABI (the tests, the CLI, `serve`), and Electron's ABI
// differs (Electron 41: 145, Node 20: 115), so the window would fail to open the archive. Rebuilding
// node_modules/better-sqlite3 in place (electron-builder install-app-deps, @electron/rebuild) would
// break it for Node in turn. So the desktop app gets its own copy: the package copied to
// dist/electron/node_modules/better-sqlite3 and built there for Electron. Node resolves a bare
// import from the nearest node_modules, so dist/electron/main.mjs and the workers beside it load
// that copy and everything else keeps node_modules/'s. The copy is made once per Electron version,
// ABI, platform, architecture and module version, recorded in MARKER; electron-builder.yml keeps it
// out of the packages (they get electron-builder's own rebuild).
//
// How it is built, without @electron/rebuild (version 4, the one electron-builder 26 brings, asks
// for Node >= 22.12 and the app runs on Node 20): the two steps @electron/rebuild itself takes, with
// the tools better-sqlite3 already installs with: prebuild-install fetches the module's prebuilt
// binary for Electron (no compiler needed), else node-gyp compiles it against Electron's headers.
//
// Only modules that talk to V8 directly need it. @napi-rs/keyring is an N-API module: one binary
// for every runtime of that N-API version, Electron included.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The desktop app's own node_modules: the first place its bundles resolve a package from. */
export const ELECTRON_MODULES_DIR = 'dist/electron/node_modules';
/** What was built there, for which Electron. */
export const MARKER = `${ELECTRON_MODULES_DIR}/.pecdesk-electron-abi`;
/** The one command that (re)builds them, said to the person when loading one fails. */
export const FIX_COMMAND = 'node scripts/native-electron.mjs --force';

/** Production dependencies built against V8 for one ABI: rebuilt for Electron. */
export const REBUILT = [{ name: 'better-sqlite3', binary: 'build/Release/better_sqlite3.node' }];
/** Production dependencies with native code that need no rebuild, and why. */
export const ABI_STABLE = [{ name: '@napi-rs/keyring', why: 'N-API: one binary for every runtime' }];

const HEADERS_URL = 'https://electronjs.org/headers';

/**
 * What the desktop app runs on in this checkout: Electron's version and ABI (its package ships
 * abi_version), this platform and architecture, and the versions of the modules to rebuild.
 */
export function electronFacts(checkout = root, platform = process.platform, arch = process.arch) {
  const modules = join(checkout, 'node_modules');
  const electron = JSON.parse(readFileSync(join(modules, 'electron/package.json'), 'utf8'));
  let abi = null;
  try {
    abi = readFileSync(join(modules, 'electron/abi_version'), 'utf8').trim();
  } catch {
    // Older Electron packages do not carry it; the version alone then decides (it implies the ABI).
  }
  const versions = {};
  for (const { name } of REBUILT)
    versions[name] = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;
  return { electron: electron.version, abi, platform, arch, modules: versions };
}

/**
 * Is the copy current? It is when the marker records exactly these facts and every binary is
 * there. Otherwise the reasons, in English for the terminal.
 */
export function planElectronNative(facts, marker, binaryExists) {
  const reasons = [];
  if (!marker) reasons.push('not built for Electron yet');
  else {
    const same = (key, what) => {
      if (marker[key] !== facts[key])
        reasons.push(`${what} was ${marker[key] ?? 'unknown'}, is ${facts[key]}`);
    };
    same('electron', 'Electron');
    same('abi', 'Electron ABI');
    same('platform', 'platform');
    same('arch', 'architecture');
    for (const [name, version] of Object.entries(facts.modules))
      if (marker.modules?.[name] !== version)
        reasons.push(`${name} was ${marker.modules?.[name] ?? 'not built'}, is ${version}`);
  }
  for (const { name, binary } of REBUILT)
    if (marker && !binaryExists(`${ELECTRON_MODULES_DIR}/${name}/${binary}`))
      reasons.push(`${name}'s Electron binary is missing`);
  return { current: reasons.length === 0, reasons };
}

/**
 * The commands that build one module, run in its copy, in order until one succeeds: the prebuilt
 * binary for Electron, else a compile against Electron's headers (kept apart from Node's in
 * ~/.electron-gyp, as Electron's documentation does).
 */
export function buildCommands(facts, tools) {
  const target = [`--target=${facts.electron}`, `--arch=${facts.arch}`];
  const commands = [];
  if (tools.prebuildInstall)
    commands.push({
      how: 'prebuilt',
      cmd: tools.node,
      args: [tools.prebuildInstall, '--runtime=electron', ...target, `--platform=${facts.platform}`],
    });
  if (tools.nodeGyp)
    commands.push({
      how: 'compiled',
      cmd: tools.node,
      args: [
        tools.nodeGyp,
        'rebuild',
        '--release',
        ...target,
        `--dist-url=${HEADERS_URL}`,
        `--devdir=${join(tools.home, '.electron-gyp')}`,
      ],
    });
  return commands;
}

/** prebuild-install as better-sqlite3 depends on it; node-gyp from node_modules or npm's own. */
export function findTools(checkout = root, env = process.env) {
  const from = (base, request) => {
    try {
      return createRequire(join(checkout, base)).resolve(request);
    } catch {
      return null;
    }
  };
  return {
    node: process.execPath,
    prebuildInstall: from('node_modules/better-sqlite3/package.json', 'prebuild-install/bin.js'),
    nodeGyp:
      from('package.json', 'node-gyp/bin/node-gyp.js') ??
      (env.npm_config_node_gyp && existsSync(env.npm_config_node_gyp) ? env.npm_config_node_gyp : null),
    home: env.HOME || env.USERPROFILE || homedir(),
  };
}

function readMarker(checkout) {
  try {
    return JSON.parse(readFileSync(join(checkout, MARKER), 'utf8'));
  } catch {
    return null;
  }
}

function spawnRunner(cmd, args, cwd) {
  const result = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  return result.status === 0;
}

/**
 * Builds the Electron copies when they are not current (or always, with force). Each module is
 * copied without its Node build and built beside its final place, then renamed into it; the marker
 * is removed first and written last, so a build that stops half-way is never taken for a current
 * one. Throws, naming FIX_COMMAND, when no command could build a module.
 */
export function ensureElectronNative({
  checkout = root,
  facts = electronFacts(checkout),
  tools = findTools(checkout),
  run = spawnRunner,
  log = console.log,
  force = false,
} = {}) {
  const plan = planElectronNative(facts, readMarker(checkout), (file) => existsSync(join(checkout, file)));
  if (plan.current && !force) return { built: false, how: readMarker(checkout)?.how ?? {} };
  log(
    `Building the native modules for Electron ${facts.electron} (ABI ${facts.abi ?? 'unknown'}): ${
      force ? 'asked for' : plan.reasons.join('; ')
    }…`,
  );
  const dir = join(checkout, ELECTRON_MODULES_DIR);
  mkdirSync(dir, { recursive: true });
  rmSync(join(checkout, MARKER), { force: true });
  const how = {};
  for (const { name, binary } of REBUILT) {
    const staging = join(dir, `.building-${name.replace('/', '+')}`);
    rmSync(staging, { recursive: true, force: true });
    // The package's sources without Node's build: a binary left from there would be loaded first.
    const source = join(checkout, 'node_modules', name);
    cpSync(source, staging, { recursive: true, filter: (path) => path !== join(source, 'build') });
    const commands = buildCommands(facts, tools);
    const done = commands.find((c) => {
      log(`${name}: ${c.how === 'prebuilt' ? 'fetching the prebuilt binary' : 'compiling'} for Electron…`);
      return run(c.cmd, c.args, staging) && existsSync(join(staging, binary));
    });
    if (!done) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(
        `${name} could not be built for Electron ${facts.electron} (${
          commands.length === 0
            ? 'neither prebuild-install nor node-gyp is installed'
            : 'see the messages above'
        }). The desktop app needs it; a compiler (node-gyp's prerequisites) or a connection to GitHub ` +
          `for the prebuilt binary fixes it. Then run: ${FIX_COMMAND}`,
      );
    }
    how[name] = done.how;
    rmSync(join(dir, name), { recursive: true, force: true });
    mkdirSync(join(dir, name, '..'), { recursive: true });
    renameSync(staging, join(dir, name));
  }
  writeFileSync(join(checkout, MARKER), `${JSON.stringify({ ...facts, how }, null, 2)}\n`);
  return { built: true, how };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { built } = ensureElectronNative({ force: process.argv.includes('--force') });
    console.log(
      built
        ? 'Native modules built for Electron.'
        : 'Native modules for Electron are current (--force rebuilds).',
    );
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
