import { inspectMessage } from '../../main/pec/inspect.ts';
import { configuredAnchors, type TrustAnchors } from '../../main/pec/trust.ts';
import { testPki } from '../factory/pki.ts';

let anchors: TrustAnchors | null = null;

/** The test CA as the only trust anchor, as tests and the demo configure it. */
export function testAnchors(): TrustAnchors {
  anchors ??= configuredAnchors([testPki().rootPem]);
  return anchors;
}

export function inspectTest(raw: Uint8Array) {
  return inspectMessage(raw, { anchors: testAnchors() });
}
