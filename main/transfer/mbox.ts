/**
 * mbox files, mboxrd flavour (the one that can be read back exactly): each message starts with a
 * "From " line; a body line that starts with ">*From " gets one more '>' when written and loses one
 * when read. Thunderbird's archives are read the same way (its "From " escaping is the mboxo subset).
 */

const FROM_LINE = /^>*From /;

/** One message as mboxrd: the "From " line, the bytes with "From " lines quoted, a blank line. */
export function mboxEntry(raw: Buffer, date: Date): Buffer {
  const out: Buffer[] = [Buffer.from(`${asctime(date)}\n`)];
  let start = 0;
  while (start < raw.length) {
    let end = raw.indexOf(0x0a, start);
    end = end < 0 ? raw.length : end + 1;
    const line = raw.subarray(start, end);
    if (FROM_LINE.test(line.subarray(0, Math.min(line.length, 80)).toString('latin1')))
      out.push(Buffer.from('>'));
    out.push(line);
    start = end;
  }
  if (raw.length > 0 && raw[raw.length - 1] !== 0x0a) out.push(Buffer.from('\n'));
  out.push(Buffer.from('\n'));
  return Buffer.concat(out);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function asctime(date: Date): string {
  const d = Number.isNaN(date.getTime()) ? new Date(0) : date;
  const two = (n: number) => String(n).padStart(2, '0');
  return `From MAILER-DAEMON ${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/**
 * The messages of an mbox file, each as its bytes were before it was written (one '>' less on
 * quoted "From " lines; the blank line before the next "From " line is the separator's).
 */
export function* readMbox(data: Buffer): Generator<Buffer> {
  let current: Buffer[] | null = null;
  let start = 0;
  let previousBlank = true;
  const finish = (lines: Buffer[]): Buffer => {
    // The separator's blank line belongs to the mbox, not to the message.
    const last = lines.at(-1);
    if (last && (last.equals(Buffer.from('\n')) || last.equals(Buffer.from('\r\n')))) lines.pop();
    return Buffer.concat(lines);
  };
  while (start < data.length) {
    let end = data.indexOf(0x0a, start);
    end = end < 0 ? data.length : end + 1;
    const line = data.subarray(start, end);
    start = end;
    const head = line.subarray(0, Math.min(line.length, 80)).toString('latin1');
    if (head.startsWith('From ') && previousBlank) {
      if (current) yield finish(current);
      current = [];
      previousBlank = false;
      continue;
    }
    previousBlank = line.length <= 2 && (head === '\n' || head === '\r\n');
    if (!current) continue;
    current.push(FROM_LINE.test(head) && head.startsWith('>') ? line.subarray(1) : line);
  }
  if (current) yield finish(current);
}

/** Whether bytes look like an mbox file (its first line is a "From " separator). */
export function looksLikeMbox(data: Buffer): boolean {
  return data.subarray(0, 5).toString('latin1') === 'From ';
}
