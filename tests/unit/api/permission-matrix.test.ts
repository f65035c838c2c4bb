/**
 * The permission matrix (issue "people"), exhaustively through the registry with the real guard
 * over a real archive: every API method × every role (and nobody signed in) × a mailbox the person
 * has rights on (A) and one they have none on (B). Handlers are replaced by recorders here: what is
 * checked is that the registry lets a call reach its handler exactly when the method's declared
 * rule allows it, and refuses it otherwise with the right code. What the real handlers then show
 * (lists, counts, search, suggestions, threads, events) is in scoping.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../../../main/api/access.ts';
import { type ApiArgs, methodRules } from '../../../main/api/contract.ts';
import { archiveGuard } from '../../../main/api/guard.ts';
import { API_METHODS, type ApiMethod } from '../../../main/api/methods.ts';
import { createRegistry, type Handlers } from '../../../main/api/registry.ts';
import { ROLE_CAP, type Role } from '../../../main/auth/rights.ts';
import {
  type PeopleWorld,
  peopleWorld,
  ROLES_UNDER_TEST,
  type RoleUnderTest,
  type Side,
} from '../../support/people-world.ts';

const PDF = Buffer.from('%PDF-1.4\n').toString('base64');
const compose = (s: Side) => ({ from: s.email, to: ['x@pec.gamma.test'], subject: 'Prova', text: 'Testo' });
const campaign = (s: Side) => ({
  from: s.email,
  list: { filename: 'elenco.csv', contentBase64: Buffer.from('pec\nx@pec.gamma.test\n').toString('base64') },
  subject: 'Avviso',
  body: 'Gentile cliente',
});
const account = (s: Side) => ({ email: s.email, imapHost: '127.0.0.1', imapPort: 9, password: 'x' });
const SDI_RULE = {
  name: 'SdI',
  match: 'all' as const,
  conditions: [{ field: 'senderDomain' as const, op: 'is' as const, value: 'pec.fatturapa.it' }],
  actions: [{ type: 'tag' as const, tags: ['SdI'] }],
};

/**
 * Valid arguments of every method, aimed at one side's mailbox where the method has a target.
 * Typed over every method: a new method does not compile until it has its line here.
 */
