// The one place where coordinates change space: model/image pixels <-> screen pixels.
// Screens are scaled down to a standard size of similar aspect ratio, never up.
import type { Point } from './actions.ts';

export interface Size {
  width: number;
  height: number;
}

/** Sizes vision models are trained on, as the best computer-use agents pick them. */
export const SCALE_TARGETS: readonly Size[] = [
  { width: 1024, height: 768 }, // 4:3
  { width: 1280, height: 800 }, // 16:10
  { width: 1366, height: 768 }, // ~16:9
];

/**
 * Smaller targets for models billed by image tiles: at most 2x2 high-detail 512 px tiles after
 * OpenAI's resize (765 tokens), where 1280x800 would cost 3x2 tiles (1,105 tokens).
 */
export const COMPACT_TARGETS: readonly Size[] = [
  { width: 1024, height: 768 }, // 4:3
  { width: 1024, height: 640 }, // 16:10
  { width: 1024, height: 576 }, // 16:9
];

/** A mapping between a screen and the image a model sees of it. */
export interface Scaling {
  screen: Size;
  image: Size;
  /** image pixels per screen pixel on each axis (1 when not scaled). */
  scaleX: number;
  scaleY: number;
}

/** The image size for a screen: the target closest in aspect ratio, if the screen is larger. */
export function targetFor(screen: Size, targets: readonly Size[] = SCALE_TARGETS): Size {
  assertSize(screen);
  const ratio = screen.width / screen.height;
  let best: Size | undefined;
  for (const t of targets) {
    if (!best || Math.abs(t.width / t.height - ratio) < Math.abs(best.width / best.height - ratio)) best = t;
  }
  if (!best || (screen.width <= best.width && screen.height <= best.height)) return { ...screen };
  const factor = Math.min(best.width / screen.width, best.height / screen.height);
  return { width: Math.max(1, Math.round(screen.width * factor)), height: Math.max(1, Math.round(screen.height * factor)) };
}

/** A scaling to a given image width (height follows the aspect ratio), or to the standard target. */
export function scalingFor(screen: Size, opts: { width?: number; target?: Size } = {}): Scaling {
  assertSize(screen);
  let image: Size;
  if (opts.target) image = { ...opts.target };
  else if (opts.width) image = { width: opts.width, height: Math.max(1, Math.round((screen.height * opts.width) / screen.width)) };
  else image = targetFor(screen);
  assertSize(image);
  return { screen: { ...screen }, image, scaleX: image.width / screen.width, scaleY: image.height / screen.height };
}

export class OutOfBoundsError extends RangeError {
  override name = 'OutOfBoundsError';
}

// Pixel centres map to pixel centres, so imageToScreen(screenToImage(imageToScreen(p))) is stable
// and screenToImage(imageToScreen(p)) === p whenever the image is not larger than the screen.
function toOther(v: number, from: number, to: number): number {
  return Math.min(to - 1, Math.max(0, Math.floor(((v + 0.5) * to) / from)));
}

/** Model/image pixel -> screen pixel. Points outside the image are an error, never clamped. */
export function imageToScreen(p: { x: number; y: number }, s: Scaling): Point {
  if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new OutOfBoundsError(`point (${p.x}, ${p.y}) is not a number`);
  if (p.x < 0 || p.y < 0 || p.x >= s.image.width || p.y >= s.image.height) {
    throw new OutOfBoundsError(`point (${p.x}, ${p.y}) is outside the ${s.image.width}x${s.image.height} image`);
  }
  return { x: toOther(p.x, s.image.width, s.screen.width), y: toOther(p.y, s.image.height, s.screen.height) };
}

