// OSWorld's document metrics: compare_docx_files (paragraph text), compare_pptx_files (slides,
// shapes, text and run formatting, each check switchable by its examine_* option), compare_images and
// compare_image_list (pixels, with sharp).
import sharp from 'sharp';
import type { Metric, MetricOutcome } from './metrics.ts';
import { similarity } from './similarity.ts';
import { docxParagraphs, pptxSlides, type PptxShape } from './office-xml.ts';

const pass = (): MetricOutcome => ({ score: 1 });
const fail = (detail: string): MetricOutcome => ({ score: 0, detail });
const show = (s: string, max = 60) => JSON.stringify(s.length > max ? `${s.slice(0, max)}...` : s);

function paths(result: unknown, expected: unknown, name: string): [string, string] {
  if (typeof result !== 'string' || typeof expected !== 'string') throw new Error(`${name} needs two file paths (vm_file and cloud_file getters)`);
  return [result, expected];
}

const flag = (options: Record<string, unknown>, key: string, fallback: boolean) => (typeof options[key] === 'boolean' ? (options[key] as boolean) : fallback);

export const compareDocxFiles: Metric = async (result, expected, options) => {
  const [a, b] = paths(result, expected, 'compare_docx_files');
  let p1 = await docxParagraphs(a);
  let p2 = await docxParagraphs(b);
  const ignoreCase = flag(options, 'ignore_case', false);
  if (flag(options, 'delete_empty_lines', false)) [p1, p2] = [p1.filter((p) => p.trim()), p2.filter((p) => p.trim())];
  if (flag(options, 'ignore_order', false)) [p1, p2] = [[...p1].sort(), [...p2].sort()];
  const joined = (ps: string[]) => {
    const t = ps.join('\n').replace(/\s+/g, ' ').trim();
    return ignoreCase ? t.toLowerCase() : t;
  };
  // content_only: a similarity score, not pass/fail.
  if (flag(options, 'content_only', false)) {
    const s = similarity(joined(p1), joined(p2));
    return { score: s, ...(s < 1 ? { detail: `text similarity ${s.toFixed(3)}` } : {}) };
  }
  if (flag(options, 'ignore_blanks', true)) {
    const [t1, t2] = [joined(p1), joined(p2)];
    if (flag(options, 'fuzzy_match', false)) return { score: similarity(t1, t2) };
    if (t1 === t2) return pass();
    const at = [...t1].findIndex((ch, i) => ch !== t2[i]);
    const i = at === -1 ? Math.min(t1.length, t2.length) : at;
    return fail(`the text differs at character ${i}: ${show(t1.slice(i, i + 40))} vs expected ${show(t2.slice(i, i + 40))}`);
  }
  if (p1.length !== p2.length) return fail(`${p1.length} paragraphs, expected ${p2.length}`);
  for (let i = 0; i < p1.length; i++) {
    const [x, y] = ignoreCase ? [p1[i]!.toLowerCase(), p2[i]!.toLowerCase()] : [p1[i]!, p2[i]!];
    if (x !== y) return fail(`paragraph ${i + 1}: ${show(x)} vs expected ${show(y)}`);
  }
  return pass();
};

/** Each examine_* option of compare_pptx_files we check (all on unless turned off), with what it compares. */
const RUN_CHECKS = [
  ['examine_font_name', 'font'],
  ['examine_font_size', 'size'],
  ['examine_font_bold', 'bold'],
  ['examine_font_italic', 'italic'],
  ['examine_font_underline', 'underline'],
  ['examine_color_rgb', 'color'],
] as const;

function shapeDifference(s1: PptxShape, s2: PptxShape, options: Record<string, unknown>, where: string): string | undefined {
  if (flag(options, 'examine_shape', true) && s1.box !== s2.box) return `${where}: position or size ${s1.box ?? '(from layout)'} vs expected ${s2.box ?? '(from layout)'}`;
  if (flag(options, 'examine_text', true) && s1.text.trim() !== s2.text.trim()) return `${where}: text ${show(s1.text)} vs expected ${show(s2.text)}`;
  for (let p = 0; p < Math.min(s1.paragraphs.length, s2.paragraphs.length); p++) {
    const [q1, q2] = [s1.paragraphs[p]!, s2.paragraphs[p]!];
    if (flag(options, 'examine_text', true) && q1.text !== q2.text) return `${where}, paragraph ${p + 1}: ${show(q1.text)} vs expected ${show(q2.text)}`;
    if (flag(options, 'examine_alignment', true) && (q1.align ?? 'l') !== (q2.align ?? 'l')) return `${where}, paragraph ${p + 1}: alignment ${q1.align ?? 'l'} vs expected ${q2.align ?? 'l'}`;
    for (let r = 0; r < Math.min(q1.runs.length, q2.runs.length); r++) {
      for (const [option, key] of RUN_CHECKS) {
        const [v1, v2] = [q1.runs[r]![key], q2.runs[r]![key]];
        if (flag(options, option, true) && v1 !== v2) return `${where}, paragraph ${p + 1}, run ${r + 1} (${show(q1.runs[r]!.text, 30)}): ${key} ${v1 ?? '(default)'} vs expected ${v2 ?? '(default)'}`;
      }
    }
  }
  return undefined;
}

export const comparePptxFiles: Metric = async (result, expected, options) => {
  const [a, b] = paths(result, expected, 'compare_pptx_files');
  const [d1, d2] = [await pptxSlides(a), await pptxSlides(b)];
  if (flag(options, 'examine_number_of_slides', true) && d1.length !== d2.length) return fail(`${d1.length} slides, expected ${d2.length}`);
  for (let s = 0; s < Math.min(d1.length, d2.length); s++) {
    const [sh1, sh2] = [d1[s]!, d2[s]!];
    if (flag(options, 'examine_shape', true) && sh1.length !== sh2.length) return fail(`slide ${s + 1}: ${sh1.length} shapes, expected ${sh2.length}`);
    for (let i = 0; i < Math.min(sh1.length, sh2.length); i++) {
      const diff = shapeDifference(sh1[i]!, sh2[i]!, options, `slide ${s + 1}, shape ${i + 1}`);
      if (diff) return fail(diff);
    }
  }
  return pass();
};

/** Two images' first differing pixel, or undefined when they are the same size with the same RGBA pixels. */
async function imageDifference(a: string, b: string): Promise<string | undefined> {
  const [x, y] = await Promise.all([a, b].map((p) => sharp(p).ensureAlpha().raw().toBuffer({ resolveWithObject: true })));
  if (x!.info.width !== y!.info.width || x!.info.height !== y!.info.height) return `${x!.info.width}x${x!.info.height} vs expected ${y!.info.width}x${y!.info.height}`;
  const i = x!.data.findIndex((v, n) => v !== y!.data[n]);
  if (i === -1) return undefined;
  const px = Math.floor(i / 4);
  return `pixel (${px % x!.info.width}, ${Math.floor(px / x!.info.width)}) differs`;
}

export const compareImages: Metric = async (result, expected) => {
  const [a, b] = paths(result, expected, 'compare_images');
  const diff = await imageDifference(a, b);
  return diff ? fail(`the images differ: ${diff}`) : pass();
};

export const compareImageList: Metric = async (result, expected) => {
  if (!Array.isArray(result) || !Array.isArray(expected) || result.length !== expected.length) throw new Error('compare_image_list needs two lists of image paths of the same length (multi getters)');
  for (let i = 0; i < result.length; i++) {
    const diff = await imageDifference(String(result[i]), String(expected[i]));
    if (diff) return fail(`image ${i + 1} differs: ${diff}`);
  }
  return pass();
};
