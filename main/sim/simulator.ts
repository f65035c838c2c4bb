/**
 * A simulated PEC world on 127.0.0.1 for the demo, for people trying PecDesk and for the tests of
 * sending: several PEC providers (domains), each with its mailboxes in one Dovecot, an SMTP
 * submission service, and the providers' rules (provider.ts) turning each submitted message into
 * the notices, envelopes and receipts real providers send. Everything lives in one folder
 * (`dir`): the PKI, the TLS certificate, the mailboxes and their passwords, the ports; starting
 * again on the same folder gives the same world, with its mail.
 *
 * What a real provider does and this one does too: no copy of a sent message is stored in the
 * sender's mailbox (Aruba does not keep SMTP submissions; the client saves its own copy in Sent),
 * receipts arrive in the sender's INBOX, envelopes in each recipient's INBOX. What it does not:
 * delayed work waiting when the simulator stops is dropped (told in the log), where a provider
 * would keep a queue and send the 12/24-hour notices.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DEFAULT_LIMITS,
  DEFAULT_SLOW_DELAY_MS,
  EXTERNAL_MAILBOX,
  FULL_LOCAL_PART,
  FULL_QUOTA_BYTES,
  MAILBOX_NAMES,
  type SimDomain,
  type SimLimits,
  simDomains,
  UNKNOWN_LOCAL_PART,
} from './config.ts';
import { DovecotServer, type DovecotUser } from './dovecot.ts';
import { MailStore } from './mailstore.ts';
import { Pipeline } from './pipeline.ts';
import { loadOrCreatePki } from './pki.ts';
import type { SimProvider, SimWorld } from './provider.ts';
import { assertTraversable, claimDir, newPassword, readState, type SimState, writeState } from './state.ts';
import { SubmissionServer } from './submission.ts';

export interface SimOptions {
  /** The simulator's folder; without it a temporary one, removed when the simulator stops. */
  dir?: string;
  /** How many regular PEC providers (2–8); the slow one comes on top. */
  domains?: number;
  /** How late the slow provider answers. */
  slowDelayMs?: number;
  limits?: Partial<SimLimits>;
  /**
   * More mailboxes on each regular domain (local parts), besides mario.rossi, studio.bianchi and
   * protocollo: a mass sending needs hundreds of recipients.
   */
  extraMailboxes?: string[];
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
}

export interface SimEndpoint {
  host: string;
  port: number;
  /** "tls": implicit TLS on `port`, as PEC providers serve (IMAPS 993, SMTPS 465). */
  security: 'tls';
  /** The same service with STARTTLS. */
  starttlsPort: number;
}

export interface SimMailbox {
  address: string;
  password: string;
  domain: string;
  provider: string;
}

/** The line `npm run sim` prints: its field names are a contract (README). */
export interface SimInfo {
  imap: SimEndpoint;
  smtp: SimEndpoint;
  /** PEM of the CA of the servers' TLS certificate (PecDesk: `--ca`). */
  ca: string;
  /** PEM of the simulated PEC root (PECDESK_PEC_TRUST_ANCHORS). */
  trustAnchor: string;
  mailboxes: SimMailbox[];
  /** An address on a simulated PEC domain with no mailbox. */
  unknownRecipient: string;
  /** A simulated PEC mailbox that is always full. */
  overQuotaRecipient: string;
  /** Where everything sent to addresses outside the PEC domains lands. */
  externalMailbox: { address: string; password: string };
  domains: SimDomain[];
  slowDomain: SimDomain;
  limits: SimLimits;
  dir: string;
  pid: number;
}

export interface Simulator {
  info: SimInfo;
  /** Resolves when every message submitted so far has been handled, delayed work included. */
  whenIdle(): Promise<void>;
  /** Stops the SMTP service and Dovecot (waits for work under way, drops delayed work). */
  stop(): Promise<void>;
}

