// compare_table rules about a workbook's shape rather than its values: sheet names (any format),
// frozen panes and zoom (read from the xlsx's sheet XML, as openpyxl does).
import { extname } from 'node:path';
import { matchValue } from './metrics.ts';
import { xlsxSheetViews, type XlsxSheetView } from './office-xml.ts';
import type { Sheet } from './sheets.ts';

function views(path: string | undefined, which: string): Promise<XlsxSheetView[]> {
  if (!path) throw new Error(`this compare_table rule needs the ${which} file`);
  if (extname(path).toLowerCase() !== '.xlsx') throw new Error(`freeze and zoom are read from .xlsx files; the ${which} file is ${extname(path) || 'without an extension'}`);
  return xlsxSheetViews(path);
}

/** A sheet by OSWorld's index (RI0, EI1, RNname, ENname, or a number for the result). */
function pick(idx: unknown, result: XlsxSheetView[], expected: XlsxSheetView[] | undefined): XlsxSheetView | undefined {
  const s = typeof idx === 'number' ? `RI${idx}` : String(idx ?? 'RI0');
  const m = /^([RE])([IN])(.+)$/.exec(s);
  if (!m) throw new Error(`sheet index ${JSON.stringify(idx)} is not like RI0, EI0, RNSheet1`);
  const book = m[1] === 'R' ? result : expected;
  return m[2] === 'I' ? book?.[Number(m[3])] : book?.find((v) => v.name === m[3]);
}

/** Why the rule fails, or undefined when it holds. */
export async function tableViewRule(type: 'sheet_name' | 'freeze' | 'zoom', rule: Record<string, unknown>, result: string, expected: string | undefined, resultBook: Sheet[], expectedBook: Sheet[] | undefined): Promise<string | undefined> {
  if (type === 'sheet_name') {
    const [a, b] = [resultBook.map((s) => s.name), (expectedBook ?? []).map((s) => s.name)];
    return JSON.stringify(a) === JSON.stringify(b) ? undefined : `sheet names ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`;
  }
  const r = await views(result, 'result');
  if (type === 'zoom') {
    const sheet = pick(rule['sheet_idx'], r, undefined);
    if (!sheet) return `no sheet ${String(rule['sheet_idx'])}`;
    return matchValue(String(sheet.zoom ?? 100), { method: rule['method'], ref: rule['ref'] }) ? undefined : `zoom ${sheet.zoom}%, wanted ${String(rule['method'])} ${String(rule['ref'])}`;
  }
  const e = expected ? await views(expected, 'expected') : undefined;
  const [a, b] = [pick(rule['sheet_idx0'], r, e), pick(rule['sheet_idx1'], r, e)];
  if (!a || !b) return `no sheet ${String(!a ? rule['sheet_idx0'] : rule['sheet_idx1'])}`;
  return a.freeze === b.freeze ? undefined : `frozen panes at ${a.freeze ?? '(none)'}, expected ${b.freeze ?? '(none)'}`;
}
