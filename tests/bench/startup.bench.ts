/**
 * The first screen (issue "speed where people wait"), in Debian's chromium as a person sees it, on
 * an archive of N messages (default 20,000; --messages N; built once and kept, startup-fixture.ts),
 * --runs R times each (default 5), after one unmeasured warm-up of each path:
 * - start to first list row: from starting the command to the first row of the list laid out on
 *   screen, for `npm run serve`, for the sources through tsx (how `serve` ran before), and for the
 *   baseline: a Node process serving a static page with one row (what any served page costs here);
 * - opening a message: from the click on its row to its subject and attachment list on screen, for
 *   a PEC carrying a 2.4 MB PDF against the baseline of an ordinary message without attachments;
 * - opening the demo: from the click on "Apri l'archivio dimostrativo" on the welcome screen of a
 *   new archive to the progress shown and to the demo's first row, against opening it again
 *   (built already: only the archive switch).
 * Figures are medians (min–max) in milliseconds.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import config from '../../playwright.config.ts';
import { tempDir } from '../support/archive.ts';
import { argValue } from './bench-support.ts';
import { launchChromium, median, type Served, STATIC_SERVER, startServed } from './served.ts';
import { type StartupFixture, startupFixture } from './startup-fixture.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIRST_ROW = '[data-testid="message-list"] [role="option"] .row-subject';

const fmt = (values: number[]) =>
  `${median(values).toFixed(0)} ms (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;

export async function benchStartup(args: string[]): Promise<void> {
  const n = Number(argValue(args, '--messages') ?? 20_000);
  const runs = Number(argValue(args, '--runs') ?? 5);
  const fixture = await startupFixture(n);
  const scratch = tempDir('pecdesk-bench-startup-');
  const env = {
    ...process.env,
    PECDESK_PEC_TRUST_ANCHORS: fixture.anchorFile,
    PECDESK_SECRETS: 'file',
    PECDESK_SECRET_KEY: 'bench',
  };
  const browser = await launchChromium();
  try {
    await firstRows(browser, fixture, runs, env, scratch);
    await messageOpens(browser, fixture, runs, env, scratch);
    await demoOpens(browser, runs, env, scratch);
  } finally {
    await browser.close();
  }
}

async function newPage(browser: Browser): Promise<Page> {
  // A fresh profile each time: nothing cached from the previous run.
  const { locale, timezoneId, viewport } = config.use ?? {};
  const context = await browser.newContext({
    ...(locale ? { locale } : {}),
    ...(timezoneId ? { timezoneId } : {}),
    ...(viewport ? { viewport } : {}),
  });
  return context.newPage();
}

const serveArgs = (archiveDir: string) => [
  '--archive',
  archiveDir,
  '--port',
  '0',
  '--url-file',
  '{url-file}',
];

/** The bundle serve runs, started directly (current after the warm-up of `npm run serve`). */
const bundled = (archiveDir: string): [string, string[]] => [
  process.execPath,
  ['dist/server/serve.mjs', ...serveArgs(archiveDir)],
];

async function firstRows(
  browser: Browser,
  fixture: StartupFixture,
  runs: number,
  env: NodeJS.ProcessEnv,
  scratch: string,
): Promise<void> {
  const paths: Record<string, [string, string[]]> = {
    'npm run serve': ['npm', ['run', 'serve', '--', ...serveArgs(fixture.archiveDir)]],
    'sources via tsx': [
      process.execPath,
      ['--import', 'tsx', 'main/server/serve.ts', ...serveArgs(fixture.archiveDir)],
    ],
    'static page (baseline)': [process.execPath, ['--input-type=module', '-e', STATIC_SERVER, '{url-file}']],
  };
  const ready = new Map(Object.keys(paths).map((name) => [name, [] as number[]]));
  const row = new Map(Object.keys(paths).map((name) => [name, [] as number[]]));
  for (let run = -1; run < runs; run++) {
    for (const [name, [command, commandArgs]] of Object.entries(paths)) {
      const page = await newPage(browser);
      const t0 = performance.now();
      const served = await startServed(command, commandArgs, { cwd: ROOT, env, scratch, t0 });
      try {
        await page.goto(served.url);
        await page.locator(FIRST_ROW).first().waitFor({ state: 'visible', timeout: 60_000 });
        const ms = performance.now() - t0;
        if (run >= 0) {
          ready.get(name)!.push(served.readyMs);
          row.get(name)!.push(ms);
        }
      } finally {
        await page.context().close();
        await served.stop();
      }
    }
  }
  console.log(
    `start to first list row (${fixture.messages} messages, ${runs} runs; URL written / row on screen):`,
  );
  for (const name of Object.keys(paths))
    console.log(`  ${name.padEnd(24)} ${fmt(ready.get(name)!)} / ${fmt(row.get(name)!)}`);
  const base = median(row.get('static page (baseline)')!);
  console.log(`ratio npm run serve / static page: ${(median(row.get('npm run serve')!) / base).toFixed(2)}`);
  console.log(
    `ratio sources via tsx / static page: ${(median(row.get('sources via tsx')!) / base).toFixed(2)}`,
  );
}

