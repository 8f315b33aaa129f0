// The OCR step with the real tesseract on small rendered images: what it masks, and that a failure
// or an abort never lets an unmasked shot through.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Screenshot } from './driver.ts';
import { maskSecretText, ocrWords, SecretTextMaskError } from './secret-text-mask.ts';

/** Dark text on white in DejaVu Sans Mono 11, as a terminal shows it. */
async function shotOf(lines: string[], scale = 1): Promise<Screenshot> {
  const text = await sharp({ text: { text: lines.join('\n'), font: 'DejaVu Sans Mono 11', dpi: 96, spacing: 4 } }).negate({ alpha: false }).png().toBuffer();
  const data = await sharp({ create: { width: 640, height: 120, channels: 3, background: '#ffffff' } }).composite([{ input: text, left: 10, top: 10 }]).png().toBuffer();
  return { data, format: 'png', screen: { width: 640 / scale, height: 120 / scale }, image: { width: 640, height: 120 }, scaleX: scale, scaleY: scale, capturedAt: 0, method: 'nut' };
}

const read = async (png: Buffer) => (await ocrWords(png)).map((w) => w.text).join(' ');

describe('OCR masking with tesseract', () => {
  it('blacks out the card number and the key, keeps the rest readable', async () => {
    const shot = await shotOf(['Invoice 2024-03-15 for order 12345678', 'Card: 4111 1111 1111 1111 exp 12/27', 'Key: sk-proj-AbC123xyzDEF456ghiJKL789mno']);
    expect(await read(shot.data)).toContain('4111 1111 1111 1111');
    const { shot: out, rects } = await maskSecretText(shot);
    expect(rects.length).toBeGreaterThanOrEqual(5);
    const text = await read(out.data);
    expect(text).not.toMatch(/4111|sk-proj|AbC123/);
    expect(text).toContain('Invoice 2024-03-15 for order 12345678');
  }, 30_000);

  it('gives screen rectangles on a scaled shot (image pixels / scale)', async () => {
    const { rects } = await maskSecretText(await shotOf(['Card: 4111 1111 1111 1111'], 0.5));
    expect(rects.length).toBe(4);
    for (const r of rects) expect(r.y).toBeGreaterThan(10); // 2x the image's ~10 px top
  }, 30_000);

  it('fails, in words, on an image tesseract cannot read', async () => {
    const err = await ocrWords(Buffer.from('not an image')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretTextMaskError);
    expect((err as Error).message).toMatch(/^cannot mask card numbers and keys on the screen: tesseract failed to read the screenshot \(.+\), or turn off/);
  });

  it('fails, saying what to install, where tesseract is missing', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      const err = await ocrWords((await shotOf(['x'])).data).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SecretTextMaskError);
      expect((err as Error).message).toContain('tesseract is not installed (Debian and Ubuntu: tesseract-ocr and tesseract-ocr-eng), or turn off');
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('stops tesseract when aborted', async () => {
    const big = await sharp({ create: { width: 2560, height: 1600, channels: 3, background: '#ffffff' } })
      .composite([{ input: (await shotOf(Array.from({ length: 3 }, () => 'The quick brown fox jumps over the lazy dog 0123456789'))).data, tile: true, left: 0, top: 0 }])
      .png().toBuffer();
    const ctl = new AbortController();
    const started = performance.now();
    const pending = ocrWords(big, ctl.signal);
    setTimeout(() => ctl.abort(new Error('stopped by the operator')), 100);
    await expect(pending).rejects.toThrow('stopped by the operator');
    expect(performance.now() - started).toBeLessThan(2000);
    await expect(ocrWords(big, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  }, 30_000);
});
