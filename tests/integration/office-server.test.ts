/**
 * `pecdesk server` as an office runs it (issue 16): a real server process on 127.0.0.1 with its
 * self-signed certificate, over an archive with two PEC mailboxes on the provider simulator, and
 * the CLI as its client. A reader of mailbox A sees only A and can neither send nor assign; an
 * operator of A and B can; each call is in the activity log under the person who made it. The
 * certificate is kept across restarts and a changed one is refused; wrong passwords lock out.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRemote, RemoteError } from '../../main/client/remote.ts';
import { tempDir } from '../support/archive.ts';
import { runPecdesk } from '../support/cli.ts';
import { dovecotAvailable, startTestSim, type TestSim } from '../support/sim.ts';
import {
  A,
  B,
  getJson,
  makeOffice,
  type Office,
  PASSWORD,
  type RunningServer,
  remoteCli,
  startServer,
  TO,
} from './office-world.ts';

describe.runIf(dovecotAvailable)('pecdesk server and the CLI as its client', () => {
  let sim: TestSim;
  let office: Office;
  let server: RunningServer;
  let cli: ReturnType<typeof remoteCli>;

  beforeAll(async () => {
    sim = await startTestSim();
    office = await makeOffice(sim);
    server = await startServer(office, { args: ['--log-json'] });
    cli = remoteCli(server, office.env);
  }, 180_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await sim?.stop();
  });

  it('makes its certificate once (key owner-only), prints its fingerprint, answers /health without a login', async () => {
    const tls = join(office.archive, 'server-tls');
    expect(statSync(join(tls, 'key.pem')).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(readFileSync(join(tls, 'cert.pem')));
    expect(server.fingerprint).toBe(cert.fingerprint256);
    const health = await getJson(server.url, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', archive: 'ok', accounts: 2 });
    expect(typeof (health.body as { version: unknown }).version).toBe('string');
    expect((health.body as { uptimeSeconds: number }).uptimeSeconds).toBeGreaterThanOrEqual(0);
    // The API itself wants a login: no token in office mode, the registry's rules decide.
    const anon = await connectRemote({ url: server.url, fingerprint: server.fingerprint.toLowerCase() });
    const r = await anon.call('messages.list', { view: { kind: 'smart', view: 'all' }, offset: 0, limit: 5 });
    expect(r.ok ? 'ok' : r.error.code).toBe('unauthenticated');
    await anon.close();
  });

  it('a reader of A sees only A: messages, search, thread of B refused; cannot send or assign', async () => {
    const [a1] = office.threadsA;
    const messages = await cli('lettore', ['messages', '--json']);
    expect(messages.code, messages.stderr).toBe(0);
    const rows = JSON.parse(messages.stdout) as { account: string; threadId: number }[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r) => r.account))).toEqual(new Set([A]));
    expect(rows.map((r) => r.threadId)).not.toContain(office.threadB);

    const search = await cli('lettore', ['search', 'Riservato', '--json']);
    expect(search.code, search.stderr).toBe(0);
    expect(JSON.parse(search.stdout).total).toBe(0);
    const mine = await cli('lettore', ['search', 'Pratica', '--json']);
    expect(JSON.parse(mine.stdout).total).toBe(2);

    const thread = await cli('lettore', ['thread', String(office.threadB)]);
    expect([thread.code, thread.stderr]).toEqual([1, expect.stringMatching(/no thread/)]);
    const own = await cli('lettore', ['thread', String(a1), '--json']);
    expect(own.code, own.stderr).toBe(0);
    expect(JSON.parse(own.stdout).subject).toBe('Pratica Alfa 1');

    const send = await cli('lettore', ['send', '--from', A, '--to', TO, '--subject', 'No', '--body', 'x']);
    expect([send.code, send.stderr]).toEqual([1, expect.stringMatching(/needs the send right/)]);
    const assign = await cli('lettore', ['work', 'assign', `t:${a1}`, '--to', 'operatore']);
    expect([assign.code, assign.stderr]).toEqual([1, expect.stringMatching(/needs the route right/)]);
  }, 180_000);

  it('an operator of A and B sees both, assigns and sends (the server sends)', async () => {
    const messages = await cli('operatore', ['messages', '--json']);
    expect(messages.code, messages.stderr).toBe(0);
    expect(new Set((JSON.parse(messages.stdout) as { account: string }[]).map((r) => r.account))).toEqual(
      new Set([A, B]),
    );
    const thread = await cli('operatore', ['thread', String(office.threadB), '--json']);
    expect(thread.code, thread.stderr).toBe(0);
    expect(JSON.parse(thread.stdout).subject).toBe('Riservato Beta');
    const assign = await cli('operatore', ['work', 'assign', `t:${office.threadB}`, '--to', 'operatore']);
    expect(assign.code, assign.stderr).toBe(0);
    const send = await cli('operatore', [
      'send',
      '--from',
      B,
      '--to',
      TO,
      '--subject',
      'Dal server',
      '--body',
      'Inviata dal server.',
      '--json',
    ]);
    expect(send.code, send.stderr).toBe(0);
    expect(JSON.parse(send.stdout).state).toBe('sent');
    const outbox = await cli('operatore', ['outbox', '--json']);
    expect((JSON.parse(outbox.stdout) as { subject: string }[]).map((r) => r.subject)).toContain(
      'Dal server',
    );
  }, 180_000);

  it('every call is in the activity log under the person who made it', async () => {
    const audit = await cli('titolare', ['audit', '--json']);
    expect(audit.code, audit.stderr).toBe(0);
    const { entries } = JSON.parse(audit.stdout) as {
      entries: { actorName: string; action: string; targetId: string | null; origin: string }[];
    };
    const by = (name: string, action: string) =>
      entries.filter((e) => e.actorName === name && e.action === action);
    // Signing in and out of each command, from this machine over https.
    expect(by('lettore', 'auth.login').length).toBeGreaterThanOrEqual(7);
    expect(by('lettore', 'auth.login').every((e) => /https 127\.0\.0\.1/.test(e.origin))).toBe(true);
    // Each command signs out when done (no session left open behind it).
    expect(by('lettore', 'auth.logout').length).toBeGreaterThanOrEqual(by('lettore', 'auth.login').length);
    expect(by('lettore', 'thread.open').map((e) => e.targetId)).toEqual([String(office.threadsA[0])]);
    expect(by('operatore', 'thread.open').map((e) => e.targetId)).toEqual([String(office.threadB)]);
    expect(by('operatore', 'work.assign')).toHaveLength(1);
    expect(by('operatore', 'message.send')).toHaveLength(1);
    // What the reader was refused changed nothing under anyone's name.
    expect(entries.filter((e) => e.action === 'message.send')).toHaveLength(4);
    expect(by('lettore', 'work.assign')).toHaveLength(0);
  }, 60_000);

  it('a wrong password says so; five in a row lock the person out, the right one included', async () => {
    const wrong = await cli('lettore', ['messages'], { PECDESK_USER_PASSWORD: 'non-questa-password' });
    expect([wrong.code, wrong.stderr]).toEqual([
      1,
      expect.stringMatching(/login failed for lettore .*wrong user name or password/),
    ]);
    const client = await connectRemote({ url: server.url, fingerprint: server.fingerprint });
    for (let i = 0; i < 4; i++) {
      const r = await client.login('lettore', `sbagliata-${i}-xxxxxxxx`);
      expect(r.ok).toBe(false);
    }
    await client.close();
    const locked = await cli('lettore', ['messages']);
    expect([locked.code, locked.stderr]).toEqual([1, expect.stringMatching(/too many failed attempts/)]);
    // Others are not affected.
    expect((await cli('operatore', ['tag', 'list'])).code).toBe(0);
  }, 120_000);

  it('the server logs one JSON line per event, and stops cleanly on SIGTERM', async () => {
    const events = await connectRemote({ url: server.url, fingerprint: server.fingerprint });
    expect((await events.login('operatore', PASSWORD)).ok).toBe(true);
    const connected = new Promise<void>((resolve) =>
      events.on('status', (s) => {
        if (s === 'connected') resolve();
      }),
    );
    events.on('event', () => {});
    await connected;
    await events.close();
    await expect.poll(() => server.output(), { timeout: 10_000 }).toMatch(/client\.disconnect/);
    const stopped = await server.stop('SIGTERM');
    expect(stopped).toEqual({ code: 0, signal: null });
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    const parsed = lines.map((l) => JSON.parse(l) as { time: string; level: string; event: string });
    for (const p of parsed) {
      expect(Number.isNaN(Date.parse(p.time))).toBe(false);
      expect(['info', 'warn', 'error']).toContain(p.level);
    }
    const names = parsed.map((p) => p.event);
    for (const e of [
      'start',
      'tls',
      'listen',
      'login.ok',
      'login.failed',
      'client.connect',
      'client.disconnect',
    ])
      expect(names).toContain(e);
    expect(names.slice(-2)).toEqual(['shutdown', 'stopped']);
    // Never a password or a session in the log.
    expect(server.output()).not.toContain(PASSWORD);
  }, 60_000);

  it('keeps its certificate across restarts; a new certificate is refused by pinned clients', async () => {
    const again = await startServer(office);
    try {
      expect(again.fingerprint).toBe(server.fingerprint);
    } finally {
      expect((await again.stop()).code).toBe(0);
    }
    rmSync(join(office.archive, 'server-tls'), { recursive: true });
    const replaced = await startServer(office, { port: again.port });
    server = replaced;
    expect(replaced.fingerprint).not.toBe(again.fingerprint);
    const pinned = remoteCli({ url: replaced.url, fingerprint: again.fingerprint }, office.env);
    const refused = await pinned('operatore', ['messages']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `presents the certificate ${replaced.fingerprint}, not the pinned ${again.fingerprint}`,
    );
    await expect(connectRemote({ url: replaced.url, fingerprint: again.fingerprint })).rejects.toMatchObject({
      code: 'fingerprint-mismatch',
    });
    await expect(connectRemote({ url: replaced.url, fingerprint: again.fingerprint })).rejects.toBeInstanceOf(
      RemoteError,
    );
    // Without a pin the CLI trusts nothing, and shows what to compare.
    const unpinned = await runPecdesk(['--server', replaced.url, '--user', 'operatore', 'messages'], {
      ...office.env,
      PECDESK_USER_PASSWORD: PASSWORD,
    });
    expect(unpinned.code).toBe(1);
    expect(unpinned.stderr).toContain(`--fingerprint ${replaced.fingerprint}`);
  }, 120_000);

  it('refuses to listen beyond 127.0.0.1 without personal logins', async () => {
    const dir = tempDir('pecdesk-office-solo-');
    const r = await runPecdesk(['server', '--archive', join(dir, 'archive'), '--listen', '192.0.2.1:4443'], {
      ...office.env,
    });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/personal logins must be on/);
  }, 60_000);
});
