/**
 * The layout on the shared e2e archive: resizable panes that remember their widths, a list that
 * gets its share of a wide screen, nothing overflowing or clipped at 1024 × 700, the search help
 * as a popover beside the results, an opened .eml using the reader's width, English dates in the
 * English UI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { pecOf, scenario } from '../factory/pec-factory.ts';
import { facts, SHOTS, url } from './shared.ts';

async function openList(page: Page) {
  await page.goto(url());
  await expect(page.getByTestId('message-list')).toBeVisible();
}

async function open(page: Page, subject: string) {
  await page.getByRole('option').filter({ hasText: subject }).first().click();
  await expect(page.getByTestId('reader')).toBeVisible();
}

/**
 * What overflows: containers whose content is wider than they are (a row pushed out, a value
 * running under its neighbour), and any element reaching outside the window horizontally.
 */
function overflows(page: Page, containers: string[]) {
  return page.evaluate((selectors) => {
    const found: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 60)}"`;
    for (const selector of selectors) {
      for (const el of document.querySelectorAll(selector)) {
        if (el.scrollWidth > el.clientWidth + 1)
          found.push(`${name(el)} scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
      }
    }
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < -1 || r.right > window.innerWidth + 1)
        found.push(`${name(el)} outside the window: ${Math.round(r.left)}–${Math.round(r.right)}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth)
      found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}`);
    return found;
  }, containers);
}

const CONTAINERS = [
  '.row-top',
  '.row-bottom',
  '.row-snippet',
  '.kv-row',
  '.kv dd',
  '.timeline',
  '.timeline li',
  '.attachments li',
  '.card',
  '.reader',
  '.details-head',
  '.topbar',
  '.nav-item',
  // The names of views and folders: wrapped in a narrow sidebar, never cut.
  '.nav-item > span',
  '.nav-account h4',
  '.search-row',
];

test('the list splitter drags, keeps its width after a reload, and moves with the keyboard', async ({
  page,
}) => {
  await openList(page);
  const splitter = page.getByRole('separator', { name: "Larghezza dell'elenco dei messaggi" });
  const list = page.locator('#pane-list');
  const before = (await list.boundingBox())!.width;
  const handle = (await splitter.boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + 200);
  await page.mouse.down();
  await page.mouse.move(handle.x + handle.width / 2 + 60, handle.y + 200, { steps: 4 });
  await page.mouse.move(handle.x + handle.width / 2 + 120, handle.y + 200, { steps: 4 });
  await page.mouse.up();
  const after = (await list.boundingBox())!.width;
  expect(after).toBeCloseTo(before + 120, -1);
  await expect(splitter).toHaveAttribute('aria-valuenow', String(Math.round(after)));

  await page.reload();
  await expect(page.getByTestId('message-list')).toBeVisible();
  expect((await list.boundingBox())!.width).toBeCloseTo(after, 0);

  await splitter.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(splitter).toHaveAttribute('aria-valuenow', String(Math.round(after) - 16));
  // The list's own keys did not fire: nothing got selected.
  await expect(page.locator('.row.selected')).toHaveCount(0);

  const sidebar = page.getByRole('separator', { name: 'Larghezza del pannello delle caselle' });
  const navBefore = (await page.locator('#pane-sidebar').boundingBox())!.width;
  await sidebar.focus();
  await page.keyboard.press('Shift+ArrowRight');
  expect((await page.locator('#pane-sidebar').boundingBox())!.width).toBeCloseTo(navBefore + 64, 0);
});

test.describe('on a 1920 × 1080 screen', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the list gets its share and the subjects are whole', async ({ page }) => {
    await openList(page);
    const list = (await page.locator('#pane-list').boundingBox())!.width;
    const sidebar = (await page.locator('#pane-sidebar').boundingBox())!.width;
    const share = list / (1920 - sidebar);
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.4);
    for (const subject of [facts().sent.subject, facts().incoming.subject, facts().forged.subject]) {
      const cell = page.getByRole('option').filter({ hasText: subject }).locator('.row-subject');
      expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth), subject).toBe(true);
    }
    await page.screenshot({ path: `${SHOTS}/layout-1920.png` });
  });
});

test.describe('at 1024 × 700', () => {
  test.use({ viewport: { width: 1024, height: 700 } });

  test('a sent PEC, an incoming PEC and the search fit: nothing overflows the panes or the window', async ({
    page,
  }) => {
    await openList(page);
    await open(page, facts().sent.subject);
    await expect(page.getByTestId('timeline')).toBeVisible();
    expect(await overflows(page, CONTAINERS)).toEqual([]);
    // The identificativo is shown whole, wrapped if it must be, never cut.
    const id = page.getByTestId('step-acceptance').getByText(facts().sent.identificativo);
    await expect(id).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/layout-1024-sent.png` });

    await open(page, facts().incoming.subject);
    await expect(page.getByText('fattura-118-2026.pdf')).toBeVisible();
    expect(await overflows(page, CONTAINERS)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/layout-1024-incoming.png` });

    await page.getByRole('searchbox').fill('diffida');
    await expect(page.getByTestId('search-tools')).toBeVisible();
    expect(await overflows(page, [...CONTAINERS, '.search-tools'])).toEqual([]);

    await page.getByRole('button', { name: 'Gestisci caselle' }).click();
    await expect(page.getByTestId('account')).toBeVisible();
    await page.getByLabel('Gestore', { exact: true }).selectOption('custom');
    expect(await overflows(page, ['.account', '.account-form', '.server-fields'])).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/layout-1024-accounts.png` });
  });
});

