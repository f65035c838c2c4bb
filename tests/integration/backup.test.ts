/**
 * pecdesk backup / restore / backup verify, as a person runs them (node bin/pecdesk.mjs), on an
 * archive that another process keeps writing during the backup, as the office server does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../../main/core.ts';
import { openSecretStore } from '../../main/secrets/open-store.ts';
import { tempDir } from '../support/archive.ts';
import { runPecdesk } from '../support/cli.ts';
import { getJson, startServer } from './office-world.ts';

const CHILD = new URL('./backup-writer.child.ts', import.meta.url).pathname;
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Written {
  messages: number;
  at: number;
}

/** Starts the writer; resolves once it has committed `atLeast` messages. */
function startWriter(archive: string, atLeast: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, archive], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Written[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(JSON.parse(line) as Written);
      if (lines.at(-1)!.messages >= atLeast) resolve();
    });
    void exited.then((code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  return { child, lines, ready, exited, stderr: () => stderr };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function archiveEnv(root: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: join(root, 'config'),
    PECDESK_SECRETS: 'file',
    PECDESK_SECRET_KEY: 'chiave-di-prova-del-backup',
  };
}

function objectFiles(archive: string): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(join(archive, 'objects')))
    for (const name of readdirSync(join(archive, 'objects', dir)))
      if (name.endsWith('.eml')) out.push(`${dir}${name.slice(0, -4)}`);
  return out.sort();
}

