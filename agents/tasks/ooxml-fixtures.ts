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
