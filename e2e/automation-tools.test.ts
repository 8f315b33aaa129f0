// A hybrid run compiled and replayed on a real X display: the shell writes a file, then the GUI
// types a line into xterm that appends to it. The automation replays the shell step as a shell
// step (a tool call through the run's tools) and the typing as typing, with a new parameter value;
// the effects are checked in the file on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutomationStore } from '../agents/automations/automation-store.ts';
import { compileRun } from '../agents/automations/compile.ts';
import { startReplay } from '../agents/automations/replay.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { ScriptedPlanner } from '../agents/models/scripted.ts';
import { launchRun } from '../agents/run/start-run.ts';
import { Store } from '../agents/store/store.ts';
import { ofType } from './support/agent-harness.ts';
import { openXterm, waitForFile } from './support/apps.ts';

let display: VirtualDisplay;
let driver: NutDriver;
let store: Store;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-automation-tools-'));
  display = await startDisplay({ size: { width: 1024, height: 700 } });
  driver = await NutDriver.start({ display: display.display, env: display.env });
  store = Store.open(join(dir, 'deskpilot.db'));
});

afterAll(async () => {
  store?.close();
  await driver?.close();
  await display?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a compiled automation replays a shell step as a shell step', () => {
  it('records shell + typing, compiles a tool step with a parameter, and replays both on the display', async () => {
    const file = join(display.env.HOME!, 'hybrid.txt');
    await openXterm(display, 'hybrid-record');
    const planner = new ScriptedPlanner([
      { actions: [{ type: 'tool', name: 'shell', input: { command: 'echo ada-shell > ~/hybrid.txt' } }] },
      { actions: [{ type: 'type', text: 'echo ada-typed >> ~/hybrid.txt\n' }] },
      { actions: [{ type: 'done', answer: 'written' }] },
    ]);
    const opened = { display: display.display, driver, env: display.env, sandboxed: true, close: async () => undefined };
    const run = launchRun(opened, { store, planner, provider: 'scripted', task: 'write hybrid.txt', tools: { names: ['shell'] }, options: { approve: 'never' } });
    const result = await run.finished;
    expect(result.status, result.reason).toBe('done');
    expect(await waitForFile(file)).toBe('ada-shell\nada-typed\n');

    const { automation } = await compileRun(store, run.id, { name: 'hybrid', params: { who: 'ada' }, ocr: false });
    const saved = new AutomationStore(store.db, join(dir, 'automations')).save(automation);
    expect(saved.steps.map((s) => s.intent)).toEqual(['shell: echo {{who}}-shell > ~/hybrid.txt', 'type "echo {{who}}-typed >> ~/hybrid.txt\\n"']);

    rmSync(file);
    await display.run('xdotool', ['search', '--name', 'hybrid-record', 'windowkill']).catch(() => undefined);
    await openXterm(display, 'hybrid-replay');
    const replay = await startReplay({ store, driver, env: display.env }, saved, { params: { who: 'bob' }, options: { approve: 'never' } });
    const replayed = await replay.run.finished;
    expect(replayed.status, replayed.reason).toBe('done');
    // The shell step ran again as a tool call (the file it writes is back), then the GUI step typed.
    expect(await waitForFile(file)).toBe('bob-shell\nbob-typed\n');
    expect(ofType(store, replay.run, 'tool_called').map((e) => e.input)).toEqual([{ command: 'echo bob-shell > ~/hybrid.txt' }]);
    expect(ofType(store, replay.run, 'run_started')[0]).toMatchObject({ tools: ['shell'] });
  });
});
