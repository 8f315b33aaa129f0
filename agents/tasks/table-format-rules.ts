// compare_table rules read from an xlsx's XML as openpyxl reads it: sheet_fuzzy (cell text compared
// loosely over ranges), style (cell formats, with conditional formats applied), data_validation and
// row_props; and check_cell's style properties. Each says where the first difference is.
import { extname } from 'node:path';
import { UnsupportedError } from './errors.ts';
import { similarity } from './similarity.ts';
import { cellsOf, isDateFormat, readXlsxBook, type XlsxBook, type XlsxCell, type XlsxCfRule, type XlsxFormat, type XlsxSheet } from './xlsx-book.ts';
import { columnName, parseCellRef } from './sheets.ts';

export const FORMAT_RULES = new Set(['sheet_fuzzy', 'style', 'data_validation', 'row_props']);
export const STYLE_PROPS = new Set(['number_format', 'font_name', 'font_family', 'font_color', 'font_bold', 'font_italic', 'font_underline', 'font_size', 'fill_type', 'bgcolor', 'fgcolor', 'hyperlink', 'merge']);
export const ROW_PROPS = new Set(['hidden', 'collapsed', 'height', 'ht', 'outline_level', 'outlineLevel', 'thickBot', 'thickTop', 'customHeight']);
export const VALIDATION_PROPS = new Set(['ranges', 'sqref', 'cells', 'type', 'formula1', 'formula2', 'operator', 'allowBlank', 'showDropDown', 'showInputMessage', 'showErrorMessage', 'error', 'errorTitle', 'errorStyle', 'prompt', 'promptTitle', 'imeMode']);
const FUZZY_TYPES = new Set(['includes', 'included_by', 'fuzzy_match', 'exact_match']);

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 80)}...` : s;
};

/** What a compare_table rule of these types asks that is not checked here (for tasks check). */
export function unsupportedFormatParts(rule: Record<string, unknown>): string[] {
  const type = String(rule['type']);
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  if (type === 'style') return list(rule['props']).filter((p) => !STYLE_PROPS.has(p)).map((p) => `compare_table style property "${p}"`);
  if (type === 'row_props') return list(rule['props']).filter((p) => !ROW_PROPS.has(p)).map((p) => `compare_table row_props property "${p}"`);
  if (type === 'data_validation') {
    const props = Array.isArray(rule['dv_props']) ? (rule['dv_props'] as Record<string, { method?: unknown }>[]) : [];
    return props.flatMap((p) => Object.entries(p ?? {}).flatMap(([k, r]) => [...(VALIDATION_PROPS.has(k) ? [] : [`compare_table data_validation attribute "${k}"`]), ...(methodKnown(r?.method) ? [] : [`compare_table data_validation method "${String(r?.method)}"`])]));
  }
  if (type === 'sheet_fuzzy') return (Array.isArray(rule['rules']) ? (rule['rules'] as Record<string, unknown>[]) : []).map((r) => String(r?.['type'])).filter((t) => !FUZZY_TYPES.has(t)).map((t) => `compare_table sheet_fuzzy match "${t}"`);
  return [];
}

// ---- OSWorld's _match_value_to_rule on typed values ----

const METHOD = /^(eq|ne|lt|le|gt|ge|approx:.+|re(\.\w+)*|spreadsheet_range|range\.[et][et]|str_list_eq|str_set_eq)$/;
const methodKnown = (m: unknown) => typeof m === 'string' && METHOD.test(m);

/** A range list: "A1:B2 C3" or ["A1:B2", "C3"]. */
const rangeList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : String(v ?? '')).toString().split(/[\s,]+/).filter(Boolean);

function box(range: string) {
  const [a, b = a] = range.replace(/\$/g, '').split(':') as [string, string?];
  const p = parseCellRef(a);
  const q = parseCellRef(b!);
  return { r0: Math.min(p.row, q.row), r1: Math.max(p.row, q.row), c0: Math.min(p.col, q.col), c1: Math.max(p.col, q.col) };
}

/** Each range of `sub` lies within one range of `sup` (openpyxl's MultiCellRange containment). */
function within(sub: string[], sup: string[]): boolean {
  return sub.every((r) => {
    const x = box(r);
    return sup.some((s) => {
      const y = box(s);
      return x.r0 >= y.r0 && x.r1 <= y.r1 && x.c0 >= y.c0 && x.c1 <= y.c1;
    });
  });
}

/** Python's < and == between two values: numbers with numbers, text with text; other pairs cannot be ordered. */
function order(a: unknown, b: unknown): number | undefined {
  const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
  const [x, y] = [num(a), num(b)];
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  return undefined;
}

export function pyMatch(value: unknown, rule: { method?: unknown; ref?: unknown }): boolean {
  const method = String(rule.method);
  const ref = rule.ref;
  if (method.startsWith('re')) {
    const flags = method.split('.').slice(1).map((f) => ({ I: 'i', IGNORECASE: 'i', M: 'm', MULTILINE: 'm', S: 's', DOTALL: 's' })[f.toUpperCase()] ?? '').join('');
    return typeof value === 'string' && new RegExp(String(ref), flags).test(value);
  }
  if (method === 'eq' || method === 'ne') {
    let same: boolean;
    if (Array.isArray(value) && typeof ref === 'string') same = [...value].sort().join(' ') === rangeList(ref).sort().join(' ');
    else if (typeof value === 'number' || typeof ref === 'number') same = order(value, ref) === 0;
    else same = JSON.stringify(value) === JSON.stringify(ref);
    return method === 'eq' ? same : !same;
  }
  if (['lt', 'le', 'gt', 'ge'].includes(method)) {
    const o = order(value, ref);
    if (o === undefined) return false;
    return method === 'lt' ? o < 0 : method === 'le' ? o <= 0 : method === 'gt' ? o > 0 : o >= 0;
  }
  if (method.startsWith('approx:')) {
    const x = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    return Number.isFinite(x) && Math.abs(x - Number(ref)) <= Number(method.slice(7));
  }
  if (method === 'spreadsheet_range') {
    const [sub, sup] = Array.isArray(ref) ? ref : [];
    const got = rangeList(value);
    return within(rangeList(sub), got) && within(got, rangeList(sup));
  }
  if (method.startsWith('range.')) {
    const [lo, hi] = Array.isArray(ref) ? ref : [];
    const [a, b] = [order(lo, value), order(value, hi)];
    if (a === undefined || b === undefined) return false;
    return (method[6] === 'e' ? a <= 0 : a < 0) && (method[7] === 'e' ? b <= 0 : b < 0);
  }
  if (method === 'str_list_eq' || method === 'str_set_eq') {
    if (typeof value !== 'string') return false;
    const got = value.replace(/^["']+|["']+$/g, '').split(',');
    const want = (Array.isArray(ref) ? ref : []).map(String);
    return method === 'str_list_eq' ? got.join('\u0000') === want.join('\u0000') : new Set(got).size === new Set(want).size && got.every((g) => want.includes(g));
  }
  throw new UnsupportedError(`compare_table match method "${method}"`);
}

// ---- workbooks and sheets ----

export async function xlsxBook(path: string | undefined, which: string): Promise<XlsxBook> {
  if (!path) throw new Error(`this compare_table rule needs the ${which} file`);
  if (!['.xlsx', '.xlsm'].includes(extname(path).toLowerCase())) throw new Error(`styles, validations and row properties are read from .xlsx files; the ${which} file is ${extname(path) || 'without an extension'}`);
  return readXlsxBook(path);
}

/** OSWorld's sheet index: a number or RI0 (result, by index), EI0 (expected), RNname / ENname (by name). */
export function pickXlsxSheet(idx: unknown, result: XlsxBook, expected: XlsxBook | undefined): { sheet?: XlsxSheet; book?: XlsxBook; label: string } {
  const s = typeof idx === 'number' ? `RI${idx}` : String(idx ?? 'RI0');
  const m = /^([RE])([IN])(.+)$/.exec(s);
  if (!m) throw new Error(`sheet index ${show(idx)} is not like RI0, EI0, RNSheet1`);
  const book = m[1] === 'R' ? result : expected;
  if (!book) throw new Error(`sheet index ${s} refers to the expected file, and the task gives none`);
  const sheet = m[2] === 'I' ? book.sheets[Number(m[3])] : book.sheets.find((x) => x.name === m[3]);
  return { ...(sheet ? { sheet } : {}), book, label: `${m[1] === 'R' ? 'result' : 'expected'} sheet ${sheet?.name ?? m[3]}` };
}

/** OSWorld's read_cell_value: a number, a text, or null (no cell, no value, a boolean). */
export function cellValue(book: XlsxBook, cell: XlsxCell | undefined): number | string | null {
  if (!cell) return null;
  if (cell.type === 'n') return cell.v === undefined || cell.v.trim() === '' ? null : Number(cell.v);
  if (cell.type === 's') return cell.v === undefined ? null : (book.shared[Number(cell.v)] ?? null);
  if (cell.type === 'str' || cell.type === 'e') return cell.v ?? null;
  if (cell.type === 'inlineStr') return cell.inline ?? null;
  return null;
}

/** Python's str() of such a value: None, 3.0, text. */
export function pyStr(v: number | string | null): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return v;
  return Number.isInteger(v) && Math.abs(v) < 1e16 ? v.toFixed(1) : String(v);
}

function isMerged(sheet: XlsxSheet, ref: string): boolean {
  const { row, col } = parseCellRef(ref);
  return sheet.merged.some((m) => {
    const b = box(m);
    return row >= b.r0 && row <= b.r1 && col >= b.c0 && col <= b.c1 && !(row === b.r0 && col === b.c0);
  });
}

/** OSWorld's _read_cell_style: a cell's property, or a conditional format's (`dxf`) for the cell. */
export function cellStyle(prop: string, book: XlsxBook, sheet: XlsxSheet, ref: string, dxf?: XlsxFormat): unknown {
  const cell = sheet.cells.get(ref);
  const fmt = (cell ? book.formats[cell.style] : undefined) ?? book.formats[0] ?? {};
  const from = dxf ?? fmt;
  const hasValue = !!cell && (cell.formula || cell.v !== undefined || cell.type === 'inlineStr');
  const dataType = !cell ? 'n' : cell.formula ? 'f' : ['s', 'str', 'inlineStr'].includes(cell.type) ? 's' : cell.type !== 'n' ? cell.type : isDateFormat(fmt.numFmt) ? 'd' : 'n';
  // A conditional format without a font or number format leaves the cell's (OSWorld stops with an error there).
  const fontProp = (k: keyof NonNullable<XlsxFormat['font']>) => (hasValue ? ((from.font ?? fmt.font)?.[k] ?? null) : null);
  switch (prop) {
    case 'number_format':
      return hasValue && dataType === 'n' ? ((dxf?.numFmt ?? fmt.numFmt) ?? null) : null;
    case 'font_name':
      return fontProp('name');
    case 'font_family':
      return fontProp('family');
    case 'font_color':
      return fontProp('color');
    case 'font_bold':
      return fontProp('bold');
    case 'font_italic':
      return fontProp('italic');
    case 'font_underline':
      return fontProp('underline');
    case 'font_size':
      return fontProp('size');
    case 'fill_type':
      return from.fill?.tag ?? null;
    case 'bgcolor':
    case 'fgcolor':
      // As OSWorld: a conditional format's background colour, a cell's pattern foreground colour.
      return (dxf ? dxf.fill?.bg : fmt.fill?.fg) ?? null;
    case 'hyperlink':
      return hasValue ? (sheet.hyperlinks.get(ref) ?? '') : null;
    case 'merge':
      return isMerged(sheet, ref);
    default:
      throw new UnsupportedError(`compare_table cell style "${prop}"`);
  }
}

// ---- conditional formats ----

/** A cfRule formula that is a constant: a number or a quoted text; undefined for anything else. */
function literal(formula: string): number | string | undefined {
  const f = formula.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(f)) return Number(f);
  const q = /^"((?:[^"]|"")*)"$/.exec(f);
  return q ? q[1]!.replace(/""/g, '"') : undefined;
}

/** Whether a conditional format rule is on for a value; undefined when OSWorld would skip the rule. */
function ruleTest(rule: XlsxCfRule): ((v: number | string) => boolean) | undefined {
  if (rule.type === 'cellIs') {
    const refs = rule.formulas.map(literal);
    // OSWorld evaluates the formulas without any cell: a reference or a function fails and the rule is skipped.
    if (refs.some((r) => r === undefined)) return undefined;
    const [a, b] = refs as (number | string)[];
    const sorted = () => {
      const o = order(a, b);
      return o === undefined ? undefined : o <= 0 ? [a, b] : [b, a];
    };
    return (v) => {
      const cmp = order(v, a);
      switch (rule.operator) {
        case 'lessThan': return cmp !== undefined && cmp < 0;
        case 'lessThanOrEqual': return cmp !== undefined && cmp <= 0;
        case 'greaterThan': return cmp !== undefined && cmp > 0;
        case 'greaterThanOrEqual': return cmp !== undefined && cmp >= 0;
        case 'equal': return cmp === 0;
        case 'notEqual': return cmp !== 0;
        case 'between':
        case 'notBetween': {
          const s = sorted();
          const [lo, hi] = [s ? order(v, s[0]) : undefined, s ? order(v, s[1]) : undefined];
          if (lo === undefined || hi === undefined) return false;
          return rule.operator === 'between' ? lo >= 0 && hi <= 0 : lo < 0 || hi > 0;
        }
        default: return false;
      }
    };
  }
  // Excel's SEARCH and = on text ignore case.
  const text = (rule.text ?? '').toLowerCase();
  if (rule.type === 'containsText') return (v) => String(v).toLowerCase().includes(text);
  if (rule.type === 'notContainsText') return (v) => !String(v).toLowerCase().includes(text);
  if (rule.type === 'beginsWith') return (v) => String(v).toLowerCase().startsWith(text);
  if (rule.type === 'endsWith') return (v) => String(v).toLowerCase().endsWith(text);
  if (rule.type === 'expression' || rule.type === 'containsErrors' || rule.type === 'notContainsErrors') {
    throw new UnsupportedError(`compare_table style with a conditional format given by a formula (${rule.formulas[0] ?? rule.type})`);
  }
  // top10, aboveAverage, duplicateValues, colour scales...: OSWorld does not evaluate them either.
  return undefined;
}

/** OSWorld's load_xlsx_styles: every cell from A1 to the last used one, then the cells conditional formats turn on. */
export function sheetStyles(book: XlsxBook, sheet: XlsxSheet | undefined, props: string[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  if (!sheet) return out;
  const used = [...sheet.cells.values()].map((c) => ({ row: c.row - 1, col: c.col }));
  for (const m of sheet.merged) {
    const b = box(m);
    used.push({ row: b.r1, col: b.c1 });
  }
  if (used.length > 0) {
    const maxRow = Math.max(...used.map((u) => u.row));
    const maxCol = Math.max(...used.map((u) => u.col));
    for (const ref of cellsOf(`A1:${columnName(maxCol)}${maxRow + 1}`)) out.set(ref, props.map((p) => cellStyle(p, book, sheet, ref)));
  }
  for (const cf of sheet.conditional) {
    for (const rule of cf.rules) {
      const on = ruleTest(rule);
      if (!on) continue;
      let nothing = 0;
      for (const range of cf.ranges) {
        for (const ref of cellsOf(range)) {
          const v = cellValue(book, sheet.cells.get(ref));
          if (v === null) {
            // As OSWorld: after 50 empty cells (in all) the rest of a range is not looked at.
            if (++nothing > 50) break;
            continue;
          }
          if (on(v)) out.set(ref, props.map((p) => cellStyle(p, book, sheet, ref, rule.dxf ?? {})));
        }
      }
    }
  }
  return out;
}

// ---- the rules ----

/** Why the rule fails, or undefined when it holds. */
export async function formatRule(rule: Record<string, unknown>, result: string, expected: string | undefined): Promise<string | undefined> {
  const type = String(rule['type']);
  const r = await xlsxBook(result, 'result');
  const e = expected ? await xlsxBook(expected, 'expected') : undefined;
  if (type === 'data_validation') return dataValidation(rule, r, e);
  const a = pickXlsxSheet(rule['sheet_idx0'], r, e);
  const b = pickXlsxSheet(rule['sheet_idx1'], r, e);
  if (type === 'sheet_fuzzy') return sheetFuzzy(rule, a, b);
  if (type === 'style') {
    const props = ((rule['props'] ?? []) as unknown[]).map(String);
    return firstDifference(sheetStyles(a.book!, a.sheet, props), sheetStyles(b.book!, b.sheet, props), props, a.label, b.label, 'cell');
  }
  if (type === 'row_props') {
    const props = ((rule['props'] ?? []) as unknown[]).map(String);
    return firstDifference(rowProps(a.sheet, props), rowProps(b.sheet, props), props, a.label, b.label, 'row');
  }
  throw new UnsupportedError(`compare_table rule "${type}"`);
}

function firstDifference(x: Map<string, unknown[]>, y: Map<string, unknown[]>, props: string[], la: string, lb: string, what: string): string | undefined {
  for (const key of new Set([...x.keys(), ...y.keys()])) {
    const [p, q] = [x.get(key), y.get(key)];
    if (!p || !q) return `${what} ${key} is in the ${!p ? lb : la} only`;
    const i = p.findIndex((v, n) => JSON.stringify(v) !== JSON.stringify(q[n]));
    if (i >= 0) return `${what} ${key}: ${props[i]} ${show(p[i])} in the ${la}, ${show(q[i])} in the ${lb}`;
  }
  return undefined;
}

/** OSWorld's load_rows_or_cols for rows: each row openpyxl keeps dimensions for, with the asked properties. */
function rowProps(sheet: XlsxSheet | undefined, props: string[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const bool = (v: string | undefined) => v === '1' || v === 'true';
  for (const [n, attrs] of sheet?.rows ?? []) {
    out.set(String(n), props.map((p) => {
      if (p === 'hidden' || p === 'collapsed' || p === 'thickBot' || p === 'thickTop') return bool(attrs[p]);
      if (p === 'height' || p === 'ht') return attrs['ht'] !== undefined ? Number(attrs['ht']) : null;
      if (p === 'outline_level' || p === 'outlineLevel') return Number(attrs['outlineLevel'] ?? 0);
      if (p === 'customHeight') return attrs['ht'] !== undefined;
      throw new UnsupportedError(`compare_table row_props property "${p}"`);
    }));
  }
  return out;
}

function dataValidation(rule: Record<string, unknown>, r: XlsxBook, e: XlsxBook | undefined): string | undefined {
  const { sheet, label } = pickXlsxSheet(rule['sheet_idx'], r, e);
  if (!sheet) return `no ${label}`;
  const wanted = (rule['dv_props'] ?? []) as Record<string, { method?: unknown; ref?: unknown }>[];
  const found = sheet.validations;
  if (found.length < wanted.length) return `${found.length} data validation(s) in the ${label}, expected at least ${wanted.length}`;
  // As OSWorld: every validation in the sheet must match one of the expected ones.
  for (const [i, dv] of found.entries()) {
    const ok = wanted.some((w) => Object.entries(w).every(([k, m]) => pyMatch(dv[k], m)));
    if (!ok) return `data validation ${i + 1} (${String(dv['type'] ?? 'any')} on ${(dv['ranges'] as string[]).join(' ')}${dv['formula1'] ? `, ${String(dv['formula1'])}` : ''}) matches none of the expected ${show(wanted)}`;
  }
  return undefined;
}

function sheetFuzzy(rule: Record<string, unknown>, a: ReturnType<typeof pickXlsxSheet>, b: ReturnType<typeof pickXlsxSheet>): string | undefined {
  const strip = (s: string, chars: string, end: 'start' | 'end') => {
    let t = s;
    while (t && chars.includes(end === 'start' ? t[0]! : t.at(-1)!)) t = end === 'start' ? t.slice(1) : t.slice(0, -1);
    return t;
  };
  for (const rl of (rule['rules'] ?? []) as Record<string, unknown>[]) {
    for (const ref of rangeList(rl['range']).flatMap(cellsOf)) {
      let x = pyStr(a.sheet ? cellValue(a.book!, a.sheet.cells.get(ref)) : null);
      let y = pyStr(b.sheet ? cellValue(b.book!, b.sheet.cells.get(ref)) : null);
      for (const [from, to] of (rl['normalization'] ?? []) as [string, string][]) [x, y] = [x.split(from).join(to), y.split(from).join(to)];
      if (typeof rl['trim_leadings'] === 'string') [x, y] = [strip(x, rl['trim_leadings'], 'start'), strip(y, rl['trim_leadings'], 'start')];
      if (typeof rl['trim_trailings'] === 'string') [x, y] = [strip(x, rl['trim_trailings'], 'end'), strip(y, rl['trim_trailings'], 'end')];
      if (typeof rl['ignore_chars'] === 'string') {
        const ignore = new Set(rl['ignore_chars']);
        [x, y] = [[...x].filter((c) => !ignore.has(c)).join(''), [...y].filter((c) => !ignore.has(c)).join('')];
      }
      if (rl['ignore_case'] === true) [x, y] = [x.toLowerCase(), y.toLowerCase()];
      const type = String(rl['type']);
      const threshold = Number(rl['threshold'] ?? 85);
      const ratio = similarity(x, y) * 100;
      const ok = type === 'includes' ? x.includes(y) : type === 'included_by' ? y.includes(x) : type === 'fuzzy_match' ? ratio >= threshold : type === 'exact_match' ? x === y : undefined;
      if (ok === undefined) throw new UnsupportedError(`compare_table sheet_fuzzy match "${type}"`);
      if (!ok) {
        const why = type === 'fuzzy_match' ? `similarity ${ratio.toFixed(1)} is below ${threshold}` : type === 'exact_match' ? 'they differ' : type === 'includes' ? `the ${a.label}'s does not include the ${b.label}'s` : `the ${a.label}'s is not within the ${b.label}'s`;
        return `${ref}: ${show(x)} vs ${show(y)} (${type}: ${why})`;
      }
    }
  }
  return undefined;
}
