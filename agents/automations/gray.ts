// 8-bit grayscale images as plain arrays: what the evidence checks and the template search work on.
import sharp from 'sharp';

export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Decodes any image sharp reads (PNG, JPEG, WebP) to one gray channel. */
export async function decodeGray(image: Buffer): Promise<Gray> {
  const { data, info } = await sharp(image).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 1) return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  // Some inputs keep extra channels after greyscale(): take the first.
  const out = new Uint8Array(info.width * info.height);
  for (let i = 0; i < out.length; i++) out[i] = data[i * info.channels]!;
  return { width: info.width, height: info.height, data: out };
}

export function encodePng(g: Gray): Promise<Buffer> {
  return sharp(Buffer.from(g.data.buffer, g.data.byteOffset, g.data.length), { raw: { width: g.width, height: g.height, channels: 1 } }).png().toBuffer();
}

/** A copy of a region; the box must lie inside the image. */
export function crop(g: Gray, b: Box): Gray {
  if (b.left < 0 || b.top < 0 || b.left + b.width > g.width || b.top + b.height > g.height || b.width <= 0 || b.height <= 0) {
    throw new RangeError(`crop ${b.width}x${b.height}+${b.left}+${b.top} is outside the ${g.width}x${g.height} image`);
  }
  const out = new Uint8Array(b.width * b.height);
  for (let y = 0; y < b.height; y++) out.set(g.data.subarray((b.top + y) * g.width + b.left, (b.top + y) * g.width + b.left + b.width), y * b.width);
  return { width: b.width, height: b.height, data: out };
}

/** Box-averages f x f blocks (the remainder at the right and bottom edges is dropped). */
export function shrink(g: Gray, f: number): Gray {
  if (f === 1) return g;
  const width = Math.floor(g.width / f);
  const height = Math.floor(g.height / f);
  const out = new Uint8Array(width * height);
  const rowSums = new Uint32Array(width);
  const area = f * f;
  for (let y = 0; y < height; y++) {
    rowSums.fill(0);
    for (let dy = 0; dy < f; dy++) {
      const row = (y * f + dy) * g.width;
      for (let x = 0; x < width; x++) {
        let s = 0;
        const start = row + x * f;
        for (let dx = 0; dx < f; dx++) s += g.data[start + dx]!;
        rowSums[x]! += s;
      }
    }
    for (let x = 0; x < width; x++) out[y * width + x] = Math.round(rowSums[x]! / area);
  }
  return { width, height, data: out };
}

/** A box of the given size around a point, shifted to stay inside the image. */
export function boxAround(p: { x: number; y: number }, size: { width: number; height: number }, bounds: { width: number; height: number }): Box {
  const width = Math.min(size.width, bounds.width);
  const height = Math.min(size.height, bounds.height);
  const left = Math.min(Math.max(0, p.x - Math.floor(width / 2)), bounds.width - width);
  const top = Math.min(Math.max(0, p.y - Math.floor(height / 2)), bounds.height - height);
  return { left, top, width, height };
}
