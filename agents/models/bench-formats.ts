// Figures for the Claude and Gemini formats (printed by `npm run bench models`, never asserted there):
// parse time per reply over each corpus, image tokens per step at the adapters' defaults, and the click
// round trip over every pixel of the screen through each format's coordinates (Claude: screenshot pixels;
// Gemini: the 0-999 grid).
import { PARSERS } from './corpus/index.ts';
import { AnthropicPlanner } from './anthropic.ts';
import { GeminiPlanner } from './gemini.ts';
import { GRID } from './gemini-actions.ts';
import { gridToImage, imageToGrid, imageToScreen, scalingFor, screenToImage } from '../desktop/geometry.ts';
import type { Size } from '../desktop/geometry.ts';

export interface Row { name: string; value: string }

const SCREENS: Size[] = [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }, { width: 2560, height: 1600 }];

/** Claude's image cost: about width x height / 750 tokens (images within 1568 px and ~1.15 MP are not resized). */
export function claudeImageTokens(image: Size): number {
  return Math.ceil((image.width * image.height) / 750);
}

/** Gemini's image cost: 258 tokens when both sides are at most 384 px, else 258 per 768x768 tile. */
export function geminiImageTokens(image: Size): number {
  if (image.width <= 384 && image.height <= 384) return 258;
  return 258 * Math.ceil(image.width / 768) * Math.ceil(image.height / 768);
}

/**
 * The largest distance, in screen pixels, between a screen pixel and where a click lands when the model
 * names what it sees there, over every pixel of the screen: screen -> image -> (grid ->) image -> screen.
 */
export function roundTrip(screen: Size, image: Size, grid?: number): number {
  const s = scalingFor(screen, { target: image });
  let worst = 0;
  for (let y = 0; y < screen.height; y++) {
    for (let x = 0; x < screen.width; x++) {
      const seen = screenToImage({ x, y }, s);
      const named = grid ? gridToImage(imageToGrid(seen, image, grid), image, grid) : seen;
      const landed = imageToScreen(named, s);
      worst = Math.max(worst, Math.abs(landed.x - x), Math.abs(landed.y - y));
    }
  }
  return worst;
}

export function parseTimes(): Row[] {
  const rows: Row[] = [];
  for (const format of ['anthropic', 'gemini'] as const) {
    const { corpus, parse } = PARSERS[format];
    const entries = corpus();
    const once = (e: (typeof entries)[number]) => {
      try {
        parse(e);
      } catch {
        // Refusals are part of the work measured.
      }
    };
    for (let i = 0; i < 3; i++) entries.forEach(once);
    const reps = 20;
    const perReply = entries.map((e) => {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) once(e);
      return ((performance.now() - t0) * 1000) / reps;
    });
    rows.push({ name: `parse ${format} (${entries.length} corpus replies)`, value: `median ${fmt(percentile(perReply, 50))} µs   p95 ${fmt(percentile(perReply, 95))} µs` });
  }
  return rows;
}

export function benchFormats(): Row[] {
  const rows = parseTimes();
  const claude = new AnthropicPlanner({ apiKey: 'bench' });
  const gemini = new GeminiPlanner({ apiKey: 'bench' });
  for (const screen of SCREENS) {
    const size = `${screen.width}x${screen.height}`;
    const c = claude.imageSizeFor(screen);
    rows.push({ name: `anthropic, ${size} screen`, value: `sends ${c.width}x${c.height}, ~${claudeImageTokens(c)} image tokens per step; click round trip worst ${roundTrip(screen, c)} px` });
    const g = gemini.imageSizeFor(screen);
    rows.push({ name: `gemini, ${size} screen`, value: `sends ${g.width}x${g.height}, ${geminiImageTokens(g)} image tokens per step; click round trip on the 0-999 grid worst ${roundTrip(screen, g, GRID)} px` });
  }
  return rows;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function fmt(us: number): string {
  return us < 10 ? us.toFixed(2) : us.toFixed(1);
}
