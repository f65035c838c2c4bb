/**
 * The PEC model's cost per message: full inspectMessage (structure, classification, daticert,
 * signature with chain, postacert via mailparser) against the baseline of mailparser alone parsing
 * the same messages, which every mail client pays anyway.
 */
import { simpleParser } from 'mailparser';
import { inspectMessage } from '../../main/pec/inspect.ts';
import { RECEIPT_KINDS } from '../../main/pec/kinds.ts';
import { pecOf, scenario } from '../factory/pec-factory.ts';
import { testAnchors } from '../support/pec.ts';

export async function benchInspect(): Promise<void> {
  const corpus: Buffer[] = [];
  for (let i = 0; i < 60; i++) {
    const s = scenario();
    for (const kind of ['posta-certificata', ...RECEIPT_KINDS] as const) corpus.push(pecOf(s, kind));
  }
  const anchors = testAnchors();
  // Warm-up: JIT and the crypto engine.
  for (const raw of corpus.slice(0, 20)) await inspectMessage(raw, { anchors });

  const t0 = performance.now();
  for (const raw of corpus) await simpleParser(raw);
  const baseMs = performance.now() - t0;

  const t1 = performance.now();
  for (const raw of corpus) await inspectMessage(raw, { anchors });
  const inspectMs = performance.now() - t1;

  const n = corpus.length;
  console.log(`messages: ${n} (every PEC kind, signed, with postacert where the kind has it)`);
  console.log(
    `baseline mailparser: ${(n / (baseMs / 1000)).toFixed(0)} msg/s (${(baseMs / n).toFixed(2)} ms/msg)`,
  );
  console.log(
    `inspectMessage:      ${(n / (inspectMs / 1000)).toFixed(0)} msg/s (${(inspectMs / n).toFixed(2)} ms/msg)`,
  );
  console.log(`ratio inspect/mailparser time: ${(inspectMs / baseMs).toFixed(2)}`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}
