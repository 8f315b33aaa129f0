// What OCR masking of card numbers and keys adds to each captured frame: tesseract on a 1280x800
// frame of two text windows (12 or 48 lines, a card number and a key among them) plus the blackout.
import { loadavg } from 'node:os';
import sharp from 'sharp';
import type { Screenshot } from '../../agents/desktop/driver.ts';
import { maskSecretText } from '../../agents/desktop/secret-text-mask.ts';
import { percentile } from './stats.ts';

const PROSE = [
  'Meeting notes 2024-03-15: ship the March release after the review on Friday.',
  'Order 12345678 was sent to 42 Harbour Street; call +1 555 123 4567 for delivery.',
  'Totals: 1,234.50 EUR paid, 310.00 EUR due by 30/04, ticket #88421 closed.',
  'The quick brown fox jumps over the lazy dog while the build runs its tests.',
];

/** A block of text as a window shows it: dark text on white, DejaVu Sans Mono 11. */
async function textWindow(lines: string[]): Promise<Buffer> {
  return sharp({ text: { text: lines.join('\n'), font: 'DejaVu Sans Mono 11', dpi: 96, spacing: 4 } }).negate({ alpha: false }).flatten({ background: '#ffffff' }).png().toBuffer();
}

/** Two text windows of `rows` lines each, a card number in one and a key in the other. */
async function frame(rows: number): Promise<Screenshot> {
  const left = Array.from({ length: rows }, (_, i) => `${String(i + 1).padStart(2)}  ${PROSE[i % PROSE.length]!.slice(0, 64)}`);
  left[Math.floor(rows / 2)] = `${String(Math.floor(rows / 2) + 1).padStart(2)}  Card on file: 4111 1111 1111 1111  exp 12/27  (billing)`;
  const right = Array.from({ length: rows }, (_, i) => `$ ${PROSE[(i + 1) % PROSE.length]!.slice(0, 56)}`);
  right[rows - 2] = '$ export OPENAI_API_KEY=sk-proj-AbC123xyzDEF456ghiJKL789mno';
  const data = await sharp({ create: { width: 1280, height: 800, channels: 3, background: '#d8dce2' } })
    .composite([{ input: await textWindow(left), left: 16, top: 40 }, { input: await textWindow(right), left: 660, top: 240 }])
    .png().toBuffer();
  const size = { width: 1280, height: 800 };
  return { data, format: 'png', screen: size, image: size, scaleX: 1, scaleY: 1, capturedAt: Date.now(), method: 'nut' };
}

export interface SecretTextFigure {
  /** Lines of text on the frame. */
  lines: number;
  medianMs: number;
  p95Ms: number;
  /** Words blacked out in the frame (the card's four groups and the key's pieces: at least 5). */
  masked: number;
}

export interface SecretTextBench {
  frames: number;
  figures: SecretTextFigure[];
  /** The machine's 1-minute load average at the end: OCR is CPU-bound, so a busy machine reads slower. */
  load: number;
}

/** A screen with little text (two windows of 6 lines) and one full of it (two of 24). */
export async function benchSecretTextMask(frames = 7): Promise<SecretTextBench> {
  const figures: SecretTextFigure[] = [];
  for (const rows of [6, 24]) {
    const shot = await frame(rows);
    const { rects } = await maskSecretText(shot); // warm-up: tesseract's language data into the page cache
    const samples: number[] = [];
    for (let i = 0; i < frames; i++) {
      const t = performance.now();
      await maskSecretText(shot);
      samples.push(performance.now() - t);
    }
    figures.push({ lines: rows * 2, medianMs: percentile(samples, 50), p95Ms: percentile(samples, 95), masked: rects.length });
  }
  return { frames, figures, load: loadavg()[0]! };
}
