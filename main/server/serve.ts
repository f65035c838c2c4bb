/**
 * `npm run serve -- [--archive DIR] [--port N]`: the app in a browser, on 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openCore } from '../core.ts';
import { resolveArchiveDir } from '../paths.ts';
import { startBridge } from './http-server.ts';

export const DEFAULT_PORT = 4780;

const HELP = `Usage: npm run serve -- [--archive DIR] [--port N] [--url-file FILE]

Serves PecDesk on http://127.0.0.1 for a browser. Open the printed URL: it carries this start's
access token, without which the API answers 401.
  --archive DIR    the archive folder (default: PECDESK_ARCHIVE, else the user data folder)
  --port N         port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --url-file FILE  also write the URL to FILE (for scripts and tests)
`;

async function main() {
  const { values } = parseArgs({
    options: {
      archive: { type: 'string' },
      port: { type: 'string' },
      'url-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535, not ${values.port}`);
  const archiveDir = resolveArchiveDir(values.archive);
  const core = await openCore({ archiveDir });
  const staticDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
  const token = randomBytes(32).toString('base64url');
  const bridge = await startBridge({
    registry: core.registry,
    events: core.events,
    staticDir,
    port,
    token,
  }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' || values.port !== undefined) throw error;
    console.log(`Port ${port} is in use: picking a free one.`);
    return startBridge({ registry: core.registry, events: core.events, staticDir, port: 0, token });
  });
  if (values['url-file']) await writeFile(values['url-file'], bridge.url, { mode: 0o600 });
  console.log(`PecDesk is ready: open ${bridge.url}`);
  console.log(`Archive: ${archiveDir}`);
  const stop = async () => {
    await bridge.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`pecdesk serve: ${(error as Error).message}`);
  process.exit(1);
});
