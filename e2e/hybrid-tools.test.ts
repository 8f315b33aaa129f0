// Tools beside the mouse, end to end: runs on sandbox displays through the real `openai` SDK over
// HTTP to the mock, with the real shell and file tools. Effects are checked on disk and in the
// requests the model received.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanner } from '../agents/models/create-planner.ts';
import type { AgentRun } from '../agents/run/agent-run.ts';
import { startRun, type RunSpec } from '../agents/run/start-run.ts';
import type { ApprovalDecision } from '../agents/run/events.ts';
import { Store } from '../agents/store/store.ts';
import { ofType, onEvents, until } from './support/agent-harness.ts';
import { startMockOpenAI, type MockOpenAI, type MockTurn } from './mock-openai/server.ts';

const KEY = 'sk-test-hybrid-0123456789';
let mock: MockOpenAI;
let store: Store;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-hybrid-'));
  store = Store.open(join(dir, 'deskpilot.db'));
  mock = await startMockOpenAI({ apiKey: KEY });
});

afterAll(async () => {
  await mock?.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A sandboxed run against the mock; `home` is the sandbox's HOME once known. */
async function sandboxRun(turns: MockTurn[], over: Partial<RunSpec> = {}, onHome?: (home: string, env: Record<string, string>) => void) {
  mock.setTrajectory(turns);
  const { planner } = await createPlanner({ provider: 'openai-responses', baseURL: mock.url, apiKey: KEY, model: 'computer-use-preview' });
  const home = { path: '' };
  const started = await startRun({ kind: 'sandbox', launch: [] }, { store, planner, provider: 'openai-responses', task: 'hybrid', options: { approve: 'risky', maxSteps: 10 }, ...over }, {
    onDisplay: (d) => {
      home.path = d.env?.['HOME'] ?? '';
      onHome?.(home.path, d.env ?? {});
    },
  });
  return { ...started, home: home.path };
}

/** Every function_call_output the model received, in order. */
function toolOutputs(): string[] {
  return mock.requests.flatMap((r) => ((r.body as { input?: Record<string, unknown>[] }).input ?? []).filter((i) => i['type'] === 'function_call_output').map((i) => String(i['output'])));
}

/** Answers the run's approval requests with `decide` (in order of asking). */
function operator(run: AgentRun, decide: (reasons: string[]) => ApprovalDecision): () => void {
  return onEvents(store, run, (e) => {
    if (e.type === 'approval_requested') setImmediate(() => run.control.decide(e.actionId, decide(e.reasons)));
  });
}

/** Whether any process of the group still runs (a zombie waiting to be reaped has already stopped). */
function groupAlive(pgid: number): boolean {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after its closing parenthesis.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return true;
  }
  return false;
}

describe('hybrid runs: the shell and the screen in one run', () => {
  it('a file made by the shell is opened and edited in mousepad, then checked by the shell', async () => {
    const { run, closed, home } = await sandboxRun(
      [
        { thought: 'Make the file from the shell and open it.', actions: [{ type: 'tool', name: 'shell', input: { command: "printf 'hello from the shell\\n' > ~/note.txt && (GSETTINGS_BACKEND=keyfile mousepad ~/note.txt >/dev/null 2>&1 &) && echo started" } }] },
        { thought: 'Wait for the editor.', actions: [{ type: 'wait' }, { type: 'wait' }] },
        { thought: 'Add a line with the keyboard and save.', actions: [{ type: 'click_text', text: 'hello' }, { type: 'keypress', keys: ['CTRL', 'END'] }, { type: 'type', text: 'and the GUI\n' }, { type: 'keypress', keys: ['CTRL', 'S'] }], batch: false },
        { thought: 'Check it from the shell.', actions: [{ type: 'wait' }, { type: 'tool', name: 'shell', input: { command: 'cat ~/note.txt' } }] },
        { text: 'The note has both lines.' },
      ],
      {},
      (h, env) => {
        // mousepad in an 18 pt font, so the mock's OCR can find the text to click.
        const config = env['XDG_CONFIG_HOME'] ?? join(h, '.config');
        mkdirSync(join(config, 'glib-2.0', 'settings'), { recursive: true });
        writeFileSync(join(config, 'glib-2.0', 'settings', 'keyfile'), "[org/xfce/mousepad/preferences/view]\nfont-name='DejaVu Sans Mono 18'\nuse-default-monospace-font=false\n");
      },
    );
    const result = await run.finished;
    const note = readFileSync(join(home, 'note.txt'), 'utf8');
    await closed;
    expect(result).toMatchObject({ status: 'done', answer: 'The note has both lines.' });
    expect(note).toBe('hello from the shell\nand the GUI\n');
    expect(run.tools).toEqual(['shell', 'read_file', 'write_file', 'edit_file', 'list_dir']);
    expect(ofType(store, run, 'run_started')[0]!.tools).toEqual(['shell', 'read_file', 'write_file', 'edit_file', 'list_dir']);
    // The model was told what the shell printed, including the check at the end.
    const outputs = toolOutputs();
    expect(outputs[0]).toContain('started');
    expect(outputs.at(-1)).toContain('hello from the shell\nand the GUI');
    expect(outputs.at(-1)).toContain('exit code 0');
  }, 90_000);

  it('abort during a command, and during one that spawns children: every process gone within 500 ms, the run aborted', async () => {
    for (const command of ['echo pgid=$$; sleep 300', 'echo pgid=$$; (sleep 300 & sleep 300 & bash -c "sleep 300" & wait)']) {
      const { run, closed } = await sandboxRun([{ actions: [{ type: 'tool', name: 'shell', input: { command } }] }, { text: 'never reached' }]);
      let pgid = 0;
      await until('the command prints its group', () => {
        const out = ofType(store, run, 'tool_output').map((e) => e.text).join('');
        pgid = Number(/pgid=(\d+)/.exec(out)?.[1] ?? 0);
        return pgid > 0;
      }, 30_000);
      await new Promise((r) => setTimeout(r, 200)); // the children are up
      expect(groupAlive(pgid)).toBe(true);
      const t0 = performance.now();
      run.control.abort('stop it');
      await until('the process group is gone', () => !groupAlive(pgid), 2_000);
      const goneMs = performance.now() - t0;
      const result = await run.finished;
      await closed;
      expect(goneMs).toBeLessThan(500);
      expect(result.status).toBe('aborted');
      expect(store.getRun(run.id)!.status).toBe('aborted');
    }
  }, 120_000);

  it('a command over its time limit is stopped and the model is told', async () => {
    const { run, closed } = await sandboxRun([
      { actions: [{ type: 'tool', name: 'shell', input: { command: 'echo pgid=$$; sleep 30', timeout_seconds: 1 } }] },
      { text: 'It took too long.' },
    ]);
    const result = await run.finished;
    await closed;
    expect(result.status).toBe('done');
    const finished = ofType(store, run, 'tool_finished')[0]!;
    expect(finished).toMatchObject({ isError: true, timedOut: true });
    expect(finished.ms).toBeLessThan(10_000);
    const pgid = Number(/pgid=(\d+)/.exec(finished.output)?.[1]);
    expect(groupAlive(pgid)).toBe(false);
    expect(toolOutputs()[0]).toMatch(/stopped after 1 s: the command took too long/);
  }, 60_000);

  it('rm -rf ~ and its disguises wait for approval in risky mode; a rejection reaches the model and nothing ran', async () => {
    const disguises = ['rm -rf ~', 'r\\m -rf ~/keep', "'rm' -r -f ~/keep", '$(echo rm) -rf ~/keep', 'echo cm0gLXJmIH4va2VlcA== | base64 -d | sh', 'find ~ -delete'];
    let home = '';
    const { run, closed } = await sandboxRun(
      [{ actions: disguises.map((command) => ({ type: 'tool' as const, name: 'shell', input: { command } })) }, ...disguises.slice(1).map((command) => ({ actions: [{ type: 'tool' as const, name: 'shell', input: { command } }] })), { text: 'I will not delete anything.' }],
      {},
      (h) => {
        home = h;
        mkdirSync(join(h, 'keep'), { recursive: true });
        writeFileSync(join(h, 'keep', 'marker.txt'), 'still here');
      },
    );
    const asked: string[][] = [];
    const stop = operator(run, (reasons) => {
      asked.push(reasons);
      return { decision: 'reject', reason: `not that one (${asked.length})` };
    });
    const result = await run.finished;
    stop();
    const marker = readFileSync(join(home, 'keep', 'marker.txt'), 'utf8');
    await closed;
    expect(result.status).toBe('done');
    expect(marker).toBe('still here');
    expect(asked).toHaveLength(disguises.length);
    for (const reasons of asked) expect(reasons.join(' ')).toMatch(/^shell: /);
    expect(ofType(store, run, 'tool_called')).toEqual([]);
    // Each rejection is the answer to its call, with the operator's reason.
    const outputs = toolOutputs();
    expect(outputs[0]).toContain('not that one (1)');
    expect(outputs.some((o) => o.includes(`not that one (${disguises.length})`))).toBe(true);
  }, 90_000);

  it('a command printing its environment shows no key or token, in a sandbox and on a display with tools turned on', async () => {
    const secrets = { OPENAI_API_KEY: 'sk-live-abcdefghijklmnop1234', DESKPILOT_SERVE_TOKEN: 'tok-0123456789abcdef', ANTHROPIC_API_KEY: 'sk-ant-zyxwvutsrq9876543210', MY_SECRET: 'hunter2hunter2' };
    const turns: MockTurn[] = [{ actions: [{ type: 'tool', name: 'shell', input: { command: 'env' } }] }, { text: 'done' }];
    const sandboxed = await sandboxRun(turns, { env: { ...process.env, ...secrets } });
    await sandboxed.run.finished;
    await sandboxed.closed;
    const inSandbox = ofType(store, sandboxed.run, 'tool_finished')[0]!.output;
    expect(inSandbox).toMatch(/^HOME=/m);
    for (const value of Object.values(secrets)) expect(inSandbox).not.toContain(value);

    // The user's own screen (here a display we start): tools on by settings, the process env scrubbed.
    const { startDisplay } = await import('../agents/desktop/display.ts');
    const display = await startDisplay();
    try {
      mock.setTrajectory(turns);
      const { planner } = await createPlanner({ provider: 'openai-responses', baseURL: mock.url, apiKey: KEY, model: 'computer-use-preview' });
      const own = await startRun({ kind: 'display', display: display.display }, {
        store, planner, provider: 'openai-responses', task: 'env', options: { approve: 'never' }, env: { ...process.env, ...secrets, HOME: display.env['HOME'] }, toolSettings: { onOwnScreen: true },
      });
      await own.run.finished;
      await own.closed;
      const onScreen = ofType(store, own.run, 'tool_finished')[0]!.output;
      expect(onScreen).toMatch(/^PATH=/m);
      for (const value of Object.values(secrets)) expect(onScreen).not.toContain(value);
    } finally {
      await display.stop();
    }
  }, 90_000);

  it('tools are off on a display unless turned on, and a call to one is re-asked, never guessed', async () => {
    const { startDisplay } = await import('../agents/desktop/display.ts');
    const display = await startDisplay();
    try {
      mock.setTrajectory([{ actions: [{ type: 'tool', name: 'shell', input: { command: 'touch ~/made-by-shell' } }] }, { text: 'fine, no shell' }]);
      const { planner } = await createPlanner({ provider: 'openai-responses', baseURL: mock.url, apiKey: KEY, model: 'computer-use-preview' });
      const own = await startRun({ kind: 'display', display: display.display }, { store, planner, provider: 'openai-responses', task: 'no tools', env: { ...process.env, HOME: display.env['HOME'] } });
      const result = await own.run.finished;
      await own.closed;
      expect(own.run.tools).toEqual([]);
      expect(existsSync(join(display.env['HOME']!, 'made-by-shell'))).toBe(false);
      const errors = ofType(store, own.run, 'model_error');
      expect(errors[0]).toMatchObject({ kind: 'malformed', willRetry: true });
      expect(errors[0]!.message).toMatch(/unknown tool "shell"; no tools were offered/);
      expect(result.status).toBe('done');
      // The first request offered no function tools.
      const tools = (mock.requests[0]!.body as { tools: { type: string }[] }).tools;
      expect(tools.map((t) => t.type)).not.toContain('function');
    } finally {
      await display.stop();
    }
  }, 60_000);
});
