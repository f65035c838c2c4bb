/**
 * A small streaming tar (POSIX ustar) writer and reader for backups. Tar because any NAS, Linux or
 * Windows 10+ (`tar -xf`) opens it without PecDesk, entries are written one after the other without
 * an index at the end (so a backup of ten years streams through in constant memory), and a file of
 * many GiB needs no ZIP64 (which fflate does not write). Sizes past ustar's 8 GiB use the base-256
 * form GNU tar and bsdtar read. Gzip is a stream around it (zlib), chosen by the file name.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

const BLOCK = 512;
const ZEROS = Buffer.alloc(BLOCK * 2);

export interface TarEntryHeader {
  /** Relative path with '/', no leading slash, no '..'. */
  name: string;
  size: number;
  mode: number;
  /** Seconds since 1970. */
  mtime: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** Size field: octal up to 8 GiB - 1, else base-256 (first byte 0x80, big-endian). */
function sizeField(size: number): Buffer {
  if (size < 8 ** 11) return Buffer.from(octal(size, 12), 'ascii');
  const field = Buffer.alloc(12);
  field[0] = 0x80;
  let rest = BigInt(size);
  for (let i = 11; i > 0; i--) {
    field[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return field;
}

function readSize(field: Buffer): number {
  if ((field[0]! & 0x80) !== 0) {
    let value = 0n;
    for (let i = 1; i < field.length; i++) value = (value << 8n) | BigInt(field[i]!);
    return Number(value);
  }
  return Number.parseInt(field.toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
}

/** Splits a path into ustar's prefix (155) and name (100) fields. */
function splitName(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new Error(`path too long for a tar entry: ${path}`);
}

export function tarHeader(entry: TarEntryHeader): Buffer {
  const header = Buffer.alloc(BLOCK);
  const { prefix, name } = splitName(entry.name);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(entry.mode & 0o7777, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  sizeField(entry.size).copy(header, 124);
  header.write(octal(Math.max(0, Math.floor(entry.mtime)), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/**
 * Writes entries to a file (gzip when `gzip`), honouring back-pressure so a slow disk holds the
 * producer instead of the memory. finish() ends the archive and resolves once the file is written.
 */
export class TarWriter {
  private readonly input = new PassThrough({ highWaterMark: 1 << 20 });
  private readonly done: Promise<void>;
  private failure: Error | null = null;
  bytesIn = 0;

  constructor(file: string, gzip: boolean) {
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    this.done = (
      gzip ? pipeline(this.input, createGzip({ level: 6 }), out) : pipeline(this.input, out)
    ).catch((error: Error) => {
      this.failure = error;
      throw error;
    });
    // The error is thrown to whoever awaits a write or finish(); no unhandled rejection meanwhile.
    this.done.catch(() => {});
  }

  private async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.bytesIn += chunk.length;
    if (!this.input.write(chunk)) await Promise.race([once(this.input, 'drain'), this.done]);
    if (this.failure) throw this.failure;
  }

  /** One regular file: its bytes, or a stream of exactly `size` bytes. */
  async add(entry: TarEntryHeader, content: Buffer | AsyncIterable<Buffer>): Promise<void> {
    await this.write(tarHeader(entry));
    let written = 0;
    if (Buffer.isBuffer(content)) {
      await this.write(content);
      written = content.length;
    } else
      for await (const chunk of content) {
        await this.write(chunk);
        written += chunk.length;
      }
    if (written !== entry.size)
      throw new Error(
        `${entry.name} changed while it was written (${written} bytes, ${entry.size} expected)`,
      );
    const pad = padding(entry.size);
    if (pad > 0) await this.write(ZEROS.subarray(0, pad));
  }

  async finish(): Promise<void> {
    await this.write(ZEROS);
    this.input.end();
    await this.done;
  }

  /** Stops writing after a failure; the caller removes the partial file. */
  async abort(): Promise<void> {
    this.input.destroy();
    await this.done.catch(() => {});
  }
}

/** Buffers an async stream of chunks so exact byte counts can be taken from it. */
class ByteReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  readonly offset = { value: 0 };

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.buffered < n && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else {
        this.chunks.push(next.value);
        this.buffered += next.value.length;
      }
    }
    return this.buffered >= n;
  }

  /** Exactly n bytes, or null at the end of the stream (an error when it ends part-way). */
  async exact(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) {
      if (this.buffered === 0) return null;
      throw new Error(`the backup file is cut short (${this.offset.value + this.buffered} bytes)`);
    }
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    this.offset.value += n;
    return out;
  }

  /** n bytes as they come, without gathering them. */
  async *stream(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buffered === 0 && !(await this.fill(1)))
        throw new Error(`the backup file is cut short (${this.offset.value} bytes)`);
      const head = this.chunks[0]!;
      const take = Math.min(left, head.length);
      const piece = head.subarray(0, take);
      if (take === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(take);
      this.buffered -= take;
      this.offset.value += take;
      left -= take;
      yield piece;
    }
  }
}

export interface TarEntry extends TarEntryHeader {
  /** The content as chunks; must be consumed (or skipped with drain) before the next entry. */
  content: AsyncGenerator<Buffer>;
}

function checksumOk(header: Buffer): boolean {
  const stored = Number.parseInt(header.subarray(148, 156).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return stored === sum;
}

function isGzip(first: Buffer): boolean {
  return first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
}

/** Opens a tar or tar.gz file (told apart by its first bytes) as a stream of chunks. */
async function openSource(file: string): Promise<Readable> {
  const head = createReadStream(file, { start: 0, end: 1 });
  const first: Buffer[] = [];
  for await (const chunk of head) first.push(chunk as Buffer);
  const plain = createReadStream(file, { highWaterMark: 1 << 20 });
  if (!isGzip(Buffer.concat(first))) return plain;
  const gunzip = createGunzip();
  plain.on('error', (error) => gunzip.destroy(error));
  return plain.pipe(gunzip);
}

/**
 * The entries of a tar file in order. Regular files only: a backup holds nothing else, and a link
 * or device entry in a file someone hands over is refused rather than followed.
 */
export async function* readTar(file: string): AsyncGenerator<TarEntry> {
  const source = await openSource(file);
  const reader = new ByteReader(source[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  try {
    for (;;) {
      const header = await reader.exact(BLOCK);
      if (!header) throw new Error('the backup file ends without the end-of-archive blocks');
      if (header.every((b) => b === 0)) return;
      if (!checksumOk(header)) throw new Error(`damaged tar header at byte ${reader.offset.value - BLOCK}`);
      const type = String.fromCharCode(header[156]!);
      const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
      const path = prefix ? `${prefix}/${name}` : name;
      const size = readSize(header.subarray(124, 136));
      if (type !== '0' && type !== '\0')
        throw new Error(`${path}: not a regular file in the backup (type ${type})`);
      const mode = Number.parseInt(
        header.subarray(100, 108).toString('ascii').replace(/\0.*$/s, '').trim(),
        8,
      );
      const mtime = readSize(header.subarray(136, 148));
      let left = size;
      const content = (async function* () {
        for await (const piece of reader.stream(size)) {
          left -= piece.length;
          yield piece;
        }
      })();
      yield { name: path, size, mode, mtime, content };
      // Whatever the consumer left unread (or stopped reading) is skipped, then the block padding.
      if (left > 0)
        for await (const _ of reader.stream(left)) {
          // skipped
        }
      const pad = padding(size);
      if (pad > 0 && !(await reader.exact(pad))) throw new Error('the backup file is cut short');
    }
  } finally {
    source.destroy();
  }
}
