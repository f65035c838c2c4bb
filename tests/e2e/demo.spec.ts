import { expect, test } from '@playwright/test';
import { SHOTS, serveEmpty } from './shared.ts';

test('with nothing configured the app offers the demo archive, and goes back', async ({ page }) => {
  const served = await serveEmpty('pecdesk-e2e-empty-');
  try {
    await page.goto(served.url);
    const welcome = page.getByTestId('welcome');
    await expect(welcome).toContainText('Benvenuto in PecDesk');
    await page.screenshot({ path: `${SHOTS}/welcome.png` });
    await welcome.getByRole('button', { name: "Apri l'archivio dimostrativo" }).click();
    await expect(page.getByText('Archivio dimostrativo: messaggi di esempio')).toBeVisible();
    const delivered = page.getByRole('option').filter({ hasText: 'Trasmissione contratto di locazione' });
    await expect(delivered.locator('[data-state="delivered"]')).toHaveText('Consegnata');
    await expect(
      page.getByRole('option').filter({ hasText: 'Convocazione assemblea' }).locator('.badge'),
    ).toHaveText('Consegnata 1 di 3 · 1 mancata');
    await delivered.click();
    await expect(page.getByTestId('step-recipient')).toHaveCount(2);
    await page.getByRole('option').filter({ hasText: 'Fattura elettronica n. 118/2026' }).click();
    await expect(page.locator('[data-verdict="valid"]')).toContainText('Firma valida');
    await expect(page.getByText('fattura-118-2026.pdf')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/demo-archive.png` });
    await page.getByRole('button', { name: 'Torna al tuo archivio' }).click();
    await expect(page.getByTestId('welcome')).toBeVisible();
  } finally {
    served.stop();
  }
});
