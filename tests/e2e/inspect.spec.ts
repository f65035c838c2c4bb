import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { pecOf, scenario } from '../factory/pec-factory.ts';

const SHOTS = 'tests/e2e/screenshots';
mkdirSync(SHOTS, { recursive: true });

function url(): string {
  const u = process.env.PECDESK_E2E_URL;
  if (!u) throw new Error('PECDESK_E2E_URL not set by global setup');
  return u;
}

function file(name: string, bytes: Buffer): string {
  const path = join(process.env.PECDESK_E2E_DIR ?? '.', name);
  writeFileSync(path, bytes);
  return path;
}

test('the app opens in Italian, with the token taken out of the address bar', async ({ page }) => {
  await page.goto(url());
  await expect(page.getByText('Archivio e ricevute PEC')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Tutte le caselle' })).toBeVisible();
  expect(page.url()).not.toContain('token=');
  await expect(page.locator('.version')).toHaveText(/^v\d+\.\d+\.\d+$/);
});

test('an envelope shows its original message, attachments, certification data and a valid signature', async ({
  page,
}) => {
  const s = scenario();
  await page.goto(url());
  await page.locator('.nav-actions').getByRole('button', { name: 'Apri file .eml' }).click();
  await page.getByTestId('eml-input').setInputFiles(file('busta.eml', pecOf(s, 'posta-certificata')));
  await expect(page.getByTestId('kind')).toHaveText('PEC ricevuta');
  await expect(page.locator('[data-verdict="valid"]')).toContainText('Firma valida');
  await expect(page.getByRole('heading', { name: s.subject })).toBeVisible();
  await expect(page.getByText('contratto-42-2026.pdf')).toBeVisible();
  await expect(page.getByText(s.identificativo)).toBeVisible();
  await expect(page.getByText('Mittente certificato')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/inspect-envelope.png`, fullPage: true });
});

test('a forged receipt shows the warning a person cannot miss', async ({ page }) => {
  await page.goto(url());
  await page.locator('.nav-actions').getByRole('button', { name: 'Apri file .eml' }).click();
  const forged = pecOf(scenario(), 'avvenuta-consegna', { signing: { mode: 'tampered' } });
  await page.getByTestId('eml-input').setInputFiles(file('forged.eml', forged));
  await expect(page.getByTestId('kind')).toHaveText('Ricevuta di avvenuta consegna');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Messaggio alterato (firma non corrispondente)');
  await expect(alert).toContainText(
    'Attenzione: questo messaggio non risulta firmato da un gestore PEC accreditato.',
  );
  await page.screenshot({ path: `${SHOTS}/inspect-forged.png`, fullPage: true });
});

test('the API refuses calls without the token', async ({ request }) => {
  const origin = new URL(url()).origin;
  const res = await request.post(`${origin}/api/call`, { data: { method: 'app.info', args: {} } });
  expect(res.status()).toBe(401);
});
