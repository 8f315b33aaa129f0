// The live view of a sandboxed run over `deskpilot serve`: refused without the token, frames that
// follow the sandbox, input dropped unless taken over; a takeover's click and typing land in the
// sandbox's xterm (a file on disk), are logged as operator actions with a screenshot after each burst
// (stored, masked like the agent's), and the model is told of them.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRunEvent } from '../agents/run/events.ts';
import { startMockOpenAI, type MockAction, type MockOpenAI } from './mock-openai/server.ts';
import { waitForFile } from './support/apps.ts';
import { HttpRefusal, RfbTestClient } from './support/rfb-client.ts';
import { launchChromium, mockProvider, serve, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

const run = promisify(execFile);
const KEY = 'sk-live-view-test-key';
/** A private area of the screen (settings): blacked out of the operator's screenshots as of the agent's. */
const PRIVATE = { x: 1080, y: 700, width: 200, height: 100 };

let mock: MockOpenAI;
let server: Served;
let dataDir: string;
let outDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-live-'));
  outDir = mkdtempSync(join(tmpdir(), 'dp-live-out-'));
  mock = await startMockOpenAI({ apiKey: KEY, models: ['mock-cu'] });
  writeSettings(dataDir, { ...mockProvider(mock.url), runOn: 'sandbox', run: { approve: 'always', maxSteps: 10, maxSeconds: 300, privacy: { areas: [PRIVATE] } } });
  server = await serve(['--data-dir', dataDir]);
  await server.call('settings.setKey', { providerId: 'mock', apiKey: KEY });
});

