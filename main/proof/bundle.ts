/**
 * A PEC's proof bundle ("fascicolo di prova"), for a court, a client or an inspection: one ZIP with
 * the original .eml of the PEC and of every receipt (the archived bytes, never re-encoded: courts
 * take the .eml, the duplicato informatico), a PDF that renders them in Italian (pdf.ts), and a
 * manifest.json with the SHA-256 of every file, the PDF's included.
 */
import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import type { Db } from '../../db/database.ts';
import type { Scope } from '../../db/scope.ts';
import type { ObjectStore } from '../archive/object-store.ts';
import type { TrustAnchors } from '../pec/trust.ts';
import { collectProof } from './collect.ts';
import { proofPdf } from './pdf.ts';
import { signatureSentence } from './words.ts';

export interface ProofBundle {
  filename: string;
  zip: Buffer;
  /** Files in the ZIP (the originals, the PDF, the manifest). */
  files: number;
  manifest: ProofManifest;
}

export interface ProofManifest {
  format: 'pecdesk-proof-bundle/1';
  createdAt: string;
  createdBy: string;
  application: { name: 'PecDesk'; version: string };
  pec: {
    subject: string | null;
    identificativo: string | null;
    msgid: string | null;
    state: string | null;
  };
  files: {
    path: string;
    sha256: string;
    size: number;
    /** The archive's message id and kind of an original; absent for the PDF. */
    messageId?: number;
    kind?: string;
    date?: string | null;
    /** The provider signature's verdict and its Italian words. */
    signature?: { verdict: string; words: string };
  }[];
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** "fascicolo-PEC 2018-11-13 IT03339130126_00009.xml.zip". */
function bundleName(subject: string | null, date: string | null): string {
  const day = date && /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : null;
  const words = (subject ?? '')
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
    .replace(/[. ]+$/, '');
  return `${['fascicolo-PEC', day, words].filter(Boolean).join(' ')}.zip`;
}

export async function buildProofBundle(
  db: Db,
  objects: ObjectStore,
  messageId: number,
  options: { scope: Scope; anchors?: TrustAnchors; version: string; madeBy: string; now?: Date },
): Promise<ProofBundle> {
  const now = options.now ?? new Date();
  const content = await collectProof(db, objects, messageId, options.scope, options.anchors);
  const pdf = await proofPdf(content, [], { version: options.version, madeBy: options.madeBy, madeAt: now });
  const pdfPath = 'fascicolo.pdf';
  const subject =
    content.original?.subject ?? content.thread?.subject ?? content.files[0]?.inspect.subject ?? null;
  const manifest: ProofManifest = {
    format: 'pecdesk-proof-bundle/1',
    createdAt: now.toISOString(),
    createdBy: options.madeBy,
    application: { name: 'PecDesk', version: options.version },
    pec: {
      subject,
      identificativo:
        content.thread?.identificativo ??
        content.files.find((f) => f.inspect.certData?.identificativo)?.inspect.certData?.identificativo ??
        null,
      msgid: content.thread?.msgid ?? null,
      state: content.thread?.state ?? null,
    },
    files: [
      ...content.files.map((f) => {
        return {
          path: f.path,
          sha256: f.sha256,
          size: f.raw.length,
          messageId: f.messageId,
          kind: f.sentCopy ? 'sent-copy' : f.kind,
          date: f.date,
          ...(f.sentCopy
            ? {}
            : {
                signature: {
                  verdict: f.inspect.signature.verdict,
                  words: signatureSentence(f.inspect.signature),
                },
              }),
        };
      }),
      { path: pdfPath, sha256: sha256(pdf), size: pdf.length },
    ],
  };
  const mtime = now;
  const entries: Record<string, [Uint8Array, { mtime: Date; level: 0 | 6 }]> = {};
  for (const f of content.files) entries[f.path] = [f.raw, { mtime, level: 6 }];
  // The PDF's streams are compressed already.
  entries[pdfPath] = [pdf, { mtime, level: 0 }];
  entries['manifest.json'] = [Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), { mtime, level: 6 }];
  const zip = Buffer.from(zipSync(entries));
  const firstDate = content.thread?.acceptedAt ?? content.files[0]?.date ?? null;
  return { filename: bundleName(subject, firstDate), zip, files: Object.keys(entries).length, manifest };
}