const SAMPLES: { [M in ApiMethod]: (s: Side) => ApiArgs<M> } = {
  'app.info': () => ({}),
  'pec.inspect': () => ({ fileName: 'a.eml', contentBase64: PDF }),
  'views.list': () => ({}),
  'messages.list': (s) => ({ view: { kind: 'mailbox', mailboxId: s.inbox }, offset: 0, limit: 10 }),
  'messages.get': (s) => ({ id: s.message }),
  'threads.get': (s) => ({ id: s.thread }),
  'accounts.list': () => ({}),
  'accounts.add': (s) => account(s),
  'accounts.remove': (s) => ({ email: s.email }),
  'accounts.setPassword': (s) => ({ email: s.email, password: 'x' }),
  'accounts.test': (s) => account(s),
  'accounts.presets': () => ({}),
  'sync.now': () => ({}),
  'demo.open': () => ({}),
  'demo.close': () => ({}),
  'search.query': () => ({ text: 'betaonly', sort: 'date', offset: 0, limit: 10 }),
  'search.suggest': () => ({ text: 'beta', limit: 8 }),
  'search.stats': () => ({}),
  'searches.list': () => ({}),
  'searches.save': () => ({ name: 'Mie', query: 'fattura', sort: 'date' }),
  'searches.remove': () => ({ id: 1 }),
  'messages.setSeen': (s) => ({ id: s.message, seen: true }),
  'messages.raw': (s) => ({ id: s.message }),
  'accounts.update': (s) => ({ email: s.email, writeSeen: false }),
  'attachments.get': (s) => ({ messageId: s.message, index: 0 }),
  'auth.status': () => ({}),
  'auth.setup': () => ({ name: 'nuovo' }),
  'auth.login': () => ({ name: 'rita', password: 'x' }),
  'auth.totp': () => ({ token: 't', code: '123456' }),
  'auth.logout': () => ({}),
  'auth.enableLogins': () => ({ password: 'x' }),
  'auth.totpStart': () => ({}),
  'auth.totpConfirm': () => ({ secret: 'ABC', code: '123456' }),
  'users.list': () => ({}),
  'users.add': () => ({ name: 'nuova', role: 'reader' }),
  'users.remove': () => ({ name: 'rita' }),
  'users.setPassword': () => ({ name: 'rita', password: 'x' }),
  'users.revokeSessions': () => ({ name: 'rita' }),
  'users.acceptInvitation': () => ({ code: 'c', password: 'x' }),
  'offices.list': () => ({}),
  'offices.create': () => ({ name: 'Contabilità' }),
  'offices.addMember': () => ({ office: 'Segreteria', user: 'otto' }),
  'grants.list': () => ({}),
  'grants.put': (s) => ({ user: 'otto', mailbox: s.email, rights: 'read' }),
  'grants.remove': (s) => ({ user: 'otto', mailbox: s.email }),
  'audit.list': () => ({ offset: 0, limit: 10 }),
  'audit.messageViews': (s) => ({ id: s.message }),
  'audit.verify': () => ({}),
  'audit.export': () => ({ format: 'csv' }),
  'outbox.check': (s) => ({ ...compose(s), cc: [], receiptType: 'completa', attachments: [] }),
  'outbox.send': (s) => ({ ...compose(s), cc: [], receiptType: 'completa', attachments: [] }),
  'outbox.list': () => ({ offset: 0, limit: 10 }),
  'outbox.retry': (s) => ({ id: s.outbox }),
  'outbox.cancel': (s) => ({ id: s.outbox }),
  'compose.reply': (s) => ({ id: s.message, all: false }),
  'compose.forward': (s) => ({ id: s.message, envelope: false }),
  'campaigns.preview': (s) => ({ ...campaign(s), receiptType: 'completa', fileNames: [], count: 3 }),
  'campaigns.create': (s) => ({ ...campaign(s), receiptType: 'completa', files: [] }),
  'campaigns.list': () => ({}),
  'campaigns.get': (s) => ({ id: s.campaign }),
  'campaigns.pause': (s) => ({ id: s.campaign }),
  'campaigns.resume': (s) => ({ id: s.campaign }),
  'campaigns.resendFailed': (s) => ({ id: s.campaign }),
  'campaigns.export': (s) => ({ id: s.campaign }),
  'templates.list': () => ({}),
  'templates.save': () => ({ name: 'Sollecito', subject: 'S', body: 'B', receiptType: 'completa' }),
  'templates.remove': () => ({ id: 1 }),
  'accounts.setSmtp': (s) => ({
    email: s.email,
    smtpHost: '127.0.0.1',
    smtpPort: 465,
    smtpSecurity: 'tls',
    password: 'x',
  }),
  'accounts.setSendLimits': (s) => ({
    email: s.email,
    sendPerMinute: null,
    maxRecipients: null,
    maxTotalBytes: null,
  }),
  'tags.list': () => ({}),
  'tags.create': () => ({ name: 'Urgente' }),
  'tags.update': () => ({ id: 1, color: '#112233' }),
  'tags.remove': () => ({ id: 1 }),
  'work.get': (s) => ({ id: s.message }),
  'work.assign': (s) => ({ id: s.message, user: 'otto' }),
  'work.claim': (s) => ({ threadId: s.thread }),
  'work.wait': (s) => ({ id: s.threadMessage, comment: 'Attendo il cliente' }),
  'work.done': (s) => ({ id: s.message }),
  'work.reopen': (s) => ({ id: s.message }),
  'work.comment': (s) => ({ id: s.message, text: 'Chiamato il cliente' }),
  'work.tag': (s) => ({ id: s.message, tag: 'Urgente', add: true }),
  'work.setDeadline': (s) => ({ id: s.message, due: '2026-12-31' }),
  'work.proposeDeadline': (s) => ({ id: s.threadMessage }),
  'work.setPriority': (s) => ({ threadId: s.thread, priority: 'high' }),
  'work.list': () => ({ limit: 10 }),
  'work.agenda': () => ({ from: '2026-12-01', to: '2026-12-31' }),
  'work.people': () => ({}),
  'work.settings': () => ({}),
  'work.setSettings': () => ({
    tagCreators: 'admins',
    escalateAfterHours: 4,
    remindDays: [3, 0],
    proposeDeadlines: true,
  }),
  'work.terms': () => ({}),
  'work.setTerms': () => ({ terms: [] }),
  'offices.setHead': () => ({ office: 'Segreteria', user: 'rita' }),
  'rules.list': () => ({}),
  'rules.test': () => ({ rule: SDI_RULE, limit: 10 }),
  'rules.save': () => ({ rule: SDI_RULE }),
  'rules.remove': () => ({ id: 1 }),
  'rules.apply': () => ({ id: 1, dryRun: true }),
  'reports.get': () => ({ since: '2026-01-01' }),
  'reports.csv': () => ({ since: '2026-01-01' }),
  'approvals.list': () => ({}),
  'approvals.decide': () => ({ id: 1, approve: true }),
  'accounts.setApproval': (s) => ({ email: s.email, required: true }),
  'office.probe': () => ({ url: 'https://127.0.0.1:4443' }),
  'office.connect': () => ({ url: 'https://127.0.0.1:4443', fingerprint: 'AB'.repeat(32) }),
  'office.disconnect': () => ({}),
  'office.status': () => ({}),
  'quota.history': (s) => ({ email: s.email, days: 30 }),
  'emptying.getPolicy': (s) => ({ email: s.email }),
  'emptying.setPolicy': (s) => ({
    email: s.email,
    enabled: false,
    mode: 'older-than',
    olderThanDays: 365,
    action: 'delete',
    includeUnhandled: false,
  }),
  'emptying.preview': (s) => ({
    email: s.email,
    mode: 'older-than',
    olderThanDays: 365,
    action: 'delete',
    includeUnhandled: false,
  }),
  'emptying.run': (s) => ({
    email: s.email,
    mode: 'until-percent',
    untilPercent: 70,
    action: 'delete',
    includeUnhandled: false,
  }),
  'emptying.runs': (s) => ({ email: s.email, limit: 20 }),
  'proof.bundle': (s) => ({ id: s.threadMessage }),
  'package.build': () => ({ from: '01/11/2026', to: '30/11/2026' }),
  'export.build': (s) => ({ mailbox: s.email, format: 'mbox' }),
  'transfer.import': (s) => ({
    mailbox: s.email,
    folder: 'Thunderbird',
    files: [{ filename: 'vecchia.mbox', contentBase64: Buffer.from('From x\n\nciao\n').toString('base64') }],
  }),
};

