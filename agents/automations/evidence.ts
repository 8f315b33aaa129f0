// What lets a replay find a step's target again, gathered from the screenshot the run stored at that
// step: a gray crop around the point, the word under it, and its place in the active window.
import sharp, { type Sharp } from 'sharp';
import type { Point } from '../desktop/actions.ts';
import type { Size } from '../desktop/geometry.ts';
import type { Store } from '../store/store.ts';
import type { Evidence } from './automation.ts';
import { boxAround, crop, decodeGray, encodePng, type Gray } from './gray.ts';
import { centreOf, ocrWords } from './ocr.ts';
import { contains, type WindowInfo } from './window-probe.ts';

/** Wide rather than square: labels, menu items and words are. */
export const CROP_SIZE: Size = { width: 96, height: 48 };
/** The strip read by OCR around a point: a word and its neighbours, not the whole screen. */
const OCR_REGION: Size = { width: 320, height: 64 };
/** Small UI fonts read far better at twice the size. */
const OCR_UPSCALE = 2;
/** A word whose box is this close to the point counts as its label. */
const OCR_NEAR_PX = 16;

export interface StepShot {
  ref: string;
  image: Size;
  screen: Size;
}

/** The screenshot in screen pixels: a scaled capture is scaled back first, so crops are in screen px. */
export async function screenGray(store: Store, shot: StepShot): Promise<Gray> {
  const data = store.readBlob(shot.ref);
  if (shot.image.width === shot.screen.width && shot.image.height === shot.screen.height) return decodeGray(data);
  return decodeGray(await upscale(sharp(data), shot.screen));
}

/** Scaled back up to screen pixels; the same kernel at compile time and at replay. */
const upscale = (img: Sharp, screen: Size) => img.resize(screen.width, screen.height, { fit: 'fill', kernel: 'cubic' }).png().toBuffer();

/**
 * A full-size gray screen as a capture scaled by `scale` (as the driver scales: lanczos3) and then
 * scaled back. On raw gray pixels: gray-then-resize equals resize-then-gray up to rounding, and
 * skipping the PNG round trips makes it 4x faster.
 */
export async function throughLens(screen: Gray, scale: number): Promise<Gray> {
  const small = { width: Math.max(1, Math.round(screen.width * scale)), height: Math.max(1, Math.round(screen.height * scale)) };
  const raw = (g: { data: Uint8Array | Buffer; width: number; height: number }) => sharp(Buffer.from(g.data.buffer, g.data.byteOffset, g.data.length), { raw: { width: g.width, height: g.height, channels: 1 } });
  const down = await raw(screen).resize(small.width, small.height, { fit: 'fill', kernel: 'lanczos3' }).extractChannel(0).raw().toBuffer();
  const { data, info } = await raw({ data: down, ...small }).resize(screen.width, screen.height, { fit: 'fill', kernel: 'cubic' }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one gray channel after scaling, got ${info.channels}`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Image px per screen px of a step's capture, when it was scaled. */
export function captureScale(shot: StepShot): number | undefined {
  const s = shot.image.width / shot.screen.width;
  return s < 1 ? s : undefined;
}

export interface EvidenceOptions {
  /** The capture's scale, when the run's screenshots were scaled down. */
  scale?: number;
  /** Read the word under the point with tesseract (about 0.1-0.3 s per point). */
  ocr?: boolean;
  /** The active window, when the run's window layout is known. */
  window?: WindowInfo;
}

export async function gatherEvidence(store: Store, screen: Gray, point: Point, opts: EvidenceOptions = {}): Promise<Evidence> {
  const box = boxAround(point, CROP_SIZE, screen);
  const png = await encodePng(crop(screen, box));
  const evidence: Evidence = { point, crop: store.putBlob(png, 'png'), cropOffset: { x: point.x - box.left, y: point.y - box.top }, ...(opts.scale ? { scale: Math.round(opts.scale * 10_000) / 10_000 } : {}) };
  if (opts.ocr !== false) Object.assign(evidence, await wordAt(screen, point));
  if (opts.window && contains(opts.window, point)) {
    evidence.window = { ...(opts.window.title ? { title: opts.window.title } : {}), relative: { x: point.x - opts.window.left, y: point.y - opts.window.top } };
  }
  return evidence;
}

/** OCR passes over the strip, cheapest first: tesseract misreads framed buttons at one scale but not at another. */
const PASSES = [{ scale: 1, threshold: 0 }, { scale: OCR_UPSCALE, threshold: 0 }, { scale: OCR_UPSCALE, threshold: 128 }];
/** A wrong label is worse than none. */
const MIN_CONF = 60;

/** The word whose box holds the point (or is nearest, within a few pixels), and the point relative to its centre. */
export async function wordAt(screen: Gray, point: Point): Promise<{ text?: string; textOffset?: Point }> {
  const region = boxAround(point, OCR_REGION, screen);
  const png = await encodePng(crop(screen, region));
  for (const pass of PASSES) {
    let img = sharp(png).resize(region.width * pass.scale, region.height * pass.scale, { kernel: 'cubic' });
    if (pass.threshold) img = img.threshold(pass.threshold);
    // A white margin: tesseract misses words that touch the image edge.
    const words = await ocrWords(await img.extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#ffffff' }).png().toBuffer());
    let best: { text: string; box: { left: number; top: number; width: number; height: number }; d: number } | undefined;
    for (const w of words) {
      const text = normLabel(w.text);
      if (w.conf < MIN_CONF || !/[\p{L}\p{N}]{2,}/u.test(text)) continue; // "|" or "." is not a label
      const box = { left: region.left + (w.left - 16) / pass.scale, top: region.top + (w.top - 16) / pass.scale, width: w.width / pass.scale, height: w.height / pass.scale };
      // On the point's own line (a word above or below labels something else), at most a few px to the side.
      const dx = Math.max(box.left - point.x, 0, point.x - (box.left + box.width));
      const dy = Math.max(box.top - point.y, 0, point.y - (box.top + box.height));
      if (dy > 2 || dx > OCR_NEAR_PX) continue;
      const d = dx + dy;
      if (!best || d < best.d) best = { text, box, d };
    }
    if (!best) continue;
    const c = centreOf({ left: Math.round(best.box.left), top: Math.round(best.box.top), width: Math.round(best.box.width), height: Math.round(best.box.height) });
    return { text: best.text, textOffset: { x: point.x - c.x, y: point.y - c.y } };
  }
  return {};
}

/** "(Save)" and "Save:" are the label "Save". */
const normLabel = (s: string) => s.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