/** Screen pixel -> model/image pixel. */
export function screenToImage(p: Point, s: Scaling): Point {
  if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new OutOfBoundsError(`point (${p.x}, ${p.y}) is not a number`);
  if (p.x < 0 || p.y < 0 || p.x >= s.screen.width || p.y >= s.screen.height) {
    throw new OutOfBoundsError(`point (${p.x}, ${p.y}) is outside the ${s.screen.width}x${s.screen.height} screen`);
  }
  return { x: toOther(p.x, s.screen.width, s.image.width), y: toOther(p.y, s.screen.height, s.image.height) };
}

/** Relative coordinates in [0, 1000] (UI-TARS style) -> image pixels. */
export function relativeToImage(p: { x: number; y: number }, image: Size, range = 1000): Point {
  if (![p.x, p.y].every((v) => Number.isFinite(v) && v >= 0 && v <= range)) {
    throw new OutOfBoundsError(`relative point (${p.x}, ${p.y}) is outside 0..${range}`);
  }
  // Multiply before dividing: (344 / 1000) * 625 is 214.99... in floating point, 344 * 625 / 1000 is 215.
  return { x: Math.min(image.width - 1, Math.floor((p.x * image.width) / range)), y: Math.min(image.height - 1, Math.floor((p.y * image.height) / range)) };
}

export function parseSize(text: string): Size {
  const m = /^(\d{2,5})x(\d{2,5})$/.exec(text.trim());
  if (!m) throw new Error(`size "${text}" is not WIDTHxHEIGHT, e.g. 1280x800`);
  const size = { width: Number(m[1]), height: Number(m[2]) };
  assertSize(size);
  return size;
}

function assertSize(s: Size): void {
  if (!Number.isInteger(s.width) || !Number.isInteger(s.height) || s.width < 1 || s.height < 1) {
    throw new RangeError(`size ${s.width}x${s.height} must be positive whole pixels`);
  }
}

/**
 * Image pixel -> the whole number on a [0, range) grid that relativeToImage maps back onto it, for mocks
 * and round-trip checks. On images wider than the grid some pixels have no grid value: the nearest is one off.
 */
export function imageToRelative(p: Point, image: Size, range = 1000): Point {
  const one = (v: number, size: number) => {
    const r = Math.max(0, Math.ceil((v * range) / size - 1e-9));
    return Math.min(range - 1, r < ((v + 1) * range) / size ? r : Math.round(((v + 0.5) * range) / size));
  };
  return { x: one(p.x, image.width), y: one(p.y, image.height) };
}

/** Whether an image fits a vision model's budget: its long edge and its pixel count (Claude: 1568 px, ~1.15 MP). */
export function fitsImageBudget(image: Size, budget: { maxLongEdge: number; maxPixels: number }): boolean {
  return Math.max(image.width, image.height) <= budget.maxLongEdge && image.width * image.height <= budget.maxPixels;
}

/**
 * A point on a normalised [0, grid) grid of the image (Gemini's 0-999) -> the image pixel nearest the
 * centre of that grid cell. Values off the grid are an error, never clamped. Rounding to the cell centre
 * (not flooring to its left edge) keeps a downscaled screen's click within a pixel (1920 wide: 1 px, not 3).
 */
export function gridToImage(p: { x: number; y: number }, image: Size, grid = 1000): Point {
  if (![p.x, p.y].every((v) => Number.isFinite(v) && v >= 0 && v <= grid - 1)) {
    throw new OutOfBoundsError(`grid point (${p.x}, ${p.y}) is outside 0..${grid - 1}`);
  }
  const one = (v: number, size: number) => Math.min(size - 1, Math.max(0, Math.round(((v + 0.5) * size) / grid - 0.5)));
  return { x: one(p.x, image.width), y: one(p.y, image.height) };
}

/** The inverse, for mocks and round-trip checks: the grid cell holding an image pixel's centre. */
export function imageToGrid(p: Point, image: Size, grid = 1000): Point {
  const one = (v: number, size: number) => Math.min(grid - 1, Math.floor(((v + 0.5) * grid) / size));
  return { x: one(p.x, image.width), y: one(p.y, image.height) };
}
