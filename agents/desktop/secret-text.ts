// Which OCR'd words of a screenshot are secrets: card numbers (13 to 19 digits, in one word or in
// groups split by spaces, dashes or dots, Luhn-valid) and the key shapes the store redacts from
// text. Pure: words with boxes in, image rectangles out; tesseract is run by secret-text-mask.ts.
import { keyShapedSpans } from '../store/redact.ts';
import type { Rect } from './x-windows.ts';

export interface OcrWord {
  text: string;
  /** In image pixels. */
  box: Rect;
  /** Words with the same line key are on one line of text (tesseract's block, paragraph and line). */
  line: string;
}

/** Words of tesseract's TSV output (level 5 rows), empty ones dropped. */
export function parseTesseractTsv(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  for (const row of tsv.split('\n')) {
    const c = row.split('\t');
    if (c.length < 12 || c[0] !== '5') continue;
    const text = c.slice(11).join('\t').trim();
    if (!text) continue;
    const [x, y, width, height] = c.slice(6, 10).map(Number) as [number, number, number, number];
    words.push({ text, box: { x, y, width, height }, line: `${c[1]}.${c[2]}.${c[3]}.${c[4]}` });
  }
  return words;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

// Letters OCR reads in place of digits; mapped only inside words that are mostly digits ("§500-0000").
const LOOKALIKES: Record<string, string> = { O: '0', o: '0', D: '0', I: '1', l: '1', '|': '1', '!': '1', S: '5', '§': '5', $: '5', B: '8', Z: '2' };

function digitsOf(word: string): string {
  const core = word.replace(/[ .,-]/g, '');
  const digits = core.replace(/\D/g, '').length;
  if (digits < 3 || digits < core.length * 0.6) return word;
  return [...word].map((ch) => LOOKALIKES[ch] ?? ch).join('');
}

/** Group lengths printed on cards (16 as 4-4-4-4, 19 as 4-4-4-4-3, 15 as 4-6-5, 14 as 4-6-4), or one unbroken number. */
function cardShaped(groups: readonly string[]): boolean {
  if (groups.length === 1) return true;
  const lens = groups.map((g) => g.length);
  if (lens.slice(0, -1).every((n) => n === 4) && lens.at(-1)! <= 4) return true;
  return lens.length === 3 && lens[0] === 4 && lens[1] === 6 && (lens[2] === 5 || lens[2] === 4);
}

/** [start, end) spans of card numbers in a line of text. */
export function cardNumberSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  // Runs of digit groups joined by one separator (OCR reads some dots as commas), not inside a word.
  for (const run of text.matchAll(/(?<![\p{L}\p{N}])\d+(?:[ .,-]\d+)*(?![\p{L}\p{N}])/gu)) {
    const groups: { text: string; start: number }[] = [];
    for (const g of run[0].matchAll(/\d+/g)) groups.push({ text: g[0], start: run.index + g.index });
    // Any consecutive groups of the run may be the card ("exp 12 4111 1111 1111 1111").
    for (let i = 0; i < groups.length; i++) {
      let digits = '';
      for (let j = i; j < groups.length && digits.length < 19; j++) {
        digits += groups[j]!.text;
        const slice = groups.slice(i, j + 1).map((g) => g.text);
        if (digits.length >= 13 && digits.length <= 19 && cardShaped(slice) && luhnValid(digits)) {
          spans.push([groups[i]!.start, groups[j]!.start + groups[j]!.text.length]);
        }
      }
    }
  }
  return spans;
}

/**
 * A line's words joined as a reader sees them: a space between words, none where OCR split one word
 * (boxes touching, or a piece that ends or starts with a joiner: "KEY=sk-proj" "-AbC123…", whose boxes OCR often gets wrong).
 */
function lineText(words: readonly OcrWord[], normalise: (w: string) => string): { text: string; owner: number[] } {
  let text = '';
  const owner: number[] = [];
  words.forEach((w, i) => {
    const prev = words[i - 1];
    if (prev) {
      const gap = w.box.x - (prev.box.x + prev.box.width);
      const glued = /[-_=]$/.test(prev.text) || /^[-_]/.test(w.text);
      if (!glued && gap > Math.max(prev.box.height, w.box.height) * 0.25) {
        text += ' ';
        owner.push(-1);
      }
    }
    const t = normalise(w.text);
    text += t;
    for (let k = 0; k < t.length; k++) owner.push(i);
  });
  return { text, owner };
}

/** The boxes (image pixels, padded so no anti-aliased edge stays readable) of every word that is part of a card number or a key. */
export function secretWordRects(words: readonly OcrWord[]): Rect[] {
  const lines = new Map<string, OcrWord[]>();
  for (const w of words) lines.set(w.line, [...(lines.get(w.line) ?? []), w]);
  const rects: Rect[] = [];
  for (const line of lines.values()) {
    line.sort((a, b) => a.box.x - b.box.x);
    const hit = new Set<number>();
    const mark = (owner: number[], spans: [number, number][]) => {
      for (const [s, e] of spans) for (let k = s; k < e; k++) if (owner[k]! >= 0) hit.add(owner[k]!);
    };
    const asDigits = lineText(line, digitsOf);
    mark(asDigits.owner, cardNumberSpans(asDigits.text));
    const asRead = lineText(line, (w) => w);
    mark(asRead.owner, keyShapedSpans(asRead.text));
    for (const i of hit) {
      const { x, y, width, height } = line[i]!.box;
      const pad = Math.max(2, Math.ceil(height * 0.2));
      rects.push({ x: x - pad, y: y - pad, width: width + 2 * pad, height: height + 2 * pad });
    }
  }
  return rects;
}
