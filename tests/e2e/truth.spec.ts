/**
 * What PecDesk says must be true (issue "truth"): delivery states that never contradict, read and
 * unread round trip to the server, the person's words. On the archive synced from Dovecot (global
 * setup) and on the demo archive.
 */
import { expect, type Page, test } from '@playwright/test';
import { ImapFlow } from 'imapflow';
import { facts, SHOTS, serveEmpty, url } from './shared.ts';

async function row(page: Page, subject: string) {
  await page.goto(url());
  await expect(page.getByTestId('message-list')).toBeVisible();
  return page.getByRole('option').filter({ hasText: subject }).first();
}

/** The \Seen flag of the message with this subject, as Dovecot has it now. */
async function seenOnServer(subject: string): Promise<boolean> {
  const f = facts().imap;
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: f.port,
    secure: true,
    auth: { user: f.user, pass: f.password },
    tls: { ca: [f.caPem] },
    logger: false,
  });
  await client.connect();
  try {
    await client.mailboxOpen('INBOX', { readOnly: true });
    const uids = (await client.search({ header: { subject } }, { uid: true })) || [];
    const msg = uids[0] ? await client.fetchOne(String(uids[0]), { flags: true }, { uid: true }) : false;
    return msg ? Boolean(msg.flags?.has('\\Seen')) : false;
  } finally {
    await client.logout();
  }
}

test('a partial outcome is named as such: "Consegnata 1 di 3 · 1 mancata", the failure in words, the ordinary address without proof', async ({
  page,
}) => {
  const r = await row(page, facts().partial.subject);
  await expect(r.locator('[data-badge="partial"]')).toHaveText('Consegnata 1 di 3 · 1 mancata');
  await r.click();
  const timeline = page.getByTestId('timeline');
  const failed = timeline
    .getByTestId('step-recipient')
    .filter({ hasText: 'verdi.inesistente@pec.beta.test' });
  await expect(failed).toHaveAttribute('data-state', 'failed');
  await expect(failed).toContainText('Motivo: destinatario inesistente — 5.1.1 - indirizzo non valido');
  await expect(
    timeline.getByTestId('step-recipient').filter({ hasText: 'bianchi@example.it' }),
  ).toContainText('nessuna ricevuta di consegna');
  // Times to the second: legal terms run from them.
  await expect(timeline.getByTestId('step-acceptance')).toContainText(
    /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/,
  );
  await expect(page.getByTestId('kind')).toHaveText('PEC inviata');
  await page.screenshot({ path: `${SHOTS}/partial-delivery.png` });
});

test('opening a message marks it read on the server (\\Seen); "Segna come non letto" takes it back', async ({
  page,
}) => {
  const subject = facts().unread.subject;
  expect(await seenOnServer(subject)).toBe(false);
  const r = await row(page, subject);
  await expect(r).toHaveClass(/unseen/);
  await r.click();
  await expect(page.getByTestId('reader')).toBeVisible();
  await expect(r).not.toHaveClass(/unseen/);
  await expect.poll(() => seenOnServer(subject), { timeout: 10_000 }).toBe(true);
  await page.getByTestId('toggle-seen').click();
  await expect(r).toHaveClass(/unseen/);
  await expect(page.getByTestId('toggle-seen')).toHaveText('Segna come letto');
  await expect.poll(() => seenOnServer(subject), { timeout: 10_000 }).toBe(false);
});

test('"Salva .eml" saves the archived original', async ({ page }) => {
  const r = await row(page, facts().incoming.subject);
  await r.click();
  const download = page.waitForEvent('download');
  await page.getByTestId('save-eml').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(
    /^\d{4}-\d{2}-\d{2} Fattura elettronica n\. 118_2026\.eml$|\.eml$/,
  );
  const path = await file.path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(path, 'latin1')).toContain('X-Trasporto: posta-certificata');
});

test('the demo archive tells every state truthfully', async ({ page }) => {
  const served = await serveEmpty('pecdesk-e2e-demo-truth-');
  try {
    await page.goto(served.url);
    await page.getByRole('button', { name: "Apri l'archivio dimostrativo" }).click();
    await expect(page.getByText('Archivio dimostrativo: messaggi di esempio')).toBeVisible();
    const badge = (subject: string, id: string) =>
      page.getByRole('option').filter({ hasText: subject }).locator(`[data-badge="${id}"]`);
    await expect(badge('Trasmissione contratto di locazione', 'delivered')).toHaveText('Consegnata');
    await expect(badge('Convocazione assemblea condominiale', 'partial')).toHaveText(
      'Consegnata 1 di 3 · 1 mancata',
    );
    await expect(badge('Invio documentazione con copia nascosta', 'rejected')).toHaveText('Non accettata');
    await expect(badge('Sollecito pagamento fattura 77/2026', 'warning')).toHaveText(
      'Preavviso di mancata consegna',
    );
    // One badge per row, the most telling; the reader says the rest.
    await expect(badge('Richiesta di rimborso spese', 'overdue')).toHaveText('Nessuna consegna dopo 24 ore');
    await expect(badge('Invio bilancio di esercizio 2025', 'delivered')).toHaveText('Consegnata');

    const open = async (subject: string) => {
      await page.getByRole('option').filter({ hasText: subject }).click();
      await expect(page.getByTestId('timeline')).toBeVisible();
    };
    await open('Sollecito pagamento fattura 77/2026');
    await expect(page.getByTestId('overdue')).toHaveText(
      'Nessuna ricevuta di consegna dopo 24 ore dall’accettazione',
    );
    await expect(page.getByTestId('timeline').locator('[data-badge="warning"]')).toBeVisible();
    await open('Invio bilancio di esercizio 2025');
    await expect(page.getByTestId('step-acceptance-missing')).toContainText(
      'Ricevuta di accettazione non presente nell’archivio',
    );
    await expect(page.getByText('In attesa della ricevuta di accettazione')).toHaveCount(0);
    await open('Invio documentazione con copia nascosta');
    await expect(page.getByTestId('step-recipient')).toContainText('Non inviata (non accettata)');
    await open('Richiesta di rimborso spese');
    await expect(page.getByTestId('step-unverified')).toContainText(
      'Avviso non verificabile: Avviso di mancata consegna',
    );
    await page.getByTestId('step-unverified').getByRole('button', { name: 'Apri ricevuta' }).click();
    await expect(page.locator('[data-verdict="unsigned"]')).toBeVisible();
    await open('Trasmissione contratto di locazione');
    // The sent copy carries the attachment its delivery receipts prove.
    await expect(page.getByText('contratto-locazione-garibaldi-8.pdf')).toBeVisible();
    await expect(page.getByTestId('kind')).toHaveText('PEC inviata');
    await expect(page.locator('[data-verdict]')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/demo-truth.png` });
    // The sidebar's smart view of PEC without delivery after 24 hours.
    await page.getByRole('button', { name: /Senza consegna dopo 24 ore/ }).click();
    await expect(
      page.getByRole('option').filter({ hasText: 'Sollecito pagamento fattura 77/2026' }),
    ).toBeVisible();
    // An incoming PEC: "PEC ricevuta", signed by its provider's organisation.
    await page.getByRole('button', { name: /Tutte le caselle/ }).click();
    await page.getByRole('option').filter({ hasText: 'Comunicazione di cancelleria' }).click();
    await expect(page.getByTestId('kind')).toHaveText('PEC ricevuta');
    await expect(page.getByTestId('signature')).toContainText('firmata da Beta PEC S.p.A.');
  } finally {
    served.stop();
  }
});
