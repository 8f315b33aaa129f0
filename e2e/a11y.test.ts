// Accessibility names on a real desktop (Xvfb + openbox + its own session bus): mousepad's menu
// item "File" read at a point, found again after its window moved, and a replay whose crops match
// nothing and that has no word to read, yet opens the File menu and saves through it by the
// components' names. Also: a GTK2 app with the helper env, a hung app and a dead display give
// nothing and a reason, quickly. AT-SPI and pyatspi are expected on these machines
// (build/install-linux-deps.sh): when they are missing, these tests fail and say why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { a11yEvidence, accessibleAt, atspiProbe, centreOfBox, findAccessible, runProbe, type A11yComponent } from '../agents/automations/a11y.ts';
import { AUTOMATION_FORMAT, parseAutomation, type Evidence } from '../agents/automations/automation.ts';
import { encodePng } from '../agents/automations/gray.ts';
import { startReplay } from '../agents/automations/replay.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { Store } from '../agents/store/store.ts';
import { ofType } from './support/agent-harness.ts';
import { openPcmanfm, waitForFile } from './support/apps.ts';
import { openNote, place, type NoteWindow } from './support/note-window.ts';
import { whileStopped } from './support/processes.ts';

const TEXT = 'alpha bravo charlie\n';
const HOME_PLACE = { x: 60, y: 50, width: 760, height: 480 };
const MOVED_PLACE = { x: 400, y: 260, width: 760, height: 480 };

let display: VirtualDisplay;
let driver: NutDriver;
let store: Store;
let dir: string;
let file: string;
let note: NoteWindow;
const timings: Record<string, number[]> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-a11y-e2e-'));
  display = await startDisplay({ size: { width: 1280, height: 800 } });
  driver = await NutDriver.start({ display: display.display, env: display.env });
  store = Store.open(join(dir, 'deskpilot.db'));
  file = join(display.env.HOME!, 'note.txt');
  note = await openNote(display, file, TEXT, HOME_PLACE);
});

