/**
 * The archive the startup benchmark serves, built once and kept in the system's temporary folder
 * (building it takes about a minute): N messages synced into one mailbox as `pecdesk sync` stores
 * them (filler circulars, PEC threads with receipts), and, newest of all so they are the list's
 * first rows, a received PEC whose original carries a 2.4 MB PDF and an ordinary message without
 * attachments (the reader's big and small cases). Its own CA file, so its signatures verify
 * whatever the tests' shared PKI is at the time.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertAccount, upsertMailbox } from '../../db/accounts.ts';
import type { IngestItem } from '../../main/archive/archive.ts';
import { Archive } from '../../main/archive/archive.ts';
import {
  buildOrdinary,
  buildOriginal,
  minimalPdf,
  pecOf,
  providerRewrite,
  scenario,
} from '../factory/pec-factory.ts';
import { testPki } from '../factory/pki.ts';
import { testAnchors } from '../support/pec.ts';

/** Bumped when what the fixture holds changes: older copies are then built again. */
const FIXTURE_VERSION = 1;
const ME = 'studio.rossi@pec.alfa.test';

export interface StartupFixture {
  archiveDir: string;
  /** The PEM file to trust (PECDESK_PEC_TRUST_ANCHORS). */
  anchorFile: string;
  messages: number;
  big: { subject: string; attachment: string; bytes: number };
  small: { subject: string };
}

export async function startupFixture(n: number): Promise<StartupFixture> {
  const dir = join(tmpdir(), `pecdesk-bench-startup-v${FIXTURE_VERSION}-${n}`);
  const fixture: StartupFixture = {
    archiveDir: join(dir, 'archive'),
    anchorFile: join(dir, 'test-ca.pem'),
    messages: n,
    big: {
      subject: 'Perizia di stima con allegati - immobile Via Verdi 4',
      attachment: 'perizia-via-verdi-4.pdf',
      bytes: 2_400_000,
    },
    small: { subject: 'Promemoria appuntamento di lunedì' },
  };
  if (existsSync(join(dir, 'ready'))) return fixture;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const pki = testPki();
  writeFileSync(fixture.anchorFile, pki.rootPem);
  const archive = Archive.open(fixture.archiveDir, { anchors: testAnchors() });
  try {
    const account = insertAccount(archive.db, {
      email: ME,
      displayName: 'Studio Rossi',
      // Nothing listens there: the account's sync fails at once, as for a server that is down.
      imapHost: '127.0.0.1',
      imapPort: 9,
      imapSecurity: 'tls',
      imapUser: ME,
      writeSeen: false,
      createdAt: new Date().toISOString(),
    });
    const inbox = upsertMailbox(archive.db, account.id, 'INBOX', 'INBOX', null);
    let uid = 0;
    const item = (raw: Buffer): IngestItem => ({
      raw,
      location: { mailboxId: inbox.id, uid: ++uid, flags: ['\\Seen'] },
    });
    const filler = n - 2;
    for (let i = 0; i < filler; i += 500) {
      const batch: IngestItem[] = [];
      for (let j = i; j < Math.min(filler, i + 500); j++) {
        const date = new Date(Date.UTC(2025, 0, 1) + j * 60_000);
        batch.push(
          item(
            j % 50 === 0
              ? pecOf(scenario({ subject: `Pratica ${j} - trasmissione documenti`, date }), 'accettazione')
              : buildOrdinary({ subject: `Circolare ${j + 1}`, from: `notizie${j % 50}@example.test`, date }),
          ),
        );
      }
      await archive.ingest(batch);
    }
    const latest = new Date(Date.UTC(2025, 6, 1, 9));
    const s = scenario({
      subject: fixture.big.subject,
      sender: 'perito@pec.beta.test',
      provider: pki.providers.beta,
      recipientProvider: pki.providers.alfa,
      recipients: [{ address: ME, type: 'certificato' }],
      date: latest,
    });
    // A scanned report: a real PDF head, then bytes that do not compress, as images do.
    const pdf = Buffer.concat([minimalPdf('Perizia di stima'), randomBytes(fixture.big.bytes)]);
    const original = providerRewrite(
      buildOriginal({
        from: s.sender,
        to: [ME],
        subject: s.subject,
        text: 'Buongiorno,\nin allegato la perizia di stima firmata.\nCordiali saluti',
        attachments: [{ filename: fixture.big.attachment, contentType: 'application/pdf', content: pdf }],
        messageId: s.msgid,
        date: latest,
      }),
      s.identificativo,
      s.msgid,
    );
    await archive.ingest([
      item(pecOf({ ...s, original }, 'posta-certificata')),
      item(
        buildOrdinary({
          subject: fixture.small.subject,
          from: 'segreteria@example.test',
          to: [ME],
          text: 'Le ricordiamo l’appuntamento di lunedì alle 10.',
          date: new Date(latest.getTime() - 60_000),
        }),
      ),
    ]);
    await archive.drainText(600_000);
  } finally {
    archive.close();
  }
  writeFileSync(join(dir, 'ready'), new Date().toISOString());
  console.log(
    `fixture: ${n} messages built in ${((performance.now() - t0) / 1000).toFixed(0)} s, kept in ${dir}`,
  );
  return fixture;
}
