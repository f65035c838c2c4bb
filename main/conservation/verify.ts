/**
 * Offline check of a conservation package (`pecdesk package verify DIR`): the index's signature
 * and timestamp first (they vouch for the index), then every file the index names against its
 * SHA-256, then nothing in the package that the index does not name. The first thing that does
 * not hold is named: the file, and why.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { verifyDetached } from './cades.ts';
import { INDEX_FILE, SIGNATURE_FILE, TIMESTAMP_FILE } from './package.ts';
import { verifyTimestampResponse } from './tsa.ts';

export type PackageVerdict =
  | {
      ok: true;
      files: number;
      indexId: string | null;
      /** Who signed the index (the certificate's subject), when it is signed. */
      signer: string | null;
      timestamp: { genTime: string; tsa: string } | null;
      /** What the check could not vouch for (an index neither signed nor timestamped). */
      warnings: string[];
    }
  | { ok: false; file: string; reason: string };

const fail = (file: string, reason: string): PackageVerdict => ({ ok: false, file, reason });

async function readOptional(path: string): Promise<Buffer | null> {
  return readFile(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
}

interface IndexedFile {
  path: string;
  hash: string;
  hashFunction: string;
}

function indexedFiles(xml: Buffer): { id: string | null; files: IndexedFile[] } | null {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    processEntities: false,
    isArray: (name) => name === 'FileGroup' || name === 'File',
  });
  let doc: Record<string, unknown>;
  try {
    const text = xml.toString('utf8');
    // A package's index is plain XML: no DOCTYPE, so no entity can ever be expanded.
    if (/<!DOCTYPE/i.test(text)) return null;
    doc = parser.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const root = doc.PIndex as Record<string, unknown> | undefined;
  if (!root) return null;
  const text = (v: unknown): string | null =>
    typeof v === 'string'
      ? v
      : v && typeof v === 'object' && '#text' in v
        ? String((v as { '#text': unknown })['#text'])
        : null;
  const id = text((root.SelfDescription as Record<string, unknown> | undefined)?.ID);
  const files: IndexedFile[] = [];
  for (const group of (root.FileGroup as Record<string, unknown>[] | undefined) ?? []) {
    for (const f of (group.File as Record<string, unknown>[] | undefined) ?? []) {
      const hash = f.Hash as Record<string, unknown> | string | undefined;
      const path = text(f.Path);
      const value = text(hash);
      if (!path || !value) return null;
      files.push({
        path,
        hash: value.trim(),
        hashFunction: typeof hash === 'object' ? String(hash['@hashFunction'] ?? '') : '',
      });
    }
  }
  return { id, files };
}

/** TimeInfo attachedTimeStamp="true": a timestamp must come with the index. */
function declaresTimestamp(index: Buffer): boolean {
  return /attachedTimeStamp="true"/.test(index.toString('utf8'));
}

async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path, base)));
    else out.push(relative(base, path).split(sep).join('/'));
  }
  return out;
}

export async function verifyPackage(dir: string): Promise<PackageVerdict> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) return fail('.', 'not a package folder');
  const index = await readOptional(join(dir, INDEX_FILE));
  if (!index) return fail(INDEX_FILE, 'the index is missing');
  const warnings: string[] = [];
  let signer: string | null = null;
  let timestamp: { genTime: string; tsa: string } | null = null;
  const p7s = await readOptional(join(dir, SIGNATURE_FILE));
  const tsr = await readOptional(join(dir, TIMESTAMP_FILE));
  if (p7s) {
    const check = verifyDetached(p7s, index);
    if (!check.ok) return fail(check.failed === 'content' ? INDEX_FILE : SIGNATURE_FILE, check.reason);
    signer = check.signer;
    if (check.timestamp?.ok) timestamp = { genTime: check.timestamp.genTime, tsa: check.timestamp.tsa };
    else if (declaresTimestamp(index))
      return fail(SIGNATURE_FILE, 'the index says it is timestamped, the signature has no timestamp');
    else warnings.push('the index is signed but not timestamped');
  } else if (tsr) {
    const check = verifyTimestampResponse(tsr, index);
    if (!check.ok) return fail(check.failed === 'data' ? INDEX_FILE : TIMESTAMP_FILE, check.reason);
    timestamp = { genTime: check.genTime, tsa: check.tsa };
    warnings.push('the index is timestamped but not signed');
  } else {
    if (declaresTimestamp(index))
      return fail(TIMESTAMP_FILE, 'the index says it is timestamped, the timestamp is missing');
    warnings.push('the index is neither signed nor timestamped: only the files are checked against it');
  }
  const parsed = indexedFiles(index);
  if (!parsed) return fail(INDEX_FILE, 'the index cannot be read as a SInCRO PIndex');
  const listed = new Set<string>();
  for (const f of parsed.files) {
    // Paths come from the package: nothing outside its folder is ever read.
    if (isAbsolute(f.path) || f.path.split('/').includes('..') || f.path.includes('\\'))
      return fail(f.path, 'the index names a file outside the package');
    if (f.hashFunction !== 'SHA-256') return fail(f.path, `unsupported hash function ${f.hashFunction}`);
    const bytes = await readOptional(join(dir, ...f.path.split('/')));
    if (!bytes) return fail(f.path, 'the file is missing');
    const actual = createHash('sha256').update(bytes).digest('base64');
    if (actual !== f.hash) return fail(f.path, 'the file does not match its SHA-256 in the index');
    listed.add(f.path);
  }
  const known = new Set([INDEX_FILE, SIGNATURE_FILE, TIMESTAMP_FILE]);
  for (const path of (await walk(dir)).sort()) {
    if (!listed.has(path) && !known.has(path)) return fail(path, 'the file is not in the index');
  }
  return { ok: true, files: listed.size, indexId: parsed.id, signer, timestamp, warnings };
}
