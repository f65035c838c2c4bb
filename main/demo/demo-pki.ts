/**
 * A PKI shaped like the real PEC one, for the demo archive and the tests (pec-format.md §5): a root (the Actalis stand-in), a PEC
 * intermediate with the PEC policy and e-mail name constraints (the AgID CA1 stand-in), and
 * provider certificates for posta-certificata@<domain>. Plus the wrong ones the tests need: an
 * expired provider, a self-signed impostor, one without the PEC policy, one outside the constraints.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import shippedDemoPki from '../../resources/demo/demo-pki.json' with { type: 'json' };

const { pki, asn1 } = forge;

export interface TestIdentity {
  name: string;
  domain: string;
  email: string;
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
  certPem: string;
  /** Certificates that travel in the signature besides the signer's (the intermediate). */
  chain: forge.pki.Certificate[];
}

export interface TestPki {
  rootPem: string;
  root: forge.pki.Certificate;
  intermediate: forge.pki.Certificate;
  providers: { alfa: TestIdentity; beta: TestIdentity };
  expired: TestIdentity;
  impostor: TestIdentity;
  noPolicy: TestIdentity;
  outsideConstraints: TestIdentity;
}

export const PEC_POLICY = '1.3.76.16.3.1';
export const PROVIDER_POLICY = '1.3.76.16.3.1.1';
export const TEST_DOMAINS = { alfa: 'pec.alfa.test', beta: 'pec.beta.test' } as const;

export function newKey(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node generates keys natively in milliseconds; forge's pure-JS generation takes seconds.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forgeKey = pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  return { privateKey: forgeKey, publicKey: pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

let serial = 1;

export interface CertSpec {
  subject: { name: string; value: string }[];
  publicKey: forge.pki.rsa.PublicKey;
  issuer: forge.pki.Certificate | null;
  issuerKey: forge.pki.rsa.PrivateKey;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  pathLen?: number;
  email?: string;
  policies?: string[];
  permittedEmailDomains?: string[];
}

export function makeCert(spec: CertSpec): forge.pki.Certificate {
  const cert = pki.createCertificate();
  cert.publicKey = spec.publicKey;
  cert.serialNumber = (0x1000 + serial++).toString(16);
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.issuer ? spec.issuer.subject.attributes : spec.subject);
  const extensions: object[] = [
    spec.ca
      ? {
          name: 'basicConstraints',
          cA: true,
          critical: true,
          ...(spec.pathLen !== undefined ? { pathLenConstraint: spec.pathLen } : {}),
        }
      : { name: 'basicConstraints', cA: false },
    spec.ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (!spec.ca) extensions.push({ name: 'extKeyUsage', emailProtection: true });
  if (spec.email) extensions.push({ name: 'subjectAltName', altNames: [{ type: 1, value: spec.email }] });
  if (spec.policies) extensions.push({ id: '2.5.29.32', value: policiesDer(spec.policies) });
  if (spec.permittedEmailDomains)
    extensions.push({
      id: '2.5.29.30',
      critical: true,
      value: nameConstraintsDer(spec.permittedEmailDomains),
    });
  cert.setExtensions(extensions);
  cert.sign(spec.issuerKey, forge.md.sha256.create());
  return cert;
}

function policiesDer(oids: string[]): string {
  const seq = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    oids.map((oid) =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
      ]),
    ),
  );
  return asn1.toDer(seq).getBytes();
}

function nameConstraintsDer(domains: string[]): string {
  // NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees }; rfc822Name is [1] IA5String.
  const subtrees = domains.map((d) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 1, false, d),
    ]),
  );
  const seq = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, subtrees),
  ]);
  return asn1.toDer(seq).getBytes();
}

export const YEARS = (n: number) => new Date(Date.UTC(new Date().getUTCFullYear() + n, 0, 1));

export function provider(
  name: string,
  domain: string,
  issuer: forge.pki.Certificate,
  issuerKey: forge.pki.rsa.PrivateKey,
  overrides: Partial<CertSpec> = {},
): TestIdentity {
  const keys = newKey();
  const email = `posta-certificata@${domain}`;
  const cert = makeCert({
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: `${name} S.p.A.` },
      { name: 'commonName', value: `Posta Certificata ${name}` },
    ],
    publicKey: keys.publicKey,
    issuer,
    issuerKey,
    notBefore: YEARS(-3),
    notAfter: YEARS(5),
    ca: false,
    email,
    policies: [PROVIDER_POLICY],
    ...overrides,
  });
  return {
    name,
    domain,
    email,
    key: keys.privateKey,
    cert,
    certPem: pki.certificateToPem(cert),
    chain: [issuer],
  };
}

