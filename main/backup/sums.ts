/** SHA256SUMS of a backup, written as the entries go by, and file hashing for it. */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { sumsLine } from './manifest.ts';

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The list goes to a temporary file, not memory (a line per object of ten years), and is hashed
 * as it is written, for the manifest.
 */
export class Sums {
  private readonly hash: Hash = createHash('sha256');
  private lines = 0;
  private size = 0;
  private failure: Error | null = null;

  constructor(private readonly out: WriteStream) {
    // Thrown at the next add() or close(), not as an unhandled 'error' event.
    out.on('error', (error) => {
      this.failure = error;
    });
  }

  async add(sha256: string, path: string): Promise<void> {
    if (this.failure) throw this.failure;
    const line = sumsLine(sha256, path);
    this.hash.update(line);
    this.lines += 1;
    this.size += Buffer.byteLength(line);
    if (!this.out.write(line)) await once(this.out, 'drain');
  }

  async close(): Promise<{ sha256: string; lines: number; size: number }> {
    this.out.end();
    await finished(this.out);
    if (this.failure) throw this.failure;
    return { sha256: this.hash.digest('hex'), lines: this.lines, size: this.size };
  }

  /** After a failure: the file is closed (the caller removes it). */
  destroy(): void {
    this.out.destroy();
  }
}
