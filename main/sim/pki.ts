/**
 * The simulated providers' PKI, shaped like the real PEC one (pec-format.md §5) with the demo PKI's
 * building blocks (main/demo/demo-pki.ts): a root (the trust anchor people configure), a PEC
 * intermediate with the PEC policy and e-mail name constraints for exactly the simulated domains,
 * and one posta-certificata@<domain> certificate per provider. Made at first start and kept in
 * the simulator's folder as PEM, so a restart signs with the same keys and the anchor stays valid
 * for everything archived before.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { makeCert, newKey, PEC_POLICY, provider, type TestIdentity, YEARS } from '../demo/demo-pki.ts';

const { pki } = forge;

export interface SimProviderSpec {
  /** Organisation name without "S.p.A." (daticert's gestore-emittente adds it). */
  name: string;
  domain: string;
}

export interface SimPki {
  rootFile: string;
  rootPem: string;
  providers: Map<string, TestIdentity>;
}

function files(dir: string, domain: string) {
  return { cert: join(dir, `${domain}.cert.pem`), key: join(dir, `${domain}.key.pem`) };
}

/** Loads the PKI kept in `dir`, or makes it there; the providers must be the ones it was made for. */
export function loadOrCreatePki(dir: string, specs: SimProviderSpec[]): SimPki {
  const rootFile = join(dir, 'root.pem');
  const intermediateFile = join(dir, 'intermediate.pem');
  if (!existsSync(rootFile)) create(dir, specs);
  const rootPem = readFileSync(rootFile, 'utf8');
  const intermediate = pki.certificateFromPem(readFileSync(intermediateFile, 'utf8'));
  const providers = new Map<string, TestIdentity>();
  for (const spec of specs) {
    const f = files(dir, spec.domain);
    if (!existsSync(f.cert) || !existsSync(f.key))
      throw new Error(
        `${dir} holds no certificate for ${spec.domain}: it was made for other domains (use another --dir)`,
      );
    const certPem = readFileSync(f.cert, 'utf8');
    providers.set(spec.domain, {
      name: spec.name,
      domain: spec.domain,
      email: `posta-certificata@${spec.domain}`,
      key: pki.privateKeyFromPem(readFileSync(f.key, 'utf8')) as forge.pki.rsa.PrivateKey,
      cert: pki.certificateFromPem(certPem),
      certPem,
      chain: [intermediate],
    });
  }
  return { rootFile, rootPem, providers };
}

function create(dir: string, specs: SimProviderSpec[]): void {
  mkdirSync(dir, { recursive: true });
  const rootKeys = newKey();
  const rootSubject = [
    { name: 'countryName', value: 'IT' },
    { name: 'organizationName', value: 'PecDesk Simulatore' },
    { name: 'commonName', value: 'PecDesk Simulatore Root CA' },
  ];
  const root = makeCert({
    subject: rootSubject,
    publicKey: rootKeys.publicKey,
    issuer: null,
    issuerKey: rootKeys.privateKey,
    notBefore: YEARS(-1),
    notAfter: YEARS(20),
    ca: true,
  });
  const interKeys = newKey();
  const intermediate = makeCert({
    subject: [
      { name: 'countryName', value: 'IT' },
      { name: 'organizationName', value: 'PecDesk Simulatore' },
      { name: 'commonName', value: 'PecDesk Simulatore PEC CA1' },
    ],
    publicKey: interKeys.publicKey,
    issuer: root,
    issuerKey: rootKeys.privateKey,
    notBefore: YEARS(-1),
    notAfter: YEARS(15),
    ca: true,
    pathLen: 0,
    policies: [PEC_POLICY],
    permittedEmailDomains: specs.map((s) => s.domain),
  });
  for (const spec of specs) {
    const id = provider(spec.name, spec.domain, intermediate, interKeys.privateKey, {
      notBefore: YEARS(-1),
    });
    const f = files(dir, spec.domain);
    writeFileSync(f.key, pki.privateKeyToPem(id.key), { mode: 0o600 });
    writeFileSync(f.cert, id.certPem);
  }
  writeFileSync(join(dir, 'intermediate.pem'), pki.certificateToPem(intermediate));
  // The root last: its presence says the folder is complete (a start interrupted before is redone).
  writeFileSync(join(dir, 'root.pem'), pki.certificateToPem(root));
  chmodSync(dir, 0o755);
}
