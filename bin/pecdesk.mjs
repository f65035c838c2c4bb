#!/usr/bin/env node
// The CLI entry: the built bundle when there is one (packaged app), else the TypeScript sources
// through tsx, so `npx pecdesk` works in a fresh clone without a build step.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/main.mjs', import.meta.url));
let mod;
if (existsSync(built)) {
  mod = await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import('../main/cli/main.ts');
}
process.exitCode = await mod.runCli(process.argv.slice(2), mod.processIo);
