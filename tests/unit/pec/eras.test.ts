import { describe, expect, it } from 'vitest';
import { YEARS } from '../../../main/demo/demo-pki.ts';
import { inspectMessage } from '../../../main/pec/inspect.ts';
import { ERA_DOMAINS, eraPki } from '../../factory/era-pki.ts';
import { pecOf, scenario } from '../../factory/pec-factory.ts';

/**
 * Trust through the years (resources/trust/README.md): a PEC is judged at its signing time, through
 * the intermediate of an era of its root, never through any CA the root happens to sign.
 */
describe('PEC signatures judged at their signing time, era by era', () => {
  const era = eraPki();
  const tenYearsAgo = new Date(YEARS(-10).getTime() + 86_400_000 * 100);
  const old = scenario({
    provider: era.oldProvider,
    recipientProvider: era.oldProvider,
    sender: `studio@${ERA_DOMAINS.old}`,
    date: tenYearsAgo,
  });

  it('a decade-old envelope under the old root and its intermediate is valid, though everything in it has expired since', async () => {
    const r = await inspectMessage(pecOf(old, 'posta-certificata'), { anchors: era.anchors });
    expect(r.signature.verdict).toBe('valid');
    expect(r.signature.era).toBe('PecDesk Test DigitPA CA1');
    expect(r.signature.chain.at(-1)).toContain('PecDesk Test Old Root');
    expect(r.anomalies).toEqual([]);
  });

  it('the same chain signing today is expired', async () => {
    const r = await inspectMessage(
      pecOf(old, 'posta-certificata', { signing: { mode: 'valid', signingTime: new Date() } }),
      { anchors: era.anchors },
    );
    expect(r.signature.verdict).toBe('expired');
    expect(r.signature.reasonCode).toBe('not-valid-at-signing-time');
  });

  it('a signing time before the signer certificate was issued is expired, never valid', async () => {
    const beforeIssue = new Date(era.oldProvider.cert.validity.notBefore.getTime() - 86_400_000);
    const r = await inspectMessage(
      pecOf(old, 'posta-certificata', { signing: { mode: 'valid', signingTime: beforeIssue } }),
      { anchors: era.anchors },
    );
    expect(r.signature.verdict).toBe('expired');
    expect(r.signature.reasonParams.certificate).toBe('Posta Certificata Vecchia PEC');
  });

  it('a signing time outside the years of the era is refused, naming the era', async () => {
    const narrow = { ...era.oldEra, until: YEARS(-11) };
    const r = await inspectMessage(pecOf(old, 'posta-certificata'), {
      anchors: era.anchorsWith([narrow, era.currentEra]),
    });
    expect(r.signature.verdict).toBe('unknown-signer');
    expect(r.signature.reasonCode).toBe('outside-era');
    expect(r.signature.reasonParams.era).toBe('PecDesk Test DigitPA CA1');
  });

  it('another CA under the same root, even with the PEC policy, is not a PEC intermediate', async () => {
    const stray = scenario({
      provider: era.strayProvider,
      recipientProvider: era.strayProvider,
      sender: `studio@${ERA_DOMAINS.old}`,
      date: tenYearsAgo,
    });
    const r = await inspectMessage(pecOf(stray, 'posta-certificata'), { anchors: era.anchors });
    expect(r.signature.verdict).toBe('unknown-signer');
    expect(r.signature.reasonCode).toBe('outside-era');
    // Without eras (plain configured test anchors) the same chain would pass: the era is the rule.
    const plain = await inspectMessage(pecOf(stray, 'posta-certificata'), {
      anchors: { ...era.anchors, eras: null },
    });
    expect(plain.signature.verdict).toBe('valid');
  });

  it('2025: a provider certificate with an organizationIdentifier under the re-issued intermediate is valid, shown by its organisation', async () => {
    const s = scenario({
      provider: era.newProvider,
      recipientProvider: era.newProvider,
      sender: `studio@${ERA_DOMAINS.aruba}`,
    });
    const r = await inspectMessage(pecOf(s, 'accettazione'), { anchors: era.anchors });
    expect(r.signature.verdict).toBe('valid');
    expect(r.signature.era).toBe('PecDesk Test AgID CA1');
    expect(r.signature.signer?.organization).toBe('Aruba PEC S.p.A.');
    expect(r.signature.signer?.subject).toContain('organizationIdentifier=VATIT-01879020517');
    expect(r.anomalies).toEqual([]);
  });

  it('2025: a receipt carrying X-REM-Subject (REM era) is accepted without anomalies', async () => {
    const s = scenario({
      provider: era.newProvider,
      recipientProvider: era.newProvider,
      sender: `studio@${ERA_DOMAINS.aruba}`,
    });
    for (const kind of ['accettazione', 'avvenuta-consegna'] as const) {
      const raw = pecOf(s, kind, {
        extraHeaders: { 'X-REM-Subject': `${kind.toUpperCase()}: ${s.subject}` },
      });
      const r = await inspectMessage(raw, { anchors: era.anchors });
      expect([r.kind, r.signature.verdict]).toEqual([kind, 'valid']);
      expect(r.anomalies).toEqual([]);
    }
  });
});
