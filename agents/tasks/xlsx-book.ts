// What the compare_table rules beyond values read from an xlsx, as openpyxl gives it: each sheet's
// cells (raw value, type, formula, style), row attributes, merged ranges, hyperlinks, data
// validations and conditional formats, and the workbook's cell formats (number format, font, fill).
import { basename, posix } from 'node:path';
import { attr, decodeXml, elements } from './office-xml.ts';
import { columnName, parseCellRef } from './sheets.ts';
import { entryText, readZip } from './zip-reader.ts';

export interface XlsxCell {
  ref: string;
  row: number;
  col: number;
  /** The `t` attribute: n (default), s, str, inlineStr, b, e, d. */
  type: string;
  v?: string;
  inline?: string;
  formula: boolean;
  style: number;
}

export interface XlsxFont {
  name: string | null;
  family: number | null;
  color: string | null;
  bold: boolean;
  italic: boolean;
  underline: string | null;
  size: number | null;
}

export interface XlsxFill {
  tag: 'patternFill' | 'gradientFill';
  fg: string | null;
  bg: string | null;
}

/** A cell format (cellXfs) or a conditional format's differential one (dxfs): the parts given. */
export interface XlsxFormat {
  numFmt?: string;
  font?: XlsxFont;
  fill?: XlsxFill;
}

export interface XlsxValidation {
  [attribute: string]: unknown;
}

export interface XlsxCfRule {
  type: string;
  operator?: string;
  text?: string;
  formulas: string[];
  dxf?: XlsxFormat;
}

export interface XlsxSheet {
  name: string;
  cells: Map<string, XlsxCell>;
  /** Row number -> its `<row>` attributes (only rows with more than r and spans, as openpyxl keeps). */
  rows: Map<number, Record<string, string>>;
  merged: string[];
  hyperlinks: Map<string, string>;
  validations: XlsxValidation[];
  conditional: { ranges: string[]; rules: XlsxCfRule[] }[];
}

export interface XlsxBook {
  file: string;
  sheets: XlsxSheet[];
  /** cellXfs: a cell's `s` indexes this. */
  formats: XlsxFormat[];
  shared: string[];
}

/** Excel's built-in number formats (ids without a numFmt element), as openpyxl names them. */
const BUILTIN_FORMATS: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
  7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?',
  13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm',
  21: 'h:mm:ss', 22: 'm/d/yy h:mm', 37: '#,##0_);(#,##0)', 38: '#,##0_);[Red](#,##0)', 39: '#,##0.00_);(#,##0.00)',
  40: '#,##0.00_);[Red](#,##0.00)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0', 48: '##0.0E+0', 49: '@',
};

/** openpyxl's is_date_format: a d, m, h, y or s outside quotes, escapes and bracketed colours. */
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const first = fmt.split(';')[0]!.replace(/\[(?!h\]|m\]|s\]|hh\]|mm\]|ss\])[^\]]*\]|"[^"]*"|\\.|[_*]./g, '');
  return /(?<![_\\])[dmhysDMHYS]/.test(first);
}

/** openpyxl's NestedBool: no element is false, an element without val true. */
const flag = (xml: string, tag: string): boolean => {
  const m = new RegExp(`<${tag}(\\s[^>]*)?/?>`).exec(xml);
  if (!m) return false;
  const val = /\sval="([^"]*)"/.exec(m[1] ?? '')?.[1];
  return val === undefined || val === '1' || val === 'true';
};

function color(xml: string | undefined, tag: string): string | null {
  const open = xml ? new RegExp(`<${tag}(\\s[^>]*)?/?>`).exec(xml) : null;
  if (!open) return null;
  const a = (n: string) => new RegExp(`\\s${n}="([^"]*)"`).exec(open[1] ?? '')?.[1];
  const rgb = a('rgb');
  if (rgb) return rgb;
  if (a('theme') !== undefined) return `theme:${a('theme')}`;
  if (a('indexed') !== undefined) return `indexed:${a('indexed')}`;
  // openpyxl's Color() with nothing given.
  return a('auto') ? 'auto' : '00000000';
}

function font(xml: string): XlsxFont {
  const num = (tag: string) => {
    const v = attr(xml, tag, 'val');
    return v === undefined ? null : Number(v);
  };
  const u = new RegExp('<u(\\s[^>]*)?/?>').exec(xml);
  return {
    name: attr(xml, 'name', 'val') ?? null,
    family: num('family'),
    color: color(xml, 'color'),
    bold: flag(xml, 'b'),
    italic: flag(xml, 'i'),
    underline: u ? (/\sval="([^"]*)"/.exec(u[1] ?? '')?.[1] ?? 'single') : null,
    size: num('sz'),
  };
}

