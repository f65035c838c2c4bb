/**
 * A conservation package (pacchetto di versamento) of a period: for each PEC, the .eml of the
 * message and of all its receipts (the archived bytes) and its metadati.xml (metadata.ts), under
 * files/msg-NNNN/; an index PIndex.xml in the SInCRO 2.0 structure (pindex.ts) naming every file
 * with its SHA-256; the index signed (CAdES, PIndex.xml.p7s) with the owner's .p12 and, given a
 * timestamp authority, timestamped (CAdES-T; or PIndex.xml.tsr when it is not signed).
 * Verified offline by verify.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { threadMailboxes, threadsInPeriod } from '../../db/conservation.ts';
import type { Db } from '../../db/database.ts';
import type { Scope } from '../../db/scope.ts';
import type { ObjectStore } from '../archive/object-store.ts';
import type { TrustAnchors } from '../pec/trust.ts';
import { collectProof } from '../proof/collect.ts';
import { kindWords } from '../proof/words.ts';
import { type OwnerKey, signDetached } from './cades.ts';
import { groupMetadataXml } from './metadata.ts';
import { type IndexAgent, type IndexGroup, pindexXml } from './pindex.ts';
import { requestTimestamp } from './tsa.ts';

export const INDEX_FILE = 'PIndex.xml';
export const SIGNATURE_FILE = 'PIndex.xml.p7s';
export const TIMESTAMP_FILE = 'PIndex.xml.tsr';

export interface PackageOptions {
  /** [from, to) as ISO instants (period.ts). */
  from: string;
  to: string;
  /** Days as the person gave them, for the volume's label. */
  label: { from: string; to: string };
  accountId: number | null;
  /** The mailbox's address, for the label. */
  mailbox: string | null;
  scope: Scope;
  anchors?: TrustAnchors;
  owner?: OwnerKey;
  tsaUrl?: string;
  /** Who keeps the documents (soggetto produttore) and their id (VATIT-…), when given. */
  holder?: { name: string; id?: string | null };
  /** What grounds the roles (the manuale di conservazione). */
  manual?: string;
  version: string;
  now?: Date;
}

export interface PackageSummary {
  indexId: string;
  messages: number;
  files: number;
  signed: boolean;
  timestamped: boolean;
}

/** Where the package's files go: a folder (CLI) or a ZIP (the app); paths use '/'. */
export type PackageSink = (path: string, bytes: Buffer) => Promise<void>;

const b64 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

function stamp(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

export async function buildPackage(
  db: Db,
  objects: ObjectStore,
  options: PackageOptions,
  sink: PackageSink,
): Promise<PackageSummary> {
  const now = options.now ?? new Date();
  const threads = threadsInPeriod(db, options.from, options.to, options.accountId);
  const groups: IndexGroup[] = [];
  let files = 0;
  for (const [i, th] of threads.entries()) {
    const content = await collectProof(db, objects, th.headId, options.scope, options.anchors);
    const id = `msg-${String(i + 1).padStart(4, '0')}`;
    const dir = `files/${id}`;
    const written: { file: (typeof content.files)[number]; name: string; sha256Base64: string }[] = [];
    for (const f of content.files) {
      const name = f.path.replace(/^originali\//, '');
      await sink(`${dir}/${name}`, f.raw);
      written.push({ file: f, name, sha256Base64: Buffer.from(f.sha256, 'hex').toString('base64') });
    }
    const t = content.thread;
    const metadata = Buffer.from(
      groupMetadataXml(
        written,
        {
          mailbox: threadMailboxes(db, th.threadId).join(', ') || null,
          direction: t?.direction ?? null,
          state: t?.state ?? null,
          identificativo: t?.identificativo ?? null,
          msgid: t?.msgid ?? null,
          subject: content.original?.subject ?? t?.subject ?? null,
          sender: t?.sender ?? null,
          recipients: (t?.recipients ?? []).map((r) => ({
            address: r.address,
            type: r.type,
            state: r.state,
            stateAt: r.stateAt,
          })),
        },
        options.version,
      ),
    );
    await sink(`${dir}/metadati.xml`, metadata);
    files += written.length + 1;
    const subject = content.original?.subject ?? t?.subject ?? '(senza oggetto)';
    groups.push({
      id,
      label: subject.slice(0, 200),
      description: `${t ? (t.direction === 'sent' ? 'PEC inviata' : 'PEC ricevuta') : kindWords(content.files[0]?.kind ?? 'ordinary')} con ${Math.max(0, written.length - 1)} ricevute e avvisi${t?.identificativo ? `; identificativo ${t.identificativo}` : ''}`,
      files: [
        ...written.map((w) => ({
          path: `${dir}/${w.name}`,
          sha256Base64: w.sha256Base64,
          format: 'message/rfc822',
          extension: 'eml',
        })),
        {
          path: `${dir}/metadati.xml`,
          sha256Base64: b64(metadata),
          format: 'application/xml',
          extension: 'xml',
        },
      ],
    });
  }
  if (groups.length === 0) throw new PackageError('no PEC in this period');
  const owner = options.owner;
  const holderName =
    options.holder?.name ?? owner?.organization ?? owner?.commonName ?? 'Titolare dell’archivio PEC';
  const document = options.manual ?? 'Manuale di conservazione del titolare';
  const holder: IndexAgent = {
    kind: 'legal person',
    name: holderName,
    id: options.holder?.id ?? null,
    document,
  };
  const signer: IndexAgent = {
    kind: 'natural person',
    name: owner?.commonName ?? holderName,
    document,
    role: 'Responsabile della conservazione',
  };
  const indexId = `IdC-${stamp(now)}-${randomBytes(4).toString('hex')}`;
  const timestamped = Boolean(options.tsaUrl);
  const index = Buffer.from(
    pindexXml({
      id: indexId,
      createdAt: now,
      application: { name: 'PecDesk', version: options.version, producer: 'PecDesk' },
      volume: {
        id: `VdC-${stamp(now)}-${indexId.slice(-8)}`,
        label: `PEC ${options.mailbox ? `della casella ${options.mailbox} ` : ''}dal ${options.label.from} al ${options.label.to}`,
        description: `${groups.length} PEC con le loro ricevute, in formato EML (Linee Guida AgID, Allegato 2), e i metadati di ciascun documento.`,
      },
      groups,
      submitter: holder,
      holder,
      signer,
      timestamped,
    }),
  );
  await sink(INDEX_FILE, index);
  if (owner) await sink(SIGNATURE_FILE, await signDetached(index, owner, options.tsaUrl, now));
  else if (options.tsaUrl) await sink(TIMESTAMP_FILE, await requestTimestamp(options.tsaUrl, index));
  return {
    indexId,
    messages: groups.length,
    files: files + 1 + (owner || options.tsaUrl ? 1 : 0),
    signed: Boolean(owner),
    timestamped,
  };
}

export class PackageError extends Error {}