export function generatePki(): TestPki {
  const rootKeys = newKey();
  const rootSubject = [
    { name: 'countryName', value: 'IT' },
    { name: 'organizationName', value: 'PecDesk Test' },
    { name: 'commonName', value: 'PecDesk Test Root CA' },
  ];
  const root = makeCert({
    subject: rootSubject,
    publicKey: rootKeys.publicKey,
    issuer: null,
    issuerKey: rootKeys.privateKey,
    notBefore: YEARS(-20),
    notAfter: YEARS(20),
    ca: true,
  });
  const interKeys = newKey();
  const intermediate = makeCert({
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: 'PecDesk Test' },
      { name: 'commonName', value: 'PecDesk Test PEC CA1' },
    ],
    publicKey: interKeys.publicKey,
    issuer: root,
    issuerKey: rootKeys.privateKey,
    notBefore: YEARS(-15),
    notAfter: YEARS(15),
    ca: true,
    pathLen: 0,
    policies: [PEC_POLICY],
    permittedEmailDomains: [TEST_DOMAINS.alfa, TEST_DOMAINS.beta],
  });
  const alfa = provider('Alfa PEC', TEST_DOMAINS.alfa, intermediate, interKeys.privateKey);
  const beta = provider('Beta PEC', TEST_DOMAINS.beta, intermediate, interKeys.privateKey);
  const expired = provider('Alfa PEC Vecchio', TEST_DOMAINS.alfa, intermediate, interKeys.privateKey, {
    notBefore: YEARS(-12),
    notAfter: YEARS(-10),
  });
  const noPolicy = provider('Alfa PEC Senza Policy', TEST_DOMAINS.alfa, intermediate, interKeys.privateKey, {
    policies: ['1.2.3.4'],
  });
  const outsideConstraints = provider('Gamma PEC', 'pec.gamma.test', intermediate, interKeys.privateKey);
  const impostorKeys = newKey();
  const impostorCert = makeCert({
    subject: [{ name: 'commonName', value: 'Posta Certificata Alfa PEC' }],
    publicKey: impostorKeys.publicKey,
    issuer: null,
    issuerKey: impostorKeys.privateKey,
    notBefore: YEARS(-1),
    notAfter: YEARS(5),
    ca: false,
    email: `posta-certificata@${TEST_DOMAINS.alfa}`,
    policies: [PROVIDER_POLICY],
  });
  const impostor: TestIdentity = {
    name: 'Impostor',
    domain: TEST_DOMAINS.alfa,
    email: `posta-certificata@${TEST_DOMAINS.alfa}`,
    key: impostorKeys.privateKey,
    cert: impostorCert,
    certPem: pki.certificateToPem(impostorCert),
    chain: [],
  };
  return {
    rootPem: pki.certificateToPem(root),
    root,
    intermediate,
    providers: { alfa, beta },
    expired,
    impostor,
    noPolicy,
    outsideConstraints,
  };
}

/**
 * The demo archive's PKI, shipped (resources/demo/demo-pki.json, made once by
 * scripts/make-demo-pki.ts) so that opening the demo generates no RSA keys: that took seconds.
 * Only the two demo providers' keys are in it. The CA keys were dropped when it was made, so no
 * one can issue another certificate under the demo CA, and the demo intermediate's name constraints
 * admit only the demo providers' .test domains: a message signed with a shipped key names
 * pec.alfa.test or pec.beta.test as its provider, which exist nowhere, and only demo archives trust
 * the demo CA at all (main/archive/archive-config.ts).
 */
export interface DemoPki {
  rootPem: string;
  providers: { alfa: TestIdentity; beta: TestIdentity };
}

interface StoredDemoIdentity {
  name: string;
  domain: string;
  email: string;
  keyPem: string;
  certPem: string;
}

export interface StoredDemoPki {
  rootPem: string;
  intermediatePem: string;
  alfa: StoredDemoIdentity;
  beta: StoredDemoIdentity;
}

/** Valid for decades: the demo must not show expired signatures one day after an update. */
const DEMO_VALIDITY = {
  root: [new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2075, 0, 1))],
  intermediate: [new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2070, 0, 1))],
  provider: [new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2065, 0, 1))],
} as const;

/** Makes a demo PKI with the shape of the real one; its CA keys are not kept (see DemoPki). */
export function makeDemoPki(): StoredDemoPki {
  const rootKeys = newKey();
  const root = makeCert({
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: 'PecDesk Demo' },
      { name: 'commonName', value: 'PecDesk Demo Root CA' },
    ],
    publicKey: rootKeys.publicKey,
    issuer: null,
    issuerKey: rootKeys.privateKey,
    notBefore: DEMO_VALIDITY.root[0],
    notAfter: DEMO_VALIDITY.root[1],
    ca: true,
  });
  const interKeys = newKey();
  const intermediate = makeCert({
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: 'PecDesk Demo' },
      { name: 'commonName', value: 'PecDesk Demo PEC CA1' },
    ],
    publicKey: interKeys.publicKey,
    issuer: root,
    issuerKey: rootKeys.privateKey,
    notBefore: DEMO_VALIDITY.intermediate[0],
    notAfter: DEMO_VALIDITY.intermediate[1],
    ca: true,
    pathLen: 0,
    policies: [PEC_POLICY],
    permittedEmailDomains: [TEST_DOMAINS.alfa, TEST_DOMAINS.beta],
  });
  const validity = { notBefore: DEMO_VALIDITY.provider[0], notAfter: DEMO_VALIDITY.provider[1] };
  const stored = (id: TestIdentity): StoredDemoIdentity => ({
    name: id.name,
    domain: id.domain,
    email: id.email,
    keyPem: pki.privateKeyToPem(id.key),
    certPem: id.certPem,
  });
  return {
    rootPem: pki.certificateToPem(root),
    intermediatePem: pki.certificateToPem(intermediate),
    alfa: stored(provider('Alfa PEC', TEST_DOMAINS.alfa, intermediate, interKeys.privateKey, validity)),
    beta: stored(provider('Beta PEC', TEST_DOMAINS.beta, intermediate, interKeys.privateKey, validity)),
  };
}

/** The shipped demo PKI, ready to sign. */
export function loadDemoPki(stored: StoredDemoPki = shippedDemoPki): DemoPki {
  const intermediate = pki.certificateFromPem(stored.intermediatePem);
  const identity = (s: StoredDemoIdentity): TestIdentity => ({
    name: s.name,
    domain: s.domain,
    email: s.email,
    key: pki.privateKeyFromPem(s.keyPem) as forge.pki.rsa.PrivateKey,
    cert: pki.certificateFromPem(s.certPem),
    certPem: s.certPem,
    chain: [intermediate],
  });
  return { rootPem: stored.rootPem, providers: { alfa: identity(stored.alfa), beta: identity(stored.beta) } };
}
