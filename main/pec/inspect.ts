/**
 * Everything the PEC model can say about one raw message, in one plain record. It never throws:
 * a message that cannot be read is `unparseable`, with the reason among the anomalies.
 */
import { createHash } from 'node:crypto';
import { cleanHeaderText } from './charsets.ts';
import { type ClassificationBasis, classifyMessage } from './classify.ts';
import type { CertData } from './daticert.ts';
import { type Finding, finding } from './findings.ts';
import { type DeliveryType, isPecKind, type MessageKind } from './kinds.ts';
import { decodedBody, decodeWords, headerValue } from './mime.ts';
import {
  type AttachmentContent,
  type OriginalMessage,
  type OriginalResult,
  readOriginal,
} from './original.ts';
import { type SignatureReport, type VerifyOptions, verifySignature } from './signature.ts';
import { headerAddress } from './structure.ts';

export interface InspectResult {
  kind: MessageKind;
  basis: ClassificationBasis;
  deliveryType: DeliveryType | null;
  virus: boolean;
  /** Top-level headers, decoded: for an envelope they are the provider's, not the author's. */
  subject: string | null;
  from: string | null;
  messageId: string | null;
  referenceMessageId: string | null;
  date: string | null;
  size: number;
  sha256: string;
  certData: CertData | null;
  original: OriginalMessage | null;
  signature: SignatureReport;
  anomalies: Finding[];
  /** The original's attachment bytes, in the order of original.attachments, when asked for. */
  attachmentContents?: AttachmentContent[];
}

export interface InspectOptions extends VerifyOptions {
  /** Keep the original's attachment bytes (the archive reads their text for search). */
  attachmentContents?: boolean;
  /**
   * Reads postacert.eml instead of readOriginal (which decodes every attachment): the reader lists
   * attachments from what was archived (main/api/message-view.ts).
   */
  readOriginal?: (bytes: Buffer) => Promise<OriginalResult>;
}

const UNCHECKED: SignatureReport = {
  verdict: 'unsigned',
  reasonCode: 'unreadable-message',
  reasonParams: {},
  reason: 'the message could not be read',
  form: null,
  signer: null,
  signingTime: null,
  chain: [],
  era: null,
};

/** The bytes of the original message: postacert.eml of a PEC, the message itself otherwise. */
export function originalBytes(raw: Uint8Array): Buffer {
  const buf = Buffer.from(raw);
  try {
    const { structure, classification } = classifyMessage(buf);
    if (structure.postacert && isPecKind(classification.kind)) return decodedBody(structure.postacert);
  } catch {
    // unreadable structure: the message is its own original
  }
  return buf;
}

export async function inspectMessage(raw: Uint8Array, options: InspectOptions = {}): Promise<InspectResult> {
  const size = raw.byteLength;
  const sha256 = createHash('sha256').update(raw).digest('hex');
  try {
    return await inspectUnsafe(raw, size, sha256, options);
  } catch (error) {
    return unparseable(size, sha256, `the message could not be read: ${(error as Error).message}`);
  }
}

async function inspectUnsafe(
  raw: Uint8Array,
  size: number,
  sha256: string,
  options: InspectOptions,
): Promise<InspectResult> {
  const { structure, certData, classification } = classifyMessage(raw);
  if (classification.kind === 'unparseable') {
    return { ...unparseable(size, sha256, ''), anomalies: classification.findings };
  }
  const headers = structure.topHeaders;
  const anomalies = [...classification.findings];
  const from = headerAddress(headers, 'from');
  const signature = await verifySignature(structure, from, options);
  if (isPecKind(classification.kind) && signature.verdict !== 'valid') {
    anomalies.push(
      finding(
        'signature',
        `not signed by an accredited PEC provider (${signature.verdict}): ${signature.reason}`,
        { verdict: signature.verdict, reasonCode: signature.reasonCode, ...signature.reasonParams },
      ),
    );
  }
  let original: OriginalMessage | null = null;
  let attachmentContents: AttachmentContent[] | undefined;
  if (structure.postacert && isPecKind(classification.kind)) {
    const bytes = decodedBody(structure.postacert);
    const parsed = options.readOriginal
      ? await options.readOriginal(bytes)
      : await readOriginal(bytes, { contents: options.attachmentContents ?? false });
    if (parsed.ok) {
      original = parsed.value;
      attachmentContents = parsed.contents;
    } else anomalies.push(finding('postacert-invalid', parsed.reason));
  }
  const date = headerValue(headers, 'date');
  const parsedDate = date ? new Date(date) : null;
  return {
    kind: classification.kind,
    basis: classification.basis,
    deliveryType: classification.deliveryType,
    virus: classification.virus,
    subject:
      headerValue(headers, 'subject') !== undefined
        ? cleanHeaderText(decodeWords(headerValue(headers, 'subject')!))
        : null,
    from:
      headerValue(headers, 'from') !== undefined
        ? cleanHeaderText(decodeWords(headerValue(headers, 'from')!))
        : null,
    messageId: headerValue(headers, 'message-id') ?? null,
    referenceMessageId: headerValue(headers, 'x-riferimento-message-id') ?? null,
    date: parsedDate && !Number.isNaN(parsedDate.getTime()) ? parsedDate.toISOString() : null,
    size,
    sha256,
    certData,
    original,
    signature,
    anomalies,
    ...(attachmentContents ? { attachmentContents } : {}),
  };
}

/** What is known of a message that could not be read: its size, its hash, and why. */
export function unparseable(size: number, sha256: string, reason: string): InspectResult {
  return {
    kind: 'unparseable',
    basis: 'none',
    deliveryType: null,
    virus: false,
    subject: null,
    from: null,
    messageId: null,
    referenceMessageId: null,
    date: null,
    size,
    sha256,
    certData: null,
    original: null,
    signature: UNCHECKED,
    anomalies: reason ? [finding('unparseable', reason)] : [],
  };
}
