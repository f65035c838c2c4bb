/**
 * The PEC chain through the years, in the tests' own PKI (resources/trust/README.md): an older root
 * (the Baltimore stand-in, expired today) with a "DigitPA CA1"-like intermediate valid a decade
 * ago, and today's root (the Actalis stand-in) with an "AgID CA1"-like intermediate and its 2025
 * re-issue (same name, new key) signing a provider certificate with an organizationIdentifier, as
 * Aruba's 2025 one. Eras name the intermediates as trust.json does. Built in-process: only unit
 * tests of one process use it.
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import {
  makeCert,
  newKey,
  PEC_POLICY,
  PROVIDER_POLICY,
  provider,
  type TestIdentity,
  YEARS,
} from '../../main/demo/demo-pki.ts';
import { configuredAnchors, type TrustAnchors, type TrustEra } from '../../main/pec/trust.ts';

const { pki } = forge;

export const ERA_DOMAINS = { old: 'pec.vecchia.test', aruba: 'pec.arubalike.test' } as const;

export interface EraPki {
  oldRootPem: string;
  rootPem: string;
  /** Signed by the old intermediate; its certificate was valid 12 to 9 years ago. */
  oldProvider: TestIdentity;
  /** Another CA under the old root, with the PEC policy but not the era's intermediate. */
  strayProvider: TestIdentity;
  /** 2025 style: new certificate with organizationIdentifier under the re-issued intermediate. */
  newProvider: TestIdentity;
  oldEra: TrustEra;
  currentEra: TrustEra;
  /** Both roots with both eras, as the shipped trust list has them. */
  anchors: TrustAnchors;
  /** The same roots with other eras (to test the era rule itself). */
  anchorsWith(eras: TrustEra[]): TrustAnchors;
}

function sha256Of(cert: forge.pki.Certificate): string {
  const der = Buffer.from(forge.asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return createHash('sha256').update(der).digest('hex');
}

let cached: EraPki | null = null;

export function eraPki(): EraPki {
  if (cached) return cached;
  const oldRootKeys = newKey();
  const oldRootSubject = [
    { name: 'countryName', value: 'IE' },
    { name: 'organizationName', value: 'PecDesk Test Vecchia' },
    { name: 'commonName', value: 'PecDesk Test Old Root' },
  ];
  const oldRoot = makeCert({
    subject: oldRootSubject,
    publicKey: oldRootKeys.publicKey,
    issuer: null,
    issuerKey: oldRootKeys.privateKey,
    notBefore: YEARS(-25),
    notAfter: YEARS(-1),
    ca: true,
  });
  const oldInterKeys = newKey();
  const oldIntermediate = makeCert({
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: 'PecDesk Test DigitPA' },
      { name: 'commonName', value: 'PecDesk Test DigitPA CA1' },
    ],
    publicKey: oldInterKeys.publicKey,
    issuer: oldRoot,
    issuerKey: oldRootKeys.privateKey,
    notBefore: YEARS(-15),
    notAfter: YEARS(-8),
    ca: true,
    pathLen: 0,
    policies: [PEC_POLICY],
    permittedEmailDomains: [ERA_DOMAINS.old],
  });
  const oldProvider = provider('Vecchia PEC', ERA_DOMAINS.old, oldIntermediate, oldInterKeys.privateKey, {
    notBefore: YEARS(-12),
    notAfter: YEARS(-9),
  });
  const strayKeys = newKey();
  const stray = makeCert({
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: 'Altra CA' },
      { name: 'commonName', value: 'Altra CA sotto la radice vecchia' },
    ],
    publicKey: strayKeys.publicKey,
    issuer: oldRoot,
    issuerKey: oldRootKeys.privateKey,
    notBefore: YEARS(-15),
    notAfter: YEARS(-8),
    ca: true,
    pathLen: 0,
    policies: [PEC_POLICY],
  });
  const strayProvider = provider('Vecchia PEC', ERA_DOMAINS.old, stray, strayKeys.privateKey, {
    notBefore: YEARS(-12),
    notAfter: YEARS(-9),
  });

  const rootKeys = newKey();
  const root = makeCert({
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: 'PecDesk Test Attuale' },
      { name: 'commonName', value: 'PecDesk Test Current Root' },
    ],
    publicKey: rootKeys.publicKey,
    issuer: null,
    issuerKey: rootKeys.privateKey,
    notBefore: YEARS(-10),
    notAfter: YEARS(10),
    ca: true,
  });
  // The 2025 re-issue: the intermediate's name is the same, its key and validity are new.
  const reissuedKeys = newKey();
  const reissued = makeCert({
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: 'PecDesk Test AgID' },
      { name: 'commonName', value: 'PecDesk Test AgID CA1' },
    ],
    publicKey: reissuedKeys.publicKey,
    issuer: root,
    issuerKey: rootKeys.privateKey,
    notBefore: YEARS(-1),
    notAfter: YEARS(9),
    ca: true,
    pathLen: 0,
    policies: [PEC_POLICY],
    permittedEmailDomains: [ERA_DOMAINS.aruba],
  });
  const newProvider = provider('Aruba PEC', ERA_DOMAINS.aruba, reissued, reissuedKeys.privateKey, {
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: 'Aruba PEC S.p.A.' },
      // organizationIdentifier (2.5.4.97), as the 2025 provider certificates carry.
      { type: '2.5.4.97', value: 'VATIT-01879020517' } as never,
      { name: 'commonName', value: 'Posta Certificata Aruba PEC' },
    ],
    notBefore: YEARS(-1),
    notAfter: YEARS(2),
    policies: [PROVIDER_POLICY],
  });

  const oldEra: TrustEra = {
    id: 'test-old',
    name: 'PecDesk Test DigitPA CA1',
    rootSha256: sha256Of(oldRoot),
    intermediate: { commonName: 'PecDesk Test DigitPA CA1', organization: 'PecDesk Test DigitPA' },
    policy: PEC_POLICY,
    from: YEARS(-15),
    until: YEARS(-8),
  };
  const currentEra: TrustEra = {
    id: 'test-current',
    name: 'PecDesk Test AgID CA1',
    rootSha256: sha256Of(root),
    intermediate: { commonName: 'PecDesk Test AgID CA1', organization: 'PecDesk Test AgID' },
    policy: PEC_POLICY,
    from: YEARS(-9),
    until: null,
  };
  const oldRootPem = pki.certificateToPem(oldRoot);
  const rootPem = pki.certificateToPem(root);
  const anchorsWith = (eras: TrustEra[]) => configuredAnchors([oldRootPem, rootPem], eras);
  cached = {
    oldRootPem,
    rootPem,
    oldProvider,
    strayProvider,
    newProvider,
    oldEra,
    currentEra,
    anchors: anchorsWith([oldEra, currentEra]),
    anchorsWith,
  };
  return cached;
}
