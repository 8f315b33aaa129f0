// Card numbers and key-shaped strings read off each screenshot by OCR (the system's tesseract) and
// blacked out before the shot leaves the driver, beside the private windows and areas. OCR that
// fails fails the capture: a run that asked for masking never sends an unmasked screen.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { CaptureOptions, DesktopDriver, Screenshot } from './driver.ts';
import { blackOut } from './private-regions.ts';
import { parseTesseractTsv, secretWordRects, type OcrWord } from './secret-text.ts';
import type { Rect } from './x-windows.ts';

export interface SecretTextOptions {
  /** OCR each screenshot and black out card numbers and keys; by default on for the user's own screen, off in a sandbox. */
  maskSecretText?: boolean;
}

/** OCR could not read the screenshot (tesseract missing, crashed or too slow); the capture fails rather than go out unmasked. */
export class SecretTextMaskError extends Error {
  override name = 'SecretTextMaskError';
}

// Generous: a busy 2-core machine took 12 s for a frame full of text; past this the capture fails.
const OCR_TIMEOUT_MS = 60_000;
const TURN_OFF = 'or turn off the masking of card numbers and keys in the settings';

/** tesseract's words with boxes for an encoded image (PNG, JPEG or WebP), given on stdin. */
export function ocrWords(image: Buffer, signal?: AbortSignal): Promise<OcrWord[]> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    // One thread: tesseract's OpenMP threads make one frame slower on a busy machine (about 0.6 s at 1280x800 with one).
    const child = spawn('tesseract', ['-', '-', '-l', 'eng', 'tsv'], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['pipe', 'pipe', 'pipe'], signal, timeout: OCR_TIMEOUT_MS, killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    child.stdin.on('error', () => undefined); // EPIPE when tesseract exits early; 'close' reports why
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (signal?.aborted) return reject(signal.reason);
      if (e.code === 'ENOENT') return reject(new SecretTextMaskError(`cannot mask card numbers and keys on the screen: tesseract is not installed (Debian and Ubuntu: tesseract-ocr and tesseract-ocr-eng), ${TURN_OFF}`));
      reject(new SecretTextMaskError(`cannot mask card numbers and keys on the screen: tesseract did not run (${e.message}), ${TURN_OFF}`));
    });
    child.on('close', (code, sig) => {
      if (signal?.aborted) return reject(signal.reason);
      if (code === 0) return resolve(parseTesseractTsv(Buffer.concat(out).toString('utf8')));
      const why = sig === 'SIGKILL' ? `it took longer than ${OCR_TIMEOUT_MS / 1000} s` : lastLine(err) || `it stopped with code ${code ?? sig}`;
      reject(new SecretTextMaskError(`cannot mask card numbers and keys on the screen: tesseract failed to read the screenshot (${why}), ${TURN_OFF}`));
    });
    child.stdin.end(image);
  });
}

const lastLine = (s: string) => s.trim().split('\n').filter((l) => !/^Estimating resolution/.test(l)).at(-1)?.trim() ?? '';

/** The shot with the card numbers and keys OCR finds in it blacked out. */
export async function maskSecretText(shot: Screenshot, signal?: AbortSignal): Promise<{ shot: Screenshot; rects: Rect[] }> {
  const found = secretWordRects(await ocrWords(shot.data, signal));
  // Image pixels to screen pixels, the unit blackOut takes.
  const rects = found.map((r) => ({ x: r.x / shot.scaleX, y: r.y / shot.scaleY, width: r.width / shot.scaleX, height: r.height / shot.scaleY }));
  return { shot: await blackOut(shot, rects), rects };
}

/** The driver with card numbers and keys masked in every capture; the driver itself when `on` is false. */
export function withSecretTextMask(driver: DesktopDriver, on: boolean): DesktopDriver {
  if (!on) return driver;
  // The same frame again (a wait on a still screen) is not read twice.
  let last: { hash: string; shot: Screenshot } | undefined;
  const wrapped: DesktopDriver = {
    display: driver.display,
    async capture(opts: CaptureOptions, signal?: AbortSignal) {
      const shot = await driver.capture(opts, signal);
      const hash = createHash('sha1').update(shot.data).digest('hex');
      if (last?.hash === hash) return { ...last.shot, capturedAt: shot.capturedAt };
      const masked = (await maskSecretText(shot, signal)).shot;
      last = { hash, shot: masked };
      return masked;
    },
    perform: (action, signal, ctx) => driver.perform(action, signal, ctx),
    screenSize: (signal) => driver.screenSize(signal),
    close: () => driver.close(),
  };
  if (driver.settle) wrapped.settle = (opts, signal) => driver.settle!(opts, signal);
  return wrapped;
}
