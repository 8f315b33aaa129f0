// OSWorld's own task machinery on sandbox displays: files from a local HTTP server standing in for
// OSWorld's file cache (download steps, cloud_file getters), python + our pyautogui in config and
// postconfig steps with {SCREEN_WIDTH_HALF} placeholders, LibreOffice Writer scored by
// compare_docx_files, Chromium through the google-chrome shim with chrome_open_tabs (socat step not
// needed) scored by the Chrome getters. A right trajectory scores 1, a wrong one 0.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTasks } from '../agents/cli/tasks-check-commands.ts';
import { ScriptedPlanner } from '../agents/models/scripted.ts';
import { docx, pptx, type SlideShape } from '../agents/tasks/ooxml-fixtures.ts';
import { loadTask, runTask, scriptPathFor, type TaskResult } from '../agents/tasks/run-task.ts';
import { Store } from '../agents/store/store.ts';

const source = fileURLToPath(new URL('./tasks/osworld/', import.meta.url));
const LETTER = ['Dear Ada,', 'Thank you for the notes on the engine.', 'Best wishes,'];
const page = (title: string) => `<!doctype html><title>${title}</title><h1>${title}</h1>`;
const FILES: Record<string, { type: string; body: Buffer }> = {
  '/download?id=letter&export=download': { type: 'application/octet-stream', body: docx(LETTER) },
  '/download?id=letter-signed&export=download': { type: 'application/octet-stream', body: docx([...LETTER, 'Signed: Ada']) },
  '/start.html': { type: 'text/html', body: Buffer.from(page('Start')) },
  '/a.html': { type: 'text/html', body: Buffer.from(page('Page A')) },
  '/b.html': { type: 'text/html', body: Buffer.from(page('Page B')) },
  '/c.html': { type: 'text/html', body: Buffer.from(page('Page C')) },
};

const DECK: SlideShape[][] = [[{ text: 'Quarterly plan', size: 4000 }, { text: 'Ship the engine' }], [{ text: 'Next steps' }]];

/** A deck as LibreOffice saves it (its own rounding of positions and its run attributes), as OSWorld's gold files are. */
function savedByLibreOffice(slides: SlideShape[][], work: string, name: string, times: number): Buffer {
  let data = pptx(slides);
  // LibreOffice rounds shape sizes anew on each save: the gold file goes through as many saves as the agent's.
  for (let i = 0; i < times; i++) {
    mkdirSync(join(work, 'in'), { recursive: true });
    writeFileSync(join(work, 'in', `${name}.pptx`), data);
    execFileSync('soffice', [`-env:UserInstallation=file://${join(work, 'profile')}`, '--headless', '--convert-to', 'pptx', '--outdir', join(work, 'out'), join(work, 'in', `${name}.pptx`)], { timeout: 120_000 });
    data = readFileSync(join(work, 'out', `${name}.pptx`));
  }
  return data;
}

let dir: string;
let tasksDir: string;
let cacheDir: string;
let server: Server;
let store: Store;
const served: string[] = [];
const scored: TaskResult[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-osworld-e2e-'));
  server = createServer((req, res) => {
    served.push(req.url!);
    const file = FILES[req.url!];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.body.length) }).end(file.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The task files name files.osworld.test; here it is this server.
  tasksDir = join(dir, 'examples', 'osworld');
  cacheDir = join(dir, 'cache');
  FILES['/download?id=deck&export=download'] = { type: 'application/octet-stream', body: savedByLibreOffice(DECK, join(dir, 'decks'), 'deck', 1) };
  const marked = DECK.map((slide, i) => slide.map((shape, j) => (i === 0 && j === 0 ? { ...shape, text: `${shape.text}!` } : shape)));
  FILES['/download?id=deck-marked&export=download'] = { type: 'application/octet-stream', body: savedByLibreOffice(marked, join(dir, 'decks'), 'deck-marked', 2) };
  mkdirSync(tasksDir, { recursive: true });
  for (const f of readdirSync(source)) writeFileSync(join(tasksDir, f), readFileSync(join(source, f), 'utf8').replaceAll('http://files.osworld.test', base));
  store = Store.open(join(dir, 'deskpilot.db'));
  // Three LibreOffice saves of the gold decks: about 7 s each alone, over a minute on a loaded 2-core machine.
}, 240_000);

