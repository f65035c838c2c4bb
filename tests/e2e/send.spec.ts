/**
 * Sending in the app, against the PEC provider simulator (main/sim/, its own Dovecot and SMTP on
 * 127.0.0.1) and a served archive of its own: a simulated mailbox added through the form with its
 * SMTP server; a PEC composed (recipients from the archive's suggestions, bold text, a file) and
 * sent, its receipts arriving in the timeline; a reply and a forward of a received PEC; a campaign
 * from a CSV with its preview, until every recipient is delivered.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { SimMailbox } from '../../main/sim/simulator.ts';
import { tempDir } from '../support/archive.ts';
import { mailer, startTestSim, type TestSim } from '../support/sim.ts';
import { SHOTS, serveEmpty } from './shared.ts';

test.describe.configure({ mode: 'serial' });

test.describe('sending PEC', () => {
  let sim: TestSim;
  let served: { url: string; stop: () => void };
  let me: SimMailbox;
  let box: (address: string) => SimMailbox;
  const dir = tempDir('pecdesk-e2e-send-');

  test.beforeAll(async () => {
    sim = await startTestSim({
      extraMailboxes: ['cliente.uno', 'cliente.due', 'cliente.tre', 'cliente.quattro'],
    });
    box = (address) => sim.info.mailboxes.find((m) => m.address === address)!;
    me = box('mario.rossi@pec.alfa.test');
    // A PEC already received from a client: something to answer, and an address to suggest.
    await mailer(sim, box('protocollo@pec.beta.test')).sendMail({
      from: 'protocollo@pec.beta.test',
      to: me.address,
      subject: 'Richiesta documenti contratto di locazione',
      text: 'Buongiorno,\nvi chiediamo copia del contratto registrato.\n\nCordiali saluti\nUfficio protocollo',
    });
    await sim.whenIdle();
    writeFileSync(join(dir, 'ca.pem'), sim.ca);
    // The simulator's TLS CA trusted as a provider's public one would be; its PEC root as the trust list.
    served = await serveEmpty('pecdesk-e2e-send-', {
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
      PECDESK_PEC_TRUST_ANCHORS: sim.info.trustAnchor,
    });
  });
  test.afterEach(async ({ page: _page }, info) => {
    // What the simulated providers did, when a test failed.
    if (info.status !== info.expectedStatus) console.error(sim.log.slice(-40).join('\n'));
  });
  test.afterAll(async () => {
    served?.stop();
    await sim?.stop();
  });

  async function addMailbox(page: Page) {
    await page.goto(served.url);
    await page.getByTestId('welcome').getByRole('button', { name: 'Aggiungi casella' }).click();
    await page.getByLabel('Indirizzo PEC').fill(me.address);
    await page.getByLabel('Gestore', { exact: true }).selectOption({ label: 'Altro (server manuale)' });
    await page.getByLabel('Server IMAP').fill('127.0.0.1');
    await page.getByLabel('Porta', { exact: true }).fill(String(sim.info.imap.port));
    await page.getByLabel('Server di invio (SMTP)').fill('127.0.0.1');
    await page.getByLabel('Porta (invio)').fill(String(sim.info.smtp.port));
    await page.getByLabel('Password').fill(me.password);
    await page.screenshot({ path: `${SHOTS}/send-account-form.png`, fullPage: true });
    await page.getByRole('button', { name: 'Aggiungi casella' }).click();
    await expect(page.getByText(`Casella ${me.address} aggiunta`)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('account-smtp')).toContainText(
      `Invio: 127.0.0.1:${sim.info.smtp.port} (SSL/TLS)`,
    );
    await expect(page.getByTestId('account-smtp')).toContainText('30 messaggi al minuto');
    await page.getByRole('button', { name: 'Chiudi' }).click();
    // The received PEC is archived by the first sync.
    await expect(page.getByText('Richiesta documenti contratto di locazione').first()).toBeVisible({
      timeout: 30_000,
    });
  }

  test('compose and send: suggestions, limits, a file; the receipts arrive in the timeline', async ({
    page,
  }) => {
    await addMailbox(page);
    await page.getByTestId('new-pec').click();
    const compose = page.getByTestId('compose');
    await expect(compose.getByTestId('compose-from')).toHaveValue(me.address);
    // The archive suggests the client's address as it is typed.
    const to = compose.getByTestId('compose-to').getByRole('combobox');
    await to.fill('protoc');
    await page.getByRole('option', { name: /protocollo@pec\.beta\.test/ }).click();
    await to.fill('studio.bianchi@pec.beta.test,');
    await expect(compose.getByTestId('compose-to')).toContainText('protocollo@pec.beta.test');
    await expect(compose.getByTestId('compose-to')).toContainText('studio.bianchi@pec.beta.test');
    // A Bcc does not exist; an empty subject is said before sending.
    await expect(compose.getByText('La PEC non ammette destinatari in copia nascosta (Ccn)')).toBeVisible();
    await expect(compose.getByTestId('compose-problems')).toContainText("Manca l'oggetto.");
    await expect(compose.getByTestId('compose-send')).toBeDisabled();
    await compose.getByTestId('compose-subject').fill('Trasmissione contratto di locazione registrato');
    const body = compose.getByTestId('compose-body');
    await body.click();
    await page.keyboard.type('Buongiorno,\nin allegato il contratto ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('registrato');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' il 12/03/2026.\n\nCordiali saluti\nStudio Rossi');
    await compose.getByTestId('compose-file').setInputFiles({
      name: 'contratto-registrato.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\ncontratto di locazione registrato\n'),
    });
    await expect(compose.getByText('contratto-registrato.pdf')).toBeVisible();
    await expect(compose.getByTestId('compose-problems')).toHaveCount(0);
    await expect(compose.getByTestId('compose-size')).toContainText('× 2 destinatari');
    await page.screenshot({ path: `${SHOTS}/send-compose.png`, fullPage: true });
    await compose.getByTestId('compose-send').click();

    // The outbox follows it: with the provider, accepted, delivered to both.
    const row = page.getByTestId('outbox-row').first();
    await expect(row).toContainText('Trasmissione contratto di locazione registrato');
    await expect(row.getByTestId('outbox-state')).toHaveText('Consegnata', { timeout: 60_000 });
    await page.screenshot({ path: `${SHOTS}/send-outbox.png`, fullPage: true });
    await row.getByRole('button', { name: 'Apri' }).click();
    const reader = page.getByTestId('reader');
    await expect(reader.getByText('Ricevuta di accettazione')).toBeVisible();
    await expect(reader.getByText('protocollo@pec.beta.test').first()).toBeVisible();
    await expect(reader.getByText('studio.bianchi@pec.beta.test').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/send-timeline.png`, fullPage: true });
  });

  test('reply and forward a received PEC: the original quoted, postacert.eml or the envelope attached', async ({
    page,
  }) => {
    await page.goto(served.url);
    const received = page
      .getByTestId('message-list')
      .getByText('Richiesta documenti contratto di locazione', { exact: true });
    await received.click();
    const reader = page.getByTestId('reader');
    await reader.getByTestId('reply').click();
    const compose = page.getByTestId('compose');
    await expect(compose.getByRole('heading', { name: 'Rispondi' })).toBeVisible();
    await expect(compose.getByTestId('compose-to')).toContainText('protocollo@pec.beta.test');
    await expect(compose.getByTestId('compose-subject')).toHaveValue(
      'Re: Richiesta documenti contratto di locazione',
    );
    // The original's words, quoted; not the provider's envelope text.
    await expect(compose.getByTestId('compose-body')).toContainText(
      '> vi chiediamo copia del contratto registrato.',
    );
    await expect(compose.getByTestId('compose-body')).not.toContainText('Messaggio di posta certificata');
    await compose.getByTestId('compose-body').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('Buongiorno, vi trasmettiamo quanto richiesto con PEC separata.');
    await page.screenshot({ path: `${SHOTS}/send-reply.png`, fullPage: true });
    await compose.getByTestId('compose-send').click();
    await expect(page.getByTestId('outbox-row').first()).toContainText('Re: Richiesta documenti');

    // Forward: the original attached; on request the whole envelope, signed by the provider.
    await page.getByTestId('outbox').getByRole('button', { name: 'Chiudi' }).click();
    await received.click();
    await reader.getByTestId('forward').click();
    await expect(compose.getByTestId('compose-subject')).toHaveValue(
      'I: Richiesta documenti contratto di locazione',
    );
    await expect(compose.getByTestId('compose-attachments')).toContainText('postacert.eml');
    await compose.getByTestId('compose-envelope').check();
    await expect(compose.getByTestId('compose-attachments')).toContainText(
      'Richiesta documenti contratto di locazione.eml',
    );
    const to = compose.getByTestId('compose-to').getByRole('combobox');
    await to.fill('studio.bianchi@pec.alfa.test');
    await to.press('Enter');
    await page.screenshot({ path: `${SHOTS}/send-forward.png`, fullPage: true });
    await compose.getByTestId('compose-send').click();
    const forwarded = page.getByTestId('outbox-row').first();
    await expect(forwarded).toContainText('I: Richiesta documenti');
    await expect(forwarded.getByTestId('outbox-state')).toHaveText('Consegnata', { timeout: 60_000 });
  });

  test('a campaign from a CSV: preview of the first messages, then each recipient delivered', async ({
    page,
  }) => {
    const clients = ['cliente.uno', 'cliente.due', 'cliente.tre', 'cliente.quattro'];
    const csv = [
      'Ragione sociale;PEC;Importo',
      ...clients.map(
        (c, i) =>
          `Cliente ${['Uno', 'Due', 'Tre', 'Quattro'][i]} S.r.l.;${c}@pec.beta.test;${(i + 1) * 100},00`,
      ),
    ].join('\r\n');
    await page.goto(served.url);
    await page.getByTestId('open-campaigns').click();
    await page.getByTestId('campaign-new').click();
    const form = page.getByTestId('campaign-form');
    await form
      .getByTestId('campaign-list')
      .setInputFiles({ name: 'clienti.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(form.getByTestId('campaign-total')).toHaveText("4 destinatari nell'elenco.");
    await expect(form.getByLabel('Colonna degli indirizzi')).toHaveValue('PEC');
    await form.getByTestId('campaign-subject').fill('Avviso di pagamento - {{ragione_sociale}}');
    await form
      .getByTestId('campaign-body')
      .fill('Spett.le {{Ragione sociale}},\nvi ricordiamo il pagamento di euro {{importo}}.\n\nStudio Rossi');
    const preview = form.getByTestId('campaign-preview');
    await expect(preview).toContainText('Avviso di pagamento - Cliente Uno S.r.l.');
    await expect(preview).toContainText('vi ricordiamo il pagamento di euro 200,00');
    await expect(preview.locator('article')).toHaveCount(3);
    await page.screenshot({ path: `${SHOTS}/send-campaign-preview.png`, fullPage: true });
    page.once('dialog', (d) => void d.accept());
    await form.getByTestId('campaign-send').click();
    const table = page.getByTestId('campaign-table');
    await expect(table.getByTestId('campaign-recipient')).toHaveCount(4);
    await expect(table.locator('[data-testid="campaign-recipient"][data-state="delivered"]')).toHaveCount(4, {
      timeout: 90_000,
    });
    await expect(page.getByTestId('campaign-counts')).toContainText('4 consegnate');
    await page.screenshot({ path: `${SHOTS}/send-campaign.png`, fullPage: true });
  });
});
