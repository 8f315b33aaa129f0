// OSWorld's vm_terminal_output on real xterms (Xvfb + openbox): the active xterm's screen is read
// through xterm's own printing (no key pressed), the other xterm's text is not, wide characters come
// out whole, and a non-terminal window gives null with a note. Then a whole task: a scripted
// trajectory typing a command scores 1 on the terminal's output, a wrong one 0.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { ScriptedPlanner } from '../agents/models/scripted.ts';
import { getValue } from '../agents/tasks/getters.ts';
import { loadTask, runTask, scriptPathFor, type TaskResult } from '../agents/tasks/run-task.ts';
import type { TaskSandbox } from '../agents/tasks/sandbox.ts';
import { prepareTerminalCapture } from '../agents/tasks/terminal-output.ts';
import { Store } from '../agents/store/store.ts';
import { focus } from './support/apps.ts';

const taskFile = fileURLToPath(new URL('./tasks/terminal/xterm-sum-output.json', import.meta.url));

describe('vm_terminal_output on a display', () => {
  let display: VirtualDisplay;
  let sandbox: TaskSandbox;
  const read = () => getValue({ type: 'vm_terminal_output' }, sandbox);

  /** An xterm whose shell printed `lines` (as a program would) and then waits at a prompt. */
  async function xtermShowing(title: string, lines: string): Promise<string> {
    const script = `printf '%s\\n' ${lines}; PS1='ready> ' exec bash --norc --noprofile`;
    await display.launch('xterm', ['-T', title, '-fa', 'DejaVu Sans Mono', '-fs', '11', '-e', 'bash', '--norc', '--noprofile', '-c', script]);
    const id = await display.waitForWindow({ name: `^${title}$` });
    await focus(display, id);
    return id;
  }

  beforeAll(async () => {
    display = await startDisplay({ size: { width: 1024, height: 768 } });
    sandbox = { display, taskDir: '.', warnings: [] };
    await prepareTerminalCapture(display);
  });

  afterAll(async () => {
    await display?.stop();
  });

  it('reads the active xterm\'s screen, then the other one once it is active', async () => {
    const first = await xtermShowing('term-one', `"alpha $((6 * 7))" 'héllo wörld 日本 한국'`);
    const second = await xtermShowing('term-two', `'bravo only here'`);
    // The shell prints its prompt a moment after the window maps.
    await expect.poll(read, { timeout: 20_000, interval: 250 }).toMatch(/bravo only here\s+ready>$/);
    expect(await read()).not.toContain('alpha');

    await focus(display, first);
    await expect.poll(read, { timeout: 20_000, interval: 250 }).toMatch(/^alpha 42\nhéllo wörld 日本 한국\nready>$/);
    // Reading types nothing: the screen is the same the second time, and the shell saw no input.
    expect(await read()).toBe('alpha 42\nhéllo wörld 日本 한국\nready>');
    // The print file lives outside the HOME the task and the agent see.
    expect(readdirSync(display.env.HOME!).filter((f) => /screen|print/.test(f))).toEqual([]);
    await focus(display, second);
    await expect.poll(read, { timeout: 20_000, interval: 250 }).toMatch(/^bravo only here\nready>$/);
  });

  it('gives null, with a note, when the active window is not a terminal', async () => {
    await display.launch('xmessage', ['-name', 'not-a-terminal', '-title', 'not-a-terminal', 'just a note']);
    const id = await display.waitForWindow({ name: '^not-a-terminal$' });
    await focus(display, id);
    sandbox.warnings.length = 0;
    expect(await read()).toBeNull();
    expect(sandbox.warnings).toEqual([expect.stringMatching(/^vm_terminal_output: the active window was not an xterm \(not-a-terminal, Xmessage\)/)]);
  });
});

describe('a task scored on the terminal\'s output', () => {
  let dir: string;
  let store: Store;
  const show = (r: TaskResult) => JSON.stringify({ status: r.status, score: r.score, error: r.error, details: r.details, warnings: r.warnings });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'deskpilot-terminal-e2e-'));
    store = Store.open(join(dir, 'deskpilot.db'));
  });

  afterAll(() => {
    store?.close();
    if (dir && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  });

  it('scores 1 when the command\'s output is on the screen', async () => {
    const result = await runTask(await loadTask(taskFile), { store, planner: async () => ({ planner: await ScriptedPlanner.fromFile(scriptPathFor(taskFile)), provider: 'scripted' }) });
    expect(result.status, show(result)).toBe('scored');
    expect(result.score, show(result)).toBe(1);
  });

  it('scores 0, saying what the screen held, when the output is wrong', async () => {
    const steps = [{ actions: [{ type: 'type', text: "seq 1 99 | awk '{ s += $1 } END { print \"sum=\" s }'\n" }] }, { actions: [{ type: 'done' }] }];
    const result = await runTask(await loadTask(taskFile), { store, planner: async () => ({ planner: new ScriptedPlanner(steps), provider: 'scripted' }) });
    expect(result.status, show(result)).toBe('scored');
    expect(result.score, show(result)).toBe(0);
    expect(result.details.join('\n')).toContain(`missing ["sum=5050"]`);
  });
});
