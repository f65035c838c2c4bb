// `npm run serve -- [--archive DIR] [--port N] [--url-file FILE]`: in one process, the
// dependencies, the interface and the server bundle made current (a quick look at file dates when
// nothing changed), then the bundle (dist/server/serve.mjs, from main/server/serve.ts) runs here.
// Running the bundle, not the TypeScript sources through tsx, saves the seconds a person waited at
// every start for the whole core to be compiled.
import { ensureNodeBuilt, ensureRendererBuilt } from './ensure-built.mjs';
import { ensureDeps } from './ensure-deps.mjs';

try {
  await ensureDeps();
  await ensureRendererBuilt();
  await ensureNodeBuilt('server');
} catch (error) {
  console.error(`pecdesk serve: ${error.message}`);
  process.exit(1);
}
// It reads its own arguments from process.argv, as when started directly.
await import('../dist/server/serve.mjs');
