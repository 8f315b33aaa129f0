// Automations on a real desktop: an agent run through the real OpenAI SDK and the mock server edits a
// file in mousepad; it is compiled into an automation and replayed with no request reaching the
// model: as recorded, after the window moved, after the target moved inside the window, with a
// parameter (through the CLI), with the target gone from the open app (a clear failure, nothing typed), and
// with the app's window opening 2 s late (waited for, then found at its place: nothing relocated).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutomationStore } from '../agents/automations/automation-store.ts';
import type { Automation } from '../agents/automations/automation.ts';
import { compileRun } from '../agents/automations/compile.ts';
import { startReplay } from '../agents/automations/replay.ts';
import { evaluatorVerifier } from '../agents/automations/verify.ts';
import { xdotoolProbe } from '../agents/automations/window-probe.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { OpenAIResponsesPlanner } from '../agents/models/openai-responses.ts';
import { AgentRun } from '../agents/run/agent-run.ts';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { ofType } from './support/agent-harness.ts';
import { waitForFile } from './support/apps.ts';
import { runDeskpilot } from './support/cli.ts';
import { closeNote, openNote, place, type NoteWindow, type Placement } from './support/note-window.ts';

const API_KEY = 'sk-test-automations';
const TEXT = 'alpha bravo charlie\nfoxtrot golf\nhotel india juliet\n';
const edited = (invoice: string, before = '') => `${before}alpha bravo charlie\nfoxtrot golf kilo ${invoice}\nhotel india juliet\n`;
const HOME_PLACE = { x: 40, y: 40, width: 900, height: 560 };
const EVALUATOR = {
  func: 'check_include_exclude',
  result: { type: 'vm_command_line', command: 'cat ~/note.txt', shell: true },
  expected: { type: 'rule', rules: { include: ['foxtrot golf kilo INV-'] } },
};

let display: VirtualDisplay;
let driver: NutDriver;
let mock: MockOpenAI;
let store: Store;
let automations: AutomationStore;
let dir: string;
let file: string;
let note: NoteWindow | undefined;
let automation: Automation;
let agentRunId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-automations-e2e-'));
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: API_KEY })]);
  driver = await NutDriver.start({ display: display.display, env: display.env });
  store = Store.open(join(dir, 'deskpilot.db'));
  automations = new AutomationStore(store.db, join(dir, 'automations'));
  file = join(display.env.HOME!, 'note.txt');
});

