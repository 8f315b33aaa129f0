// OCR'd card numbers and keys masked end to end: mousepad shows a card number, a key and ordinary
// text; a run through startRun (the scripted planner) stores its screenshot; the stored file is read
// back and checked by pixels (the secrets' boxes, found by OCR on the raw screen, are black) and by
// OCR (tesseract no longer reads the secrets, still reads the ordinary words). The same checks on a
// run with masking turned off, and on a sandbox (off by default), find the secrets: they can fail.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { parseTesseractTsv, type OcrWord } from '../agents/desktop/secret-text.ts';
import { openTarget } from '../agents/desktop/targets.ts';
import { ScriptedPlanner } from '../agents/models/scripted.ts';
import type { RunOptions } from '../agents/run/events.ts';
import { startRun } from '../agents/run/start-run.ts';
import { Store } from '../agents/store/store.ts';
import { ofType, openReadableMousepad } from './support/agent-harness.ts';

const TEXT = [
  'Invoice 2024-03-15 for order 12345678, call +1 555 123 4567',
  'Card: 4111 1111 1111 1111 exp 12/27',
  'Key: sk-proj-AbC123xyzDEF456ghiJKL789mno',
  'Backup 4012.8888.8888.1881 ordinary words here',
  '',
].join('\n');

let display: VirtualDisplay;
let store: Store;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-secret-text-e2e-'));
  store = Store.open(join(dir, 'deskpilot.db'));
  display = await startDisplay({ size: { width: 1280, height: 800 } });
  const file = join(display.env.HOME!, 'card.txt');
  writeFileSync(file, TEXT);
  await openReadableMousepad(display, file, 14);
  // Drawn before any run looks at it.
  for (let tries = 0; !readText(await ocr(await rawScreen(display))).includes('ordinary'); tries++) {
    if (tries > 60) throw new Error('mousepad never showed the text');
    await new Promise((r) => setTimeout(r, 500));
  }
}, 90_000);

afterAll(async () => {
  store?.close();
  await display?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(cmd: string, args: string[], env: Record<string, string>, input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { env: { ...process.env, ...env }, encoding: 'buffer', maxBuffer: 64 << 20, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} failed: ${stderr.toString() || err.message}`));
      else resolve(stdout);
    });
    if (input) child.stdin!.end(input);
  });
}

/** Words tesseract reads in an image: run here, apart from the code under test. */
async function ocr(png: Buffer, psm = '3'): Promise<OcrWord[]> {
  return parseTesseractTsv((await run('tesseract', ['-', '-', '--psm', psm, 'tsv'], { OMP_THREAD_LIMIT: '1' }, png)).toString('utf8'));
}

/** The screen as X has it, unmasked: ImageMagick's import, not the driver. */
const rawScreen = (d: { display: string; env: Record<string, string> }) => run('/usr/bin/import', ['-window', 'root', 'png:-'], { ...d.env, DISPLAY: d.display });

/** The words of the secrets on the raw screen, so their boxes can be looked up in the stored shot. */
function secretWords(words: OcrWord[]): OcrWord[] {
  const card = words.filter((w) => /^(4111|1111)$/.test(w.text));
  const dotted = words.filter((w) => w.text.includes('4012.8888'));
  const key = words.filter((w) => w.text.startsWith('sk-proj'));
  expect(card.length, 'OCR reads the card number on the raw screen').toBe(4);
  expect(dotted.length, 'OCR reads the dotted card number on the raw screen').toBe(1);
  expect(key.length, 'OCR reads the key on the raw screen').toBeGreaterThanOrEqual(1);
  return [...card, ...dotted, ...key];
}

/** The brightest channel value inside a box of the image. */
async function brightest(png: Buffer, w: OcrWord): Promise<number> {
  // Raw pixels of the extract (stats() would read the whole image).
  const data = await sharp(png).extract({ left: w.box.x, top: w.box.y, width: w.box.width, height: w.box.height }).removeAlpha().raw().toBuffer();
  return data.reduce((max, v) => Math.max(max, v), 0);
}

/** A one-step run on the display with the scripted planner; returns its stored screenshot, read from disk. */
async function storedShotOfRun(options: Partial<RunOptions>): Promise<Buffer> {
  const planner = new ScriptedPlanner([{ actions: [{ type: 'done', answer: 'seen' }] }]);
  const started = await startRun({ kind: 'display', display: display.display }, { store, planner, provider: 'scripted', task: 'look', options, tools: 'none' });
  const result = await started.run.finished;
  await started.closed;
  expect(result, result.reason).toMatchObject({ status: 'done' });
  const [shot] = ofType(store, started.run, 'screenshot_captured');
  return readFileSync(store.blobPath(shot!.ref));
}

const readText = (words: OcrWord[]) => words.map((w) => w.text).join(' ');

describe('card numbers and keys found by OCR', () => {
  it('are black in the stored screenshot of a run on the own screen (on by default), the ordinary text stays', async () => {
    const stored = await storedShotOfRun({});
    const raw = await rawScreen(display);
    const secrets = secretWords(await ocr(raw));
    for (const w of secrets) expect(await brightest(stored, w), `${w.text} is masked`).toBeLessThan(16);
    // Black boxes upset tesseract's page layout (psm 3); read as one block of text (psm 6), it finds the rest.
    expect(readText(await ocr(stored))).not.toMatch(/4111|4012|8888|sk-proj|AbC123/);
    const text = readText(await ocr(stored, '6'));
    expect(text).not.toMatch(/4111|4012|8888|sk-proj|AbC123/);
    for (const word of ['Invoice', '2024-03-15', '12345678', 'Card:', 'exp', '12/27', 'Key:', 'Backup', 'ordinary words here']) expect(text).toContain(word);
    // The ordinary words' boxes are not black.
    const ordinary = (await ocr(raw)).find((w) => w.text === 'ordinary')!;
    expect(await brightest(stored, ordinary)).toBeGreaterThan(200);
  }, 120_000);

  it('are readable in the stored screenshot when masking is turned off: the same checks fail', async () => {
    const stored = await storedShotOfRun({ privacy: { maskSecretText: false } });
    const secrets = secretWords(await ocr(stored));
    for (const w of secrets) expect(await brightest(stored, w)).toBeGreaterThan(200);
    expect(readText(await ocr(stored))).toMatch(/4111 1111 1111 1111/);
    expect(readText(await ocr(stored, '6'))).toMatch(/4111 1111 1111 1111/);
  }, 120_000);

  it('are not looked for in a sandbox unless the settings ask', async () => {
    const target = await openTarget({ kind: 'sandbox', size: { width: 1280, height: 800 }, launch: [] });
    try {
      const v = target.virtual!;
      const file = join(v.env.HOME!, 'card.txt');
      writeFileSync(file, TEXT);
      await openReadableMousepad(v, file, 14);
      await expect.poll(async () => readText(await ocr((await target.driver.capture({ format: 'png' })).data)), { timeout: 30_000, interval: 500 }).toMatch(/4111 1111 1111 1111/);
    } finally {
      await target.close();
    }
  }, 120_000);
});