test('the search help is a popover beside the results: Escape closes it, focus goes back', async ({
  page,
}) => {
  await openList(page);
  await page.getByRole('searchbox').fill('diffida condominio');
  const list = page.getByTestId('message-list');
  await expect(list.getByRole('option')).toHaveCount(1);
  const button = page.getByRole('button', { name: '?' });
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  const help = page.getByRole('dialog', { name: 'Come cercare' });
  await expect(help).toBeFocused();
  await expect(help).toContainText('casella:');
  // The results stay where they were, uncovered.
  const h = (await help.boundingBox())!;
  const l = (await list.boundingBox())!;
  expect(h.x).toBeGreaterThanOrEqual(l.x + l.width);
  await expect(list.getByRole('option')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/search-help.png` });
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  // A click elsewhere closes it too; typing in the search box does not.
  await button.click();
  await page.getByRole('searchbox').fill('diffida');
  await expect(help).toBeVisible();
  await page.locator('#pane-sidebar').click({ position: { x: 20, y: 600 } });
  await expect(help).toHaveCount(0);
});

test('an opened .eml uses the width of the pane', async ({ page }) => {
  await openList(page);
  await page.locator('.nav-actions').getByRole('button', { name: 'Apri file .eml' }).click();
  const path = join(process.env.PECDESK_E2E_DIR ?? '.', 'layout-busta.eml');
  writeFileSync(path, pecOf(scenario(), 'posta-certificata'));
  await page.getByTestId('eml-input').setInputFiles(path);
  await expect(page.locator('.message-details')).toBeVisible();
  // The pane takes everything right of the sidebar (it used to sit in the list's column), and the
  // message fills the pane.
  const pane = (await page.locator('.wide-pane').boundingBox())!;
  const sidebar = (await page.locator('#pane-sidebar').boundingBox())!;
  expect(pane.x + pane.width).toBeCloseTo(page.viewportSize()!.width, -1);
  expect(pane.width).toBeGreaterThan(page.viewportSize()!.width - sidebar.width - 20);
  const details = (await page.locator('.message-details').boundingBox())!;
  expect(details.width).toBeGreaterThan(pane.width - 40);
  await page.getByRole('button', { name: 'Torna ai messaggi' }).click();
  await expect(page.getByTestId('message-list')).toBeVisible();
});

test('the English UI shows English dates everywhere', async ({ page }) => {
  await openList(page);
  await page.getByRole('combobox', { name: 'Lingua' }).selectOption('en');
  await expect(page.getByRole('button', { name: 'All mailboxes' })).toBeVisible();
  const dates = await page.locator('.row-date').allTextContents();
  expect(dates.length).toBeGreaterThan(3);
  for (const d of dates)
    expect(d).toMatch(/^(today \d{2}:\d{2}|yesterday \d{2}:\d{2}|\w{3} \d{1,2} \w{3}|\d{1,2} \w{3} \d{4})$/);
  await open(page, facts().sent.subject);
  const reader = (await page.getByTestId('reader').textContent()) ?? '';
  expect(reader).not.toMatch(/\d{2}\/\d{2}\/\d{4}/);
  expect(reader).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/);
  await page.getByRole('button', { name: 'Manage mailboxes' }).click();
  await expect(page.getByTestId('account')).toContainText(
    /Last sync: \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/,
  );
  await page.screenshot({ path: `${SHOTS}/english-dates.png` });
});