afterAll(async () => {
  store?.close();
  await driver?.close();
  await mock?.close();
  await display?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh mousepad on TEXT (plus `before`) at `at`. */
async function reopen(at = HOME_PLACE, before = ''): Promise<NoteWindow> {
  if (note) await closeNote(display, note);
  note = await openNote(display, file, before + TEXT, at);
  return note;
}

async function replay(params: Record<string, string>, opts: { findTimeoutMs?: number } = {}, which = automation) {
  const requests = mock.requests.length;
  const { run } = await startReplay({ store, driver }, which, {
    params, probe: xdotoolProbe(display.env), verify: evaluatorVerifier({ display, baseDir: dir }), options: { approve: 'never' }, ...opts,
  });
  const result = await run.finished;
  expect(mock.requests.length, 'a replay must not call the model').toBe(requests);
  const thoughts = ofType(store, run, 'model_responded').map((e) => e.thought ?? '');
  return { run, result, thoughts };
}

describe('automations on a real desktop', () => {
  it('(1) compiles an agent run and replays it with zero model requests', async () => {
    await reopen();
    mock.setTrajectory([
      { thought: 'Put the caret on "foxtrot".', actions: [{ type: 'click_text', text: 'foxtrot' }] },
      { batch: true, actions: [{ type: 'keypress', keys: ['END'] }, { type: 'type', text: ' kilo INV-001' }, { type: 'keypress', keys: ['CTRL', 'S'] }] },
      { text: 'Saved.' },
    ]);
    const planner = new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: API_KEY, timeoutMs: 10_000, maxRetries: 1 });
    const agent = AgentRun.start({ store, driver, planner }, { task: 'Add " kilo INV-001" to the foxtrot line and save', provider: planner.name, model: planner.model, options: { approve: 'never' } });
    expect((await agent.finished).status).toBe('done');
    agentRunId = agent.id;
    expect(await waitForFile(file)).toBe(edited('INV-001'));
    expect(mock.requests.length).toBe(3);

    const { automation: compiled, warnings } = await compileRun(store, agent.id, {
      name: 'note edit', params: { invoice: 'INV-001' }, evaluator: EVALUATOR, window: await xdotoolProbe(display.env)(),
    });
    expect(warnings).toEqual([]);
    automation = automations.save(compiled);
    expect(automation.steps.map((s) => [s.intent, s.chained ?? false])).toEqual([
      ["click 'foxtrot'", false], ['press END', false], ['type " kilo {{invoice}}"', true], ['press CTRL+S', true],
    ]);
    expect(automation.steps[0]!.evidence).toMatchObject({ scale: 0.8, text: 'foxtrot', window: { relative: expect.any(Object) } });

    await reopen();
    const { result, thoughts } = await replay({ invoice: 'INV-001' });
    expect(result, result.reason).toMatchObject({ status: 'done', steps: 3 });
    expect(result.answer).toBe('replayed 4 steps (4 as recorded); verified: the evaluator scored 1');
    expect(thoughts[0]).toMatch(/^step 1\/4 click 'foxtrot': replayed at \(\d+, \d+\) \(match (0\.9\d|1\.00)\)$/);
    expect(await waitForFile(file)).toBe(edited('INV-001'));
  });

  it('(2) finds the target again after the window moved, and after the text moved inside it', async () => {
    const w = await reopen();
    await place(display, w.id, { ...HOME_PLACE, x: 300, y: 200 });
    await new Promise((r) => setTimeout(r, 300));
    const movedWindow = await replay({ invoice: 'INV-001' });
    expect(movedWindow.result.status, movedWindow.result.reason).toBe('done');
    expect(movedWindow.thoughts[0]).toMatch(/^step 1\/4 click 'foxtrot': relocated with its window \(match (0\.9\d|1\.00)\), moved \(\+260, \+160\)$/);
    expect(await waitForFile(file)).toBe(edited('INV-001'));

    // A new first line pushes "foxtrot" down a line, in a window that also moved: no longer where
    // its window says, so the template search finds it.
    const w2 = await reopen({ ...HOME_PLACE, x: 120, y: 90 }, 'zulu\n');
    expect(w2.id).toBeTruthy();
    const movedText = await replay({ invoice: 'INV-001' });
    expect(movedText.result.status, movedText.result.reason).toBe('done');
    expect(movedText.thoughts[0]).toMatch(/^step 1\/4 click 'foxtrot': relocated by template match \((0\.9\d|1\.00|0\.8\d)\), moved \(\+80, \+\d+\)/);
    const proposed = ofType(store, movedText.run, 'action_proposed')[0]!;
    expect(proposed.raw).toMatchObject({ replay: { how: 'relocated:template' } });
    expect(await waitForFile(file)).toBe(edited('INV-001', 'zulu\n'));
  });

  it('(3) replays with another parameter value through the CLI, and lists and shows the automation', async () => {
    await reopen();
    const requests = mock.requests.length;
    const r = await cli(['automations', 'run', 'note edit', '--param', 'invoice=INV-002', '--display', display.display, '--approve', 'never', '--db', join(dir, 'deskpilot.db')], { HOME: display.env.HOME! });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(mock.requests.length).toBe(requests);
    expect(r.stdout).toMatch(/with automation \(note edit@v1\)/);
    expect(r.stdout).toMatch(/thought: step 1\/4 click 'foxtrot': replayed at/);
    expect(r.stdout).toMatch(/done after 3 steps: replayed 4 steps \(4 as recorded\); verified/);
    expect(await waitForFile(file)).toBe(edited('INV-002'));

    const missing = await cli(['automations', 'run', 'note edit', '--display', display.display, '--db', join(dir, 'deskpilot.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('automation "note edit" needs --param invoice=VALUE');

    const db = join(dir, 'deskpilot.db');
    const created = await cli(['automations', 'create', '--from-run', agentRunId, '--name', 'note edit cli', '--param', 'invoice=INV-001', '--no-ocr', '--db', db]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('saved automation "note edit cli" v1: 4 steps, parameters invoice');
    const list = await cli(['automations', 'list', '--db', db]);
    expect(list.stdout).toMatch(/^note edit +v1 +4 +invoice +\d{4}-/m);
    expect(list.stdout).toMatch(/^note edit cli +v1 +4 +invoice +\d{4}-/m);
    const show = await cli(['automations', 'show', 'note edit', '--db', db]);
    expect(show.stdout).toContain(`1. click 'foxtrot' at (`);
    expect(show.stdout).toContain(`3. + type " kilo {{invoice}}"`);
    const deleted = await cli(['automations', 'delete', 'note edit cli', '--db', db]);
    expect(deleted.stdout).toBe('deleted automation "note edit cli"\n');
    expect(automations.get('note edit cli')).toBeUndefined();
  });

  // With 'foxtrot' gone from an open editor, the line now in its place ("golf hotel") matches its crop weakly
  // (about 0.6): a weak match alone is never acted on; OCR finds no 'foxtrot' to confirm it, so the step fails.
  it('(4) stops with a clear reason when the target is missing, and types nothing', async () => {
    // The editor stays open and focused on text without the target: anything the replay typed would land in it.
    const WITHOUT = 'alpha bravo charlie\ngolf hotel\nindia juliet\n';
    if (note) await closeNote(display, note);
    note = await openNote(display, file, WITHOUT, HOME_PLACE);
    const { run, result, thoughts } = await replay({ invoice: 'INV-003' }, { findTimeoutMs: 800 });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^the replay stopped: step 1\/4 click 'foxtrot': target not found on screen \(best template match 0\.\d\d < 0\.8; OCR found no 'foxtrot'\)$/);
    expect(store.getRun(run.id)!.status).toBe('failed');
    expect(thoughts[0]).toMatch(/not found yet/);
    // Checked in the app, still open: mousepad marks a changed buffer with '*' in its title...
    const title = (await display.run('xdotool', ['getwindowname', note.id])).trim();
    expect(title).toContain('note.txt');
    expect(title.startsWith('*')).toBe(false);
    // ...and saving it now writes exactly what it opened with (a typed "kilo INV-003" would be in the file).
    await display.run('xdotool', ['windowactivate', '--sync', note.id]);
    await display.run('xdotool', ['key', '--clearmodifiers', 'ctrl+s']);
    await new Promise((r) => setTimeout(r, 800));
    expect(await waitForFile(file)).toBe(WITHOUT);
  });

  it('(5) waits for a target whose window opens 2 s after the step starts, and finds it at its place: nothing relocated', { timeout: 120_000 }, async () => {
    if (note) await closeNote(display, note);
    note = undefined;
    await placeNewNotes(HOME_PLACE);
    writeFileSync(file, TEXT);

    // The app is slow: its window opens 2 s after the replay starts, and mousepad takes a while more on a busy machine.
    // The step's own timeout (30 s) lets the replay wait for it; the replay's default (3 s) might not.
    const slow: Automation = { ...automation, steps: automation.steps.map((s, i) => (i === 0 ? { ...s, findTimeoutMs: 30_000 } : s)) };
    await display.launch('sh', ['-c', 'sleep 2; exec mousepad "$0"', file], { env: { GSETTINGS_BACKEND: 'keyfile' } });
    const started = Date.now();
    const { run, result, thoughts } = await replay({ invoice: 'INV-005' }, {}, slow);
    const id = await display.waitForWindow({ class: 'mousepad' });
    note = { id, pid: Number((await display.run('xdotool', ['getwindowpid', id])).trim()) };
    expect(result, result.reason).toMatchObject({ status: 'done' });
    expect(result.answer).toMatch(/^replayed 4 steps \(4 as recorded\); verified/);
    // It looked, did not find the window, and looked again until the window was there...
    expect(thoughts[0]).toMatch(/^step 1\/4 click 'foxtrot': not found yet/);
    const clicked = thoughts.findIndex((t) => t.startsWith("step 1/4 click 'foxtrot': replayed at"));
    expect(clicked, thoughts.join('\n')).toBeGreaterThan(0);
    expect(thoughts[clicked]).toMatch(/replayed at \(\d+, \d+\) \(match (0\.9\d|1\.00)\)$/);
    const proposed = ofType(store, run, 'action_proposed');
    const click = proposed.find((e) => e.action.type === 'click')!;
    const performed = ofType(store, run, 'action_performed').find((e) => e.actionId === click.actionId);
    expect(performed!.at - started).toBeGreaterThan(1900);
    // ...then acted where it was recorded: no step relocated, healed, asked or skipped.
    const hows = proposed.map((e) => (e.raw as { replay?: { how?: string } } | undefined)?.replay?.how);
    expect(hows.filter((h) => h !== 'waiting')).toEqual(['replayed', 'replayed', 'replayed', 'replayed']);
    expect(store.readEvents(run.id).some((e) => e.type === 'question_asked')).toBe(false);
    expect(await waitForFile(file)).toBe(edited('INV-005'));
  });
});

/**
 * Openbox places every new mousepad window at `at` before it maps (as xdotool's windowmove places a frame), so a
 * window a delayed command opens appears where the automation was recorded, not first somewhere else.
 */
async function placeNewNotes(at: Placement): Promise<void> {
  const rc = readFileSync('/etc/xdg/openbox/rc.xml', 'utf8');
  const rule = `<application class="Mousepad"><position force="yes"><x>${at.x}</x><y>${at.y}</y></position>` +
    `<size><width>${at.width}</width><height>${at.height}</height></size><focus>yes</focus></application>`;
  const dir = join(display.env.XDG_CONFIG_HOME!, 'openbox');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'rc.xml'), rc.replace('<applications>', `<applications>${rule}`));
  await display.run('openbox', ['--reconfigure']);
}

const cli = (args: string[], env: Record<string, string> = {}) => runDeskpilot(args, { DESKPILOT_HOME: join(dir, 'home'), ...env });