function fill(xml: string): XlsxFill {
  if (/<gradientFill[\s>/]/.test(xml)) return { tag: 'gradientFill', fg: null, bg: null };
  // openpyxl's PatternFill gives fgColor and bgColor a default Color() when they are not written.
  return { tag: 'patternFill', fg: color(xml, 'fgColor') ?? '00000000', bg: color(xml, 'bgColor') ?? '00000000' };
}

const section = (xml: string, tag: string): string => new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1] ?? '';

function readFormats(styles: string): { cellXfs: XlsxFormat[]; dxfs: XlsxFormat[] } {
  const custom = new Map(elements(section(styles, 'numFmts'), 'numFmt').map((n) => [Number(attr(n, 'numFmt', 'numFmtId')), attr(n, 'numFmt', 'formatCode') ?? '']));
  const fmtOf = (id: number) => custom.get(id) ?? BUILTIN_FORMATS[id] ?? 'General';
  const fonts = elements(section(styles, 'fonts'), 'font').map(font);
  const fills = elements(section(styles, 'fills'), 'fill').map(fill);
  const cellXfs = elements(section(styles, 'cellXfs'), 'xf').map((xf): XlsxFormat => {
    const n = (a: string) => Number(attr(xf, 'xf', a) ?? 0);
    return { numFmt: fmtOf(n('numFmtId')), ...(fonts[n('fontId')] ? { font: fonts[n('fontId')]! } : {}), ...(fills[n('fillId')] ? { fill: fills[n('fillId')]! } : {}) };
  });
  const dxfs = elements(section(styles, 'dxfs'), 'dxf').map((d): XlsxFormat => {
    const f = elements(d, 'font')[0];
    const fl = elements(d, 'fill')[0];
    const nf = elements(d, 'numFmt')[0];
    return { ...(nf ? { numFmt: attr(nf, 'numFmt', 'formatCode') ?? '' } : {}), ...(f ? { font: font(f) } : {}), ...(fl ? { fill: fill(fl) } : {}) };
  });
  return { cellXfs, dxfs };
}

function relTargets(rels: string | undefined, base: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of elements(rels ?? '', 'Relationship')) {
    const id = attr(r, 'Relationship', 'Id');
    const target = attr(r, 'Relationship', 'Target');
    if (!id || !target) continue;
    out.set(id, attr(r, 'Relationship', 'TargetMode') === 'External' ? target : posix.normalize(target.startsWith('/') ? target.slice(1) : posix.join(base, target)));
  }
  return out;
}

/** Each cell of "A1:C3" (or a single "B2"), by reference. */
export function cellsOf(range: string): string[] {
  const [from, to = from] = range.replace(/\$/g, '').split(':') as [string, string?];
  const a = parseCellRef(from);
  const b = parseCellRef(to!);
  const out: string[] = [];
  for (let r = Math.min(a.row, b.row); r <= Math.max(a.row, b.row); r++) {
    for (let c = Math.min(a.col, b.col); c <= Math.max(a.col, b.col); c++) out.push(`${columnName(c)}${r + 1}`);
  }
  return out;
}

const BOOL_VALIDATION = ['allowBlank', 'showDropDown', 'showInputMessage', 'showErrorMessage'];
const TEXT_VALIDATION = ['type', 'operator', 'errorStyle', 'error', 'errorTitle', 'prompt', 'promptTitle', 'imeMode'];

function validation(xml: string): XlsxValidation {
  const out: XlsxValidation = {};
  for (const a of BOOL_VALIDATION) out[a] = ['1', 'true'].includes(attr(xml, 'dataValidation', a) ?? '');
  for (const a of TEXT_VALIDATION) out[a] = attr(xml, 'dataValidation', a) ?? null;
  for (const f of ['formula1', 'formula2']) {
    const m = new RegExp(`<${f}>([\\s\\S]*?)</${f}>`).exec(xml);
    out[f] = m ? decodeXml(m[1]!) : null;
  }
  // openpyxl's `ranges`, `sqref` and `cells` are the same MultiCellRange.
  const sqref = (attr(xml, 'dataValidation', 'sqref') ?? '').split(/\s+/).filter(Boolean);
  out['ranges'] = out['sqref'] = out['cells'] = sqref;
  return out;
}

