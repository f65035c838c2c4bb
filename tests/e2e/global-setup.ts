/**
 * A real archive for the browser tests: a Dovecot mailbox filled with PEC of every kind (a sent PEC
 * with its acceptance and two delivery receipts, an incoming PEC with attachments, a forged one) and
 * 20,000 ordinary messages, synced by PecDesk's own sync; then `serve` on that archive, as a person
 * runs it, with the test CA as PEC trust anchor.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addAccount } from '../../main/accounts/account-service.ts';
import { EventBus } from '../../main/api/events.ts';
import { Archive } from '../../main/archive/archive.ts';
import { openSecretStore } from '../../main/secrets/open-store.ts';
import { SyncService } from '../../main/sync/sync-service.ts';
import {
  buildOrdinary,
  buildOriginal,
  minimalPdf,
  pecOf,
  providerRewrite,
  scenario,
} from '../factory/pec-factory.ts';
import { testPki } from '../factory/pki.ts';
import { tempDir } from '../support/archive.ts';
import { DovecotServer } from '../support/dovecot.ts';
import { testAnchors } from '../support/pec.ts';
import { startServe } from '../support/serve.ts';

export const FILLER = 20_000;

export default async function globalSetup() {
  const dir = tempDir('pecdesk-e2e-');
  const anchor = join(dir, 'test-ca.pem');
  writeFileSync(anchor, testPki().rootPem);
  const env = {
    ...process.env,
    PECDESK_PEC_TRUST_ANCHORS: anchor,
    PECDESK_SECRETS: 'file',
    PECDESK_SECRET_KEY: 'e2e',
  };

  const server = await DovecotServer.start();
  const user = server.addUser('studio.rossi@pec.alfa.test');
  const sent = scenario({ sender: user.user, subject: 'Diffida ad adempiere - condominio Via Roma 12' });
  const incoming = scenario({
    subject: 'Fattura elettronica n. 118/2026',
    original: undefined,
    recipients: [{ address: user.user, type: 'certificato' }],
    sender: 'fornitore@pec.beta.test',
    provider: testPki().providers.beta,
    recipientProvider: testPki().providers.alfa,
  });
  const forged = scenario({
    subject: 'Avviso di pagamento urgente',
    sender: 'truffa@pec.beta.test',
    provider: testPki().providers.beta,
  });
  const invoiceOriginal = providerRewrite(
    buildOriginal({
      from: incoming.sender,
      to: [user.user],
      subject: incoming.subject,
      text: 'In allegato la fattura di novembre.',
      html: '<p>In allegato la <b>fattura</b> di novembre.</p><script>document.body.dataset.pwned = "1"</script><img src="https://tracker.example/p.gif" alt="traccia"><p><a href="https://www.agenziaentrate.gov.it/">Agenzia delle Entrate</a></p>',
      attachments: [
        {
          filename: 'fattura-118-2026.pdf',
          contentType: 'application/pdf',
          content: minimalPdf('Fattura 118/2026'),
        },
        {
          filename: 'IT01234567890_00118.xml',
          contentType: 'application/xml',
          content: '<FatturaElettronica/>',
        },
      ],
      messageId: incoming.msgid,
    }),
    incoming.identificativo,
    incoming.msgid,
  );
  // 1 delivered, 1 failed, 1 ordinary address: "Consegnata 1 di 3 · 1 mancata", never a total failure.
  const partial = scenario({
    sender: user.user,
    subject: 'Convocazione assemblea - condominio Via Po 3',
    recipients: [
      { address: 'rossi@pec.beta.test', type: 'certificato' },
      { address: 'verdi.inesistente@pec.beta.test', type: 'certificato' },
      { address: 'bianchi@example.it', type: 'esterno' },
    ],
  });
  // Opened by one test only (read state round trip): nobody else reads it first.
  const unread = scenario({
    subject: 'Comunicazione di avvio del procedimento 2026/55',
    recipients: [{ address: user.user, type: 'certificato' }],
    sender: 'protocollo@pec.beta.test',
    provider: testPki().providers.beta,
    recipientProvider: testPki().providers.alfa,
  });
  const filler = Array.from({ length: FILLER }, (_, i) =>
    buildOrdinary({
      subject: `Circolare ${i + 1}`,
      from: `notizie${i % 50}@example.test`,
      date: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
    }),
  );
  server.deliverToMaildir(user, [
    ...filler,
    pecOf(sent, 'accettazione'),
    ...sent.recipients.map((r) => pecOf(sent, 'avvenuta-consegna', { deliveryAddress: r.address })),
    pecOf({ ...incoming, original: invoiceOriginal }, 'posta-certificata'),
    pecOf(forged, 'posta-certificata', { signing: { mode: 'tampered' } }),
    pecOf(unread, 'posta-certificata'),
    pecOf(partial, 'accettazione'),
    pecOf(partial, 'avvenuta-consegna', { deliveryAddress: 'rossi@pec.beta.test' }),
    pecOf(partial, 'errore-consegna', {
      deliveryAddress: 'verdi.inesistente@pec.beta.test',
      error: 'no-dest',
      errorDetail: '5.1.1 - indirizzo non valido',
    }),
  ]);
  await server.append(user, 'Sent', [
    buildOriginal({
      from: user.user,
      to: sent.recipients.map((r) => r.address),
      subject: sent.subject,
      text: 'Si diffida…',
      messageId: sent.msgid,
      date: sent.date,
    }),
    buildOriginal({
      from: user.user,
      to: partial.recipients.map((r) => r.address),
      subject: partial.subject,
      text: 'Si convoca l’assemblea.',
      messageId: partial.msgid,
      date: partial.date,
    }),
  ]);

  const archiveDir = join(dir, 'archive');
  const secrets = await openSecretStore(archiveDir, { env, warn: () => {} });
  const archive = Archive.open(archiveDir, { anchors: testAnchors() });
  await addAccount(
    archive.db,
    secrets,
    { email: user.user, imapHost: '127.0.0.1', imapPort: server.tlsPort, caPem: server.caPem },
    user.password,
  );
  const [result] = await new SyncService(archive, secrets, new EventBus()).syncAll();
  if (!result?.ok) throw new Error(`e2e archive sync failed: ${result?.error}`);
  archive.close();

  const served = await startServe(archiveDir, env);
  process.env.PECDESK_E2E_URL = served.url;
  process.env.PECDESK_E2E_DIR = dir;
  process.env.PECDESK_E2E_FACTS = JSON.stringify({
    sent: {
      subject: sent.subject,
      recipients: sent.recipients.map((r) => r.address),
      identificativo: sent.identificativo,
    },
    incoming: { subject: incoming.subject },
    forged: { subject: forged.subject },
    partial: { subject: partial.subject },
    unread: { subject: unread.subject },
    total: FILLER + 5,
    // The tests read the server's flags (read state written back as \Seen).
    imap: { port: server.tlsPort, user: user.user, password: user.password, caPem: server.caPem },
  });
  return async () => {
    served.stop();
    await server.destroy();
  };
}
