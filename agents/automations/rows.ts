// Rows of data for replays over data: CSV (RFC 4180: quoted fields, "" inside quotes, CRLF or LF) or
// an .xlsx workbook's first sheet read into header + records, and the per-row results written back as
// CSV beside the input.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AutomationError } from './automation.ts';
import { readXlsxRows } from './xlsx-rows.ts';

export interface Table {
  header: string[];
  /** One record per data row, by column name. */
  rows: Record<string, string>[];
}

/** Parses CSV text; the first record is the header. A quote left open or a ragged row is an error naming its line. */
export function parseCsv(text: string, source = 'CSV'): Table {
  const records: { fields: string[]; line: number }[] = [];
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let line = 1;
  let start = 1;
  const src = text.replace(/^\uFEFF/, ''); // Excel's byte-order mark
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ fields, line: start });
      fields = [];
      field = '';
      start = ++line;
    } else field += c;
  }
  if (quoted) throw new AutomationError(`${source}: line ${start}: a quoted field is never closed`);
  if (field !== '' || fields.length) records.push({ fields: [...fields, field], line: start });
  const nonEmpty = records.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  const [head, ...body] = nonEmpty;
  if (!head) throw new AutomationError(`${source}: the file is empty; the first line names the columns`);
  const header = head.fields.map((h) => h.trim());
  const rows = body.map((r) => {
    if (r.fields.length !== header.length) throw new AutomationError(`${source}: line ${r.line} has ${r.fields.length} fields, the header ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, r.fields[i]!]));
  });
  return { header, rows };
}

/** The rows of a CSV file or of an .xlsx workbook's first sheet (by its extension); the first row names the columns. */
export async function readRows(path: string, source = path): Promise<Table> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return readXlsxRows(path, source);
  if (['.xls', '.ods', '.numbers'].includes(ext)) throw new AutomationError(`${source}: ${ext} files are not read here; save the sheet as Excel (.xlsx) or CSV and give that`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AutomationError(`cannot read ${source}: ${(err as Error).message}`);
  }
  return parseCsv(text, source);
}

const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Records as CSV text with a header line. */
export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** A row's parameter values: the columns named like the automation's parameters (the rest are not used). */
export function rowParams(row: Record<string, string>, params: readonly string[]): Record<string, string> {
  return Object.fromEntries(params.filter((p) => p in row).map((p) => [p, row[p]!]));
}