afterAll(() => {
  if (scored.length) console.log(scored.map((r) => `${r.task.padEnd(28)} ${r.score}  ${String(r.steps).padStart(2)} steps  ${r.seconds.toFixed(1).padStart(5)} s`).join('\n'));
  store?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const show = (r: TaskResult) => JSON.stringify({ status: r.status, score: r.score, error: r.error, details: r.details, warnings: r.warnings });
const file = (id: string) => join(tasksDir, `${id}.json`);
const run = async (id: string, steps?: unknown[]) => {
  const planner = steps ? new ScriptedPlanner(steps) : await ScriptedPlanner.fromFile(scriptPathFor(file(id)));
  const r = await runTask(await loadTask(file(id)), { store, planner: async () => ({ planner, provider: 'scripted' }), files: { cacheDir, offline: false } });
  scored.push({ ...r, task: `${r.task}${steps ? ' (wrong)' : ''}` });
  return r;
};

describe('OSWorld-format tasks with files over HTTP, pyautogui and Chrome', () => {
  it('tasks check: the Writer task needs its two files, the Chrome task is ready', async () => {
    const rows = await checkTasks([file('writer-sign-letter'), file('chrome-switch-tab')], cacheDir);
    expect(rows.map((r) => [r.task, r.status, r.missing.length])).toEqual([['writer-sign-letter', 'needs files', 2], ['chrome-switch-tab', 'ready', 0]]);
    const [impress] = await checkTasks([file('impress-title-mark')], cacheDir);
    expect(impress).toMatchObject({ status: 'needs files', unsupported: [] });
  });

  it('Writer: the letter downloaded, signed, saved by pyautogui in postconfig, scores 1 by compare_docx_files', async () => {
    const r = await run('writer-sign-letter');
    expect(r.status, show(r)).toBe('scored');
    expect(r.score, show(r)).toBe(1);
    expect(served.filter((u) => u.startsWith('/download')).sort()).toEqual(['/download?id=letter&export=download', '/download?id=letter-signed&export=download']);
    const [row] = await checkTasks([file('writer-sign-letter')], cacheDir);
    expect(row!.status).toBe('ready');
  }, 180_000);

  it('Writer: a wrong signature scores 0, and the files come from the cache this time', async () => {
    const before = served.length;
    const r = await run('writer-sign-letter', [
      { actions: [{ type: 'keypress', keys: ['CTRL', 'END'] }, { type: 'wait', ms: 300 }] },
      { actions: [{ type: 'type', text: '\nSigned: Bob' }, { type: 'wait', ms: 500 }] },
      { actions: [{ type: 'done' }] },
    ]);
    expect(r, show(r)).toMatchObject({ status: 'scored', score: 0 });
    expect(r.details.join('\n')).toContain('compare_docx_files: the text differs');
    expect(served.slice(before).filter((u) => u.startsWith('/download'))).toEqual([]);
  }, 180_000);

  it('Impress: the title marked, saved by pyautogui, scores 1 by compare_pptx_files', async () => {
    const r = await run('impress-title-mark');
    expect(r.status, show(r)).toBe('scored');
    expect(r.score, show(r)).toBe(1);
  }, 180_000);

  it('Impress: nothing changed scores 0', async () => {
    const r = await run('impress-title-mark', [{ actions: [{ type: 'wait', ms: 300 }] }, { actions: [{ type: 'done' }] }]);
    expect(r, show(r)).toMatchObject({ status: 'scored', score: 0 });
    expect(r.details.join('\n')).toContain('compare_pptx_files: slide 1, shape 1: text "Quarterly plan" vs expected "Quarterly plan!"');
  }, 180_000);

  it('Chrome: tabs opened by chrome_open_tabs (one closed by chrome_close_tabs), the right tab chosen, scores 1 by active_tab_info and open_tabs_info', async () => {
    const r = await run('chrome-switch-tab');
    expect(r.status, show(r)).toBe('scored');
    expect(r.score, show(r)).toBe(1);
  }, 180_000);

  it('Chrome: the wrong tab scores 0', async () => {
    const r = await run('chrome-switch-tab', [{ actions: [{ type: 'keypress', keys: ['CTRL', '1'] }, { type: 'wait', ms: 500 }] }, { actions: [{ type: 'done' }] }]);
    expect(r, show(r)).toMatchObject({ status: 'scored', score: 0 });
    expect(r.details.join('\n')).toMatch(/is_expected_active_tab: the active tab is .*start\.html/);
  }, 180_000);
});
