import { describe, expect, it } from 'vitest';
import { claudeImageTokens, geminiImageTokens, roundTrip } from './bench-formats.ts';
import { AnthropicPlanner } from './anthropic.ts';
import { GeminiPlanner } from './gemini.ts';
import { fitsImageBudget, gridToImage, imageToGrid } from '../desktop/geometry.ts';

describe('Claude and Gemini coordinates', () => {
  const screen = { width: 1280, height: 800 };

  it('send 1280x800 as is: within Claude\'s image budget, every pixel clicked back within 1 px', () => {
    const claude = new AnthropicPlanner({ apiKey: 'test' }).imageSizeFor(screen);
    expect(claude).toEqual(screen);
    expect(fitsImageBudget(claude, { maxLongEdge: 1568, maxPixels: 1_150_000 })).toBe(true);
    expect(roundTrip(screen, claude)).toBe(0);
    const gemini = new GeminiPlanner({ apiKey: 'test' }).imageSizeFor(screen);
    expect(roundTrip(screen, gemini, 1000)).toBeLessThanOrEqual(1);
  });

  it('keeps larger screens within budget, Claude\'s round trip within 1 px and the grid\'s within 2', () => {
    for (const big of [{ width: 1920, height: 1080 }, { width: 2560, height: 1600 }, { width: 3440, height: 1440 }]) {
      const image = new AnthropicPlanner({ apiKey: 'test' }).imageSizeFor(big);
      expect(fitsImageBudget(image, { maxLongEdge: 1568, maxPixels: 1_150_000 })).toBe(true);
    }
    expect(roundTrip({ width: 1920, height: 1080 }, { width: 1366, height: 768 })).toBeLessThanOrEqual(1);
    // The grid is coarser than a downscaled 1920 screen: a cell is 1.9 screen px (flooring to the cell's edge gave 3).
    expect(roundTrip({ width: 1920, height: 1080 }, { width: 1365, height: 768 }, 1000)).toBeLessThanOrEqual(2);
  });

  it('maps the 0-999 grid onto image pixels and back', () => {
    const image = { width: 800, height: 500 };
    for (let x = 0; x < image.width; x++) {
      const back = gridToImage(imageToGrid({ x, y: 0 }, image), image);
      expect(back.x).toBe(x);
    }
    // Wider than the grid: some pixels have no grid value of their own, the nearest is one pixel off.
    const wide = { width: 1280, height: 800 };
    let worst = 0;
    for (let x = 0; x < wide.width; x++) worst = Math.max(worst, Math.abs(gridToImage(imageToGrid({ x, y: 0 }, wide), wide).x - x));
    expect(worst).toBe(1);
  });

  it('prices images by each provider\'s rule', () => {
    expect(claudeImageTokens({ width: 1000, height: 1000 })).toBe(1334);
    expect(geminiImageTokens({ width: 384, height: 384 })).toBe(258);
    expect(geminiImageTokens({ width: 1280, height: 800 })).toBe(258 * 4);
  });
});
