/**
 * The desktop app started with a native module it cannot load: the dialog main/electron/main.ts
 * shows says so, Italian first, with the one command that fixes it (or, installed, to reinstall).
 * The errors are the texts Node and Electron give for each case.
 */
import { describe, expect, it } from 'vitest';
import { NATIVE_FIX_COMMAND, nativeModuleFailure } from '../../../main/electron/native-failure.ts';
import { FIX_COMMAND } from '../../../scripts/native-electron.mjs';

const abiMismatch = Object.assign(
  new Error(
    "The module '/home/giulia/pecdesk/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
      'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of ' +
      'Node.js requires\nNODE_MODULE_VERSION 145. Please try re-compiling or re-installing\nthe module.',
  ),
  { code: 'ERR_DLOPEN_FAILED' },
);

describe('a native module that does not load in Electron', () => {
  it('in a checkout: says which module, Italian first, and the command that rebuilds it', () => {
    const shown = nativeModuleFailure(abiMismatch, { packaged: false })!;
    expect(shown.module).toBe('better-sqlite3');
    expect(shown.title).toBe('PecDesk: modulo nativo non caricato');
    expect(shown.message).toMatch(
      /^PecDesk non può partire: il modulo nativo better-sqlite3 non è compilato per questa versione di Electron/,
    );
    expect(shown.message.indexOf('— English —')).toBeGreaterThan(shown.message.indexOf('esegui'));
    expect(shown.message).toContain(`    ${NATIVE_FIX_COMMAND}\n`);
    expect(shown.message).toContain('is not built for this Electron');
    expect(shown.message).toContain('NODE_MODULE_VERSION 115');
    // The same command the rebuild script prints, so the two cannot drift apart.
    expect(NATIVE_FIX_COMMAND).toBe(FIX_COMMAND);
  });

  it('installed: no developer command, install again', () => {
    const shown = nativeModuleFailure(abiMismatch, { packaged: true })!;
    expect(shown.message).toContain('Reinstalla PecDesk');
    expect(shown.message).not.toContain('scripts/');
  });

  it('recognises the other ways a binary fails to load, and names its package', () => {
    const cases: [string, string][] = [
      [
        'Could not locate the bindings file. Tried:\n → /app/node_modules/better-sqlite3/build/better_sqlite3.node',
        'better-sqlite3',
      ],
      [
        '/opt/PecDesk/resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node: invalid ELF header',
        'better-sqlite3',
      ],
      [
        '\\\\?\\C:\\PecDesk\\resources\\app.asar.unpacked\\node_modules\\@napi-rs\\keyring-win32-x64-msvc\\keyring.win32-x64-msvc.node is not a valid Win32 application.',
        '@napi-rs/keyring-win32-x64-msvc',
      ],
      [
        "dlopen(/Applications/PecDesk.app/x/node_modules/better-sqlite3/build/Release/better_sqlite3.node, 0x0001): tried: '…' (mach-o file, but is an incompatible architecture (have 'x86_64', need 'arm64'))",
        'better-sqlite3',
      ],
      [
        'Module did not self-register: /x/node_modules/better-sqlite3/build/Release/better_sqlite3.node.',
        'better-sqlite3',
      ],
    ];
    for (const [message, module] of cases)
      expect(nativeModuleFailure(new Error(message), { packaged: true })?.module, message).toBe(module);
  });

  it('leaves any other start-up error alone', () => {
    expect(
      nativeModuleFailure(new Error('archive database has 2 broken references after migration'), {
        packaged: false,
      }),
    ).toBeNull();
    expect(
      nativeModuleFailure(Object.assign(new Error('EACCES'), { code: 'EACCES' }), { packaged: true }),
    ).toBeNull();
    expect(nativeModuleFailure('a string', { packaged: true })).toBeNull();
  });
});