afterAll(async () => {
  await server?.stop();
  await mock?.close();
  for (const d of [dataDir, outDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const wsUrl = (runId: string, viewer: string, query = '') => `${server.base.replace(/^http/, 'ws')}/api/vnc/${runId}?viewer=${viewer}${query}`;
const bearer = () => ({ authorization: `Bearer ${server.token}` });
const events = async (runId: string) => ((await server.call('runs.events', { runId })) as { events: LoggedRunEvent[] }).events;

/** The upgrade's HTTP status, for sockets that must be refused. */
async function refusal(url: string, headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', () => resolve(-1));
  });
}

/** Asks for updates until the framebuffer differs from `before` somewhere. */
async function changedWithin(client: RfbTestClient, before: Uint8Array, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    client.requestUpdate(true);
    await client.readUpdate();
    if (!Buffer.from(client.fb).equals(Buffer.from(before))) return true;
  }
  return false;
}

type RunStartedEvent = Extract<LoggedRunEvent, { type: 'run_started' }>;
type OperatorShot = Extract<LoggedRunEvent, { type: 'operator_screenshot' }>;

const operatorShots = async (runId: string) => (await events(runId)).filter((e): e is OperatorShot => e.type === 'operator_screenshot');

/** A stored screenshot's pixels (RGB), read from the blob file in the data folder. */
async function shotPixels(shot: OperatorShot): Promise<{ data: Buffer; width: number; height: number }> {
  const file = join(dataDir, 'blobs', shot.ref.slice(7, 9), shot.ref);
  const { data, info } = await sharp(readFileSync(file)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Pixels of a screen rectangle (screen pixels, scaled to the shot's image) that differ between two shots. */
async function changedPixels(a: OperatorShot, b: OperatorShot, r: { x: number; y: number; width: number; height: number }): Promise<number> {
  const [pa, pb] = await Promise.all([shotPixels(a), shotPixels(b)]);
  const sx = a.image.width / a.screen.width;
  const sy = a.image.height / a.screen.height;
  let n = 0;
  for (let y = Math.floor(r.y * sy); y < Math.min(pa.height, Math.ceil((r.y + r.height) * sy)); y++) {
    for (let x = Math.floor(r.x * sx); x < Math.min(pa.width, Math.ceil((r.x + r.width) * sx)); x++) {
      const i = (y * pa.width + x) * 3;
      if (pa.data[i] !== pb.data[i] || pa.data[i + 1] !== pb.data[i + 1] || pa.data[i + 2] !== pb.data[i + 2]) n++;
    }
  }
  return n;
}

/** Whether every pixel of a screen rectangle is black in the shot. */
async function blackIn(shot: OperatorShot, r: { x: number; y: number; width: number; height: number }): Promise<boolean> {
  const p = await shotPixels(shot);
  const sx = shot.image.width / shot.screen.width;
  const sy = shot.image.height / shot.screen.height;
  for (let y = Math.ceil(r.y * sy); y < Math.min(p.height, Math.floor((r.y + r.height) * sy)); y++) {
    for (let x = Math.ceil(r.x * sx); x < Math.min(p.width, Math.floor((r.x + r.width) * sx)); x++) {
      const i = (y * p.width + x) * 3;
      if (p.data[i] || p.data[i + 1] || p.data[i + 2]) return false;
    }
  }
  return true;
}

/** Starts a run whose first action waits for approval, so it stays on its sandbox; its id and display. */
async function startWaitingRun(text: string): Promise<{ runId: string; display: string }> {
  mock.setTrajectory([
    { thought: 'Say hello in the terminal.', actions: [{ type: 'type', text }] },
    { actions: [{ type: 'done', answer: 'Done.' } as unknown as MockAction] },
  ]);
  const { id: runId } = (await server.call('runs.start', { task: 'say hello in the terminal' })) as { id: string };
  await expect.poll(async () => (await events(runId)).some((e) => e.type === 'approval_requested'), { timeout: 30_000 }).toBe(true);
  const started = (await events(runId)).find((e) => e.type === 'run_started') as RunStartedEvent;
  return { runId, display: started.display };
}

/** The xterm's centre on a display, in screen pixels. */
async function xtermCentre(env: NodeJS.ProcessEnv): Promise<{ x: number; y: number }> {
  const { stdout } = await run('xdotool', ['search', '--onlyvisible', '--class', 'xterm', 'getwindowgeometry', '--shell'], { env });
  const g = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=')).map(([k, v]) => [k, Number(v)]));
  return { x: g['X']! + Math.round(g['WIDTH']! / 2), y: g['Y']! + Math.round(g['HEIGHT']! / 2) };
}

async function approvePending(runId: string): Promise<void> {
  const pending = (await events(runId)).find((e) => e.type === 'approval_requested') as Extract<LoggedRunEvent, { type: 'approval_requested' }>;
  await server.call('approvals.decide', { runId, actionId: pending.actionId, decision: { decision: 'approve' } });
}

describe('live view of a sandboxed run', () => {
  it('streams the sandbox only with the token, follows it, and hands its input to the operator who took over', async () => {
    mock.setTrajectory([
      { thought: 'Say hello in the terminal.', actions: [{ type: 'type', text: 'echo agent-step\n' }] },
      { actions: [{ type: 'done', answer: 'Done.' } as unknown as MockAction] },
    ]);
    const { id: runId } = (await server.call('runs.start', { task: 'say hello in the terminal' })) as { id: string };
    // The agent's first action waits for approval: the run stays on its sandbox meanwhile.
    await expect.poll(async () => (await events(runId)).some((e) => e.type === 'approval_requested'), { timeout: 30_000 }).toBe(true);
    const started = (await events(runId)).find((e) => e.type === 'run_started') as Extract<LoggedRunEvent, { type: 'run_started' }>;
    const env = { ...process.env, DISPLAY: started.display };
    const viewer = randomBytes(12).toString('hex');

    // Nothing without the token; nothing from another origin; nothing for a run that is not there.
    expect(await refusal(wsUrl(runId, viewer), {})).toBe(401);
    expect(await refusal(wsUrl(runId, viewer, '&token=wrong'), {})).toBe(401);
    expect(await refusal(wsUrl(runId, viewer), { ...bearer(), origin: 'http://evil.example' })).toBe(403);
    expect(await refusal(wsUrl('01NOSUCHRUN', viewer), bearer())).toBe(404);
    await expect(RfbTestClient.connect(wsUrl(runId, viewer), {})).rejects.toBeInstanceOf(HttpRefusal);
    // x11vnc has no TCP port: the only way in is the authenticated socket.
    const { stdout: listening } = await run('ss', ['-ltnp']);
    expect(listening).not.toContain('x11vnc');

    const client = await RfbTestClient.connect(wsUrl(runId, viewer), bearer());
    expect([client.width, client.height]).toEqual([1280, 800]);
    client.requestUpdate(false);
    await client.readUpdate();
    const first = client.fb.slice();
    expect(first.some((v) => v !== 0)).toBe(true); // the xterm is drawn

    // The sandbox changes (typed into from a shell): the frames follow.
    await run('xdotool', ['type', '--delay', '5', ': frames-follow'], { env });
    await run('xdotool', ['key', 'Return'], { env });
    expect(await changedWithin(client, first, 5000)).toBe(true);

    // View only: a viewer's click and keys never reach the sandbox.
    const { stdout: geometry } = await run('xdotool', ['search', '--onlyvisible', '--class', 'xterm', 'getwindowgeometry', '--shell'], { env });
    const g = Object.fromEntries(geometry.trim().split('\n').map((l) => l.split('=')).map(([k, v]) => [k, Number(v)]));
    const cx = g['X']! + Math.round(g['WIDTH']! / 2);
    const cy = g['Y']! + Math.round(g['HEIGHT']! / 2);
    const ignored = join(outDir, 'ignored.txt');
    client.click(cx, cy);
    client.type(`echo no > ${ignored}\n`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(existsSync(ignored)).toBe(false);

    // Take over: the run pauses and this viewer's input reaches the sandbox.
    await server.call('runs.takeover', { runId, viewer });
    await expect.poll(async () => (await events(runId)).some((e) => e.type === 'run_paused')).toBe(true);
    const another = randomBytes(12).toString('hex');
    await expect(server.call('runs.takeover', { runId, viewer: another })).rejects.toThrow(/another operator/);
    const written = join(outDir, 'operator.txt');
    // Two bursts: the click, then (once its screenshot is in) the typing; each ends with a screenshot of its own.
    client.click(cx, cy);
    await expect.poll(async () => (await operatorShots(runId)).length, { timeout: 10_000 }).toBe(1);
    client.type(`echo operator-typed > ${written}\n`);
    expect(await waitForFile(written, 10_000)).toBe('operator-typed\n');

    const operator = async () => (await events(runId)).filter((e) => e.type === 'operator_action').map((e) => (e as Extract<LoggedRunEvent, { type: 'operator_action' }>).action);
    await expect.poll(async () => (await operator()).some((a) => a.type === 'type' && a.text.includes('operator-typed')), { timeout: 5000 }).toBe(true);
    const actions = await operator();
    expect(actions[0]).toEqual({ type: 'click', x: cx, y: cy, button: 'left' });

    // The screenshot after the typing follows its action in the log, is stored, shows the typed line where the
    // screenshot after the click did not, and has the private area blacked out like the agent's screenshots.
    await expect.poll(async () => (await operatorShots(runId)).length, { timeout: 10_000 }).toBe(2);
    const log = await events(runId);
    const [afterClick, afterTyping] = await operatorShots(runId);
    const typedAt = log.find((e) => e.type === 'operator_action' && e.action.type === 'type')!.seq;
    expect(afterTyping!.seq).toBeGreaterThan(typedAt);
    expect(afterClick!.seq).toBeLessThan(typedAt);
    expect(afterTyping!.ref).not.toBe(afterClick!.ref);
    expect(existsSync(join(dataDir, 'blobs', afterTyping!.ref.slice(7, 9), afterTyping!.ref))).toBe(true);
    const blob = await fetch(`${server.base}/api/blobs/${afterTyping!.ref}`, { headers: bearer() });
    expect(blob.status).toBe(200);
    const xterm = { x: g['X']!, y: g['Y']!, width: g['WIDTH']!, height: g['HEIGHT']! };
    expect(await changedPixels(afterClick!, afterTyping!, xterm)).toBeGreaterThan(50);
    expect(await blackIn(afterTyping!, PRIVATE)).toBe(true);
    const step1 = log.find((e) => e.type === 'screenshot_captured')!;
    expect(afterTyping!.image).toEqual(step1.type === 'screenshot_captured' ? step1.image : undefined); // the size the agent's steps have

    // Hand back: the run resumes; its next model request says what the operator did.
    const back = (await server.call('runs.handback', { runId })) as { actions: number };
    expect(back.actions).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => (await events(runId)).some((e) => e.type === 'run_resumed')).toBe(true);
    const pending = (await events(runId)).find((e) => e.type === 'approval_requested') as Extract<LoggedRunEvent, { type: 'approval_requested' }>;
    await server.call('approvals.decide', { runId, actionId: pending.actionId, decision: { decision: 'approve' } });
    await expect.poll(() => mock.requests.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const second = JSON.stringify(mock.requests[1]!.body);
    expect(second).toContain('operator-typed');
    expect(second).toContain(`click at (${cx}, ${cy})`);

    // Input is view-only again after the handback.
    const after = join(outDir, 'after.txt');
    client.type(`echo late > ${after}\n`);
    await expect.poll(async () => ((await server.call('runs.get', { runId })) as { status: string }).status, { timeout: 20_000 }).toBe('done');
    expect(existsSync(after)).toBe(false);
    client.close();
  });
});

describe('live view in Chromium (noVNC)', () => {
  it('shows frames as the sandbox changes; a takeover from the page types into its xterm, is logged, and the model hears of it', async () => {
    const { runId, display } = await startWaitingRun('echo agent-two\n');
    const env = { ...process.env, DISPLAY: display };
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.goto(server.url);
      await page.evaluate((id) => (location.hash = `#/runs/${id}`), runId);
      const live = page.getByTestId('live-view');
      await expect.poll(() => live.getAttribute('data-state'), { timeout: 20_000 }).toBe('live');
      const canvas = live.locator('canvas');
      // A digest of the canvas pixels, to see frames arrive.
      const digest = () => canvas.evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let h = 0;
        for (let i = 0; i < d.length; i += 4) h = (Math.imul(h, 31) + d[i]! + d[i + 1]! * 7 + d[i + 2]! * 13) | 0;
        return h;
      });
      await expect.poll(digest, { timeout: 10_000 }).not.toBe(0);
      const before = await digest();
      await run('xdotool', ['type', '--delay', '5', ': canvas-follows'], { env });
      await run('xdotool', ['key', 'Return'], { env });
      await expect.poll(digest, { timeout: 5000 }).not.toBe(before);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'live-view.png') });

      // Take over from the page, click into the xterm on the canvas and type a command.
      await page.getByTestId('take-over').click();
      await expect.poll(() => live.getAttribute('data-controlling')).toBe('true');
      const centre = await xtermCentre(env);
      const box = (await canvas.boundingBox())!;
      const scale = box.width / 1280;
      await page.mouse.click(box.x + centre.x * scale, box.y + centre.y * scale);
      const written = join(outDir, 'from-page.txt');
      await page.keyboard.type(`echo from-page > ${written}`, { delay: 10 });
      await page.keyboard.press('Enter');
      expect(await waitForFile(written, 10_000)).toBe('from-page\n');

      // Logged as operator actions and shown in the timeline.
      await expect.poll(async () => (await events(runId)).filter((e) => e.type === 'operator_action').length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
      const notes = page.getByTestId('note').filter({ hasText: 'Operator:' });
      await expect.poll(() => notes.allTextContents(), { timeout: 5000 }).toEqual(expect.arrayContaining([expect.stringContaining('from-page')]));
      // The screen after the operator's actions, beside them in the timeline, loaded from the store.
      const shotImg = page.getByTestId('operator-shot').last();
      await expect.poll(() => shotImg.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0).catch(() => false), { timeout: 10_000 }).toBe(true);
      expect((await operatorShots(runId)).map((e) => e.ref)).toContain(await shotImg.getAttribute('data-ref'));
      const click = (await events(runId)).find((e) => e.type === 'operator_action' && e.action.type === 'click') as Extract<LoggedRunEvent, { type: 'operator_action' }>;
      const at = click.action as { x: number; y: number };
      expect(Math.abs(at.x - centre.x)).toBeLessThanOrEqual(2);
      expect(Math.abs(at.y - centre.y)).toBeLessThanOrEqual(2);
      await page.screenshot({ path: join(SHOTS, 'live-view-takeover.png') });

      // Hand back: the run resumes, and the model's next request says what the operator did.
      const requestsBefore = mock.requests.length;
      await page.getByTestId('hand-back').click();
      await expect.poll(() => live.getAttribute('data-controlling')).toBe('false');
      await approvePending(runId);
      await expect.poll(() => mock.requests.length, { timeout: 20_000 }).toBeGreaterThan(requestsBefore);
      expect(JSON.stringify(mock.requests[requestsBefore]!.body)).toContain('echo from-page');
      await expect.poll(async () => ((await server.call('runs.get', { runId })) as { status: string }).status, { timeout: 20_000 }).toBe('done');
    } finally {
      await browser.close();
    }
  });
});
