/**
 * A PKI shaped like the real PEC one, for the demo archive and the tests (pec-format.md §5): a root (the Actalis stand-in), a PEC
 * intermediate with the PEC policy and e-mail name constraints (the AgID CA1 stand-in), and
 * provider certificates for posta-certificata@<domain>. Plus the wrong ones the tests need: an
 * expired provider, a self-signed impostor, one without the PEC policy, one outside the constraints.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

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