afterAll(async () => {
  const lines = Object.entries(timings).map(([k, v]) => `${k}: ${[...v].sort((a, b) => a - b).map((ms) => `${ms} ms`).join(', ')}`);
  if (lines.length) console.log(`accessibility probe timings (python start + AT-SPI walk):\n  ${lines.join('\n  ')}`);
  store?.close();
  await driver?.close();
  await display?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The probe, timed; fails the test with the probe's reason when it finds nothing. */
async function probe(what: string, args: string[], env: Record<string, string> = display.env): Promise<A11yComponent[]> {
  const r = await runProbe(env, args);
  (timings[what] ??= []).push(r.ms ?? -1);
  return r.components;
}

async function mustFind(name: string, role: string): Promise<A11yComponent> {
  const r = await runProbe(display.env, ['find', name, role]);
  (timings['find'] ??= []).push(r.ms ?? -1);
  expect(r.components, `findAccessible ${role} '${name}' on ${display.display}: ${r.reason ?? 'nothing found, no reason given'}`).toHaveLength(1);
  return r.components[0]!;
}

/**
 * A window's client area from xwininfo, independent of AT-SPI. (Not xdotool's geometry: under openbox
 * it counts the frame's offset twice, which the window-relative evidence does not mind.)
 */
async function clientArea(id = note.id) {
  const out = await display.run('xwininfo', ['-id', id]);
  const num = (label: string) => Number(new RegExp(`${label}:\\s*(-?\\d+)`).exec(out)?.[1]);
  const w = { left: num('Absolute upper-left X'), top: num('Absolute upper-left Y'), width: num('Width'), height: num('Height') };
  expect(Object.values(w).every(Number.isFinite), `xwininfo -id ${id} said: ${out}`).toBe(true);
  return w;
}

const inside = (p: { x: number; y: number }, c: A11yComponent) => p.x >= c.box.left && p.x < c.box.left + c.box.width && p.y >= c.box.top && p.y < c.box.top + c.box.height;

describe('accessibility names on a real display', () => {
  it('(1) reads the component at a point: the menu bar item "File" of mousepad, and it is fast', async () => {
    const w = await clientArea();
    const at = { x: w.left + 14, y: w.top + 11 };
    const reasons: string[] = [];
    const file = await accessibleAt(display.env, at, { onReason: (r) => reasons.push(r) });
    expect(file, `accessibleAt(${at.x}, ${at.y}) found nothing: ${reasons.join('; ') || 'no reason given'} (is AT-SPI installed? build/install-linux-deps.sh)`).toBeDefined();
    expect(file).toMatchObject({ name: 'File', role: 'menu' });
    expect(inside(at, file!)).toBe(true);
    expect(Math.abs(file!.box.left - w.left)).toBeLessThanOrEqual(2);
    // The same component by name and role.
    expect(await mustFind('File', 'menu')).toEqual(file);
    // Nothing named at a point of the desktop background; the window's own title is not a target.
    expect(await probe('at', ['at', '1250', '780'])).toEqual([]);
    for (let i = 0; i < 5; i++) {
      expect((await probe('at', ['at', String(at.x), String(at.y)]))[0]).toMatchObject({ name: 'File' });
      expect(await probe('find', ['find', 'File', 'menu'])).toHaveLength(1);
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    expect(median(timings['at']!)).toBeLessThan(1000);
    expect(median(timings['find']!)).toBeLessThan(1000);
  });

  it('(2) finds it again at its new place after the window moved', async () => {
    const before = await mustFind('File', 'menu');
    await place(display, note.id, MOVED_PLACE);
    await new Promise((r) => setTimeout(r, 300));
    const after = await mustFind('File', 'menu');
    expect(after.box.left - before.box.left).toBe(MOVED_PLACE.x - HOME_PLACE.x);
    expect(after.box.top - before.box.top).toBe(MOVED_PLACE.y - HOME_PLACE.y);
    const w = await clientArea();
    expect(inside({ x: w.left + 14, y: w.top + 11 }, after)).toBe(true);
    await place(display, note.id, HOME_PLACE);
    await new Promise((r) => setTimeout(r, 300));
  });

  it('(3) replays steps whose crops match nothing and that have no word, by accessibility name: the File menu opens, Save saves', async () => {
    // "Recording" at the home place: the points and their accessibility evidence, read live.
    const fileC = await mustFind('File', 'menu');
    const filePoint = { x: centreOfBox(fileC.box).x - 4, y: centreOfBox(fileC.box).y + 2 };
    const fileEv = await a11yEvidence(display.env, filePoint);
    expect(fileEv).toEqual({ name: 'File', role: 'menu', offset: { x: -4, y: 2 } });
    await driver.perform({ type: 'click', x: filePoint.x, y: filePoint.y, button: 'left' });
    const saveC = await waitForComponent('Save', 'menu item');
    const savePoint = centreOfBox(saveC.box);
    const saveEv = await a11yEvidence(display.env, savePoint);
    expect(saveEv).toEqual({ name: 'Save', role: 'menu item', offset: { x: 0, y: 0 } });
    await driver.perform({ type: 'keypress', keys: ['ESCAPE'] });
    await waitUntilGone('Save', 'menu item');

    // Crops of noise (nothing on screen looks like them) and no OCR word: only the names can find the targets.
    const crop = store.putBlob(await encodePng(noise(96, 48)), 'png');
    const evidence = (point: { x: number; y: number }, a11y: NonNullable<Evidence['a11y']>): Evidence => ({ point, crop, cropOffset: { x: 48, y: 24 }, a11y });
    const automation = parseAutomation({
      format: AUTOMATION_FORMAT, version: 1, name: 'save by name',
      steps: [
        { id: 's1', intent: 'type "delta "', action: { type: 'type', text: 'delta ' } },
        { id: 's2', intent: "click 'File'", action: { type: 'click', x: filePoint.x, y: filePoint.y, button: 'left' }, evidence: evidence(filePoint, fileEv!) },
        { id: 's3', intent: "click 'Save'", action: { type: 'click', x: savePoint.x, y: savePoint.y, button: 'left' }, evidence: evidence(savePoint, saveEv!) },
      ],
    });

    // The window moves before the replay: every recorded point is now off target.
    await place(display, note.id, MOVED_PLACE);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const { run, planner } = await startReplay({ store, driver }, automation, { a11y: atspiProbe(display.env), findTimeoutMs: 0, ocr: false, options: { approve: 'never' } });
    const result = await run.finished;
    expect(result.status, result.reason).toBe('done');
    expect(result.answer).toBe('replayed 3 steps (1 as recorded, 2 relocated)');
    expect(planner.counts).toMatchObject({ relocated: 2 });
    const thoughts = ofType(store, run, 'model_responded').map((e) => e.thought ?? '');
    const dx = MOVED_PLACE.x - HOME_PLACE.x;
    const dy = MOVED_PLACE.y - HOME_PLACE.y;
    expect(thoughts[1]).toBe(`step 2/3 click 'File': relocated by accessibility name menu 'File', moved (+${dx}, +${dy})`);
    expect(thoughts[2]).toBe(`step 3/3 click 'Save': relocated by accessibility name menu item 'Save', moved (+${dx}, +${dy})`);
    const proposed = ofType(store, run, 'action_proposed').filter((e) => e.action.type === 'click');
    expect(proposed.map((e) => (e.raw as { replay: { how: string } }).replay.how)).toEqual(['relocated:a11y', 'relocated:a11y']);
    // Where it landed: the file on disk has the typed word, saved through the menu.
    expect(await waitForFile(file)).toBe(`delta ${TEXT}`);
    console.log(`replay of 3 steps (2 found by accessibility name) took ${Date.now() - started} ms`);
  });

  it('(4) a GTK2 app (pcmanfm) exposes its tree with the helper env', async () => {
    const id = await openPcmanfm(display, display.env.HOME!);
    try {
      const w = await clientArea(id);
      // Its menu bar starts its client area (mousepad's "File" is elsewhere).
      const menus = await waitForComponent('File', 'menu', 5000, (c) => c.box.left >= w.left && c.box.left <= w.left + 6 && c.box.top >= w.top && c.box.top <= w.top + 6);
      expect(menus.name).toBe('File');
      const at = await accessibleAt(display.env, { x: menus.box.left + 5, y: menus.box.top + 5 });
      expect(at).toMatchObject({ name: 'File', role: 'menu' });
    } finally {
      await display.run('xdotool', ['windowclose', id]).catch(() => undefined);
      await display.run('xdotool', ['windowkill', id]).catch(() => undefined);
    }
  });

  it('(5) a hung app costs under the timeout and leaves a reason; so does a display that is gone', async () => {
    const started = Date.now();
    const reasons: string[] = [];
    const found = await whileStopped(note.pid, () => findAccessible(display.env, { name: 'File', role: 'menu' }, { onReason: (r) => reasons.push(r) }));
    const ms = Date.now() - started;
    expect(found).toEqual([]);
    expect(ms).toBeLessThan(3500);
    expect(reasons.join('; ')).toMatch(/did not answer/);
    // Resumed, it answers again.
    await mustFind('File', 'menu');

    const gone = await startDisplay({ size: { width: 640, height: 480 } });
    const env = gone.env;
    await gone.stop();
    const why: string[] = [];
    const t = Date.now();
    expect(await accessibleAt(env, { x: 10, y: 10 }, { onReason: (r) => why.push(r) })).toBeUndefined();
    expect(Date.now() - t).toBeLessThan(3500);
    expect(why, 'a dead display must give a reason').toHaveLength(1);
    expect(why[0]).toMatch(/no AT-SPI accessibility bus|did not answer|no application/);
    console.log(`a hung app: ${ms} ms (${reasons.join('; ')}); a dead display: ${why[0]}`);
  });
});

/** Polls until one showing component with this name and role (and passing `accept`) exists. */
async function waitForComponent(name: string, role: string, timeoutMs = 5000, accept: (c: A11yComponent) => boolean = () => true): Promise<A11yComponent> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const r = await runProbe(display.env, ['find', name, role]);
    const hits = r.components.filter(accept);
    if (hits.length === 1) return hits[0]!;
    last = `${r.components.length} found${r.reason ? `: ${r.reason}` : ''}`;
    if (Date.now() > deadline) throw new Error(`no single showing ${role} '${name}' on ${display.display} within ${timeoutMs} ms (${last})`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function waitUntilGone(name: string, role: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await findAccessible(display.env, { name, role })).length > 0) {
    if (Date.now() > deadline) throw new Error(`${role} '${name}' still showing after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Deterministic gray noise: a crop that matches nothing on a desktop. */
function noise(width: number, height: number) {
  const data = new Uint8Array(width * height);
  let seed = 12345;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data[i] = seed & 0xff;
  }
  return { width, height, data };
}
