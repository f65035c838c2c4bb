/**
 * Attack: someone who can start the packaged app with an environment or flags of their choosing
 * (ELECTRON_RUN_AS_NODE=1, NODE_OPTIONS=--require evil.js, --inspect) runs their own code as
 * PecDesk, with its keychain entries and its archive. Electron's fuses switch those doors off in the
 * binary itself. The configuration is read and validated by electron-builder's own code, and turned
 * into the fuse wire it will write, so a misspelt or missing fuse fails here, not in a release.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

interface ConfigModule {
  getConfig(projectDir: string, configPath: string, options: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
}
interface FuseConfigGenerator {
  generateFuseConfig(fuses: unknown): Promise<Record<string, unknown>>;
}

async function builderConfig() {
  // The package's index first: its modules import each other in that order.
  require('app-builder-lib');
  const config = require('app-builder-lib/out/util/config/config.js') as ConfigModule;
  const { PlatformPackager } = require('app-builder-lib/out/platformPackager.js') as {
    PlatformPackager: { prototype: FuseConfigGenerator };
  };
  const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };
  const loaded = await config.getConfig(process.cwd(), 'electron-builder.yml', null);
  await config.validateConfiguration(loaded, { isEnabled: false, add: () => {} });
  const wire = await PlatformPackager.prototype.generateFuseConfig.call({}, loaded.electronFuses);
  return { loaded, wire, FuseV1Options };
}

describe('electron-builder.yml: the packaged Electron has its fuses set', () => {
  it('is a valid electron-builder configuration with electronFuses', async () => {
    const { loaded } = await builderConfig();
    expect(loaded.electronFuses).toBeTruthy();
  });

  it('writes every fuse: no RunAsNode, NODE_OPTIONS or --inspect; encrypted cookies; only the checked app.asar', async () => {
    const { wire, FuseV1Options: F } = await builderConfig();
    expect(wire).toMatchObject({
      [F.RunAsNode!]: false,
      [F.EnableNodeOptionsEnvironmentVariable!]: false,
      [F.EnableNodeCliInspectArguments!]: false,
      [F.EnableCookieEncryption!]: true,
      [F.EnableEmbeddedAsarIntegrityValidation!]: true,
      [F.OnlyLoadAppFromAsar!]: true,
      [F.GrantFileProtocolExtraPrivileges!]: false,
      [F.LoadBrowserProcessSpecificV8Snapshot!]: false,
    });
    // Every fuse this Electron knows is decided here, none left to its default.
    const known = Object.values(F).filter((v) => typeof v === 'number');
    for (const fuse of known) expect(wire[fuse], `fuse ${fuse}`).toBeTypeOf('boolean');
  });

  it('packs the app into an asar (the fuses above check only that)', async () => {
    const { loaded } = await builderConfig();
    expect(loaded.asar).not.toBe(false);
  });
});
