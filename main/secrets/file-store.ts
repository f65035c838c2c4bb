/**
 * Where no OS keychain exists (a headless server, CI): an AES-256-GCM encrypted file beside the
 * archive. The key is PECDESK_SECRET_KEY (stretched with scrypt, salt in the file) or a random key
 * in a key file that only the owner may read.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SecretStore } from './secret-store.ts';

interface SealedFile {
  version: 1;
  kdf: 'scrypt' | 'key-file';
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export type KeySource = { kind: 'passphrase'; passphrase: string } | { kind: 'key-file'; path: string };

export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly keySource: KeySource,
  ) {}

  async get(key: string): Promise<string | null> {
    return (await this.readAll())[key] ?? null;
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
      const all = await this.readAll();
      change(all);
      await this.writeAll(all);
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async readAll(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const sealed = JSON.parse(text) as SealedFile;
    const key = this.key(Buffer.from(sealed.salt, 'base64'), sealed.kdf);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw new Error(`cannot decrypt ${this.file}: wrong PECDESK_SECRET_KEY or key file`);
    }
  }

  private async writeAll(all: Record<string, string>): Promise<void> {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const kdf = this.keySource.kind === 'passphrase' ? 'scrypt' : 'key-file';
    const cipher = createCipheriv('aes-256-gcm', this.key(salt, kdf), iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(all), 'utf8'), cipher.final()]);
    const sealed: SealedFile = {
      version: 1,
      kdf,
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
    if (kdf !== 'key-file') throw new Error('the secrets file was sealed with PECDESK_SECRET_KEY: set it');
    return readKeyFile(this.keySource.path);
  }
}

/** A 32-byte key, base64 in the file; refused when others can read it. */
export function readKeyFile(path: string): Buffer {
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o077;
    if (mode !== 0) throw new Error(`${path} is readable by other users: chmod 600 it`);
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
  return key;
}
