/**
 * The accounts screen on a fresh archive, against a real Dovecot (tests/support/dovecot.ts, the
 * same server the global setup uses, in an instance of its own so the shared archive stays as the
 * other specs expect it): the form's fields and provider names, what it says for a missing
 * address and a wrong password, a mailbox added and its sync shown as a progress bar, here and on
 * the status line; and the demo archive showing its progress from the first moment.
 */
import { expect, test } from '@playwright/test';
import { buildOrdinary } from '../factory/pec-factory.ts';
import { DovecotServer, type DovecotUser } from '../support/dovecot.ts';
import { SHOTS, serveEmpty } from './shared.ts';

/** Enough mail that the first sync takes a few seconds: long enough to see it progress. */
const MESSAGES = 3_000;

/** A served, empty archive; the Dovecot test CA is trusted as a provider's public CA would be. */
function serveAccounts(caFile?: string) {
  return serveEmpty('pecdesk-e2e-accounts-', caFile ? { NODE_EXTRA_CA_CERTS: caFile } : {});
}

test.describe('adding a mailbox', () => {
  let server: DovecotServer;
  let user: DovecotUser;
  let served: { url: string; stop: () => void };

  test.beforeAll(async () => {
    server = await DovecotServer.start();
    user = server.addUser('studio.verdi@pec.gamma.test');
    server.deliverToMaildir(
      user,
      Array.from({ length: MESSAGES }, (_, i) =>
        buildOrdinary({
          subject: `Comunicazione ${i + 1}`,
          from: `ufficio${i % 40}@example.test`,
          date: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        }),
      ),
    );
    served = await serveAccounts(server.caFile);
  });
  test.afterAll(async () => {
    served?.stop();
    await server?.destroy();
  });

  test('the form: provider names, user name, security, and what is missing', async ({ page }) => {
    await page.goto(served.url);
    await page.getByTestId('welcome').getByRole('button', { name: 'Aggiungi casella' }).click();
    await expect(page.getByText('Nessuna casella configurata.')).toBeVisible();
    // No mailbox, nothing to sync.
    await expect(page.getByRole('button', { name: 'Sincronizza ora' })).toHaveCount(0);

    const provider = page.getByLabel('Gestore', { exact: true });
    const options = await provider.locator('option').allTextContents();
    expect(options).toEqual([
      "Dal dominio dell'indirizzo",
      'Aruba PEC',
      'Legalmail (InfoCert)',
      'Namirial',
      'Poste Italiane (Postecert)',
      'Register.it',
      'Libero (Italiaonline)',
      'Intesi Group',
      'Altro (server manuale)',
    ]);
    await expect(page.getByLabel('Nome utente')).toBeVisible();
    // Server fields only for a manual server.
    await expect(page.getByLabel('Sicurezza', { exact: true })).toHaveCount(0);

    // An empty address is said so, before anything is asked of the server.
    await page.getByRole('button', { name: 'Prova connessione' }).click();
    await expect(page.getByRole('alert')).toHaveText("Scrivi l'indirizzo della casella PEC.");

    // The provider comes from the address; Legalmail wants its user code.
    await page.getByLabel('Indirizzo PEC').fill('studio@legalmail.it');
    await expect(page.getByTestId('preset-hint')).toHaveText(
      "Gestore riconosciuto dall'indirizzo: Legalmail (InfoCert).",
    );
    await expect(page.getByText('il nome utente è il codice utente (es. M1234567)')).toBeVisible();
    await page.getByLabel('Password').fill('segreta');
    await page.getByRole('button', { name: 'Prova connessione' }).click();
    await expect(page.getByRole('alert')).toContainText('Per Legalmail (InfoCert) serve il nome utente');

    await provider.selectOption({ label: 'Altro (server manuale)' });
    const security = page.getByLabel('Sicurezza', { exact: true });
    await expect(security.locator('option')).toHaveText(['SSL/TLS', 'STARTTLS']);
    await expect(page.getByLabel('Porta', { exact: true })).toHaveValue('993');
    await security.selectOption('starttls');
    await expect(page.getByLabel('Porta', { exact: true })).toHaveValue('143');
    await page.getByRole('button', { name: 'Aggiungi casella' }).click();
    await expect(page.getByRole('alert')).toHaveText('Scrivi il nome del server IMAP (es. imap.example.it).');
    await page.screenshot({ path: `${SHOTS}/accounts-form.png`, fullPage: true });
  });

  test('a wrong password is refused as a wrong user name or password; the right one adds the mailbox and its sync shows progress', async ({
    page,
  }) => {
    await page.goto(served.url);
    await page.getByTestId('welcome').getByRole('button', { name: 'Aggiungi casella' }).click();
    await page.getByLabel('Indirizzo PEC').fill(user.user);
    await page.getByLabel('Gestore', { exact: true }).selectOption({ label: 'Altro (server manuale)' });
    await page.getByLabel('Server IMAP').fill('127.0.0.1');
    await page.getByLabel('Sicurezza', { exact: true }).selectOption('starttls');
    await page.getByLabel('Porta', { exact: true }).fill(String(server.starttlsPort));
    await page.getByLabel('Password').fill('sbagliata');

    await page.getByRole('button', { name: 'Prova connessione' }).click();
    await expect(page.getByRole('status')).toHaveText("Verifica dell'accesso in corso…");
    const alert = page.getByRole('alert');
    // Dovecot answers a failed login late, and later at each new failure (its auth penalty).
    await expect(alert).toContainText('Nome utente o password non corretti', { timeout: 20_000 });
    await expect(alert).not.toContainText('non è più valida');
    await page.screenshot({ path: `${SHOTS}/accounts-wrong-password.png`, fullPage: true });
    // "Aggiungi casella" logs in first: the mailbox is not added with a wrong password.
    await page.getByRole('button', { name: 'Aggiungi casella' }).click();
    await expect(alert).toContainText('Nome utente o password non corretti', { timeout: 20_000 });
    await expect(page.getByTestId('account')).toHaveCount(0);

    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Aggiungi casella' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Casella ${user.user} aggiunta` })).toBeVisible();
    const account = page.getByTestId('account');
    await expect(account).toContainText(user.user);

    // Its first sync: a progress bar in the account and on the status line, with counts.
    const bar = account.getByRole('progressbar');
    await expect(bar).toHaveAttribute('aria-valuemax', String(MESSAGES));
    const status = page.getByTestId('sync-status');
    await expect(status).toContainText(`Sincronizzazione: ${user.user} — Posta in arrivo`);
    await expect(status).toContainText(/ di 3\.?000/);
    await expect(status.getByRole('progressbar')).toBeVisible();
    await expect(account.getByTestId('account-progress')).toContainText(/Posta in arrivo [\d.]+ di 3\.?000/);
    await page.screenshot({ path: `${SHOTS}/accounts-sync-progress.png` });
    // The status line is there on every screen.
    await page.getByRole('button', { name: 'Chiudi' }).click();
    await expect(page.getByTestId('message-list')).toBeVisible();
    await expect(status).toBeVisible();
    await expect(status).toContainText(/msg\/s/);
    await page.screenshot({ path: `${SHOTS}/sync-status-line.png` });

    // When it is done the line goes away and the account says so.
    await expect(status).toHaveCount(0, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Gestisci caselle' }).click();
    await expect(account).toContainText('Sincronizzata');
    await expect(account.getByRole('progressbar')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Sincronizza ora' })).toBeVisible();
  });
});

test('opening the demo archive shows its progress at once', async ({ page }) => {
  const served = await serveAccounts();
  try {
    await page.goto(served.url);
    const welcome = page.getByTestId('welcome');
    await expect(welcome).toBeVisible();
    // Every value the bar takes, however briefly.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { demoSteps: string[] }).demoSteps = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="demo-opening"] [role="progressbar"]');
        const now = bar?.getAttribute('aria-valuenow');
        const max = bar?.getAttribute('aria-valuemax');
        if (now && seen.at(-1) !== `${now}/${max}`) seen.push(`${now}/${max}`);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await welcome.getByRole('button', { name: "Apri l'archivio dimostrativo" }).click();
    const opening = page.getByTestId('demo-opening');
    await expect(opening).toContainText("Preparazione dell'archivio dimostrativo…", { timeout: 500 });
    await expect(opening.getByRole('progressbar')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/demo-opening.png` });
    await expect(page.getByText('Archivio dimostrativo: messaggi di esempio')).toBeVisible({
      timeout: 30_000,
    });
    const steps = await page.evaluate(() => (window as unknown as { demoSteps: string[] }).demoSteps);
    // The core's steps came through (keys, messages, archive), not only a start and an end.
    expect(steps.filter((s) => /^[123]\/4$/.test(s)).length).toBeGreaterThanOrEqual(2);
  } finally {
    served.stop();
  }
});
