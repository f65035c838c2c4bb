/**
 * Where the PEC pieces are in a message: the signed content and its signature, daticert.xml and
 * postacert.eml. Only the top-level signed content counts: a receipt forged by a third party arrives
 * inside an envelope, so its markers sit inside postacert.eml, where this never looks.
 */
import type * as pkijs from 'pkijs';
import { readSignedData } from './cms-parse.ts';
import {
  decodedBody,
  type HeaderField,
  headerValue,
  type MimePart,
  parseMime,
  partFileName,
  walkParts,
} from './mime.ts';

export type SignatureContainer =
  | { form: 'detached'; signedBytes: Buffer; der: Buffer }
  | { form: 'opaque'; der: Buffer; signedData: pkijs.SignedData }
  | { form: 'broken'; reason: string }
  | { form: 'none'; reason: string; partMissing?: boolean };

export interface PecStructure {
  root: MimePart;
  topHeaders: HeaderField[];
  signature: SignatureContainer;
  /** The entity that holds the PEC parts: the signed content, or the root when unsigned. */
  content: MimePart;
  daticert: MimePart | null;
  postacert: MimePart | null;
  problems: string[];
}

const SIGNATURE_TYPES = new Set(['application/pkcs7-signature', 'application/x-pkcs7-signature']);
const OPAQUE_TYPES = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

export function readStructure(raw: Uint8Array): PecStructure {
  const root = parseMime(raw);
  const problems = [...root.problems];
  const { signature, content } = readSignature(root);
  for (const part of walkParts(content)) if (part !== root) problems.push(...part.problems);
  let daticert: MimePart | null = null;
  let postacert: MimePart | null = null;
  for (const part of walkParts(content)) {
    const name = partFileName(part)?.toLowerCase();
    if (!daticert && name === 'daticert.xml') daticert = part;
    if (name === 'postacert.eml' && (!postacert || !isNamedPostacert(postacert))) postacert = part;
    else if (!postacert && part.contentType.mimeType === 'message/rfc822' && part !== content)
      postacert = part;
  }
  return { root, topHeaders: root.headers, signature, content, daticert, postacert, problems };
}

function isNamedPostacert(part: MimePart): boolean {
  return partFileName(part)?.toLowerCase() === 'postacert.eml';
}

function readSignature(root: MimePart): { signature: SignatureContainer; content: MimePart } {
  const type = root.contentType.mimeType;
  if (type === 'multipart/signed') {
    const [content, sigPart] = root.children;
    if (!content)
      return { signature: { form: 'broken', reason: 'multipart/signed has no parts' }, content: root };
    if (!sigPart) {
      return {
        signature: { form: 'none', reason: 'multipart/signed without its signature part', partMissing: true },
        content,
      };
    }
    if (!SIGNATURE_TYPES.has(sigPart.contentType.mimeType)) {
      return {
        signature: {
          form: 'broken',
          reason: `second part of multipart/signed is ${sigPart.contentType.mimeType}`,
        },
        content,
      };
    }
    return { signature: { form: 'detached', signedBytes: content.raw, der: decodedBody(sigPart) }, content };
  }
  if (OPAQUE_TYPES.has(type)) {
    const smimeType = root.contentType.params['smime-type']?.toLowerCase();
    if (smimeType && smimeType !== 'signed-data') {
      return { signature: { form: 'none', reason: `S/MIME ${smimeType} is not a signature` }, content: root };
    }
    const der = decodedBody(root);
    const signedData = readSignedData(der);
    const inner = signedData ? encapsulatedContent(signedData) : null;
    if (!signedData || !inner) {
      return {
        signature: { form: 'broken', reason: 'opaque S/MIME content is not readable CMS' },
        content: root,
      };
    }
    return { signature: { form: 'opaque', der, signedData }, content: parseMime(inner) };
  }
  return { signature: { form: 'none', reason: 'the message carries no S/MIME signature' }, content: root };
}

function encapsulatedContent(sd: pkijs.SignedData): Buffer | null {
  const e = sd.encapContentInfo.eContent;
  if (!e) return null;
  // Constructed OCTET STRINGs (BER) come in chunks; getValue() joins them.
  return Buffer.from(e.getValue());
}

/** The address in a From-like header: the part in angle brackets, else the bare address. */
export function headerAddress(headers: HeaderField[], name: string): string | null {
  const value = headerValue(headers, name);
  if (!value) return null;
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
  const bare = angled?.[1] ?? /([^\s<>"',;:()]+@[^\s<>"',;:()]+)/.exec(value)?.[1];
  return bare ? bare.toLowerCase() : null;
}
