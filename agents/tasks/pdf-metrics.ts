// OSWorld's compare_pdfs: each PDF's text (every page, in order) compared with the expected one's as
// rapidfuzz's ratio, averaged over the pairs when lists are given. The text comes from poppler's
// pdftotext (apt poppler-utils), run the same way on both sides.
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import type { Metric } from './metrics.ts';
import { similarity } from './similarity.ts';

export class PdfToolMissingError extends Error {
  override name = 'PdfToolMissingError';
}

/** The text of each page of a PDF (pdftotext ends each page with a form feed). */
export function pdfPages(path: string, signal?: AbortSignal): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('pdftotext', ['-enc', 'UTF-8', '-q', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000, ...(signal ? { signal } : {}) }, (err, stdout, stderr) => {
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') reject(new PdfToolMissingError('reading PDFs needs pdftotext: install poppler-utils (build/install-linux-deps.sh does)'));
      else if (err) reject(new Error(`${basename(path)} is not a PDF pdftotext can read${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`));
      else resolve(stdout.replace(/\f$/, '').split('\f'));
    });
  });
}

const clip = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);

/** Where two documents' text first differs, by page: a line for the report. */
function firstDifference(a: string[], b: string[]): string {
  for (let p = 0; p < Math.max(a.length, b.length); p++) {
    const [x, y] = [(a[p] ?? '').replace(/\s+/g, ' ').trim(), (b[p] ?? '').replace(/\s+/g, ' ').trim()];
    if (x === y) continue;
    const at = [...x].findIndex((ch, i) => ch !== y[i]);
    const i = at === -1 ? Math.min(x.length, y.length) : at;
    return `page ${p + 1} differs at character ${i}: ${clip(x.slice(i))} vs expected ${clip(y.slice(i))}`;
  }
  return a.length === b.length ? 'the text differs only in blanks' : `${a.length} pages, expected ${b.length}`;
}

const asPaths = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

export const comparePdfs: Metric = async (result, expected, _options, ctx) => {
  const [got, want] = [asPaths(result), asPaths(expected)];
  if (want.length === 0) throw new Error('compare_pdfs needs at least one expected PDF');
  let total = 0;
  const notes: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const [r, e] = [got[i], want[i]];
    const label = want.length > 1 ? `PDF ${i + 1}: ` : '';
    if (typeof r !== 'string' || typeof e !== 'string') {
      // As OSWorld: a pair that cannot be read adds 0 to the mean.
      notes.push(`${label}no result PDF to compare with ${typeof e === 'string' ? basename(e) : 'the expected one'}`);
      continue;
    }
    try {
      const [a, b] = [await pdfPages(r, ctx.signal), await pdfPages(e, ctx.signal)];
      const s = similarity(a.join('').trim(), b.join('').trim());
      total += s;
      if (s < 1) notes.push(`${label}text similarity ${s.toFixed(3)}; ${firstDifference(a, b)}`);
    } catch (err) {
      if (err instanceof PdfToolMissingError) throw err;
      notes.push(`${label}${(err as Error).message}`);
    }
  }
  const score = total / want.length;
  return { score, ...(notes.length ? { detail: notes.join('; ') } : {}) };
};
