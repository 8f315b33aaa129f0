// Private regions and window deny lists end to end on a sandbox opened through openTarget (the
// factory every run uses), the real `openai` SDK to the mock server, a real store. A private window
// is black in the stored screenshot (pixels read back with sharp); a denied window is never typed
// into or clicked (its command's file never appears, while the allowed window's does).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, type OpenedTarget } from '../agents/desktop/targets.ts';
import { describeWindow, findWindows, type Rect } from '../agents/desktop/x-windows.ts';
import { OpenAIResponsesPlanner } from '../agents/models/openai-responses.ts';
import { AgentRun } from '../agents/run/agent-run.ts';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockOpenAI, type MockTurn } from './mock-openai/server.ts';
import { waitForFile } from './support/apps.ts';
import { ofType, sleep } from './support/agent-harness.ts';

const API_KEY = 'sk-test-governance';
let target: OpenedTarget;
let mock: MockOpenAI;
let store: Store;
let dir: string;
let home: string;

async function xterm(cls: string, geometry: string): Promise<Rect> {
  const v = target.virtual!;
  await v.launch('xterm', ['-class', cls, '-geometry', geometry, '-fa', 'DejaVu Sans Mono', '-fs', '11', '-e', 'bash', '--norc', '--noprofile']);
  const id = await v.waitForWindow({ class: cls });
  await sleep(300); // placed and drawn
  return (await describeWindow({ display: target.display, env: target.env }, id))!;
}

let secret: Rect;
let plain: Rect;
let denied: Rect;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-governance-e2e-'));
  [target, mock] = await Promise.all([
    openTarget({ kind: 'sandbox', size: { width: 1280, height: 800 }, launch: [] }, { windows: { deny: { classes: ['DeniedTerm'] } } }),
    startMockOpenAI({ apiKey: API_KEY }),
  ]);
  store = Store.open(join(dir, 'deskpilot.db'));
  home = target.env!.HOME!;
  secret = await xterm('KeePassXC', '50x12+20+20');
  plain = await xterm('PlainTerm', '50x12+20+420');
  denied = await xterm('DeniedTerm', '50x12+660+420'); // started last: it has the focus
});

afterAll(async () => {
  store?.close();
  await target?.close();
  await mock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function start(turns: MockTurn[], task: string): AgentRun {
  mock.setTrajectory(turns);
  const planner = new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: API_KEY, timeoutMs: 10_000, maxRetries: 1 });
  return AgentRun.start({ store, driver: target.driver, planner }, { task, provider: planner.name, model: planner.model, options: { approve: 'never' } });
}

/** The largest channel value over the rectangle (screen pixels, inset 2 px) of an image scaled by `scale`. */
async function brightest(png: Buffer, r: Rect, scale: number): Promise<{ max: number; mean: number }> {
  const region = { left: Math.ceil(r.x * scale) + 2, top: Math.ceil(r.y * scale) + 2, width: Math.floor(r.width * scale) - 4, height: Math.floor(r.height * scale) - 4 };
  const { data } = await sharp(png).extract(region).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let max = 0;
  let sum = 0;
  for (const v of data) {
    max = Math.max(max, v);
    sum += v;
  }
  return { max, mean: sum / data.length };
}

const center = (r: Rect, scale: number) => ({ x: Math.round((r.x + r.width / 2) * scale), y: Math.round((r.y + r.height / 2) * scale) });

describe('governance on a sandbox', () => {
  it('the password manager window is black in the stored screenshot, the rest of the screen is not', async () => {
    const found = await findWindows({ display: target.display, env: target.env }, { classes: ['keepassxc'] });
    expect(found).toHaveLength(1);
    const run = start([{ text: 'Looked.' }], 'look at the screen');
    expect((await run.finished).status).toBe('done');
    const [shot] = ofType(store, run, 'screenshot_captured');
    const png = store.readBlob(shot!.ref);
    const scale = shot!.image.width / shot!.screen.width;
    const inPrivate = await brightest(png, secret, scale);
    expect(inPrivate.max).toBeLessThan(16);
    // The same kind of window, not private: white xterm background, plainly visible.
    expect((await brightest(png, plain, scale)).mean).toBeGreaterThan(150);
    // And what the model was sent is that same masked image.
    const sent = JSON.stringify(mock.requests[0]!.body);
    expect(sent).toContain(png.toString('base64').slice(0, 200));
  });

  it('never types into or clicks a denied window; the model is told why; an allowed window works', async () => {
    const deniedFile = join(home, 'denied.txt');
    const clickedFile = join(home, 'denied-click.txt');
    const okFile = join(home, 'allowed.txt');
    const scale = 1024 / 1280;
    const run = start([
      { actions: [{ type: 'type', text: `echo no > ${deniedFile}\n` }] },
      { batch: true, actions: [{ type: 'click', button: 'left', ...center(plain, scale) }, { type: 'type', text: `echo yes > ${okFile}\n` }] },
      { batch: true, actions: [{ type: 'click', button: 'left', ...center(denied, scale) }, { type: 'type', text: `echo no > ${clickedFile}\n` }] },
      { text: 'Done.' },
    ], 'write files');
    const result = await run.finished;
    expect(result.status).toBe('done');
    expect(await waitForFile(okFile)).toBe('yes\n');
    await sleep(1500);
    expect(existsSync(deniedFile)).toBe(false);
    expect(existsSync(clickedFile)).toBe(false);
    const failed = ofType(store, run, 'action_failed');
    expect(failed).toHaveLength(2);
    for (const f of failed) expect(f.error).toContain("DeniedTerm) is on this run's deny list");
    // The refusal reached the model in its next request.
    expect(JSON.stringify(mock.requests[1]!.body)).toContain('deny list');
  });
});
