/**
 * "Connetti al server dell'ufficio" in a browser (issue 16): `npm run serve` on an empty archive of
 * this PC, and an office's `pecdesk server` (TLS on 127.0.0.1, its self-signed certificate, people
 * with their own logins) started here. The person opens the office screen from the welcome screen,
 * compares the fingerprint, connects, signs in with the server's login and sees the mailbox they
 * may read; the server going away and coming back with another certificate are said in a banner.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type RunningServer, startServer } from '../integration/office-world.ts';
import { tempDir } from '../support/archive.ts';
import { PASSWORD, peopleWorld } from '../support/people-world.ts';
import { SHOTS, serveEmpty } from './shared.ts';

const ENV = { ...process.env, PECDESK_SECRETS: 'file', PECDESK_SECRET_KEY: 'e2e-office' };

test('connect this PC to the office server, confirm the fingerprint, sign in, and see what happens when it is gone', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const world = await peopleWorld();
  const office = { archive: world.archive.dir, env: ENV };
  world.archive.close();
  let server: RunningServer = await startServer(office);
  // This PC's config folder, where the pin is kept: the test's own, never the machine's.
  const home = tempDir('pecdesk-e2e-office-home-');
  const served = await serveEmpty('pecdesk-e2e-office-', {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
  });
  try {
    await page.goto(served.url);
    const welcome = page.getByTestId('welcome');
    await welcome.getByRole('button', { name: "Connetti al server dell'ufficio" }).click();
    const screen = page.getByTestId('office');
    await expect(screen.getByRole('heading', { name: "Server dell'ufficio" })).toBeVisible();
    await screen.getByLabel('Indirizzo del server').fill(`127.0.0.1:${server.port}`);
    await screen.getByRole('button', { name: 'Verifica' }).click();
    const shown = screen.getByTestId('office-fingerprint');
    await expect(shown).toBeVisible();
    // The same characters as the server printed at start, in two lines to compare.
    expect((await shown.innerText()).replace(/\s+/g, ':')).toBe(server.fingerprint);
    await expect(
      screen.getByText(/Confrontala con quella che il responsabile informatico legge/),
    ).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/office-fingerprint.png` });
    await screen.getByRole('button', { name: 'È identica: connetti' }).click();

    // The server's login screen (logins are on there), then the list of what rita may read.
    const login = page.getByTestId('login');
    await expect(login).toBeVisible();
    await expect(page.getByTestId('office-chip')).toHaveText(`Ufficio: 127.0.0.1:${server.port}`);
    await expect(page.getByTestId('office-login-note')).toContainText(
      `Nome utente e password del server dell'ufficio ${server.url}.`,
    );
    await page.screenshot({ path: `${SHOTS}/office-login.png` });
    await login.getByLabel('Nome utente', { exact: true }).fill('rita');
    await login.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await login.getByRole('button', { name: 'Accedi' }).click();
    await expect(page.getByText('Parcella alfaonly').first()).toBeVisible();
    await expect(page.getByText('Verbale betaonly')).toHaveCount(0);
    await page.getByText('Parcella alfaonly').first().click();
    await expect(page.locator('.reader-pane').getByText('Parcella alfaonly').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/office-list.png` });

    // Signing out and in again: the name last used on that server is offered.
    await page.getByRole('button', { name: 'Esci' }).click();
    await expect(login.getByLabel('Nome utente', { exact: true })).toHaveValue('rita');
    await login.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await login.getByRole('button', { name: 'Accedi' }).click();
    await expect(page.getByText('Parcella alfaonly').first()).toBeVisible();
    await page.getByText('Parcella alfaonly').first().click();

    await page.getByTestId('office-chip').click();
    await expect(page.getByTestId('office-connected')).toHaveText(`Connesso a ${server.url} come rita`);
    await page.screenshot({ path: `${SHOTS}/office-connected.png` });
    await page.getByRole('button', { name: 'Torna alla posta' }).click();

    // The server goes away: said, and what was open stays on screen.
    await server.stop('SIGKILL');
    const banner = page.getByTestId('office-banner');
    await expect(banner).toHaveText(
      "Server dell'ufficio non raggiungibile: mostro quello che era aperto, in sola lettura; riprovo…",
      { timeout: 20_000 },
    );
    await expect(page.getByText('Parcella alfaonly').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/office-unreachable.png` });

    // Back with another certificate: refused, and said so.
    rmSync(join(office.archive, 'server-tls'), { recursive: true, force: true });
    server = await startServer(office, { port: server.port });
    await expect(banner).toContainText("L'impronta del certificato del server è cambiata", {
      timeout: 30_000,
    });
    await page.screenshot({ path: `${SHOTS}/office-changed.png` });
    await banner.getByRole('button', { name: "Server dell'ufficio" }).click();
    await expect(page.getByTestId('office-connected')).toContainText(`Non connesso a ${server.url}`);
    expect((await page.getByTestId('office-seen').innerText()).replace(/\s+/g, ':')).toBe(server.fingerprint);
    // Checking the new certificate says it is not the one confirmed; connecting needs a knowing tick.
    await page.getByRole('button', { name: 'Verifica il nuovo certificato' }).click();
    const probe = page.getByTestId('office-probe');
    await expect(probe.getByRole('heading')).toHaveText(
      "Attenzione: l'impronta del certificato del server è cambiata",
    );
    const connectNew = probe.getByRole('button', { name: 'Connetti con il nuovo certificato' });
    await expect(connectNew).toBeDisabled();
    await page.screenshot({ path: `${SHOTS}/office-changed-check.png` });
    await probe.getByRole('button', { name: 'Annulla' }).click();
    await page.getByRole('button', { name: 'Disconnetti' }).click();
    // This PC's own archive again.
    await expect(page.getByTestId('welcome')).toBeVisible();
    await expect(page.getByTestId('office-chip')).toHaveCount(0);
  } finally {
    served.stop();
    await server.stop('SIGKILL');
  }
});

test('a browser on the LAN opens the office server itself: its login, then the person’s list', async ({
  browser,
}) => {
  const world = await peopleWorld();
  const office = { archive: world.archive.dir, env: ENV };
  world.archive.close();
  const server = await startServer(office);
  // The self-signed certificate: a person accepts it on the browser's own warning page.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const login = page.getByTestId('login');
    await expect(login).toBeVisible();
    // The office server cannot be told to connect elsewhere: no such entry here.
    await expect(page.getByTestId('office-login-note')).toHaveCount(0);
    await login.getByLabel('Nome utente', { exact: true }).fill('otto');
    await login.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await login.getByRole('button', { name: 'Accedi' }).click();
    await expect(page.getByText('Parcella alfaonly').first()).toBeVisible();
    await expect(page.getByText('Verbale betaonly')).toHaveCount(0);
    await expect(page.getByRole('button', { name: "Server dell'ufficio" })).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/office-browser-direct.png` });
  } finally {
    await context.close();
    await server.stop('SIGKILL');
  }
});
