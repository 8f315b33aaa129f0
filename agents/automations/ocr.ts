// Words on an image with the apt `tesseract` CLI (TSV output): the text evidence of a step, and the
// last way to find a target whose look changed.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OcrWord {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  conf: number;
  /** block/paragraph/line, to tell whether two words are on one line. */
  line: string;
  /** The word's place in its line. */
  word: number;
}

export const TESSERACT = process.env['TESSERACT'] ?? 'tesseract';

export class OcrUnavailableError extends Error {
  override name = 'OcrUnavailableError';
}

export interface OcrOptions {
  /** The image's format as a file extension; default png. */
  ext?: string;
  signal?: AbortSignal;
  /** Words tesseract is less sure of are dropped; default 30 (of 100). */
  minConf?: number;
}

/** Runs `tesseract <image> - --psm 11 tsv` (sparse text: UI labels anywhere) on one thread. */
export async function ocrWords(image: Buffer, { ext = 'png', signal, minConf = 30 }: OcrOptions = {}): Promise<OcrWord[]> {
  const dir = await mkdtemp(join(tmpdir(), 'deskpilot-ocr-'));
  try {
    const file = join(dir, `frame.${ext}`);
    await writeFile(file, image);
    const tsv = await new Promise<string>((resolve, reject) => {
      execFile(TESSERACT, [file, '-', '--psm', '11', 'tsv'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 16 << 20, timeout: 30_000, ...(signal ? { signal } : {}) }, (err, stdout, stderr) => {
        if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') reject(new OcrUnavailableError(`OCR needs the tesseract command (apt-get install tesseract-ocr tesseract-ocr-eng), or TESSERACT=/path/to/tesseract`));
        else if (err) reject(new Error(`tesseract failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
    });
    return parseTsv(tsv, minConf);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function parseTsv(tsv: string, minConf = 30): OcrWord[] {
  const words: OcrWord[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const text = f.slice(11).join('\t').trim();
    const conf = Number(f[10]);
    if (!text || conf < minConf) continue;
    words.push({ text, left: Number(f[6]), top: Number(f[7]), width: Number(f[8]), height: Number(f[9]), conf, line: `${f[1]}/${f[2]}/${f[3]}/${f[4]}`, word: Number(f[5]) });
  }
  return words;
}

/** Lowercase, without the punctuation OCR sticks to either end of a word. */
export const normWord = (s: string): string => s.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/** The words that read as `text` (ignoring case and surrounding punctuation). */
export function wordsMatching(words: OcrWord[], text: string): OcrWord[] {
  const want = normWord(text);
  return want ? words.filter((w) => normWord(w.text) === want) : [];
}

export const centreOf = (w: { left: number; top: number; width: number; height: number }) => ({ x: w.left + Math.floor(w.width / 2), y: w.top + Math.floor(w.height / 2) });
