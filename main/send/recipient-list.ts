/**
 * A mass sending's recipients, from the file an office already has: a CSV (as Excel saves it in
 * Italy: semicolons, Windows-1252 or UTF-8 with a BOM) or an Excel workbook (.xlsx, first sheet).
 * The first row names the columns. CSV is read with Papa Parse (papaparse: maintained, no
 * dependencies, guesses the delimiter, handles quoted fields with line breaks); XLSX with
 * read-excel-file (maintained, small: unzip + a SAX reader, no formula engine, nothing of the
 * workbook executed), which reads cell values only.
 */
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import readXlsxFile from 'read-excel-file/node';

export interface RecipientList {
  columns: string[];
  /** Data rows, each value by column name, as text. */
  rows: Record<string, string>[];
}

export class ListError extends Error {
  constructor(
    readonly code: 'empty' | 'unreadable' | 'too-many-rows' | 'unsupported',
    message: string,
  ) {
    super(message);
  }
}

/** Recipients one campaign may have: an office's list, not a newsletter's. */
export const MAX_ROWS = 5_000;

/** UTF-8 (with or without BOM) when it decodes as such, else Windows-1252 (Excel's "CSV" on Windows). */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    return utf8.decode(bytes);
  } catch {
    return iconv.decode(bytes, 'win1252');
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // A date cell as an Italian reads it in a letter.
    const d = value;
    return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
  }
  return String(value).trim();
}

function fromTable(table: unknown[][]): RecipientList {
  const nonEmpty = table.filter((r) => r.some((c) => cellText(c) !== ''));
  if (nonEmpty.length < 2)
    throw new ListError('empty', 'the list has no recipients (a header row, then one row each)');
  if (nonEmpty.length - 1 > MAX_ROWS)
    throw new ListError('too-many-rows', `the list has ${nonEmpty.length - 1} rows: at most ${MAX_ROWS}`);
  const header = nonEmpty[0]!.map(cellText);
  // Empty or repeated header cells get a name of their own, so no value is lost or overwritten.
  const seen = new Map<string, number>();
  const columns = header.map((h, i) => {
    const base = h || `colonna_${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n > 1 ? `${base}_${n}` : base;
  });
  const rows = nonEmpty.slice(1).map((r) => Object.fromEntries(columns.map((c, i) => [c, cellText(r[i])])));
  return { columns, rows };
}

export function parseCsv(bytes: Buffer): RecipientList {
  const text = decodeText(bytes);
  const parsed = Papa.parse<string[]>(text, {
    delimitersToGuess: [';', ',', '\t', '|'],
    skipEmptyLines: 'greedy',
  });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal)
    throw new ListError(
      'unreadable',
      `the CSV cannot be read at row ${(fatal.row ?? 0) + 1}: ${fatal.message}`,
    );
  return fromTable(parsed.data);
}

export async function parseXlsx(bytes: Buffer): Promise<RecipientList> {
  let sheets: Awaited<ReturnType<typeof readXlsxFile>>;
  try {
    sheets = await readXlsxFile(bytes);
  } catch (e) {
    throw new ListError('unreadable', `the Excel file cannot be read: ${(e as Error).message}`);
  }
  const first = sheets[0];
  if (!first) throw new ListError('empty', 'the Excel file has no sheet');
  return fromTable(first.data as unknown[][]);
}

/** By the file's name and first bytes: .xlsx is a zip ("PK"), anything else is read as CSV. */
export async function parseRecipientList(filename: string, bytes: Buffer): Promise<RecipientList> {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (/\.xlsx$/i.test(filename) || zip) {
    if (!zip) throw new ListError('unreadable', 'the file is named .xlsx but is not an Excel workbook');
    return parseXlsx(bytes);
  }
  if (/\.xls$/i.test(filename))
    throw new ListError('unsupported', 'old Excel files (.xls) are not read: save the list as .xlsx or CSV');
  return parseCsv(bytes);
}
