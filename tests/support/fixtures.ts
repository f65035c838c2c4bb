import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/fixtures/pec/ beside the project: real provider messages, never copied into the repo. */
export const REAL_FIXTURES_DIR = fileURLToPath(new URL('../../../shared/fixtures/pec/', import.meta.url));

export const realFixturesPresent = existsSync(REAL_FIXTURES_DIR);

if (!realFixturesPresent) {
  console.warn(
    `[pecdesk tests] real PEC fixtures not found at ${REAL_FIXTURES_DIR}: the tests on real provider messages do not run`,
  );
}

export function realFixtureNames(): string[] {
  return realFixturesPresent
    ? readdirSync(REAL_FIXTURES_DIR)
        .filter((f) => f.endsWith('.eml'))
        .sort()
    : [];
}

export function readRealFixture(name: string): Buffer {
  return readFileSync(`${REAL_FIXTURES_DIR}${name}`);
}