export async function startSimulator(options: SimOptions = {}): Promise<Simulator> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[sim] ${line}\n`));
  const temporary = !options.dir;
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), 'pecdesk-sim-')));
  if (temporary || !existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
  }
  assertTraversable(dir);
  const lock = claimDir(dir);
  try {
    return await start(dir, temporary, lock, options, log);
  } catch (e) {
    rmSync(lock, { force: true });
    throw e;
  }
}

async function start(
  dir: string,
  temporary: boolean,
  lock: string,
  options: SimOptions,
  log: (line: string) => void,
): Promise<Simulator> {
  const limits: SimLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const domains = simDomains(options.domains ?? 2, options.slowDelayMs ?? DEFAULT_SLOW_DELAY_MS);
  const slowDomain = domains.at(-1)!;
  const secondDomain = domains[1]!.domain;

  const previous = readState(dir);
  if (previous && previous.domains.join() !== domains.map((d) => d.domain).join())
    throw new Error(
      `${dir} was made for the domains ${previous.domains.join(', ')}: start with the same --domains or another --dir`,
    );
  const state: SimState = previous ?? {
    version: 1,
    domains: domains.map((d) => d.domain),
    passwords: {},
    ports: {},
  };
  const password = (address: string) => (state.passwords[address] ??= newPassword());
  const mailboxes: SimMailbox[] = domains.flatMap((d) =>
    [...MAILBOX_NAMES, ...(d === slowDomain ? [] : (options.extraMailboxes ?? []))].map((n) => {
      const address = `${n}@${d.domain}`;
      return { address, password: password(address), domain: d.domain, provider: d.provider };
    }),
  );
  const fullMailbox = `${FULL_LOCAL_PART}@${secondDomain}`;
  const external = { address: EXTERNAL_MAILBOX, password: password(EXTERNAL_MAILBOX) };
  password(fullMailbox);

  const pki = loadOrCreatePki(
    join(dir, 'pki'),
    domains.map((d) => ({ name: d.provider, domain: d.domain })),
  );
  const providers = new Map<string, SimProvider>(
    domains.map((d) => [d.domain, { identity: pki.providers.get(d.domain)!, delayMs: d.delayMs }]),
  );

  const dovecot = await DovecotServer.start({
    dir: join(dir, 'dovecot'),
    ...(state.ports.imapTls && { tlsPort: state.ports.imapTls }),
    ...(state.ports.imapStarttls && { starttlsPort: state.ports.imapStarttls }),
  });
  const users = new Map<string, DovecotUser>();
  for (const m of mailboxes) users.set(m.address, dovecot.addUser(m.address, m.password));
  users.set(external.address, dovecot.addUser(external.address, external.password));
  users.set(
    fullMailbox,
    dovecot.addUser(fullMailbox, state.passwords[fullMailbox], { quotaBytes: FULL_QUOTA_BYTES }),
  );
  const store = new MailStore(dovecot, (address) => users.get(address));
  const pecMailboxes = new Set([...mailboxes.map((m) => m.address), fullMailbox]);

  const world: SimWorld = {
    providerOf: (domain) => providers.get(domain.toLowerCase()),
    hasMailbox: (address) => pecMailboxes.has(address.toLowerCase()),
    limits,
  };

  const pipeline = new Pipeline(world, store, log);

  const rate = new Map<string, number[]>();
  const key = readFileSync(join(dovecot.dir, 'key.pem'), 'utf8');
  const smtp = await SubmissionServer.start(
    {
      key,
      cert: dovecot.caPem,
      maxBytes: limits.maxTotalBytes,
      hostname: 'smtps.simulatore-pec.test',
      ...(state.ports.smtpTls && { tlsPort: state.ports.smtpTls }),
      ...(state.ports.smtpStarttls && { starttlsPort: state.ports.smtpStarttls }),
    },
    {
      authenticate: (user, pass) => {
        const address = user.trim().toLowerCase();
        return pecMailboxes.has(address) && state.passwords[address] === pass ? address : null;
      },
      takeRateSlot: (mailbox) => {
        const now = Date.now();
        const recent = (rate.get(mailbox) ?? []).filter((t) => t > now - limits.windowMs);
        const ok = recent.length < limits.messagesPerWindow;
        if (ok) recent.push(now);
        else log(`${mailbox}: più di ${limits.messagesPerWindow} messaggi in ${limits.windowMs} ms, 451`);
        rate.set(mailbox, recent);
        return ok;
      },
      submitted: (message) => pipeline.handle(message),
      log,
    },
  ).catch(async (e: Error) => {
    await dovecot.stop();
    throw e;
  });

  state.ports = {
    imapTls: dovecot.tlsPort,
    imapStarttls: dovecot.starttlsPort,
    smtpTls: smtp.tlsPort,
    smtpStarttls: smtp.starttlsPort,
  };
  writeState(dir, state);

  const info: SimInfo = {
    imap: { host: '127.0.0.1', port: dovecot.tlsPort, security: 'tls', starttlsPort: dovecot.starttlsPort },
    smtp: { host: '127.0.0.1', port: smtp.tlsPort, security: 'tls', starttlsPort: smtp.starttlsPort },
    ca: dovecot.caFile,
    trustAnchor: pki.rootFile,
    mailboxes,
    unknownRecipient: `${UNKNOWN_LOCAL_PART}@${secondDomain}`,
    overQuotaRecipient: fullMailbox,
    externalMailbox: external,
    domains,
    slowDomain,
    limits,
    dir,
    pid: process.pid,
  };

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await smtp.close();
      const dropped = pipeline.dropDelayed();
      if (dropped > 0) log(`stopping: ${dropped} delayed deliveries dropped`);
      await pipeline.whenIdle();
      await store.close();
      await dovecot.stop();
      rmSync(lock, { force: true });
      if (temporary) rmSync(dir, { recursive: true, force: true });
    })());

  return { info, whenIdle: () => pipeline.whenIdle(), stop };
}
