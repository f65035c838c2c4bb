/**
 * The mailbox password goes only to an SMTP server the person confirmed in this archive, or to the
 * preset's SMTP server next to the preset's IMAP server it was confirmed for: an archive whose
 * account names someone else's SMTP server never hands it the password.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAccount, updateAccountSettings } from '../../../db/accounts.ts';
import { addAccount } from '../../../main/accounts/account-service.ts';
import { FileSecretStore } from '../../../main/secrets/file-store.ts';
import { readSmtpPassword } from '../../../main/send/smtp-password.ts';
import { tempDir, testArchive } from '../../support/archive.ts';

function setup() {
  const archive = testArchive();
  const secrets = new FileSecretStore(join(tempDir(), 'secrets.json'), {
    kind: 'passphrase',
    passphrase: 't',
  });
  return { archive, secrets };
}

describe('the SMTP password', () => {
  it('an Aruba mailbox sends through Aruba’s SMTP with the password confirmed for Aruba’s IMAP', async () => {
    const { archive, secrets } = setup();
    const row = await addAccount(archive.db, secrets, { email: 'studio@pec.it' }, 'segreta');
    expect(row).toMatchObject({ smtpHost: 'smtps.pec.aruba.it', smtpPort: 465, smtpSecurity: 'tls' });
    expect(await readSmtpPassword(secrets, archive.db, row)).toBe('segreta');
  });

  it('a server the archive names but the person never confirmed gets nothing', async () => {
    const { archive, secrets } = setup();
    const row = await addAccount(archive.db, secrets, { email: 'studio@pec.it' }, 'segreta');
    // Someone edits the archive: the same mailbox, their own SMTP server.
    updateAccountSettings(archive.db, row.id, { smtpHost: 'smtp.attaccante.example', smtpPort: 465 });
    expect(await readSmtpPassword(secrets, archive.db, findAccount(archive.db, row.id)!)).toBeNull();
    updateAccountSettings(archive.db, row.id, { smtpHost: 'smtps.pec.aruba.it', smtpSecurity: 'starttls' });
    expect(await readSmtpPassword(secrets, archive.db, findAccount(archive.db, row.id)!)).toBeNull();
  });

  it('a manual SMTP server given with the password is confirmed; changed later, it is not', async () => {
    const { archive, secrets } = setup();
    const row = await addAccount(
      archive.db,
      secrets,
      {
        email: 'a@pec.example.it',
        imapHost: 'imap.example.it',
        smtpHost: 'smtp.example.it',
        smtpSecurity: 'starttls',
      },
      'segreta',
    );
    expect(row).toMatchObject({ smtpHost: 'smtp.example.it', smtpPort: 587, smtpSecurity: 'starttls' });
    expect(await readSmtpPassword(secrets, archive.db, row)).toBe('segreta');
    updateAccountSettings(archive.db, row.id, { smtpPort: 2525 });
    expect(await readSmtpPassword(secrets, archive.db, findAccount(archive.db, row.id)!)).toBeNull();
    // Without any SMTP server the mailbox only reads.
    const reader = await addAccount(
      archive.db,
      secrets,
      { email: 'b@pec.example.it', imapHost: 'imap.example.it' },
      'x',
    );
    expect(reader.smtpHost).toBeNull();
    expect(await readSmtpPassword(secrets, archive.db, reader)).toBeNull();
  });
});
