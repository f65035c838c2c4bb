/**
 * People in the app (issue 13), each on an archive of its own so the shared one stays as the other
 * specs expect it: the first start as "solo io" and with personal logins (login, a wrong password,
 * two-step verification enrolled and used with a code and a recovery code); on an archive with a
 * person of every role, the administrator's screens (people, an invitation, the permissions grid,
 * the activity log and its export, "chi ha visto"), and a reader who sees no administration, no
 * settings and no sending, and whose calls for them the bridge refuses.
 */
import { readFileSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { generate } from 'otplib';
import { PASSWORD, type PeopleWorld, peopleWorld } from '../support/people-world.ts';
import { startServe } from '../support/serve.ts';
import { SHOTS, serveEmpty } from './shared.ts';

/** A call straight to the bridge with the page's session, as the app's own code would make it. */
async function bridgeCall(page: Page, method: string, args: Record<string, unknown>) {
  return page.evaluate(
    async ({ method, args }) => {
      const token = sessionStorage.getItem('pecdesk.token');
      const session = sessionStorage.getItem('pecdesk.session');
      const r = await fetch('/api/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ method, args, session }),
      });
      return (await r.json()) as { ok: boolean; error?: { code: string } };
    },
    { method, args },
  );
}

async function signIn(page: Page, name: string, password: string) {
  const login = page.getByTestId('login');
  await expect(login).toBeVisible();
  await login.getByLabel('Nome utente', { exact: true }).fill(name);
  await login.getByLabel('Password', { exact: true }).fill(password);
  await login.getByRole('button', { name: 'Accedi' }).click();
}

/** The code of the authenticator app, one step ahead: the step used to confirm is spent. */
const nextCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });

