#!/usr/bin/env node
// The layers of DESIGN.md, checked on every `npm run lint` (as VS Code's layering lint does): a
// rule broken here is a dependency that would let one part reach into another's business.
//
//   front ends   main/electron, main/server, main/cli, main/client, main/office-client, main/core.ts
//   API          main/api (the one registry: schemas, rights, the log)
//   below        db/, main/<capability>/ (pec, archive, sync, search, send, keep, work, auth, …)
//   bottom       main/common (events and what every layer shares): imports nothing of ours
//
// 1. Nothing below the API imports the API or a front end.
// 2. main/common imports nothing of ours but main/common.
// 3. main/pec stays the pure PEC model: no database, no archive, no network, no other capability.
// 4. Only main/electron imports 'electron' (its binary cannot run everywhere the core does).
// 5. SQL lives in db/ only: no statement text outside it (main/, scripts/).
// 6. The renderer imports the core's types only, and values from the pure model (main/pec).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const FRONT = [
  'main/electron',
  'main/server',
  'main/cli',
  'main/client',
  'main/office-client',
  'main/core.ts',
];
const API = ['main/api'];

const under = (file, prefixes) => prefixes.some((p) => file === p || file.startsWith(`${p}/`));

function* sources(dir) {
  for (const name of readdirSync(join(root, dir))) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) yield* sources(path);
    else if (/\.(ts|tsx|mts|mjs)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts'))
      yield path.split(sep).join('/');
  }
}

/** Each import of a file: what it names, whether it is type-only, and its line. */
function importsOf(text) {
  const out = [];
  const re =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4];
    const line = text.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
    out.push({ spec, typeOnly: Boolean(m[2]), line });
  }
  return out;
}

/** The checkout path an import resolves to, or null for a package. */
function target(file, spec) {
  if (!spec.startsWith('.')) return null;
  return relative(root, resolve(root, file, '..', spec))
    .split(sep)
    .join('/');
}

const SQL =
  /\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|PRAGMA\s+\w)/;

const problems = [];
const say = (file, line, rule) => problems.push(`${file}:${line}: ${rule}`);

const files = [...sources('main'), ...sources('db'), ...sources('renderer/src'), ...sources('scripts')];
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  const below = (file.startsWith('main/') || file.startsWith('db/')) && !under(file, [...FRONT, ...API]);
  for (const { spec, typeOnly, line } of importsOf(text)) {
    if (spec === 'electron' && !file.startsWith('main/electron/'))
      say(file, line, "only main/electron imports 'electron'");
    const to = target(file, spec);
    if (!to) continue;
    if (below && under(to, [...FRONT, ...API]))
      say(
        file,
        line,
        `below the API, it must not import ${to} (events and shared types live in main/common)`,
      );
    if (file.startsWith('main/common/') && !to.startsWith('main/common/'))
      say(file, line, `main/common imports nothing of ours but main/common (not ${to})`);
    if (file.startsWith('main/pec/') && !to.startsWith('main/pec/') && !to.startsWith('main/common/'))
      say(file, line, `main/pec is the pure PEC model: it must not import ${to}`);
    if (
      file.startsWith('renderer/src/') &&
      to.startsWith('main/') &&
      !typeOnly &&
      !to.startsWith('main/pec/')
    )
      say(file, line, `the renderer imports types only from the core (import type), not ${to}`);
  }
  // Statements live in db/; tests and the simulator's own server are not the product's layers.
  if (file.startsWith('main/') && !file.startsWith('main/sim/')) {
    text.split('\n').forEach((l, i) => {
      if (SQL.test(l) && !/^\s*(\/\/|\*|\/\*)/.test(l)) say(file, i + 1, 'SQL lives in db/ only');
    });
  }
}

if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-layers: ${files.length} files, layers kept`);
