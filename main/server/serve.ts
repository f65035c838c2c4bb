/**
 * `npm run serve -- [--archive DIR] [--port N]`: the app in a browser, on 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openCore } from '../core.ts';
import { openFrontEnd } from '../office-client/front-end.ts';
import { resolveArchiveDir, userDataDir } from '../paths.ts';
import { startBridge } from './http-server.ts';

export const DEFAULT_PORT = 4780;

const HELP = `Usage: npm run serve -- [--archive DIR] [--port N] [--url-file FILE]

Serves PecDesk on http://127.0.0.1 for a browser. Open the printed URL: it carries this start's
access token, without which the API answers 401.
  --archive DIR    the archive folder (default: PECDESK_ARCHIVE, else the user data folder)
  --port N         port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --url-file FILE  also write the URL to FILE (for scripts and tests). FILE must not exist: it is
                   created owner-only and removed when serve stops, since the URL holds the token
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
  // Claimed before anything starts, so a refusal costs nothing.
  const urlFile = values['url-file'] ? await createUrlFile(values['url-file']) : null;
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start(values.archive, port, values.port !== undefined);
    if (urlFile) {
      await urlFile.handle.writeFile(started.bridge.url);
      await urlFile.handle.close();
    }
  } catch (error) {
    if (urlFile) {
      // Secondary to the error being reported (the handle may already be closed).
      await urlFile.handle.close().catch(() => {});
      await removeUrlFile(urlFile.path);
    }
    throw error;
  }
  const { core, front, bridge, archiveDir } = started;
  console.log(`PecDesk is ready: open ${bridge.url}`);
  console.log(`Archive: ${archiveDir}`);
  const stop = async () => {
    // The token dies with this process: leave no file behind that a later start would refuse.
    if (urlFile) await removeUrlFile(urlFile.path);
    await bridge.close();
    await front.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function start(archiveFlag: string | undefined, port: number, portGiven: boolean) {
  const archiveDir = resolveArchiveDir(archiveFlag);
  const core = await openCore({ archiveDir });
  // This PC's archive, or the office server the person connected to (office-server.json in the
  // person's config folder): the browser's calls go through the switch either way.
  const front = openFrontEnd(core, { configDir: userDataDir(process.env) });
  const staticDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
  const token = randomBytes(32).toString('base64url');
  const bridge = await startBridge({
    registry: front.registry,
    events: front.events,
    staticDir,
    port,
    token,
  }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' || portGiven) throw error;
    console.log(`Port ${port} is in use: picking a free one.`);
    return startBridge({ registry: front.registry, events: front.events, staticDir, port: 0, token });
  });
  return { core, front, bridge, archiveDir };
}

/**
 * The URL carries the access token, so its file must be ours alone: created here, owner-only, never
 * an existing file (another user could have made it readable to themselves beforehand, and writing
 * keeps its mode) and never through a symbolic link (O_EXCL refuses any existing name, a link too).
 */
async function createUrlFile(path: string): Promise<{ path: string; handle: FileHandle }> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  try {
    return { path, handle: await open(path, flags, 0o600) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP')
      throw new UsageError(
        `--url-file ${path} already exists: serve writes its access token only into a file it creates itself. Remove it or choose another name.`,
      );
    throw error;
  }
}

async function removeUrlFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      console.error(`pecdesk serve: cannot remove ${path}: ${(error as Error).message}`);
  }
}

class UsageError extends Error {}

main().catch((error) => {
  console.error(`pecdesk serve: ${(error as Error).message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
