/**
 * Working on PEC as a team in the browser (issue 14), as Giulia ("solo io") does it: the incoming
 * PEC in "Da gestire", a tag made and put on one, taken in charge and handled with a comment,
 * two more handled at once from the list, a routing rule tried with its preview ("1 messaggio
 * corrisponderebbe"), saved and applied so "Da gestire" empties, a deadline past due in "Scadute"
 * and in the "Scadenze" agenda, the reports with their charts, and the view of a tag.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { insertAccount, upsertMailbox } from '../../db/accounts.ts';
import { Archive } from '../../main/archive/archive.ts';
import { People } from '../../main/auth/people.ts';
import { workOnIngest } from '../../main/work/ingest-hook.ts';
import { readWorkSettings, writeWorkSettings } from '../../main/work/settings.ts';
import { testPki } from '../factory/pki.ts';
import { tempDir } from '../support/archive.ts';
import { testAnchors } from '../support/pec.ts';
import { startServe } from '../support/serve.ts';
import { incomingPec } from '../support/work-world.ts';
import { SHOTS } from './shared.ts';

const STUDIO = 'studio.rossi@pec.alfa.test';
let served: { url: string; stop: () => void };

test.beforeAll(async () => {
  const dir = tempDir('pecdesk-e2e-work-');
  const archiveDir = join(dir, 'archive');
  const anchor = join(dir, 'ca.pem');
  writeFileSync(anchor, testPki().rootPem);
  const archive = Archive.open(archiveDir, { anchors: testAnchors(), onIngest: workOnIngest() });
  const setup = { actor: 'setup', actorName: 'test', origin: 'test' };
  const people = new People(archive.db);
  await people.createOwner('giulia', 'Giulia Rossi', null, setup);
  await people.addUser({ name: 'anna', displayName: 'Anna Neri', role: 'operator' }, setup);
  people.createOffice('Contabilità', setup);
  people.addToOffice('Contabilità', 'anna', setup);
  const account = insertAccount(archive.db, {
    email: STUDIO,
    displayName: 'Studio Rossi',
    imapHost: '127.0.0.1',
    imapPort: 9,
    imapSecurity: 'tls',
    imapUser: STUDIO,
    createdAt: new Date(Date.now() - 7 * 86_400_000).toISOString(),
  });
  const inbox = upsertMailbox(archive.db, account.id, 'INBOX', 'INBOX', null).id;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
  const pecs = [
    { from: 'sdi03@pec.fatturapa.it', subject: 'Ricevuta di consegna 6782414', at: hoursAgo(30) },
    {
      from: 'dp.milano@pce.agenziaentrate.it',
      subject: 'Avviso di accertamento n. 12/2026',
      at: hoursAgo(6),
    },
    {
      from: 'avv.bianchi@pec.beta.test',
      subject: 'Diffida ad adempiere - condominio Via Roma 12',
      at: hoursAgo(4),
    },
    {
      from: 'amministratore@pec.beta.test',
      subject: 'Convocazione assemblea straordinaria',
      at: hoursAgo(2),
    },
  ];
  let uid = 1;
  for (const p of pecs)
    await archive.ingest([
      {
        raw: incomingPec({
          from: p.from,
          to: STUDIO,
          subject: p.subject,
          date: p.at,
          ...(p.from.startsWith('sdi')
            ? {
                attachments: [
                  {
                    filename: 'IT01234567890_00009_RC_003.xml',
                    contentType: 'text/xml',
                    content: '<RicevutaConsegna/>',
                  },
                ],
              }
            : {}),
        }),
        location: { mailboxId: inbox, uid: uid++, flags: ['\\Seen'] },
      },
    ]);
  // Escalation after an hour, on since two days: what nobody took in charge is said at once.
  writeWorkSettings(archive.db, {
    ...readWorkSettings(archive.db),
    escalateAfterHours: 1,
    escalateSince: new Date(Date.now() - 2 * 86_400_000).toISOString(),
  });
  archive.close();
  served = await startServe(archiveDir, {
    ...process.env,
    PECDESK_PEC_TRUST_ANCHORS: anchor,
    PECDESK_SECRETS: 'file',
    PECDESK_SECRET_KEY: 'e2e-work',
  });
});

test.afterAll(() => served?.stop());

const nav = (page: Page, name: RegExp) => page.getByRole('navigation').getByRole('button', { name });
const row = (page: Page, subject: string) =>
  page.getByTestId('message-list').getByRole('option').filter({ hasText: subject });

test('tags, take in charge, handled, a rule with its preview, the agenda and a report', async ({ page }) => {
  await page.goto(served.url);
  await expect(nav(page, /^Da gestire/)).toContainText('4');
  // The core's work clock looks a few seconds after start: four PEC waiting for more than an hour.
  const notices = page.getByTestId('work-notice');
  await expect(notices).toHaveCount(4, { timeout: 20_000 });
  await expect(notices.filter({ hasText: 'Avviso di accertamento' })).toContainText(
    'PEC non presa in carico entro 1 ora',
  );
  await page.screenshot({ path: `${SHOTS}/work-notices.png` });
  while ((await notices.count()) > 0) await notices.first().getByRole('button', { name: 'Chiudi' }).click();
  await expect(notices).toHaveCount(0);
  await nav(page, /^Da gestire/).click();
  await expect(page.getByTestId('message-list').getByRole('option')).toHaveCount(4);
  // Opening a message changes nothing: it stays to handle.
  await row(page, 'Avviso di accertamento').click();
  const panel = page.getByTestId('work-panel');
  await expect(panel.getByTestId('work-state')).toHaveText('Nuova');
  await expect(panel.getByTestId('work-deadline')).toContainText('proposta, da verificare');
  await expect(nav(page, /^Da gestire/)).toContainText('4');
  // A new tag, made and put on the PEC from the reader.
  await panel.getByRole('textbox', { name: 'Nuova etichetta' }).fill('Fisco');
  await panel.getByRole('textbox', { name: 'Nuova etichetta' }).press('Enter');
  await expect(panel.getByTestId('tag-chip')).toHaveText(/Fisco/);
  await expect(row(page, 'Avviso di accertamento').getByTestId('tag-chip')).toHaveText('Fisco');
  await page.screenshot({ path: `${SHOTS}/work-reader.png` });
  // Taken in charge, then handled with a comment: "Da gestire" goes down.
  await panel.getByRole('button', { name: 'Prendi in carico' }).click();
  await expect(panel.getByTestId('work-state')).toHaveText('Presa in carico');
  await expect(panel.getByTestId('work-claimed')).toContainText('Presa in carico da Giulia Rossi');
  await panel.getByTestId('work-comment-input').fill('Ricorso affidato al consulente');
  await panel.getByTestId('work-done').click();
  await expect(panel.getByTestId('work-state')).toHaveText('Gestita');
  await expect(nav(page, /^Da gestire/)).toContainText('3');
  await expect(panel.locator('.work-comments')).toContainText('Ricorso affidato al consulente');
  // Two at once from the list.
  await expect(page.getByTestId('message-list').getByRole('option')).toHaveCount(3);
  await row(page, 'Diffida ad adempiere').getByTestId('row-check').check();
  await row(page, 'Convocazione assemblea').getByTestId('row-check').check();
  await expect(page.getByTestId('bulk-bar')).toContainText('2 selezionati');
  await page.screenshot({ path: `${SHOTS}/work-bulk.png` });
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Segna come gestita' }).click();
  await expect(nav(page, /^Da gestire/)).toContainText('1');
  await expect(page.getByTestId('message-list').getByRole('option')).toHaveCount(1);

  // A routing rule, previewed before saving, applied to the archive.
  await nav(page, /^Regole di smistamento/).click();
  await page.getByRole('button', { name: 'Nuova regola' }).click();
  const editor = page.getByTestId('rule-editor');
  await editor.getByRole('textbox', { name: 'Nome' }).fill('Ricevute SdI');
  await editor.getByRole('textbox', { name: 'Valore' }).fill('pec.fatturapa.it');
  await editor.getByRole('combobox', { name: 'Etichette' }).fill('SdI');
  await editor.getByRole('button', { name: 'Aggiungi azione' }).click();
  await editor.getByTestId('rule-preview').click();
  await expect(page.getByTestId('rule-preview-result')).toContainText('1 messaggio corrisponderebbe');
  await expect(page.getByTestId('rule-preview-result')).toContainText('Ricevuta di consegna 6782414');
  await page.screenshot({ path: `${SHOTS}/work-rule-preview.png` });
  await editor.getByRole('button', { name: 'Salva regola' }).click();
  await expect(page.getByText('Regola «Ricevute SdI» salvata')).toBeVisible();
  await page.getByRole('button', { name: 'Applica ai messaggi già archiviati' }).click();
  await expect(page.getByText(/Regola applicata: 1 messaggio corrispondeva/)).toBeVisible();
  await expect(nav(page, /^Da gestire/)).not.toContainText(/\d/);

  // The tag's own view.
  await page.getByTestId('tag-view').filter({ hasText: 'SdI' }).click();
  await expect(page.getByTestId('message-list').getByRole('option')).toHaveCount(1);
  await expect(row(page, 'Ricevuta di consegna').getByTestId('row-work-state')).toHaveText('Gestita');

  // A deadline set by hand in the past: "Scadute" and the agenda show it.
  await nav(page, /^Tutte le caselle/).click();
  await row(page, 'Diffida ad adempiere').click();
  await panel.getByRole('button', { name: 'Riapri' }).click();
  await expect(panel.getByTestId('work-state')).toHaveText('Nuova');
  await panel.getByTestId('deadline-input').fill('2026-01-15');
  await expect(panel.getByTestId('work-deadline')).toHaveText('15/01/2026');
  await expect(nav(page, /^Scadute/)).toContainText('1');
  await nav(page, /^Scadenze/).click();
  await expect(page.getByTestId('agenda-late')).toContainText('Diffida ad adempiere');
  await page.screenshot({ path: `${SHOTS}/work-agenda.png` });

  // The reports, with their charts.
  await nav(page, /^Report/).click();
  await expect(page.getByTestId('chart-backlog').getByRole('application')).toBeVisible();
  await expect(page.getByTestId('report-overdue')).toContainText('1 scadenza superata non gestita');
  await expect(page.getByTestId('chart-times').getByRole('application')).toBeVisible();
  await expect(page.getByTestId('chart-backlog')).toContainText('Non assegnate');
  await page.screenshot({ path: `${SHOTS}/work-report.png`, fullPage: true });
});
