// Where a word is on a screenshot the mock was sent (the apt tesseract, as the OpenAI mock uses), so a
// scripted trajectory can say "click Save" and the mock clicks where Save really is in that image.
import sharp from 'sharp';
import { decodeDataUrl, findText, ocrWords } from '../mock-openai/ocr.ts';

export interface Found { x: number; y: number; image: { width: number; height: number } }

/** The centre of `text` in the image (pixels) and the image size, or a sentence saying why not. */
export async function locateText(image: { data: string; mediaType: string } | undefined, text: string): Promise<Found | string> {
  if (!image) return `mock: "${text}" needs a screenshot in the request, and there was none.`;
  try {
    const { bytes, ext } = decodeDataUrl(`data:${image.mediaType};base64,${image.data}`);
    const meta = await sharp(bytes).metadata();
    const box = findText(await ocrWords(bytes, { ext, minConf: 0 }), text);
    if (!box) return `mock: could not find the text "${text}" on the screen.`;
    return { x: Math.floor(box.left + box.width / 2), y: Math.floor(box.top + box.height / 2), image: { width: meta.width!, height: meta.height! } };
  } catch (err) {
    return `mock: could not read the screen to find "${text}": ${(err as Error).message}`;
  }
}

/** Reads a request body as JSON (the raw text when it is not JSON). */
export async function readJson(req: AsyncIterable<unknown>): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
