#!/usr/bin/env node
// The CLI entry. In a checkout it runs the TypeScript sources through tsx, so `npx pecdesk` works
// in a fresh clone without a build and never runs a stale bundle; a packaged app ships the bundle.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const sources = fileURLToPath(new URL('../main/cli/main.ts', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/cli/main.mjs', import.meta.url));
let mod;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(pathToFileURL(sources).href);
} else {
  mod = await import(pathToFileURL(bundle).href);
}
process.exitCode = await mod.runCli(process.argv.slice(2), mod.processIo);
