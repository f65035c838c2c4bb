/**
 * The CLI contract of the archive: account add|list|remove, sync, messages --json, thread --json,
 * run as a person runs them, against Dovecot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOriginal, pecOf, scenario } from '../factory/pec-factory.ts';
import { accountAddArgs, cliArchive } from '../support/cli.ts';
import { DovecotServer, dovecotAvailable } from '../support/dovecot.ts';

describe.runIf(dovecotAvailable)('pecdesk account / sync / messages / thread', () => {
  let server: DovecotServer;
  const { pecdesk } = cliArchive('pecdesk-cli-');
  const s = scenario();

  beforeAll(async () => {
    server = await DovecotServer.start();
    const user = server.addUser(s.sender);
    await server.append(user, 'INBOX', [
      pecOf(s, 'accettazione'),
      ...s.recipients.map((r) => pecOf(s, 'avvenuta-consegna', { deliveryAddress: r.address })),
    ]);
    await server.append(user, 'Sent', [
      buildOriginal({
        from: s.sender,
        to: s.recipients.map((r) => r.address),
        subject: s.subject,
        text: 'x',
        messageId: s.msgid,
      }),
    ]);
  });
  afterAll(() => server?.destroy());

  it('adds an account with the password from PECDESK_PASSWORD, which never shows', async () => {
    const user = server.users[0]!;
    const add = await pecdesk(accountAddArgs(server, user.user, 'starttls'), {
      PECDESK_PASSWORD: user.password,
    });
    expect(add.code, add.stderr).toBe(0);
    const again = await pecdesk(['account', 'add', '--email', user.user, '--imap-host', '127.0.0.1'], {
      PECDESK_PASSWORD: 'x',
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already in this archive/);
    const list = await pecdesk(['account', 'list', '--json']);
    const accounts = JSON.parse(list.stdout);
    expect(accounts).toMatchObject([
      { email: user.user, imapHost: '127.0.0.1', security: 'starttls', syncState: 'idle' },
    ]);
    expect(list.stdout + add.stdout + add.stderr).not.toContain(user.password);
  });

  it('refuses bad input with a clear message', async () => {
    expect(
      (await pecdesk(['account', 'add', '--email', 'not-an-address'], { PECDESK_PASSWORD: 'x' })).stderr,
    ).toMatch(/not an e-mail address/);
    expect(
      (
        await pecdesk(['account', 'add', '--email', 'a@b.it', '--preset', 'nessuno'], {
          PECDESK_PASSWORD: 'x',
        })
      ).stderr,
    ).toMatch(/no provider preset/);
    expect((await pecdesk(['account', 'add', '--email', 'a@b.it'], { PECDESK_PASSWORD: '' })).code).toBe(2);
  });

  it('sync archives everything and exits 0; messages --json and thread --json tell the PEC story', async () => {
    const sync = await pecdesk(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toMatch(/1 of 1 accounts in sync/);
    const messages = JSON.parse((await pecdesk(['messages', '--json'])).stdout);
    expect(messages).toHaveLength(4);
    for (const m of messages)
      expect(Object.keys(m)).toEqual(
        expect.arrayContaining(['id', 'mailbox', 'kind', 'subject', 'date', 'threadId']),
      );
    expect(messages.map((m: { kind: string }) => m.kind).sort()).toEqual([
      'accettazione',
      'avvenuta-consegna',
      'avvenuta-consegna',
      'ordinary',
    ]);
    expect(new Set(messages.map((m: { threadId: number }) => m.threadId)).size).toBe(1);
    const thread = JSON.parse((await pecdesk(['thread', String(messages[0].threadId), '--json'])).stdout);
    expect(thread).toMatchObject({
      msgid: s.msgid,
      identificativo: s.identificativo,
      state: 'delivered',
      direction: 'sent',
    });
    expect(thread.recipients.map((r: { address: string; state: string }) => [r.address, r.state])).toEqual(
      s.recipients.map((r) => [r.address, 'delivered']),
    );
    expect(thread.members).toHaveLength(4);
    expect(
      thread.members.every(
        (m: { signatureVerdict: string; kind: string }) =>
          m.kind === 'ordinary' || m.signatureVerdict === 'valid',
      ),
    ).toBe(true);
    const byMsgid = JSON.parse((await pecdesk(['thread', s.msgid, '--json'])).stdout);
    expect(byMsgid.id).toBe(thread.id);
    const found = JSON.parse((await pecdesk(['search', 'perche fornitura', '--json'])).stdout);
    expect(found.total).toBe(1);
    expect(found.hits[0]).toMatchObject({ threadId: thread.id, threadState: 'delivered' });
    expect((await pecdesk(['search', '"unbalanced NEAR('])).code).toBe(0);
  });

  it('a second sync with nothing new is quick and changes nothing; remove keeps the archive', async () => {
    expect((await pecdesk(['sync', '--quiet'])).code).toBe(0);
    expect(JSON.parse((await pecdesk(['messages', '--json'])).stdout)).toHaveLength(4);
    const removed = await pecdesk(['account', 'remove', '--email', server.users[0]!.user]);
    expect(removed.code).toBe(0);
    expect(JSON.parse((await pecdesk(['account', 'list', '--json'])).stdout)).toEqual([]);
    expect(JSON.parse((await pecdesk(['messages', '--json'])).stdout)).toHaveLength(4);
    const nothing = await pecdesk(['sync']);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/No accounts/);
  });

  it('a wrong password: sync exits 1 and says auth-failed', async () => {
    const user = server.addUser('altro@pec.alfa.test');
    await pecdesk(accountAddArgs(server, user.user), {
      PECDESK_PASSWORD: 'sbagliata',
    });
    const sync = await pecdesk(['sync']);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/auth-failed/);
  });
});