async function messageOpens(
  browser: Browser,
  fixture: StartupFixture,
  runs: number,
  env: NodeJS.ProcessEnv,
  scratch: string,
): Promise<void> {
  const [command, commandArgs] = bundled(fixture.archiveDir);
  const served = await startServed(command, commandArgs, { cwd: ROOT, env, scratch });
  const page = await newPage(browser);
  try {
    await page.goto(served.url);
    const reader = page.getByTestId('reader');
    const open = async (subject: string, shown: () => Promise<void>) => {
      const t0 = performance.now();
      await page.getByRole('option').filter({ hasText: subject }).first().click();
      await shown();
      return performance.now() - t0;
    };
    const big = () =>
      open(fixture.big.subject, async () => {
        await reader.locator('.subject', { hasText: fixture.big.subject }).waitFor();
        await reader.locator('.att-name', { hasText: fixture.big.attachment }).waitFor();
      });
    const small = () =>
      open(fixture.small.subject, () =>
        reader.locator('.subject', { hasText: fixture.small.subject }).waitFor(),
      );
    await page.locator(FIRST_ROW).first().waitFor({ timeout: 60_000 });
    await big();
    await small();
    const times = { big: [] as number[], small: [] as number[] };
    for (let run = 0; run < runs; run++) {
      times.big.push(await big());
      times.small.push(await small());
    }
    const mb = (fixture.big.bytes / 1e6).toFixed(1);
    console.log(`opening a message (click to subject and attachments on screen, ${runs} runs):`);
    console.log(`  PEC with a ${mb} MB PDF          ${fmt(times.big)}`);
    console.log(`  ordinary, no attachments (baseline) ${fmt(times.small)}`);
    console.log(`ratio big / small: ${(median(times.big) / median(times.small)).toFixed(2)}`);
  } finally {
    await page.context().close();
    await served.stop();
  }
}

async function demoOpens(
  browser: Browser,
  runs: number,
  env: NodeJS.ProcessEnv,
  scratch: string,
): Promise<void> {
  const times = { progress: [] as number[], first: [] as number[], again: [] as number[] };
  for (let run = -1; run < runs; run++) {
    // A new person: an empty archive, the welcome screen.
    const home = join(mkdtempSync(join(scratch, 'home-')), 'archive');
    const [command, commandArgs] = bundled(home);
    const served: Served = await startServed(command, commandArgs, {
      cwd: ROOT,
      env: { ...env, PECDESK_PEC_TRUST_ANCHORS: '' },
      scratch,
    });
    const page = await newPage(browser);
    try {
      await page.goto(served.url);
      const welcome = page.getByTestId('welcome');
      const openDemo = welcome.getByRole('button', { name: "Apri l'archivio dimostrativo" });
      await openDemo.waitFor({ timeout: 60_000 });
      const t0 = performance.now();
      await openDemo.click();
      await page.getByTestId('demo-opening').waitFor({ timeout: 60_000 });
      const progress = performance.now() - t0;
      await page.locator(FIRST_ROW).first().waitFor({ timeout: 60_000 });
      const first = performance.now() - t0;
      await page.getByRole('button', { name: 'Torna al tuo archivio' }).click();
      await openDemo.waitFor({ timeout: 60_000 });
      const t1 = performance.now();
      await openDemo.click();
      await page.locator(FIRST_ROW).first().waitFor({ timeout: 60_000 });
      const again = performance.now() - t1;
      if (run >= 0) {
        times.progress.push(progress);
        times.first.push(first);
        times.again.push(again);
      }
    } finally {
      await page.context().close();
      await served.stop();
    }
  }
  console.log(`opening the demo archive from the welcome screen (${runs} runs):`);
  console.log(`  progress shown               ${fmt(times.progress)}`);
  console.log(`  first row, demo built now    ${fmt(times.first)}`);
  console.log(`  first row, opened again (baseline) ${fmt(times.again)}`);
  console.log(`ratio first / again: ${(median(times.first) / median(times.again)).toFixed(2)}`);
}