test.describe('the first start', () => {
  test('"solo io": no login screen, then or after a reload; personal logins can be turned on later', async ({
    page,
  }) => {
    const served = await serveEmpty('pecdesk-e2e-people-solo-');
    try {
      await page.goto(served.url);
      const welcome = page.getByTestId('welcome');
      await expect(welcome.getByText('Chi userà PecDesk su questo computer?')).toBeVisible();
      await expect(welcome.getByLabel(/Solo io/)).toBeChecked();
      await page.screenshot({ path: `${SHOTS}/people-first-start.png` });
      await welcome.getByRole('button', { name: 'Aggiungi casella' }).click();
      await expect(page.getByText('Nessuna casella configurata.')).toBeVisible();
      const status = await bridgeCall(page, 'auth.status', {});
      expect(status).toMatchObject({
        ok: true,
        value: { mode: 'single', needsSetup: false, user: { name: 'titolare', role: 'owner' } },
      });

      await page.reload();
      await expect(page.getByTestId('welcome')).toBeVisible();
      await expect(page.getByTestId('first-start')).toHaveCount(0);
      await expect(page.getByTestId('login')).toHaveCount(0);
      // Nobody signs in or out.
      await expect(page.getByTestId('session-footer')).toHaveCount(0);
      await page.getByRole('button', { name: 'Persone e permessi' }).click();
      await expect(page.getByTestId('logins-off')).toContainText('Modalità «Solo io»');
      await expect(page.getByTestId('person')).toHaveCount(1);
      await expect(page.getByTestId('person')).toContainText('Titolare');
      await page.screenshot({ path: `${SHOTS}/people-solo.png` });
    } finally {
      served.stop();
    }
  });

  test('personal logins: the owner, a wrong password, two-step verification with a code and a recovery code', async ({
    page,
  }) => {
    const served = await serveEmpty('pecdesk-e2e-people-logins-');
    try {
      await page.goto(served.url);
      const welcome = page.getByTestId('welcome');
      await welcome.getByLabel(/Accessi personali/).check();
      await expect(welcome.getByRole('button', { name: 'Aggiungi casella' })).toHaveCount(0);
      await welcome.getByLabel('Nome utente', { exact: true }).fill('giulia');
      await welcome.getByLabel('Nome e cognome (facoltativo)').fill('Giulia Rossi');
      await welcome.getByLabel('Password', { exact: true }).fill('corta');
      await expect(welcome.getByTestId('password-strength')).toHaveText(
        'Troppo corta: servono almeno 10 caratteri.',
      );
      await welcome.getByLabel('Password', { exact: true }).fill('Studio-Rossi-2026');
      await welcome.getByLabel('Ripeti la password').fill('Studio-Rossi-2026');
      await expect(welcome.getByTestId('password-strength')).toHaveText('Robusta.');
      await page.screenshot({ path: `${SHOTS}/people-first-start-logins.png` });
      await welcome.getByRole('button', { name: 'Crea il titolare e continua' }).click();

      const footer = page.getByTestId('session-footer');
      await expect(footer).toContainText('Giulia Rossi');
      await expect(footer).toContainText('Titolare');
      await expect(page.getByTestId('first-start')).toHaveCount(0);
      await expect(welcome.getByRole('button', { name: 'Aggiungi casella' })).toBeVisible();
      // The tab keeps the session across a reload.
      await page.reload();
      await expect(footer).toContainText('Giulia Rossi');

      await footer.getByRole('button', { name: 'Esci' }).click();
      await signIn(page, 'giulia', 'non-e-la-mia-password');
      await expect(page.getByTestId('login').getByRole('alert')).toHaveText(
        'Nome utente o password non corretti.',
      );
      await page.screenshot({ path: `${SHOTS}/people-login-wrong.png` });
      await page.getByTestId('login').getByLabel('Password', { exact: true }).fill('Studio-Rossi-2026');
      await page.getByTestId('login').getByRole('button', { name: 'Accedi' }).click();
      await expect(footer).toContainText('Giulia Rossi');

      // Two-step verification: the QR code and the key, a code from the app, the recovery codes.
      await footer.getByRole('button', { name: 'Il mio accesso' }).click();
      const twoFactor = page.getByTestId('two-factor');
      await twoFactor.getByRole('button', { name: 'Attiva la verifica in due passaggi' }).click();
      await expect(
        twoFactor.getByRole('img', { name: "Codice QR per l'app di autenticazione" }),
      ).toBeVisible();
      const secret = ((await twoFactor.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      await page.screenshot({ path: `${SHOTS}/people-totp-enrol.png` });
      await twoFactor.getByLabel(/Scrivi il codice di 6 cifre/).fill('000000');
      await twoFactor.getByRole('button', { name: 'Conferma e attiva' }).click();
      await expect(twoFactor.getByRole('alert')).toContainText('Codice non valido');
      await twoFactor
        .getByLabel(/Scrivi il codice di 6 cifre/)
        .fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) }));
      await twoFactor.getByRole('button', { name: 'Conferma e attiva' }).click();
      const codes = twoFactor.getByTestId('recovery-codes').locator('li');
      await expect(codes).toHaveCount(10);
      const recovery = (await codes.first().textContent()) ?? '';
      await page.screenshot({ path: `${SHOTS}/people-totp-recovery.png` });
      await twoFactor.getByRole('button', { name: 'Ho salvato i codici' }).click();
      await expect(twoFactor).toContainText('Attiva: all');

      await page.getByRole('button', { name: 'Esci' }).first().click();
      await signIn(page, 'giulia', 'Studio-Rossi-2026');
      const login = page.getByTestId('login');
      await expect(login.getByRole('heading', { name: 'Verifica in due passaggi' })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/people-login-totp.png` });
      await login.getByLabel('Codice').fill(await nextCode(secret));
      await login.getByRole('button', { name: 'Conferma' }).click();
      await expect(footer).toContainText('Giulia Rossi');

      // A lost phone: a recovery code instead, once.
      await footer.getByRole('button', { name: 'Esci' }).click();
      await signIn(page, 'giulia', 'Studio-Rossi-2026');
      await login.getByLabel('Codice').fill(recovery);
      await login.getByRole('button', { name: 'Conferma' }).click();
      await expect(footer).toContainText('Giulia Rossi');
      await page.getByRole('button', { name: 'Registro attività' }).click();
      await expect(
        page.getByTestId('audit-entry').filter({ hasText: "ha effettuato l'accesso" }).first(),
      ).toContainText('(con un codice di recupero)');
    } finally {
      served.stop();
    }
  });
});

test.describe('an office with people of every role', () => {
  let world: PeopleWorld;
  let served: { url: string; stop: () => void };

  test.beforeAll(async () => {
    world = await peopleWorld();
    const dir = world.archive.dir;
    world.archive.close();
    served = await startServe(dir, {
      ...process.env,
      PECDESK_SECRETS: 'file',
      PECDESK_SECRET_KEY: 'e2e-people',
      PECDESK_PEC_TRUST_ANCHORS: '',
    });
  });
  test.afterAll(() => served?.stop());

  test('the administrator invites a reader; the reader sees no administration, settings or sending, and the bridge refuses them', async ({
    page,
    browser,
  }) => {
    await page.goto(served.url);
    await signIn(page, 'titolare', PASSWORD);
    await page.getByRole('button', { name: 'Persone e permessi' }).click();
    const people = page.getByTestId('person');
    await expect(people).toHaveCount(5);
    await expect(people.filter({ hasText: 'rita' })).toContainText('Sola lettura');
    await expect(people.filter({ hasText: 'rita' })).toContainText('Segreteria');
    await expect(people.filter({ hasText: 'otto' })).toContainText('Operatore');
    await expect(people.filter({ hasText: 'ada' })).toContainText('Amministratore');

    await page.getByRole('button', { name: 'Aggiungi persona' }).click();
    const form = page.getByRole('form', { name: 'Nuova persona' });
    await form.getByLabel('Nome utente', { exact: true }).fill('paola');
    await form.getByLabel('Nome e cognome (facoltativo)').fill('Paola Verdi');
    await form.getByLabel('Ruolo').selectOption({ label: 'Sola lettura' });
    await expect(form.getByTestId('role-cap')).toContainText('può soltanto leggere');
    await form.getByRole('button', { name: 'Aggiungi' }).click();
    const code = (await page.getByTestId('invitation-code').textContent()) ?? '';
    expect(code.length).toBeGreaterThan(10);
    await page.screenshot({ path: `${SHOTS}/people-invitation.png`, fullPage: true });
    await page.getByRole('button', { name: 'Fatto' }).click();

    // Read on A only; a reader is offered nothing but reading.
    const grants = page.getByTestId('grants');
    await grants.getByLabel('Permessi di').selectOption({ label: 'Paola Verdi · Sola lettura' });
    await expect(grants.getByTestId('grants-cap')).toContainText('può soltanto leggere');
    const rowA = grants.locator(`[data-mailbox="${world.a.email}"]`);
    await expect(rowA.getByRole('checkbox', { name: `Invio su ${world.a.email}` })).toBeDisabled();
    await expect(rowA.getByRole('checkbox', { name: `Gestione su ${world.a.email}` })).toBeDisabled();
    // The box follows the core's answer (the grants are read again), not the click.
    await rowA.getByRole('checkbox', { name: `Lettura su ${world.a.email}` }).click();
    await expect(rowA.getByRole('checkbox', { name: `Lettura su ${world.a.email}` })).toBeChecked();
    await page.screenshot({ path: `${SHOTS}/people-admin.png`, fullPage: true });

    // Paola, in a browser of her own, with the invitation.
    const reader = await newPage(browser, served.url);
    await reader.getByRole('button', { name: 'Ho un codice di invito' }).click();
    await reader.getByLabel('Codice di invito').fill(code);
    await reader.getByLabel('La tua password').fill('Paola-Verdi-2026');
    await reader.getByLabel('Ripeti la password').fill('Paola-Verdi-2026');
    await reader.getByRole('button', { name: 'Scegli la password ed entra' }).click();
    await expect(reader.getByTestId('session-footer')).toContainText('Paola Verdi');
    await expect(reader.getByTestId('session-footer')).toContainText('Sola lettura');
    await expect(reader.getByRole('option').filter({ hasText: 'Parcella alfaonly' })).toHaveCount(1);
    await expect(reader.getByRole('option').filter({ hasText: 'betaonly' })).toHaveCount(0);
    await expect(reader.getByRole('button', { name: 'Persone e permessi' })).toHaveCount(0);
    await expect(reader.getByRole('button', { name: 'Registro attività' })).toHaveCount(0);
    await reader.getByRole('option').filter({ hasText: 'Parcella alfaonly' }).click();
    await expect(reader.getByTestId('reader')).toBeVisible();
    // Nothing that sends.
    for (const name of ['Nuova PEC', 'Invii massivi', 'Rispondi', 'Rispondi a tutti', 'Inoltra'])
      await expect(reader.getByRole('button', { name, exact: true })).toHaveCount(0);
    await reader.screenshot({ path: `${SHOTS}/people-reader.png` });
    await reader.getByRole('button', { name: 'Gestisci caselle' }).click();
    await expect(reader.getByTestId('account')).toHaveCount(1);
    await expect(reader.getByRole('button', { name: 'Rimuovi' })).toHaveCount(0);
    await expect(reader.getByRole('checkbox')).toHaveCount(0);
    await expect(reader.getByRole('button', { name: 'Prova connessione' })).toHaveCount(0);

    // What is hidden is refused all the same; another mailbox's message and mailbox do not exist.
    const refused = async (method: string, args: Record<string, unknown>) =>
      (await bridgeCall(reader, method, args)).error?.code;
    expect(await refused('users.list', {})).toBe('forbidden');
    expect(await refused('audit.list', {})).toBe('forbidden');
    expect(await refused('grants.put', { user: 'paola', all: true, rights: 'read,send' })).toBe('forbidden');
    expect(await refused('demo.open', {})).toBe('forbidden');
    expect(await refused('accounts.remove', { email: world.a.email })).toBe('forbidden');
    expect(await refused('accounts.update', { email: world.a.email, writeSeen: false })).toBe('forbidden');
    expect(await refused('accounts.remove', { email: world.b.email })).toBe('not-found');
    expect(await refused('messages.get', { id: world.b.message })).toBe('not-found');
    expect(await bridgeCall(reader, 'messages.get', { id: world.a.message })).toMatchObject({ ok: true });

    // The administrator: the log says who opened what; "chi ha visto" names Paola.
    await page.getByRole('button', { name: 'Chiudi', exact: true }).click();
    await page.getByRole('button', { name: 'Registro attività' }).click();
    await expect(page.getByTestId('audit-verdict')).toHaveText(
      /^Registro integro: [\d.]+ voci, nessuna alterata\.$/,
    );
    const panel = page.getByTestId('audit-panel');
    await panel.getByLabel('Azione', { exact: true }).selectOption({ label: 'Messaggi aperti' });
    await panel.getByLabel('Chi', { exact: true }).selectOption({ label: 'Paola Verdi (paola)' });
    const today = new Intl.DateTimeFormat('it-IT', {
      timeZone: 'Europe/Rome',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(new Date());
    await panel.getByLabel('Dal', { exact: true }).fill(today);
    await panel.getByRole('button', { name: 'Filtra' }).click();
    const opened = page.getByTestId('audit-entry');
    await expect(opened.first()).toContainText('paola');
    await expect(opened.filter({ hasText: 'ha aperto il messaggio «Parcella alfaonly»' })).not.toHaveCount(0);
    for (const text of await opened.allTextContents()) expect(text).not.toMatch(/message\.open|user:\d/);
    await page.screenshot({ path: `${SHOTS}/people-audit.png`, fullPage: true });
    await panel.getByLabel('Dal', { exact: true }).fill('31/02/2026');
    await panel.getByRole('button', { name: 'Filtra' }).click();
    await expect(panel.getByRole('alert')).toHaveText(
      'Data non valida: «31/02/2026». Scrivila come gg/mm/aaaa, per esempio 25/11/2026.',
    );
    await panel.getByRole('button', { name: 'Azzera i filtri' }).click();
    await expect(
      panel.getByTestId('audit-entry').filter({ hasText: 'ha dato permessi a paola (lettura)' }),
    ).not.toHaveCount(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Esporta CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^registro-attivita-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(readFileSync((await download.path()) ?? '', 'utf8')).toContain('paola');

    await page.getByRole('button', { name: 'Chiudi', exact: true }).click();
    await page.getByRole('option').filter({ hasText: 'Parcella alfaonly' }).click();
    const views = page.getByTestId('message-views');
    await views.getByText('Chi ha visto questo messaggio').click();
    await expect(views.locator('li').filter({ hasText: 'paola ha aperto il messaggio' })).not.toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/people-seen-by.png` });

    // Ending Paola's sessions: her next call brings her back to the login screen, which says why.
    await page.getByRole('button', { name: 'Persone e permessi' }).click();
    const paola = page.getByTestId('person').filter({ hasText: 'paola' });
    await paola.getByRole('button', { name: 'Chiudi le sessioni' }).click();
    await expect(page.getByText('Chiusa 1 sessione di paola.')).toBeVisible();
    // Her next call (closing the panel reloads the list; else choosing a view) meets the ended
    // session.
    await reader.getByRole('button', { name: 'Chiudi', exact: true }).click();
    const login = reader.getByTestId('login');
    await expect(async () => {
      if (!(await login.isVisible()))
        await reader.getByRole('button', { name: /Tutte le caselle/ }).click({ timeout: 1_000 });
      await expect(login).toContainText('La sessione è terminata', { timeout: 1_000 });
    }).toPass();
    await reader.close();
  });

  test('a reader sees nothing that routes: no take in charge, assignment, states or deadlines', async ({
    page,
  }) => {
    await page.goto(served.url);
    await signIn(page, 'rita', PASSWORD);
    await page.getByRole('option').filter({ hasText: 'Parcella alfaonly' }).click();
    await expect(page.getByTestId('reader')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Parcella alfaonly' })).toBeVisible();
    for (const name of [
      'Prendi in carico',
      'Assegna a',
      'In attesa',
      'Segna come gestita',
      'Proponi scadenza',
    ])
      await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
    expect((await bridgeCall(page, 'work.claim', { id: world.a.message })).error?.code).toBe('forbidden');
  });

  test('too many wrong passwords: the login screen says until when', async ({ page }) => {
    await page.goto(served.url);
    const password = page.getByTestId('login').getByLabel('Password', { exact: true });
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'nemo', `sbagliata-${i}`);
      await expect(page.getByTestId('login').getByRole('alert')).toHaveText(
        'Nome utente o password non corretti.',
      );
      // The refused password is cleared: this attempt's answer has come.
      await expect(password).toHaveValue('');
    }
    await signIn(page, 'nemo', PASSWORD);
    await expect(page.getByTestId('login').getByRole('alert')).toHaveText(
      /^Troppi tentativi: riprova dopo le \d\d:\d\d\.$/,
    );
    await page.screenshot({ path: `${SHOTS}/people-login-locked.png` });
  });
});

async function newPage(browser: Browser, address: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'it-IT', timezoneId: 'Europe/Rome' });
  const page = await context.newPage();
  await page.goto(address);
  return page;
}
