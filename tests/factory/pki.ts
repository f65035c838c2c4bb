/**
 * The tests' PKI: the demo PKI generator (main/demo/demo-pki.ts), shared by every test process
 * through a file, so that processes that make messages and processes that verify them agree.
 */
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { generatePki, type TestIdentity, type TestPki } from '../../main/demo/demo-pki.ts';

export * from '../../main/demo/demo-pki.ts';

const { pki } = forge;

let cached: TestPki | null = null;

/**
 * Processes that make messages and processes that verify them (test runner, served app, e2e
 * browser tests) must share one PKI, so the first process to need it writes it to a file that the
 * others read. The file is created atomically (link fails if it exists): the first writer wins.
 */
const PKI_FILE = process.env.PECDESK_TEST_PKI_FILE ?? join(tmpdir(), 'pecdesk-test-pki', 'v1.json');

interface StoredIdentity {
  name: string;
  domain: string;
  email: string;
  keyPem: string;
  certPem: string;
  chainPems: string[];
}

type StoredPki = { rootPem: string; intermediatePem: string } & Record<
  'alfa' | 'beta' | 'expired' | 'impostor' | 'noPolicy' | 'outsideConstraints',
  StoredIdentity
>;

function store(id: TestIdentity): StoredIdentity {
  return {
    name: id.name,
    domain: id.domain,
    email: id.email,
    keyPem: pki.privateKeyToPem(id.key),
    certPem: id.certPem,
    chainPems: id.chain.map((c) => pki.certificateToPem(c)),
  };
}

function restore(s: StoredIdentity): TestIdentity {
  return {
    name: s.name,
    domain: s.domain,
    email: s.email,
    key: pki.privateKeyFromPem(s.keyPem) as forge.pki.rsa.PrivateKey,
    cert: pki.certificateFromPem(s.certPem),
    certPem: s.certPem,
    chain: s.chainPems.map((p) => pki.certificateFromPem(p)),
  };
}

function fromStored(s: StoredPki): TestPki {
  return {
    rootPem: s.rootPem,
    root: pki.certificateFromPem(s.rootPem),
    intermediate: pki.certificateFromPem(s.intermediatePem),
    providers: { alfa: restore(s.alfa), beta: restore(s.beta) },
    expired: restore(s.expired),
    impostor: restore(s.impostor),
    noPolicy: restore(s.noPolicy),
    outsideConstraints: restore(s.outsideConstraints),
  };
}

function readStored(): TestPki | null {
  try {
    return fromStored(JSON.parse(readFileSync(PKI_FILE, 'utf8')) as StoredPki);
  } catch {
    return null;
  }
}

export function testPki(): TestPki {
  if (cached) return cached;
  cached = readStored();
  if (cached) return cached;
  const made = generatePki();
  const stored: StoredPki = {
    rootPem: made.rootPem,
    intermediatePem: pki.certificateToPem(made.intermediate),
    alfa: store(made.providers.alfa),
    beta: store(made.providers.beta),
    expired: store(made.expired),
    impostor: store(made.impostor),
    noPolicy: store(made.noPolicy),
    outsideConstraints: store(made.outsideConstraints),
  };
  mkdirSync(join(PKI_FILE, '..'), { recursive: true });
  const tmp = `${PKI_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
  try {
    linkSync(tmp, PKI_FILE);
  } catch {
    // Another process won the race: use its PKI.
  } finally {
    unlinkSync(tmp);
  }
  cached = readStored() ?? made;
  return cached;
}
