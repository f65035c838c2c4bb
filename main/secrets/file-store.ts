/**
 * Where no OS keychain exists (a headless server, CI): an AES-256-GCM encrypted file beside the
 * archive. The key is PECDESK_SECRET_KEY (stretched with scrypt, salt in the file) or a random key in
 * a key file in the person's config folder, which only the owner may read, never in the archive
 * folder: a copy of the archive (a backup on the NAS) then holds ciphertext without its key.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SecretStore } from './secret-store.ts';

interface SealedFile {
  version: 1 | 2;
  kdf: 'scrypt' | 'key-file';
  /** Which key file sealed it (SHA-256 of the key, shortened); version 2 with kdf key-file. */
  keyId?: string;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export type KeySource = { kind: 'passphrase'; passphrase: string } | { kind: 'key-file'; path: string };

export interface FileStoreOptions {
  /** One line when a file sealed with another key is set aside. */
  warn?: (line: string) => void;
}

type Contents = { entries: Record<string, string>; foreign: boolean };

export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly keySource: KeySource,
    private readonly options: FileStoreOptions = {},
  ) {}

  async get(key: string): Promise<string | null> {
    return (await this.readAll()).entries[key] ?? null;
  }

  set(key: string, value: string): Promise<void> {
    return this.update((all) => {
      all[key] = value;
    });
  }

  delete(key: string): Promise<void> {
    return this.update((all) => {
      delete all[key];
    });
  }

  /** Writes one at a time; each write replaces the file atomically. */
  private update(change: (all: Record<string, string>) => void): Promise<void> {
    const run = this.queue.then(async () => {
      const { entries, foreign } = await this.readAll();
      if (foreign) await this.setAside();
      change(entries);
      await this.writeAll(entries);
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * A file sealed with another key file (the archive was copied from another machine or user, or an
   * earlier version kept its key beside it) holds no password of this person: it reads as empty, so
   * sync asks for the passwords again. PECDESK_SECRET_KEY is chosen on purpose: a wrong one is an error.
   */
  private async readAll(): Promise<Contents> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: {}, foreign: false };
      throw error;
    }
    const sealed = JSON.parse(text) as SealedFile;
    if (this.keySource.kind === 'key-file') {
      if (sealed.kdf !== 'key-file')
        throw new Error('the secrets file was sealed with PECDESK_SECRET_KEY: set it');
      if (sealed.keyId !== keyIdOf(readKeyFile(this.keySource.path))) return { entries: {}, foreign: true };
    }
    const key = this.key(Buffer.from(sealed.salt, 'base64'), sealed.kdf);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return { entries: JSON.parse(plain.toString('utf8')), foreign: false };
    } catch {
      // No path in the message: it can reach an API client through an account's last error.
      throw new Error('cannot decrypt the secrets file: wrong PECDESK_SECRET_KEY or key file');
    }
  }

  /** Kept, not deleted (it is someone's data), under a name that is never read again. */
  private async setAside(): Promise<void> {
    const aside = `${this.file}.other-key-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.file, aside);
    this.options.warn?.(
      `Warning: the secrets file of this archive was sealed with another key (a copy from another machine or user, or an older PecDesk); it is kept as ${aside} and the passwords must be entered again.`,
    );
  }

  private async writeAll(all: Record<string, string>): Promise<void> {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const kdf = this.keySource.kind === 'passphrase' ? 'scrypt' : 'key-file';
    const key = this.key(salt, kdf);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(all), 'utf8'), cipher.final()]);
    const sealed: SealedFile = {
      version: 2,
      kdf,
      ...(kdf === 'key-file' ? { keyId: keyIdOf(key) } : {}),
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(sealed), { mode: 0o600 });
    await rename(tmp, this.file);
  }

  private key(salt: Buffer, kdf: SealedFile['kdf']): Buffer {
    if (this.keySource.kind === 'passphrase') {
      if (kdf !== 'scrypt')
        throw new Error('the secrets file was sealed with a key file, not PECDESK_SECRET_KEY');
      return scryptSync(this.keySource.passphrase, salt, 32, {
        N: 2 ** 15,
        r: 8,
        p: 1,
        maxmem: 64 * 1024 * 1024,
      });
    }
    return readKeyFile(this.keySource.path);
  }
}

/** Names a key without revealing it (the key is 256 random bits). */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('pecdesk-secrets-key-id').update(key).digest('hex').slice(0, 16);
}

/** A 32-byte key, base64 in the file; refused when others can read it. */
export function readKeyFile(path: string): Buffer {
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o077;
    if (mode !== 0)
      throw new Error(
        'the secrets key file in the PecDesk config folder is readable by other users: chmod 600 it',
      );
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error('the secrets key file does not hold a 32-byte base64 key');
  return key;
}