function readSheet(name: string, xml: string, rels: Map<string, string>, formats: { dxfs: XlsxFormat[] }): XlsxSheet {
  const cells = new Map<string, XlsxCell>();
  const rows = new Map<number, Record<string, string>>();
  let rowNo = 0;
  for (const row of elements(section(xml, 'sheetData'), 'row')) {
    const open = /^<row\b([^>]*?)\/?>/.exec(row)?.[1] ?? '';
    const attrs = Object.fromEntries([...open.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1]!, decodeXml(m[2]!)]));
    rowNo = attrs['r'] ? Number(attrs['r']) : rowNo + 1;
    if (Object.keys(attrs).some((k) => k !== 'r' && k !== 'spans' && !k.includes(':'))) rows.set(rowNo, attrs);
    let colNo = -1;
    for (const c of row.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const a = (n: string) => new RegExp(`\\s${n}="([^"]*)"`).exec(c[1]!)?.[1];
      const ref = a('r') ?? `${columnName(colNo + 1)}${rowNo}`;
      const { col } = parseCellRef(ref);
      colNo = col;
      const body = c[2] ?? '';
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      const is = /<is>([\s\S]*?)<\/is>/.exec(body)?.[1];
      cells.set(ref, {
        ref, row: rowNo, col, type: a('t') ?? 'n', formula: /<f[\s>/]/.test(body), style: Number(a('s') ?? 0),
        ...(v !== undefined ? { v: decodeXml(v) } : {}),
        // xmltodict's is.t: a plain inline string (rich runs give none).
        ...(is !== undefined && /^<t(\s[^>]*)?>[^<]*<\/t>$/.test(is.trim()) ? { inline: decodeXml(/<t(?:\s[^>]*)?>([^<]*)<\/t>/.exec(is)![1]!) } : {}),
      });
    }
  }
  const hyperlinks = new Map<string, string>();
  for (const h of elements(section(xml, 'hyperlinks'), 'hyperlink')) {
    const id = attr(h, 'hyperlink', 'r:id');
    const target = (id ? rels.get(id) : undefined) ?? attr(h, 'hyperlink', 'location') ?? '';
    for (const ref of (attr(h, 'hyperlink', 'ref') ?? '').split(/\s+/).filter(Boolean).flatMap(cellsOf)) hyperlinks.set(ref, target);
  }
  const conditional = elements(xml, 'conditionalFormatting').map((cf) => ({
    ranges: (attr(cf, 'conditionalFormatting', 'sqref') ?? '').split(/\s+/).filter(Boolean),
    rules: elements(cf, 'cfRule').map((r): XlsxCfRule => {
      const dxfId = attr(r, 'cfRule', 'dxfId');
      const dxf = dxfId !== undefined ? formats.dxfs[Number(dxfId)] : undefined;
      const [operator, text] = [attr(r, 'cfRule', 'operator'), attr(r, 'cfRule', 'text')];
      return {
        type: attr(r, 'cfRule', 'type') ?? '', formulas: [...r.matchAll(/<formula>([\s\S]*?)<\/formula>/g)].map((m) => decodeXml(m[1]!)),
        ...(operator ? { operator } : {}), ...(text !== undefined ? { text } : {}), ...(dxf ? { dxf } : {}),
      };
    }),
  }));
  return {
    name, cells, rows, hyperlinks, conditional,
    merged: elements(section(xml, 'mergeCells'), 'mergeCell').map((m) => attr(m, 'mergeCell', 'ref') ?? '').filter(Boolean),
    validations: elements(section(xml, 'dataValidations'), 'dataValidation').map(validation),
  };
}

/** The workbook's sheets, shared strings and formats. */
export async function readXlsxBook(path: string): Promise<XlsxBook> {
  const zip = await readZip(path);
  const book = entryText(zip, 'xl/workbook.xml');
  if (book === undefined) throw new Error(`${basename(path)} has no xl/workbook.xml: not an xlsx workbook`);
  const rels = relTargets(entryText(zip, 'xl/_rels/workbook.xml.rels'), 'xl');
  const { cellXfs, dxfs } = readFormats(entryText(zip, 'xl/styles.xml') ?? '');
  const sheets = elements(section(book, 'sheets'), 'sheet').map((s) => {
    const part = rels.get(attr(s, 'sheet', 'r:id') ?? '') ?? '';
    const sheetRels = relTargets(entryText(zip, posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`)), posix.dirname(part));
    return readSheet(attr(s, 'sheet', 'name') ?? '', entryText(zip, part) ?? '', sheetRels, { dxfs });
  });
  // openpyxl's shared strings: every <t> of an item joined (rich text runs included).
  const shared = elements(entryText(zip, 'xl/sharedStrings.xml') ?? '', 'si').map((si) => [...si.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((m) => decodeXml(m[1]!)).join(''));
  return { file: path, sheets, formats: cellXfs, shared };
}
