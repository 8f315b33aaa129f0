// OSWorld's Writer formatting metrics: compare_line_spacing, compare_subscript_contains and
// check_tabstops. Each reads what python-docx reads: a paragraph's or run's own (direct) formatting,
// never what it inherits from a style, so a paragraph spaced by its style counts as "not set".
import { z } from 'zod';
import type { Metric, MetricOutcome } from './metrics.ts';
import { compareDocxFiles } from './office-metrics.ts';
import { attr, children, type DocxDocument, docxDocument, docxParagraphText, elements } from './office-xml.ts';

const pass = (): MetricOutcome => ({ score: 1 });
const fail = (detail: string): MetricOutcome => ({ score: 0, detail });

/** Both documents, or why not: OSWorld scores 0 when either is absent or python-docx cannot open it. */
async function openBoth(result: unknown, expected: unknown): Promise<[DocxDocument, DocxDocument] | string> {
  if (typeof result !== 'string' || typeof expected !== 'string') return `there is no ${typeof result !== 'string' ? 'result' : 'expected'} file`;
  try {
    return [await docxDocument(result), await docxDocument(expected)];
  } catch (err) {
    return `a document could not be read: ${(err as Error).message}`;
  }
}

// python-docx gives lengths in EMU; w:line and w:pos are twips, or a number with a unit.
const EMU_PER: Record<string, number> = { mm: 36000, cm: 360000, in: 914400, pt: 12700, pc: 152400, pi: 152400 };
function twipsMeasure(v: string): number {
  if (/^-?\d+$/.test(v)) return Number(v) * 635;
  const m = /^(-?[\d.]+)(mm|cm|in|pt|pc|pi)$/.exec(v);
  return m ? Math.round(Number(m[1]) * EMU_PER[m[2]!]!) : Number.NaN;
}

const directPr = (xml: string, tag: string): string | undefined => children(xml, tag)[0];

interface LineSpacing {
  /** python-docx's paragraph_format.line_spacing: lines (a float) for auto, EMU for exact/atLeast, null when not set. */
  value: number | null;
  shown: string;
}

function lineSpacing(p: string): LineSpacing {
  const spacing = directPr(directPr(p, 'w:pPr') ?? '', 'w:spacing');
  const line = spacing && attr(spacing, 'w:spacing', 'w:line');
  if (!spacing || line === undefined) return { value: null, shown: 'not set' };
  const emu = twipsMeasure(line);
  const rule = attr(spacing, 'w:spacing', 'w:lineRule');
  // No rule, or "auto", is python-docx's MULTIPLE: the line in 240ths, as EMU over Pt(12).
  if (rule === undefined || rule === 'auto') return { value: emu / 152400, shown: `${emu / 152400} lines` };
  return { value: emu, shown: `${rule} ${emu / 12700} pt` };
}

