import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { listMessages } from '../../../db/messages.ts';
import { Archive } from '../../../main/archive/archive.ts';
import { archiveTrustAnchors } from '../../../main/archive/archive-config.ts';
import { createDemoArchive, isDemoArchive } from '../../../main/demo/demo-archive.ts';
import type { StoredDemoPki } from '../../../main/demo/demo-pki.ts';
import { tempDir } from '../../support/archive.ts';

const shipped = JSON.parse(
  readFileSync(new URL('../../../resources/demo/demo-pki.json', import.meta.url), 'utf8'),
) as StoredDemoPki;

describe('the demo PKI is shipped, and can sign nothing but the demo', () => {
  it('holds the two demo providers keys and no CA key', () => {
    expect(Object.keys(shipped).sort()).toEqual(['alfa', 'beta', 'intermediatePem', 'rootPem']);
    const modulusOf = (pem: string) => forge.pki.certificateFromPem(pem).publicKey as forge.pki.rsa.PublicKey;
    const root = modulusOf(shipped.rootPem).n.toString(16);
    const intermediate = modulusOf(shipped.intermediatePem).n.toString(16);
    for (const id of [shipped.alfa, shipped.beta]) {
      const key = forge.pki.privateKeyFromPem(id.keyPem) as forge.pki.rsa.PrivateKey;
      // Each key is its provider's, and neither CA's.
      expect(key.n.toString(16)).toBe(modulusOf(id.certPem).n.toString(16));
      expect([root, intermediate]).not.toContain(key.n.toString(16));
    }
  });

  it('lets the demo CA vouch only for the demo .test providers, for decades', () => {
    const cert = forge.pki.certificateFromPem(shipped.intermediatePem);
    const constraints = cert.getExtension('nameConstraints') as { value: string; critical: boolean } | null;
    expect(constraints?.critical).toBe(true);
    const permitted = forge.asn1.fromDer(constraints!.value);
    const domains = JSON.stringify(permitted).match(/pec\.[a-z]+\.test/g);
    expect(new Set(domains)).toEqual(new Set(['pec.alfa.test', 'pec.beta.test']));
    expect(cert.getExtension('basicConstraints')).toMatchObject({ cA: true, pathLenConstraint: 0 });
    for (const pem of [shipped.rootPem, shipped.intermediatePem, shipped.alfa.certPem, shipped.beta.certPem])
      expect(new Date(new X509Certificate(pem).validTo).getUTCFullYear()).toBeGreaterThanOrEqual(2060);
  });
});

describe('building the demo archive', () => {
  it('signs with the shipped PKI: every demo has the same CA, and its messages are dated from now', async () => {
    const first = join(tempDir('pecdesk-demo-a-'), 'archive-demo');
    const second = join(tempDir('pecdesk-demo-b-'), 'archive-demo');
    await createDemoArchive(first);
    await createDemoArchive(second);
    const ca = (dir: string) => readFileSync(join(dir, 'demo-ca.pem'), 'utf8');
    expect(ca(first)).toBe(ca(second));
    expect(ca(first)).toBe(shipped.rootPem);
    const anchors = await archiveTrustAnchors(first, {});
    const archive = Archive.open(first, anchors ? { anchors } : {});
    try {
      const newest = listMessages(archive.db, 1)[0]!;
      expect(Date.now() - Date.parse(newest.date!)).toBeLessThan(24 * 3_600_000);
    } finally {
      archive.close();
    }
  });

  it('leaves nothing half-made when it stops part-way, so the next attempt opens', async () => {
    const home = tempDir('pecdesk-demo-stop-');
    const dir = join(home, 'archive-demo');
    const stop = new Error('the app was closed');
    await expect(
      createDemoArchive(dir, (done) => {
        // After the messages are archived, before the demo is marked whole.
        if (done === 3) throw stop;
      }),
    ).rejects.toBe(stop);
    expect(readdirSync(home)).toEqual([]);

    await createDemoArchive(dir);
    expect(isDemoArchive(dir)).toBe(true);
    expect(readdirSync(dirname(dir))).toEqual(['archive-demo']);
    expect(existsSync(join(dir, 'archive.db'))).toBe(true);
  });
});
