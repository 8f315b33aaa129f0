// Recording a demonstration on a real Xvfb display: `deskpilot automations record` hooks the X input
// that xdotool generates in an xterm, merges it into steps, takes review commands on stdin
// (parameterize, delete, move), saves, and the saved automation replays with a new value.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAutomation } from '../agents/automations/automation.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { runProbe } from '../agents/automations/a11y.ts';
import { openXterm, waitForFile } from './support/apps.ts';
import { startDeskpilot, type CliOptions } from './support/cli.ts';
import { openNote } from './support/note-window.ts';
import { waitUntil } from './support/processes.ts';

let display: VirtualDisplay;
let dir: string;
let xterm: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-record-e2e-'));
  display = await startDisplay({ size: { width: 1280, height: 800 } });
  xterm = await openXterm(display, 'record-target');
  await display.run('xdotool', ['windowmove', '--sync', xterm, '0', '0']);
  await display.run('xdotool', ['windowsize', '--sync', xterm, '800', '500']);
});

afterAll(async () => {
  await display?.stop();
  if (dir && !process.env.KEEP) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], opts: CliOptions = {}) => startDeskpilot(args, display.env, opts);

const xdotool = (...args: string[]) => display.run('xdotool', args);

describe('automations record', () => {
  it('records xdotool input as merged steps, applies review edits, and the saved automation replays with a new value', async () => {
    const db = join(dir, 'deskpilot.db');
    const file = join(dir, 'recorded.txt');
    const rec = cli(['automations', 'record', '--name', 'greet', '--display', display.display, '--db', db, '--review'], { openStdin: true });
    await waitUntil('the recorder to start', () => rec.stderr().includes('Recording display'), 30_000);
    await new Promise((r) => setTimeout(r, 400)); // a few frames before the first press

    // The demonstration: click into the terminal, type a command (with a fixed typo), clear the
    // screen, click again elsewhere in the blank area, and a quick double click.
    await xdotool('mousemove', '600', '400', 'click', '1');
    await xdotool('type', '--delay', '20', 'echo first-valeu');
    await xdotool('key', 'BackSpace', 'BackSpace', 'u', 'e');
    await xdotool('type', '--delay', '20', ` > ${file}`);
    await xdotool('key', 'Return');
    expect(await waitForFile(file)).toBe('first-value\n'); // the demonstration itself did the work
    await xdotool('key', 'ctrl+l');
    await new Promise((r) => setTimeout(r, 300));
    await xdotool('mousemove', '700', '450', 'click', '1');
    await new Promise((r) => setTimeout(r, 600)); // not joined to the next press
    await xdotool('mousemove', '650', '420', 'click', '--repeat', '2', '--delay', '80', '1');
    await new Promise((r) => setTimeout(r, 300));
    rec.child.kill('SIGINT');

    await waitUntil('the review prompt', () => rec.stderr().includes('Review the steps'), 60_000);
    const listed = rec.stderr();
    expect(listed).toMatch(/1\. click at \(600, 400\)/);
    expect(listed).toContain(`2. type "echo first-value > ${dir.slice(0, 20)}`);
    expect(listed).toMatch(/3\. press ctrl\+l/);
    expect(listed).toMatch(/4\. click at \(700, 450\)/);
    expect(listed).toMatch(/5\. double-click at \(650, 420\)/);

    // Review: a wrong command is explained and changes nothing; then parameterize, delete, move, save.
    rec.child.stdin!.write('d 9\n');
    await waitUntil('the error for a missing step', () => rec.stderr().includes('there is no step 9'));
    rec.child.stdin!.write('p value=first-value\nd 3\nm 3 1\ns\n');
    expect((await rec.exit).code, rec.stderr()).toBe(0);
    expect(rec.stdout()).toContain('saved automation "greet" v1 (4 steps)');

    const saved = parseAutomation(readFileSync(join(dir, 'automations', 'greet.json'), 'utf8'));
    expect(saved.params).toEqual([{ name: 'value', default: 'first-value' }]);
    expect(saved.steps.map((s) => s.action)).toEqual([
      { type: 'click', x: 700, y: 450, button: 'left' },
      { type: 'click', x: 600, y: 400, button: 'left' },
      { type: 'type', text: `echo {{value}} > ${file}\n` },
      { type: 'double_click', x: 650, y: 420 },
    ]);
    // Every pointer step has a crop from the screen just before its press, and its window.
    for (const s of saved.steps.filter((x) => x.action.type !== 'type')) {
      expect(s.evidence?.crop).toMatch(/\.png$/);
      expect(s.evidence?.window?.title).toBe('record-target');
    }

    // The recorded automation replays without a model, with another value.
    rmSync(file);
    const run = cli(['automations', 'run', 'greet', '--param', 'value=second-value', '--display', display.display, '--db', db, '--approve', 'never']);
    expect((await run.exit).code, run.stdout() + run.stderr()).toBe(0);
    expect(await waitForFile(file)).toBe('second-value\n');
  }, 150_000);

  it('records the accessible name and role of what a press hit, where the app exposes one', async () => {
    await openNote(display, join(dir, 'note.txt'), 'alpha\n', { x: 300, y: 100, width: 700, height: 400 });
    const found = await runProbe(display.env, ['find', 'File', 'menu']);
    const menu = found.components[0];
    expect(menu, `mousepad's File menu: ${found.reason ?? 'not found'}`).toBeDefined();
    const at = { x: menu!.box.left + 5, y: menu!.box.top + 5 };

    const rec = cli(['automations', 'record', '--name', 'menu', '--display', display.display, '--db', join(dir, 'menu.db'), '--no-ocr']);
    await waitUntil('the recorder to start', () => rec.stderr().includes('Recording display'), 30_000);
    await new Promise((r) => setTimeout(r, 400));
    await xdotool('mousemove', String(at.x), String(at.y), 'click', '1');
    // The probe must run while the menu is open: close it only once the recorder says what was hit.
    await waitUntil('the recorder to name what the press hit', () => rec.stderr().includes(`(${at.x}, ${at.y}) is menu 'File'`), 30_000);
    await xdotool('key', 'Escape');
    await new Promise((r) => setTimeout(r, 300));
    rec.child.kill('SIGINT');
    expect((await rec.exit).code, rec.stderr()).toBe(0);
    expect(rec.stdout()).toContain("menu 'File'");
    const saved = parseAutomation(readFileSync(join(dir, 'automations', 'menu.json'), 'utf8'));
    expect(saved.steps[0]!.action).toEqual({ type: 'click', x: at.x, y: at.y, button: 'left' });
    expect(saved.steps[0]!.evidence?.a11y).toMatchObject({ name: 'File', role: 'menu' });
    expect(saved.steps[0]!.intent).toBe("click 'File'");
  }, 60_000);

  it('keeps what was recorded when the display dies mid-recording', async () => {
    const doomed = await startDisplay({ size: { width: 800, height: 600 } });
    try {
      const rec = cli(['automations', 'record', '--name', 'cut short', '--display', doomed.display, '--db', join(dir, 'doomed.db')]);
      await waitUntil('the recorder to start', () => rec.stderr().includes('Recording display'), 30_000);
      await new Promise((r) => setTimeout(r, 400));
      await doomed.run('xdotool', ['mousemove', '30', '40', 'click', '1']);
      await waitUntil('the press to be seen', () => rec.stderr().includes('left press at (30, 40)'));
      await doomed.stop();
      expect((await rec.exit).code, rec.stderr()).toBe(0);
      expect(rec.stderr()).toMatch(/recording stopped early: .*is the display still running/);
      const saved = parseAutomation(readFileSync(join(dir, 'automations', 'cut short.json'), 'utf8'));
      expect(saved.steps.map((s) => s.action)).toEqual([{ type: 'click', x: 30, y: 40, button: 'left' }]);
    } finally {
      await doomed.stop();
    }
  }, 60_000);

  it('refuses a display that is not running, before recording anything', async () => {
    const rec = cli(['automations', 'record', '--name', 'nothing', '--display', ':3999', '--db', join(dir, 'other.db')]);
    expect((await rec.exit).code).toBe(1);
    expect(rec.stderr()).toMatch(/cannot record display :3999/);
  }, 60_000);
});
