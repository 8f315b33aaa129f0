// Synthetic screens for tests and the bench: labelled buttons and words on a textured background,
// rendered by sharp (librsvg), so template matching and tesseract see real pixels.
import sharp from 'sharp';
import type { Size } from '../../desktop/geometry.ts';

export interface Item {
  text: string;
  x: number;
  y: number;
  /** Drawn as a button (a framed box) rather than plain text. */
  button?: boolean;
}

const WORDS = ['File', 'Edit', 'Search', 'View', 'Document', 'Help', 'Open', 'Print', 'alpha', 'bravo', 'charlie', 'delta'];

/** Filler words on a grid, shifted by `offset`, so every screen has texture like a real one. */
export function filler(offset = { x: 0, y: 0 }, size: Size = { width: 1280, height: 800 }): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < 48; i++) {
    const x = ((i * 211) % (size.width - 160)) + 20 + offset.x;
    const y = Math.floor(i / 6) * 90 + 40 + offset.y;
    if (x > 0 && y > 0 && x < size.width - 80 && y < size.height - 20) items.push({ text: WORDS[i % WORDS.length]!, x, y });
  }
  return items;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A PNG of the items; a button's (x, y) is its top-left, a word's is its baseline start. */
export function scene(items: Item[], size: Size = { width: 1280, height: 800 }): Promise<Buffer> {
  const body = items.map((it) => it.button
    ? `<rect x="${it.x}" y="${it.y}" width="90" height="30" rx="3" fill="#dcdcdc" stroke="#555"/><text x="${it.x + 22}" y="${it.y + 20}" font-family="DejaVu Sans" font-size="14">${escape(it.text)}</text>`
    : `<text x="${it.x}" y="${it.y}" font-family="DejaVu Sans" font-size="14">${escape(it.text)}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}"><rect width="100%" height="100%" fill="#f2f2f2"/>${body}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** The centre of a button item. */
export const buttonCentre = (it: Item) => ({ x: it.x + 45, y: it.y + 15 });