type Outcome = 'runs' | 'unauthenticated' | 'forbidden' | 'not-found';

/** What the rule says should happen: grants in the world are on A only, capped by the role. */
function expected(access: Access, who: RoleUnderTest | null, side: 'a' | 'b'): Outcome {
  if (access.who === 'anyone') return 'runs';
  if (who === null) return 'unauthenticated';
  const administers = who === 'owner' || who === 'admin';
  if (access.who === 'signed-in') return 'runs';
  if (access.who === 'admin') return administers ? 'runs' : 'forbidden';
  if (administers) return 'runs';
  const role: Role = who === 'ungranted' ? 'operator' : who;
  if (side === 'b' || who === 'ungranted') return 'not-found';
  return ROLE_CAP[role].includes(access.right) ? 'runs' : 'forbidden';
}

describe('the permission matrix: every method × role × mailbox, through the registry', () => {
  let world: PeopleWorld;
  const ran: string[] = [];
  let registry: ReturnType<typeof createRegistry>;

  beforeAll(async () => {
    world = await peopleWorld();
    const recorders = Object.fromEntries(
      API_METHODS.map((m) => [
        m,
        async (_args: unknown, caller: { audit(e: { action: string }): void }) => {
          ran.push(m);
          const rule = methodRules[m].audit;
          // A recorder is a handler too: it logs what its rule says a change logs (methods open
          // to anyone, sign-in and the first owner, log through main/auth/people.ts themselves).
          if (rule && rule.by === 'handler' && methodRules[m].access.who !== 'anyone')
            caller.audit({ action: rule.action });
          return null;
        },
      ]),
    ) as unknown as Handlers;
    registry = createRegistry(
      recorders,
      archiveGuard(() => world.archive),
      { error: () => {} },
    );
  });
  afterAll(() => world?.archive.close());

  it('has a sample for every method', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...API_METHODS].sort());
  });

  const cases = API_METHODS.flatMap((method) =>
    [null, ...ROLES_UNDER_TEST].flatMap((who) =>
      (['a', 'b'] as const).map((side) => ({ method, who, side })),
    ),
  );

  it(`lets exactly the allowed calls through (${cases.length} cases)`, async () => {
    const wrong: string[] = [];
    for (const { method, who, side } of cases) {
      const want = expected(methodRules[method].access, who, side);
      ran.length = 0;
      const sample = SAMPLES[method] as (s: Side) => unknown;
      const response = await registry.call(method, sample(world[side]), {
        transport: 'http',
        session: who ? world.tokens[who] : null,
        origin: 'test',
      });
      const got: Outcome | string = response.ok
        ? ran.includes(method)
          ? 'runs'
          : 'ok without its handler'
        : ran.length > 0
          ? `handler ran, then ${response.error.code}`
          : response.error.code;
      if (got !== want)
        wrong.push(`${method} as ${who ?? 'nobody'} on ${side.toUpperCase()}: ${got}, expected ${want}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the CLI on the archive’s machine acts as the owner, and the log says so', async () => {
    for (const method of API_METHODS) {
      const access = methodRules[method].access;
      if (access.who === 'anyone') continue;
      ran.length = 0;
      const sample = SAMPLES[method] as (s: Side) => unknown;
      const response = await registry.call(method, sample(world.b), { transport: 'cli' });
      expect(response.ok && ran.includes(method), method).toBe(true);
    }
    const last = world.archive.db.$client
      .prepare('SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1')
      .pluck()
      .get() as string;
    expect(last).toMatch(/^cli:/);
  });
});
