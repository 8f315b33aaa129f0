// Rows of data from an .xlsx workbook, for replays over data: the first sheet, its first non-empty row
// naming the columns, each cell as the text a person would type (shared and inline strings as written,
// numbers without float noise, dates and times in ISO form, TRUE/FALSE).
import { basename } from 'node:path';
import { isDateFormat, readXlsxBook, type XlsxBook, type XlsxCell } from '../tasks/xlsx-book.ts';
import { AutomationError } from './automation.ts';
import type { Table } from './rows.ts';

/** Reads the first sheet of an .xlsx file as a header and records; a file that is no workbook is an error saying so. */
export async function readXlsxRows(path: string, source = basename(path)): Promise<Table> {
  let book: XlsxBook;
  try {
    book = await readXlsxBook(path);
  } catch (err) {
    const why = (err as Error).message.replaceAll(path, basename(path));
    throw new AutomationError(`${source}: cannot read it as an Excel workbook (.xlsx): ${why}`);
  }
  const sheet = book.sheets[0];
  if (!sheet) throw new AutomationError(`${source}: the workbook has no sheet`);
  const grid = new Map<number, Map<number, string>>();
  for (const cell of sheet.cells.values()) {
    const text = cellText(book, cell);
    if (text === '') continue;
    if (!grid.has(cell.row)) grid.set(cell.row, new Map());
    grid.get(cell.row)!.set(cell.col, text);
  }
  const [head, ...body] = [...grid.keys()].sort((a, b) => a - b);
  if (head === undefined) throw new AutomationError(`${source}: the first sheet ("${sheet.name}") is empty; its first row names the columns`);
  // Columns without a name in the header row cannot be parameters: they are left out.
  const columns = [...grid.get(head)!.entries()].map(([col, name]) => ({ col, name: name.trim() })).filter((c) => c.name !== '').sort((a, b) => a.col - b.col);
  const rows = body.map((r) => Object.fromEntries(columns.map((c) => [c.name, grid.get(r)!.get(c.col) ?? ''])));
  return { header: columns.map((c) => c.name), rows };
}

/** The text of a cell as shown without its number format, except that dates read as dates. */
export function cellText(book: Pick<XlsxBook, 'shared' | 'formats'>, cell: XlsxCell): string {
  switch (cell.type) {
    case 's':
      return book.shared[Number(cell.v)] ?? '';
    case 'inlineStr':
      return cell.inline ?? '';
    case 'b':
      return cell.v === '1' ? 'TRUE' : cell.v === '0' ? 'FALSE' : (cell.v ?? '');
    case 'n': {
      if (cell.v === undefined || cell.v === '') return '';
      const n = Number(cell.v);
      if (!Number.isFinite(n)) return cell.v;
      const format = book.formats[cell.style]?.numFmt;
      if (isDateFormat(format)) return serialDate(n, format!);
      // 15 significant digits, as spreadsheets show: 0.1+0.2 is 0.3, not 0.30000000000000004.
      return String(Number(n.toPrecision(15)));
    }
    default:
      // str (a formula's text), d (an ISO date), e (an error such as #N/A): as written.
      return cell.v ?? '';
  }
}

const DAY_MS = 86_400_000;
/** Serial 0 of the 1900 date system, counted from 30 Dec 1899 because Excel counts a 29 Feb 1900 that never was. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);

/** A serial date as YYYY-MM-DD, with HH:MM[:SS] when the format shows a time; a time of day alone as HH:MM[:SS]. */
function serialDate(serial: number, format: string): string {
  const days = Math.floor(serial);
  // Serials before 1 Mar 1900 sit one day before the phantom 29 Feb.
  const base = days < 61 ? EPOCH_1900 + DAY_MS : EPOCH_1900;
  const secondsOfDay = Math.round((serial - days) * 86_400);
  const when = new Date(base + days * DAY_MS + secondsOfDay * 1000);
  const iso = when.toISOString();
  const date = iso.slice(0, 10);
  const time = when.getUTCSeconds() ? iso.slice(11, 19) : iso.slice(11, 16);
  const showsTime = /[hs]|AM\/PM|A\/P/i.test(format.replace(/"[^"]*"|\[[^\]]*\]/g, ''));
  if (!showsTime) return secondsOfDay ? `${date} ${time}` : date;
  return days === 0 ? time : `${date} ${time}`;
}