describe('pecdesk backup and restore', () => {
  it('backs up an archive another process keeps writing; the restore has the snapshot’s counts and hashes and opens with the core', async () => {
    const root = tempDir('pecdesk-backup-');
    const archive = join(root, 'archive');
    const env = archiveEnv(root);
    // The server's files beside the database, and a mailbox password in the encrypted file.
    mkdirSync(join(archive, 'server-tls'), { recursive: true });
    writeFileSync(join(archive, 'server-tls', 'cert.pem'), 'CERT\n');
    writeFileSync(join(archive, 'server-tls', 'key.pem'), 'KEY\n', { mode: 0o600 });
    const secrets = await openSecretStore(archive, { env });
    await secrets.set('imap:studio@pec.alfa.test', 'password-della-casella');

    const writer = startWriter(archive, 40);
    children.push(writer.child);
    await writer.ready;

    const out = join(root, 'copia.tar.gz');
    const started = Date.now();
    const backup = await runPecdesk(['backup', '--archive', archive, '--out', out, '--json'], env);
    const ended = Date.now();
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const made = JSON.parse(backup.stdout);
    // The other process committed while the backup ran: it was taken from a live archive.
    await new Promise((r) => setTimeout(r, 300));
    expect(writer.lines.some((l) => l.at > started && l.at < ended)).toBe(true);
    writer.child.kill('SIGTERM');
    expect(await writer.exited).toBe(0);

    expect(made).toMatchObject({
      ok: true,
      out,
      problems: [],
      secrets: { included: true, sealedWith: 'PECDESK_SECRET_KEY' },
    });
    expect(made.files).toEqual(['secrets.enc.json', 'server-tls/cert.pem', 'server-tls/key.pem']);
    expect(made.messages).toBeGreaterThanOrEqual(40);
    // Every message row's object is in the backup, once.
    expect(made.objects).toBe(made.messages);
    const source = new Database(join(archive, 'archive.db'), { readonly: true });
    const sourceMessages = source.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    source.close();
    // What was written after the snapshot is not in it (and not half in it).
    expect(sourceMessages).toBeGreaterThan(made.messages);

    const verified = await runPecdesk(['backup', 'verify', out, '--json'], env);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      ok: true,
      objects: made.objects,
      database: made.database,
    });

    const restored = join(root, 'restored');
    const restore = await runPecdesk(['restore', '--from', out, '--archive', restored, '--json'], env);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const summary = JSON.parse(restore.stdout);
    expect(summary).toMatchObject({
      ok: true,
      archive: restored,
      messages: made.messages,
      objects: made.objects,
      bytes: made.bytes,
      database: { sha256: made.database, integrity: 'ok', counts: made.counts },
    });

    // Checked here independently of PecDesk's own checks: the database is the snapshot, byte for byte.
    expect(sha(readFileSync(join(restored, 'archive.db')))).toBe(made.database);
    expect(readdirSync(restored).sort()).toEqual(['archive.db', 'objects', 'secrets.enc.json', 'server-tls']);
    const db = new Database(join(restored, 'archive.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const counts = Object.fromEntries(
      Object.keys(made.counts).map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get()]),
    );
    expect(counts).toEqual(made.counts);
    const named = db
      .prepare('SELECT object_hash FROM messages ORDER BY object_hash')
      .pluck()
      .all() as string[];
    db.close();
    // Every object verifies, and there are exactly those the restored rows name.
    const files = objectFiles(restored);
    expect(files).toEqual(named);
    for (const hash of files)
      expect(sha(readFileSync(join(restored, 'objects', hash.slice(0, 2), `${hash.slice(2)}.eml`)))).toBe(
        hash,
      );
    expect(readFileSync(join(restored, 'server-tls', 'cert.pem'), 'utf8')).toBe('CERT\n');

    // The mailbox password comes back with the same key, and only with it.
    const again = await openSecretStore(restored, { env });
    expect(await again.get('imap:studio@pec.alfa.test')).toBe('password-della-casella');
    const wrongKey = await openSecretStore(restored, { env: { ...env, PECDESK_SECRET_KEY: 'altra' } });
    await expect(wrongKey.get('imap:studio@pec.alfa.test')).rejects.toThrow();

    // The restored archive opens with the core and lists its messages.
    const core = await openCore({ archiveDir: restored, env, watch: false });
    try {
      const listed = await core.registry.call(
        'messages.list',
        { view: { kind: 'smart', view: 'all' }, offset: 0, limit: 5 },
        { transport: 'cli' },
      );
      expect(listed).toMatchObject({ ok: true, value: { total: made.messages } });
    } finally {
      await core.close();
    }
  });

  it('backs up while pecdesk server runs on the archive; the restored archive starts a server with the same fingerprint', async () => {
    const root = tempDir('pecdesk-backup-server-');
    const archive = join(root, 'archive');
    const env = archiveEnv(root);
    // The server first: opening an archive sweeps objects/ of temporary files, another process's
    // object being written included (main/archive/object-store.ts sweepTemporary).
    const server = await startServer({ archive, env });
    children.push(server.process);
    const writer = startWriter(archive, 16);
    children.push(writer.child);
    await writer.ready;
    const out = join(root, 'ufficio.tar.gz');
    const backup = await runPecdesk(['backup', '--archive', archive, '--out', out, '--json'], env);
    expect(backup.code, backup.stderr).toBe(0);
    const made = JSON.parse(backup.stdout);
    expect(made.files).toEqual(['server-tls/cert.pem', 'server-tls/key.pem']);
    expect((await getJson(server.url, '/health')).status).toBe(200);
    writer.child.kill('SIGTERM');
    expect(await writer.exited, writer.stderr()).toBe(0);
    expect((await server.stop()).code).toBe(0);

    const restored = join(root, 'restored');
    const restore = await runPecdesk(['restore', '--from', out, '--archive', restored, '--json'], env);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({
      messages: made.messages,
      database: { integrity: 'ok' },
    });
    const again = await startServer({ archive: restored, env });
    children.push(again.process);
    expect(again.fingerprint).toBe(server.fingerprint);
    expect(await getJson(again.url, '/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', archive: 'ok' },
    });
    expect((await again.stop()).code).toBe(0);
  });

  it('refuses a folder in use, an existing --out; names the damaged file and leaves the folder empty', async () => {
    const root = tempDir('pecdesk-backup-bad-');
    const archive = join(root, 'archive');
    const env = archiveEnv(root);
    const writer = startWriter(archive, 8);
    children.push(writer.child);
    await writer.ready;
    writer.child.kill('SIGTERM');
    expect(await writer.exited).toBe(0);

    const out = join(root, 'copia.tar');
    expect((await runPecdesk(['backup', '--archive', archive, '--out', out], env)).code).toBe(0);
    const twice = await runPecdesk(['backup', '--archive', archive, '--out', out], env);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('exists already');

    const nowhere = await runPecdesk(
      ['backup', '--archive', archive, '--out', join(root, 'no', 'x.tar')],
      env,
    );
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no such folder');
    // A restore killed part-way leaves only its staging folder: said as such.
    mkdirSync(join(root, 'killed', '.pecdesk-restore-partial'), { recursive: true });
    const killed = await runPecdesk(['restore', '--from', out, '--archive', join(root, 'killed')], env);
    expect(killed.code).toBe(2);
    expect(killed.stderr).toContain('holds an interrupted restore');

    const inUse = await runPecdesk(['restore', '--from', out, '--archive', archive], env);
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toContain('is not empty');

    // One byte of one object changed inside the (uncompressed) tar.
    const bytes = readFileSync(out);
    const hash = objectFiles(archive)[0]!;
    const name = `objects/${hash.slice(0, 2)}/${hash.slice(2)}.eml`;
    const at = bytes.indexOf(Buffer.from(name));
    expect(at).toBeGreaterThan(0);
    bytes[at + 512 + 40] = bytes[at + 512 + 40]! ^ 0x20;
    const damaged = join(root, 'danneggiata.tar');
    writeFileSync(damaged, bytes);

    const verdict = await runPecdesk(['backup', 'verify', damaged, '--json'], env);
    expect(verdict.code).toBe(1);
    expect(JSON.parse(verdict.stdout)).toMatchObject({ ok: false, file: name });

    const target = join(root, 'target');
    const restore = await runPecdesk(['restore', '--from', damaged, '--archive', target], env);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain(name);
    expect(restore.stderr).toContain('left empty');
    expect(readdirSync(target)).toEqual([]);

    // An object the archive itself lost: the backup is written, says so and exits 1; its restore
    // holds everything else and warns.
    rmSync(join(archive, 'objects', hash.slice(0, 2), `${hash.slice(2)}.eml`));
    const partial = join(root, 'parziale.tar');
    const lacking = await runPecdesk(['backup', '--archive', archive, '--out', partial, '--json'], env);
    expect(lacking.code).toBe(1);
    expect(lacking.stderr).toContain(`1 objects named by the database are missing`);
    expect(JSON.parse(lacking.stdout)).toMatchObject({ ok: false, objects: objectFiles(archive).length });
    const back = await runPecdesk(
      ['restore', '--from', partial, '--archive', join(root, 'target2'), '--json'],
      env,
    );
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ ok: true, missingInSource: 1 });
    expect(back.stderr).toContain('already lacked 1 objects');
  });
});
