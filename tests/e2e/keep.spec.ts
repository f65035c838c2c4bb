/**
 * Keeping records in the app (issue 15), on an archive of its own synced from a Dovecot mailbox
 * with a quota: the accounts screen shows the space with its forecast (the history as three weeks
 * of syncs would have left it), the emptying preview lists what would go and touches nothing, and
 * "Fascicolo di prova" downloads the PEC's bundle from the reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import type { ImapFlow } from 'imapflow';
import { openDatabase } from '../../db/database.ts';
import { saveQuotaSample } from '../../db/keep.ts';
import { pdfText } from '../../main/search/extract/pdf.ts';
import { buildOrdinary, buildOriginal, pecOf, scenario } from '../factory/pec-factory.ts';
import { accountAddArgs, cliArchive } from '../support/cli.ts';
import { DovecotServer, type DovecotUser } from '../support/dovecot.ts';
import { startServe } from '../support/serve.ts';
import { SHOTS } from './shared.ts';

const DAY = 86_400_000;
const QUOTA = 1_100_000;
const OLD = 30;

test.describe('keeping the mailbox and the proof', () => {
  let server: DovecotServer;
  let user: DovecotUser;
  let served: { url: string; stop: () => void };
  const pec = scenario({
    date: new Date(Date.now() - 10 * DAY),
    subject: 'Diffida ad adempiere – contratto n. 42/2026',
  });

  test.beforeAll(async () => {
    server = await DovecotServer.start();
    user = server.addUser('studio.bianchi@pec.alfa.test', undefined, { quotaBytes: QUOTA });
    const client: ImapFlow = await server.client(user);
    // Thirty circulars of months ago, about 30 KB each: what an emptying by age would remove.
    for (let i = 0; i < OLD; i++)
      await client.append(
        'INBOX',
        buildOrdinary({
          subject: `Circolare n. ${i + 1}/2026 – novità fiscali`,
          from: `circolari@studio${i % 3}.example.test`,
          text: `Gentile cliente,\n${'le principali scadenze del mese e le novità fiscali.\n'.repeat(400)}`,
          date: new Date(Date.now() - (200 - i * 4) * DAY),
        }),
        ['\\Seen'],
        new Date(Date.now() - (200 - i * 4) * DAY),
      );
    await client.mailboxCreate('Sent').catch(() => {});
    await client.append(
      'Sent',
      buildOriginal({
        from: pec.sender,
        to: pec.recipients.map((r) => r.address),
        subject: pec.subject,
        text: 'Egregio avvocato,\nla presente è una diffida ad adempiere entro quindici giorni.',
        messageId: pec.msgid,
        date: pec.date,
      }),
      ['\\Seen'],
      pec.date,
    );
    for (const raw of [
      pecOf(pec, 'accettazione'),
      pecOf(pec, 'avvenuta-consegna', { deliveryAddress: pec.recipients[0]!.address }),
      pecOf(pec, 'avvenuta-consegna', { deliveryAddress: pec.recipients[1]!.address }),
    ])
      await client.append('INBOX', raw, ['\\Seen'], pec.date);
    await client.logout();

    const { archive, env, pecdesk } = cliArchive('pecdesk-e2e-keep-');
    const cli = async (args: string[], extra: Record<string, string> = {}) => {
      const run = await pecdesk(args, extra);
      if (run.code !== 0) throw new Error(`pecdesk ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    };
    await cli(accountAddArgs(server, user.user), { PECDESK_PASSWORD: user.password });
    await cli(['sync']);
    // Three weeks of syncs: usage rising about 20 KB a day up to what the server says today.
    const db = openDatabase(join(archive, 'archive.db'));
    const now = db.$client.prepare('SELECT used_bytes, limit_bytes FROM quota_samples').get() as {
      used_bytes: number;
      limit_bytes: number;
    };
    for (let d = 21; d >= 1; d--)
      saveQuotaSample(db, 1, {
        at: new Date(Date.now() - d * DAY).toISOString(),
        usedBytes: now.used_bytes - d * 20_000,
        limitBytes: now.limit_bytes,
        messagesUsed: null,
        messagesLimit: null,
      });
    db.$client.close();
    served = await startServe(archive, env);
  });
  test.afterAll(async () => {
    served?.stop();
    await server?.destroy();
  });

  test('the accounts screen: space used, "Casella quasi piena", full in about N days', async ({ page }) => {
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Gestisci caselle' }).click();
    const quota = page.getByTestId('quota');
    await expect(quota).toContainText(/Spazio occupato: [\d,.]+ (kB|MB) di [\d,.]+ MB \(\d+(,\d)? %\)/);
    await expect(quota).toContainText('Casella quasi piena');
    await expect(page.getByTestId('quota-forecast')).toContainText(
      /Piena tra circa \d+ giorni? al ritmo degli ultimi 21 giorni/,
    );
    await page.screenshot({ path: `${SHOTS}/keep-quota.png` });
  });

  test('the emptying preview lists what would go and removes nothing', async ({ page }) => {
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Gestisci caselle' }).click();
    const panel = page.getByTestId('emptying');
    await panel.getByText('Svuotamento della casella sul server del gestore').click();
    await panel.getByRole('spinbutton', { name: 'Giorni' }).fill('60');
    await panel.getByTestId('emptying-preview').click();
    const result = panel.getByTestId('emptying-result');
    await expect(result).toContainText(/Verrebbero cancellati \d+ messaggi/);
    const rows = result.locator('tbody tr');
    const count = await rows.count();
    expect(count).toBeGreaterThan(20);
    expect(count).toBeLessThanOrEqual(OLD);
    await expect(rows.first()).toContainText('Circolare n. 1/2026 – novità fiscali');
    // The PEC of ten days ago is younger than 60 days: not listed.
    await expect(result).not.toContainText('Diffida ad adempiere');
    await page.screenshot({ path: `${SHOTS}/keep-dry-run.png`, fullPage: true });
    // Nothing left the server.
    const client = await server.client(user);
    await client.mailboxOpen('INBOX', { readOnly: true });
    expect(client.mailbox ? client.mailbox.exists : -1).toBe(OLD + 3);
    await client.logout();
  });

  test('"Fascicolo di prova" downloads the PEC with its receipts, a PDF and the hashes', async ({ page }) => {
    await page.goto(served.url);
    await expect(page.getByTestId('message-list')).toBeVisible();
    await page.getByRole('option').filter({ hasText: pec.subject }).first().click();
    await expect(page.getByTestId('reader')).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByTestId('proof-bundle').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      /^fascicolo-PEC \d{4}-\d{2}-\d{2} Diffida ad adempiere – contratto n\. 42 2026\.zip$/,
    );
    const zip = unzipSync(readFileSync((await file.path())!));
    expect(Object.keys(zip).sort()).toEqual([
      'fascicolo.pdf',
      'manifest.json',
      'originali/01-messaggio-inviato.eml',
      'originali/02-ricevuta-accettazione.eml',
      expect.stringMatching(/^originali\/03-ricevuta-avvenuta-consegna-/),
      expect.stringMatching(/^originali\/04-ricevuta-avvenuta-consegna-/),
    ]);
    const text = (await pdfText(zip['fascicolo.pdf']!, 100_000)).replace(/\s+/g, ' ');
    expect(text).toContain(pec.identificativo);
    expect(text).toContain('Firma valida');
    expect(text).toContain('la presente è una diffida');
    await page.screenshot({ path: `${SHOTS}/keep-proof.png` });
  });
});
