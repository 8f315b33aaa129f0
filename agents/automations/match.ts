// Finding a recorded crop on a new screenshot: normalized cross-correlation (robust to brightness
// and contrast changes), searched coarse-to-fine so a 1280x800 screen takes tens of milliseconds.
import { shrink, type Gray } from './gray.ts';

/** A crop whose gray levels barely vary (blank paper, a flat panel) cannot be located by shape. */
const FLAT_STD = 3;

export interface Template {
  gray: Gray;
  mean: number;
  std: number;
  /** Pixel values minus the mean, and their norm: the fixed half of every correlation. */
  zero: Float32Array;
  norm: number;
  flat: boolean;
}

export interface Match {
  /** Top-left of the template in the image. */
  left: number;
  top: number;
  score: number;
}

export function template(gray: Gray): Template {
  const n = gray.data.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += gray.data[i]!;
  const mean = sum / n;
  const zero = new Float32Array(n);
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = gray.data[i]! - mean;
    zero[i] = v;
    sq += v * v;
  }
  const std = Math.sqrt(sq / n);
  return { gray, mean, std, zero, norm: Math.sqrt(sq), flat: std < FLAT_STD };
}

/**
 * How well the template matches the image region with its top-left at (left, top), in [0, 1]:
 * the correlation for a textured template, a mean-difference score for a flat one, 0 outside.
 */
export function scoreAt(image: Gray, t: Template, left: number, top: number): number {
  const { width: tw, height: th } = t.gray;
  if (left < 0 || top < 0 || left + tw > image.width || top + th > image.height) return 0;
  const n = tw * th;
  if (t.flat) {
    let diff = 0;
    for (let y = 0; y < th; y++) {
      const row = (top + y) * image.width + left;
      for (let x = 0; x < tw; x++) diff += Math.abs(image.data[row + x]! - t.gray.data[y * tw + x]!);
    }
    return Math.max(0, 1 - diff / n / 32);
  }
  let sum = 0;
  let sq = 0;
  let dot = 0;
  for (let y = 0; y < th; y++) {
    const row = (top + y) * image.width + left;
    const trow = y * tw;
    for (let x = 0; x < tw; x++) {
      const v = image.data[row + x]!;
      sum += v;
      sq += v * v;
      dot += t.zero[trow + x]! * v;
    }
  }
  const variance = sq - (sum * sum) / n;
  if (variance <= 1e-6 || t.norm === 0) return 0;
  return Math.max(0, dot / (t.norm * Math.sqrt(variance)));
}

export interface SearchResult {
  /** Distinct places, best first (at most `candidates` of them). */
  matches: Match[];
  /** Why nothing was searched (a flat template, a template larger than the image). */
  skipped?: string;
}

export interface SearchOptions {
  /** Coarse candidates refined at full resolution. */
  candidates?: number;
  /** The shrink factor of the coarse pass; by default 4 for crops of 48 px and more, else 2. */
  factor?: number;
}

/** Every place on the image where the template fits best, coarse pass first, then refined. */
export function searchTemplate(image: Gray, t: Template, opts: SearchOptions = {}): SearchResult {
  const { width: tw, height: th } = t.gray;
  if (t.flat) return { matches: [], skipped: `the recorded crop is featureless (gray-level spread ${t.std.toFixed(1)})` };
  if (tw > image.width || th > image.height) return { matches: [], skipped: 'the recorded crop is larger than the screen' };
  const f = opts.factor ?? (Math.min(tw, th) >= 48 ? 4 : Math.min(tw, th) >= 16 ? 2 : 1);
  const k = opts.candidates ?? 8;
  const coarse = coarseCandidates(shrink(image, f), template(shrink(t.gray, f)), k);
  const refined: Match[] = [];
  for (const c of coarse) {
    let best: Match = { left: 0, top: 0, score: -1 };
    const r = f + 1;
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        const left = c.left * f + dx;
        const top = c.top * f + dy;
        const score = scoreAt(image, t, left, top);
        if (score > best.score) best = { left, top, score };
      }
    }
    if (best.score >= 0) refined.push(best);
  }
  refined.sort((a, b) => b.score - a.score);
  // Two coarse candidates can refine to the same place: keep each place once.
  const distinct: Match[] = [];
  for (const m of refined) {
    if (!distinct.some((d) => Math.abs(d.left - m.left) < tw / 2 && Math.abs(d.top - m.top) < th / 2)) distinct.push(m);
  }
  return { matches: distinct };
}

/** The k best separated positions of the correlation over the whole (small) image. */
function coarseCandidates(image: Gray, t: Template, k: number): Match[] {
  const { width: W, height: H } = image;
  const { width: tw, height: th } = t.gray;
  const cols = W - tw + 1;
  const rows = H - th + 1;
  if (cols <= 0 || rows <= 0 || t.norm === 0) return [];
  // Integral images of the values and their squares give each window's variance in O(1).
  const S = new Float64Array((W + 1) * (H + 1));
  const Q = new Float64Array((W + 1) * (H + 1));
  for (let y = 0; y < H; y++) {
    let rs = 0;
    let rq = 0;
    for (let x = 0; x < W; x++) {
      const v = image.data[y * W + x]!;
      rs += v;
      rq += v * v;
      S[(y + 1) * (W + 1) + x + 1] = S[y * (W + 1) + x + 1]! + rs;
      Q[(y + 1) * (W + 1) + x + 1] = Q[y * (W + 1) + x + 1]! + rq;
    }
  }
  const n = tw * th;
  const scores = new Float32Array(cols * rows);
  const data = image.data;
  const zero = t.zero;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const a = y * (W + 1) + x;
      const b = a + tw;
      const c = (y + th) * (W + 1) + x;
      const d = c + tw;
      const sum = S[d]! - S[b]! - S[c]! + S[a]!;
      const sq = Q[d]! - Q[b]! - Q[c]! + Q[a]!;
      const variance = sq - (sum * sum) / n;
      if (variance <= 1e-6) continue;
      let dot = 0;
      for (let j = 0; j < th; j++) {
        const row = (y + j) * W + x;
        const trow = j * tw;
        for (let i = 0; i < tw; i++) dot += zero[trow + i]! * data[row + i]!;
      }
      scores[y * cols + x] = dot / (t.norm * Math.sqrt(variance));
    }
  }
  const picked: Match[] = [];
  const rx = Math.max(1, Math.floor(tw / 2));
  const ry = Math.max(1, Math.floor(th / 2));
  for (let i = 0; i < k; i++) {
    let best = -1;
    let at = -1;
    for (let p = 0; p < scores.length; p++) {
      if (scores[p]! > best) {
        best = scores[p]!;
        at = p;
      }
    }
    if (at < 0 || best <= 0) break;
    const left = at % cols;
    const top = Math.floor(at / cols);
    picked.push({ left, top, score: best });
    for (let y = Math.max(0, top - ry); y <= Math.min(rows - 1, top + ry); y++) scores.fill(-1, y * cols + Math.max(0, left - rx), y * cols + Math.min(cols - 1, left + rx) + 1);
  }
  return picked;
}
