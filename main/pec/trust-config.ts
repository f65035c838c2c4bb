import { readFile } from 'node:fs/promises';
import { configuredAnchors, splitPemBundle, type TrustAnchors } from './trust.ts';

/** Reads PEM files of configured anchors (tests, demo); a file with no certificate is an error. */
export async function loadTrustAnchors(files: string[]): Promise<TrustAnchors> {
  const pems: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const found = splitPemBundle(text);
    if (found.length === 0) throw new Error(`${file} holds no PEM certificate`);
    pems.push(...found);
  }
  return configuredAnchors(pems);
}
