// What the office metrics read from OOXML files: a docx's body paragraphs, a pptx's slides with their
// shapes, paragraphs and runs, an xlsx's sheets' views (freeze panes, zoom). The XML is what Office and
// LibreOffice write: well-formed, so a few element and attribute patterns read it.
import { posix } from 'node:path';
import { entryText, readZip } from './zip-reader.ts';

export function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each `<tag ...>...</tag>` or `<tag .../>` (not nested in itself), as its whole XML. */
export function elements(xml: string, tag: string): string[] {
  const t = esc(tag);
  return [...xml.matchAll(new RegExp(`<${t}(?:\\s[^>]*?)?(?:/>|>[\\s\\S]*?</${t}>)`, 'g'))].map((m) => m[0]);
}

/** An attribute of the first `<tag>` in the XML. */
export function attr(xml: string, tag: string, name: string): string | undefined {
  const open = new RegExp(`<${esc(tag)}(?:\\s[^>]*?)?/?>`).exec(xml)?.[0];
  if (!open) return undefined;
  const m = new RegExp(`\\s${esc(name)}="([^"]*)"`).exec(open);
  return m ? decodeXml(m[1]!) : undefined;
}

/** The outer element's direct children named `tag`, each as its whole XML (so a run's w:rPr is not the paragraph's). */
export function children(xml: string, tag: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  for (const m of xml.matchAll(/<(\/?)([\w:.-]+)(?:\s[^>]*?)?(\/?)>/g)) {
    const [whole, close, name, empty] = m;
    if (close) {
      depth--;
      if (depth === 1 && start >= 0) out.push(xml.slice(start, m.index + whole.length));
      if (depth === 1) start = -1;
      continue;
    }
    if (depth === 1 && name === tag) {
      if (empty) out.push(whole);
      else start = m.index;
    }
    if (!empty) depth++;
  }
  return out;
}

// ---- docx ----

/** A paragraph's text as python-docx gives it: runs' text, tabs and breaks. */
export function docxParagraphText(p: string): string {
  return [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/g)].map((m) => (m[1] !== undefined ? decodeXml(m[1]) : m[0] === '<w:tab/>' ? '\t' : '\n')).join('');
}

export interface DocxDocument {
  /** word/document.xml as written. */
  xml: string;
  /** The body's own paragraphs (not those in tables) as XML, like python-docx's `document.paragraphs`. */
  paragraphs: string[];
}

export async function docxDocument(path: string): Promise<DocxDocument> {
  const xml = entryText(await readZip(path), 'word/document.xml');
  if (xml === undefined) throw new Error(`${posix.basename(path)} has no word/document.xml: not a Word document`);
  const body = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '');
  return { xml, paragraphs: elements(body, 'w:p') };
}

/** The body's own paragraphs' text (not those in tables), like python-docx's `document.paragraphs`. */
export async function docxParagraphs(path: string): Promise<string[]> {
  return (await docxDocument(path)).paragraphs.map(docxParagraphText);
}

// ---- pptx ----

export interface PptxRun {
  text: string;
  font?: string;
  size?: string;
  bold?: string;
  italic?: string;
  underline?: string;
  color?: string;
}

export interface PptxParagraph {
  text: string;
  align?: string;
  runs: PptxRun[];
}

export interface PptxShape {
  kind: string;
  /** x, y, cx, cy in EMU as written (absent when inherited from the layout). */
  box?: string;
  text: string;
  paragraphs: PptxParagraph[];
}

function relTargets(rels: string | undefined, base: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of elements(rels ?? '', 'Relationship')) {
    const id = attr(r, 'Relationship', 'Id');
    const target = attr(r, 'Relationship', 'Target');
    if (id && target) out.set(id, posix.normalize(posix.join(base, target)));
  }
  return out;
}

function pptxRun(r: string): PptxRun {
  const rPr = /<a:rPr[\s\S]*?(?:\/>|<\/a:rPr>)/.exec(r)?.[0] ?? '';
  const run: PptxRun = { text: decodeXml(/<a:t>([^<]*)<\/a:t>/.exec(r)?.[1] ?? '') };
  const set = (k: keyof Omit<PptxRun, 'text'>, v: string | undefined) => {
    if (v !== undefined) run[k] = v;
  };
  set('size', attr(rPr, 'a:rPr', 'sz'));
  set('bold', attr(rPr, 'a:rPr', 'b'));
  set('italic', attr(rPr, 'a:rPr', 'i'));
  set('underline', attr(rPr, 'a:rPr', 'u'));
  set('font', attr(rPr, 'a:latin', 'typeface'));
  set('color', attr(rPr, 'a:srgbClr', 'val'));
  return run;
}

function pptxShape(xml: string, kind: string): PptxShape {
  const off = /<a:off x="(-?\d+)" y="(-?\d+)"\/>/.exec(xml);
  const ext = /<a:ext cx="(\d+)" cy="(\d+)"\/>/.exec(xml);
  const paragraphs = elements(xml, 'a:p').map((p): PptxParagraph => {
    const runs = elements(p, 'a:r').map(pptxRun);
    const align = attr(p, 'a:pPr', 'algn');
    return { text: runs.map((r) => r.text).join(''), ...(align ? { align } : {}), runs };
  });
  return { kind, ...(off && ext ? { box: `${off[1]},${off[2]},${ext[1]},${ext[2]}` } : {}), text: paragraphs.map((p) => p.text).join('\n'), paragraphs };
}

/** The slides in presentation order, each a list of shapes in drawing order. */
export async function pptxSlides(path: string): Promise<PptxShape[][]> {
  const zip = await readZip(path);
  const pres = entryText(zip, 'ppt/presentation.xml');
  if (pres === undefined) throw new Error(`${posix.basename(path)} has no ppt/presentation.xml: not a PowerPoint file`);
  const rels = relTargets(entryText(zip, 'ppt/_rels/presentation.xml.rels'), 'ppt');
  const ids = elements(pres, 'p:sldId').map((s) => attr(s, 'p:sldId', 'r:id')).filter((x): x is string => !!x);
  return ids.map((id) => {
    const xml = entryText(zip, rels.get(id) ?? '') ?? '';
    return [...xml.matchAll(/<p:(sp|pic|graphicFrame|cxnSp)(?:\s[^>]*)?>[\s\S]*?<\/p:\1>/g)].map((m) => pptxShape(m[0], m[1]!));
  });
}

// ---- xlsx ----

export interface XlsxSheetView {
  name: string;
  /** The top-left cell of the unfrozen pane (openpyxl's freeze_panes), when panes are frozen. */
  freeze?: string;
  zoom?: number;
}

export async function xlsxSheetViews(path: string): Promise<XlsxSheetView[]> {
  const zip = await readZip(path);
  const book = entryText(zip, 'xl/workbook.xml');
  if (book === undefined) throw new Error(`${posix.basename(path)} has no xl/workbook.xml: not an xlsx workbook`);
  const rels = relTargets(entryText(zip, 'xl/_rels/workbook.xml.rels'), 'xl');
  return elements(book, 'sheet').map((s) => {
    const name = attr(s, 'sheet', 'name') ?? '';
    const xml = entryText(zip, rels.get(attr(s, 'sheet', 'r:id') ?? '') ?? '') ?? '';
    const pane = elements(xml, 'pane')[0];
    const frozen = pane && /state="frozen(Split)?"/.test(pane) ? attr(pane, 'pane', 'topLeftCell') : undefined;
    const zoom = attr(xml, 'sheetView', 'zoomScale');
    return { name, ...(frozen ? { freeze: frozen } : {}), zoom: zoom ? Number(zoom) : 100 };
  });
}
