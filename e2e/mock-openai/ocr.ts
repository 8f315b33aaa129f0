// Finds words on a screenshot with the apt tesseract, so a scripted trajectory can say
// "click Save" and the mock clicks where Save really is in the image it was sent.
import { normWord as norm, type OcrWord } from '../../agents/automations/ocr.ts';

export { ocrWords, type OcrWord } from '../../agents/automations/ocr.ts';

/**
 * The box of the first run of consecutive words on one line matching `text` (case-insensitive,
 * surrounding punctuation ignored), or undefined.
 */
export function findText(words: OcrWord[], text: string): { left: number; top: number; width: number; height: number } | undefined {
  const want = text.split(/\s+/).map(norm).filter(Boolean);
  if (want.length === 0) return undefined;
  for (let i = 0; i + want.length <= words.length; i++) {
    const run = words.slice(i, i + want.length);
    const sameLine = run.every((w, k) => w.line === run[0]!.line && w.word === run[0]!.word + k);
    if (!sameLine || !run.every((w, k) => norm(w.text) === want[k])) continue;
    const left = Math.min(...run.map((w) => w.left));
    const top = Math.min(...run.map((w) => w.top));
    const right = Math.max(...run.map((w) => w.left + w.width));
    const bottom = Math.max(...run.map((w) => w.top + w.height));
    return { left, top, width: right - left, height: bottom - top };
  }
  return undefined;
}

/** Decodes a data:image/...;base64 URL. */
export function decodeDataUrl(url: string): { bytes: Buffer; ext: string } {
  const m = /^data:image\/([a-z0-9.+-]+);base64,(.*)$/is.exec(url);
  if (!m) throw new Error('the image is not a base64 data URL');
  const ext = m[1]!.toLowerCase() === 'jpeg' ? 'jpg' : m[1]!.toLowerCase();
  return { bytes: Buffer.from(m[2]!, 'base64'), ext };
}
