// Small OOXML files for tests: zips (fflate, stored or deflated) of minimal docx, pptx and
// xlsx parts, enough for our readers and for LibreOffice to open them.
import { writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';

/** A zip of these entries, deflated or stored (level 0). */
export function zip(entries: Record<string, string | Buffer>, deflate = true): Buffer {
  const files = Object.fromEntries(Object.entries(entries).map(([name, content]) => [name, Buffer.isBuffer(content) ? new Uint8Array(content) : Buffer.from(content, 'utf8')]));
  return Buffer.from(zipSync(files, { level: deflate ? 6 : 0 }));
}

const xmlEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

export function docx(paragraphs: string[], tableCell?: string): Buffer {
  const p = (t: string) => `<w:p><w:r><w:t xml:space="preserve">${xmlEsc(t)}</w:t></w:r></w:p>`;
  const table = tableCell ? `<w:tbl><w:tr><w:tc>${p(tableCell)}</w:tc></w:tr></w:tbl>` : '';
  return zip({
    '[Content_Types].xml': `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    '_rels/.rels': `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`,
    'word/document.xml': `${HEAD}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs.map(p).join('')}${table}</w:body></w:document>`,
  });
}

export interface SlideShape {
  text: string;
  x?: number;
  bold?: boolean;
  size?: number;
  align?: string;
}

export function pptx(slides: SlideShape[][]): Buffer {
  const sp = (s: SlideShape, i: number) => `<p:sp><p:nvSpPr><p:cNvPr id="${i + 2}" name="T${i}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="${s.x ?? 457200}" y="${457200 * (i + 1)}"/><a:ext cx="4000000" cy="600000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:p>${s.align ? `<a:pPr algn="${s.align}"/>` : ''}<a:r><a:rPr lang="en-US"${s.size ? ` sz="${s.size}"` : ''}${s.bold ? ' b="1"' : ''}/><a:t>${xmlEsc(s.text)}</a:t></a:r></a:p></p:txBody></p:sp>`;
  const ns = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
  const files: Record<string, string> = {
    '[Content_Types].xml': `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>${slides.map((_, i) => `<Override PartName="/ppt/slides/slide${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>`).join('')}</Types>`,
    '_rels/.rels': `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="ppt/presentation.xml"/></Relationships>`,
    'ppt/presentation.xml': `${HEAD}<p:presentation ${ns}><p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 10}"/>`).join('')}</p:sldIdLst></p:presentation>`,
    'ppt/_rels/presentation.xml.rels': `${HEAD}<Relationships xmlns="${PKG}">${slides.map((_, i) => `<Relationship Id="rId${i + 10}" Type="${REL}/slide" Target="slides/slide${i + 1}.xml"/>`).join('')}</Relationships>`,
  };
  slides.forEach((shapes, i) => {
    files[`ppt/slides/slide${i + 1}.xml`] = `${HEAD}<p:sld ${ns}><p:cSld><p:spTree>${shapes.map(sp).join('')}</p:spTree></p:cSld></p:sld>`;
  });
  return zip(files);
}

export function xlsx(sheets: { name: string; freeze?: string; zoom?: number }[]): Buffer {
  const files: Record<string, string> = {
    'xl/workbook.xml': `${HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets>${sheets.map((s, i) => `<sheet name="${xmlEsc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${HEAD}<Relationships xmlns="${PKG}">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`,
  };
  sheets.forEach((s, i) => {
    const pane = s.freeze ? `<pane xSplit="1" ySplit="1" topLeftCell="${s.freeze}" activePane="bottomRight" state="frozen"/>` : '';
    files[`xl/worksheets/sheet${i + 1}.xml`] = `${HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"${s.zoom ? ` zoomScale="${s.zoom}"` : ''}>${pane}</sheetView></sheetViews><sheetData/></worksheet>`;
  });
  return zip(files);
}

export const writeFixture = (path: string, data: Buffer): string => {
  writeFileSync(path, data);
  return path;
};

export interface FixtureCell {
  v: string | number;
  bold?: boolean;
  italic?: boolean;
  /** aRGB of the font. */
  color?: string;
  /** aRGB of a solid fill. */
  fill?: string;
  numFmt?: string;
  size?: number;
}

export interface FixtureSheet {
  name: string;
  cells?: Record<string, string | number | FixtureCell>;
  /** Row attributes by row number, e.g. { 3: { hidden: true, ht: 30 } }. */
  rows?: Record<number, { hidden?: boolean; ht?: number }>;
  merged?: string[];
  validations?: { type: string; sqref: string; formula1?: string; operator?: string; allowBlank?: boolean; showErrorMessage?: boolean }[];
  /** cellIs conditional formats with a solid background (a dxf). */
  conditional?: { sqref: string; operator: string; formula: string; fill: string }[];
}