export const compareLineSpacing: Metric = async (result, expected, _options, ctx) => {
  const docs = await openBoth(result, expected);
  if (typeof docs === 'string') return fail(docs);
  // OSWorld checks the text first (compare_docx_files with its defaults).
  const text = await compareDocxFiles(result, expected, {}, ctx);
  if (text.score < 1) return fail(text.detail ?? 'the text differs');
  const [a, b] = docs.map((d) => d.paragraphs) as [string[], string[]];
  if (a.length !== b.length) return fail(`${a.length} paragraphs, expected ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    const [s1, s2] = [lineSpacing(a[i]!), lineSpacing(b[i]!)];
    if (s1.value !== s2.value) return fail(`paragraph ${i + 1}: line spacing ${s1.shown}, expected ${s2.shown}`);
  }
  return pass();
};

/** python-docx's run.font.subscript: the run's own w:vertAlign. */
const isSubscript = (run: string): boolean => attr(directPr(directPr(run, 'w:rPr') ?? '', 'w:vertAlign') ?? '', 'w:vertAlign', 'w:val') === 'subscript';

export const compareSubscriptContains: Metric = async (result, expected) => {
  const docs = await openBoth(result, expected);
  if (typeof docs === 'string') return fail(docs);
  const [a, b] = docs.map((d) => d.paragraphs) as [string[], string[]];
  // Paragraphs and runs paired by position, as OSWorld's zip; one pair both subscript is enough.
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [r1, r2] = [children(a[i]!, 'w:r'), children(b[i]!, 'w:r')];
    for (let j = 0; j < Math.min(r1.length, r2.length); j++) if (isSubscript(r1[j]!) && isSubscript(r2[j]!)) return pass();
  }
  return fail('no run is subscript in both documents at the same place');
};

const TabstopOptions = z.object({ word_number_split_by_tabstop: z.number().int().nullish(), index: z.number().int().default(0) });

interface TabStop {
  align: string;
  pos: number;
}

/** The paragraph's own tab stops, less cleared ones and a left stop at 0 (which OSWorld ignores). */
function tabStops(p: string): TabStop[] {
  const tabs = directPr(directPr(p, 'w:pPr') ?? '', 'w:tabs') ?? '';
  return children(tabs, 'w:tab')
    .map((t) => ({ align: attr(t, 'w:tab', 'w:val') ?? '', pos: twipsMeasure(attr(t, 'w:tab', 'w:pos') ?? '') }))
    .filter((t) => t.align !== 'clear' && !(t.align === 'left' && t.pos === 0));
}

/** The first section's text width in EMU (python-docx's sections[0]: page width less left and right margins). */
function textWidth(xml: string): number | undefined {
  const sect = elements(xml, 'w:sectPr')[0] ?? '';
  const [w, left, right] = [attr(sect, 'w:pgSz', 'w:w'), attr(sect, 'w:pgMar', 'w:left'), attr(sect, 'w:pgMar', 'w:right')];
  if (w === undefined || left === undefined || right === undefined) return undefined;
  return twipsMeasure(w) - twipsMeasure(left) - twipsMeasure(right);
}

export const checkTabstops: Metric = async (result, expected, options) => {
  const opts = TabstopOptions.parse(options);
  const docs = await openBoth(result, expected);
  if (typeof docs === 'string') return fail(docs);
  const withText = (d: DocxDocument) => d.paragraphs.map((xml) => ({ xml, text: docxParagraphText(xml) })).filter((p) => p.text.trim());
  const [a, b] = [withText(docs[0]), withText(docs[1])];
  if (a.length !== b.length) return fail(`${a.length} paragraphs with text, expected ${b.length}`);
  if (a.length === 0) return fail('no paragraph has text');
  const number = opts.word_number_split_by_tabstop;
  if (number !== undefined && number !== null) {
    for (const [i, p] of a.entries()) {
      const part = p.text.split('\t').at(opts.index);
      const words = (part ?? '').split(/\s/).filter((w) => w.trim()).length;
      if (part === undefined || words !== number) return fail(`paragraph ${i + 1}: ${words} words before tab stop ${opts.index}, expected ${number}`);
    }
  }
  const width = textWidth(docs[1].xml);
  if (!width) return fail("the expected document's first section gives no page width and margins");
  let minus = 0;
  for (const [i, p] of a.entries()) {
    const [t1, t2] = [tabStops(p.xml), tabStops(b[i]!.xml)];
    if (t1.length !== t2.length) return fail(`paragraph ${i + 1}: ${t1.length} tab stops, expected ${t2.length}`);
    const off = t1.findIndex((t, k) => t.align !== t2[k]!.align);
    if (off >= 0) return fail(`paragraph ${i + 1}: tab stop ${off + 1} is ${t1[off]!.align}, expected ${t2[off]!.align}`);
    minus += t1.reduce((sum, t, k) => sum + Math.abs(t.pos - t2[k]!.pos), 0) / width;
  }
  // Stops in the wrong place cost their distance, as a share of the text width, averaged over paragraphs.
  const score = 1 - minus / a.length;
  return score < 1 ? { score, detail: `tab stops are off by ${((minus / a.length) * 100).toFixed(1)}% of the text width on average` } : pass();
};