/** A workbook with values, cell formats, row attributes, merges, validations and conditional formats. */
export function xlsxWorkbook(sheets: FixtureSheet[]): Buffer {
  const fonts = ['<font><sz val="10"/><name val="Arial"/></font>'];
  const fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'];
  const numFmts: string[] = [];
  const xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'];
  const dxfs: string[] = [];
  const strings: string[] = [];
  const index = (list: string[], item: string) => (list.includes(item) ? list.indexOf(item) : list.push(item) - 1);
  const styleOf = (c: FixtureCell): number => {
    if (!c.bold && !c.italic && !c.color && !c.fill && !c.numFmt && !c.size) return 0;
    const font = index(fonts, `<font>${c.bold ? '<b val="true"/>' : ''}${c.italic ? '<i val="true"/>' : ''}<sz val="${c.size ?? 10}"/>${c.color ? `<color rgb="${c.color}"/>` : ''}<name val="Arial"/></font>`);
    const fill = c.fill ? index(fills, `<fill><patternFill patternType="solid"><fgColor rgb="${c.fill}"/><bgColor indexed="64"/></patternFill></fill>`) : 0;
    const fmt = c.numFmt ? 164 + index(numFmts, c.numFmt) : 0;
    return index(xfs, `<xf numFmtId="${fmt}" fontId="${font}" fillId="${fill}" borderId="0" applyFont="true"/>`);
  };
  const files: Record<string, string> = {
    '[Content_Types].xml': `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    '_rels/.rels': `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets>${sheets.map((s, i) => `<sheet name="${xmlEsc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${HEAD}<Relationships xmlns="${PKG}">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rIdS" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rIdT" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  };
  sheets.forEach((s, i) => {
    const byRow = new Map<number, string[]>();
    for (const [ref, raw] of Object.entries(s.cells ?? {})) {
      const c = typeof raw === 'object' ? raw : { v: raw };
      const row = Number(/\d+$/.exec(ref)![0]);
      const st = styleOf(c);
      const xml = typeof c.v === 'number' ? `<c r="${ref}" s="${st}"><v>${c.v}</v></c>` : `<c r="${ref}" s="${st}" t="s"><v>${index(strings, c.v)}</v></c>`;
      byRow.set(row, [...(byRow.get(row) ?? []), xml]);
    }
    for (const n of Object.keys(s.rows ?? {}).map(Number)) if (!byRow.has(n)) byRow.set(n, []);
    const colOf = (cell: string) => /r="([A-Z]+)/.exec(cell)![1]!;
    const rowsXml = [...byRow.keys()].sort((a, b) => a - b).map((n) => {
      const a = s.rows?.[n];
      const extra = a ? `${a.hidden ? ' hidden="true"' : ''}${a.ht ? ` ht="${a.ht}" customHeight="true"` : ''}` : '';
      const cells = byRow.get(n)!.sort((x, y) => colOf(x).length - colOf(y).length || colOf(x).localeCompare(colOf(y)));
      return `<row r="${n}"${extra}>${cells.join('')}</row>`;
    }).join('');
    const merged = s.merged?.length ? `<mergeCells count="${s.merged.length}">${s.merged.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>` : '';
    const cf = (s.conditional ?? []).map((c, k) => `<conditionalFormatting sqref="${c.sqref}"><cfRule type="cellIs" priority="${k + 1}" operator="${c.operator}" dxfId="${index(dxfs, `<dxf><fill><patternFill><bgColor rgb="${c.fill}"/></patternFill></fill></dxf>`)}"><formula>${xmlEsc(c.formula)}</formula></cfRule></conditionalFormatting>`).join('');
    const dv = s.validations?.length ? `<dataValidations count="${s.validations.length}">${s.validations.map((d) => `<dataValidation type="${d.type}"${d.operator ? ` operator="${d.operator}"` : ''} allowBlank="${d.allowBlank ? 'true' : 'false'}" showErrorMessage="${d.showErrorMessage ? 'true' : 'false'}" sqref="${d.sqref}">${d.formula1 !== undefined ? `<formula1>${xmlEsc(d.formula1)}</formula1>` : ''}</dataValidation>`).join('')}</dataValidations>` : '';
    files[`xl/worksheets/sheet${i + 1}.xml`] = `${HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheetData>${rowsXml}</sheetData>${merged}${cf}${dv}</worksheet>`;
  });
  files['xl/styles.xml'] = `${HEAD}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${numFmts.length ? `<numFmts count="${numFmts.length}">${numFmts.map((f, k) => `<numFmt numFmtId="${164 + k}" formatCode="${xmlEsc(f).replace(/"/g, '&quot;')}"/>`).join('')}</numFmts>` : ''}<fonts count="${fonts.length}">${fonts.join('')}</fonts><fills count="${fills.length}">${fills.join('')}</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="${dxfs.length}">${dxfs.join('')}</dxfs></styleSheet>`;
  files['xl/sharedStrings.xml'] = `${HEAD}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((t) => `<si><t xml:space="preserve">${xmlEsc(t)}</t></si>`).join('')}</sst>`;
  return zip(files);
}
