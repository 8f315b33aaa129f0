// `deskpilot run` and `deskpilot runs list|show` as real processes: scripted and model-driven runs
// on a real display, approvals answered through piped stdin, kill -9 and Ctrl+C mid-run, bad usage.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { PROVIDER_NAMES } from '../agents/models/create-planner.ts';
import { openXterm, waitForFile } from './support/apps.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { runDeskpilot, startDeskpilot, type CliOptions, type RunningCli } from './support/cli.ts';
import { waitUntil } from './support/processes.ts';

interface Running extends RunningCli {
  /** Resolves with the first stdout line that matches. */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

let tmp: string;
let env: NodeJS.ProcessEnv;

/** Starts the CLI with stdin left open, or with `input` written to it, which then ends. */
function start(args: string[], opts: CliOptions = {}): Running {
  const running = startDeskpilot(args, env, { openStdin: true, ...opts });
  const { child, exit } = running;
  const output = () => `stdout:\n${running.stdout()}\nstderr:\n${running.stderr()}`;
  const line = (match: (line: string) => boolean, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no matching line within ${timeoutMs} ms; ${output()}`)), timeoutMs);
      const check = () => {
        const found = running.stdout().split('\n').slice(0, -1).find(match);
        if (found !== undefined) done(undefined, found);
      };
      const done = (err?: Error, found?: string) => {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        if (err) reject(err);
        else resolve(found!);
      };
      // Registered after the helper's own listener, so stdout() already holds the new chunk.
      child.stdout!.on('data', check);
      void exit.then(() => done(new Error(`the CLI exited before a matching line; ${output()}`)));
      check();
    });
  return { ...running, line };
}

/** Runs the CLI to the end; stdin is closed unless `input` is given. */
const cli = (args: string[], opts: CliOptions = {}) => runDeskpilot(args, env, opts);

type JsonEvent = { type: string; runId: string; seq: number; [k: string]: unknown };
const jsonLines = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as JsonEvent);

function script(name: string, steps: unknown[]): string {
  const path = join(tmp, `${name}.json`);
  writeFileSync(path, JSON.stringify(steps));
  return path;
}

const db = () => join(tmp, 'runs.db');
const isJsonEvent = (type: string) => (l: string) => l.startsWith('{') && (JSON.parse(l) as JsonEvent).type === type;

describe('deskpilot run and runs', () => {
  let display: VirtualDisplay;
  let mock: MockOpenAI;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'deskpilot-cli-run-'));
    env = { DESKPILOT_HOME: join(tmp, 'home'), OPENAI_API_KEY: undefined };
    [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: 'sk-cli-test-key-0123456789' })]);
    await openXterm(display);
  });

  afterAll(async () => {
    await Promise.all([display?.stop(), mock?.close()]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('runs a script that types a command into xterm, then runs show prints its steps', async () => {
    const out = join(tmp, 'scripted.txt');
    const steps = script('xterm', [
      { thought: 'Type the command into the terminal.', actions: [{ type: 'type', text: `echo scripted-run-ok > ${out}\n` }] },
      { thought: 'The command ran.', actions: [{ type: 'done', answer: 'the file is written' }] },
    ]);
    const r = await cli(['run', 'write a file from the terminal', '--provider', 'scripted', '--script', steps, '--display', display.display, '--db', db()]);
    expect(r.code, r.stderr).toBe(0);
    expect((await waitForFile(out)).trim()).toBe('scripted-run-ok');
    const runId = /^run (\S+) on :\d+/m.exec(r.stdout)?.[1];
    expect(runId, r.stdout).toBeTruthy();
    expect(r.stdout).toContain('step 1\n  thought: Type the command into the terminal.\n');
    expect(r.stdout).toContain(`  action: type ${JSON.stringify(`echo scripted-run-ok > ${out}\n`).slice(0, 20)}`);
    expect(r.stdout).toMatch(/done after 2 steps: the file is written\n$/);

    const shown = await cli(['runs', 'show', runId!, '--db', db()]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^run {6}${runId}\n`));
    expect(shown.stdout).toMatch(/^status +done$/m);
    expect(shown.stdout).toMatch(/^answer +the file is written$/m);
    expect(shown.stdout).toContain('step 1\n  thought: Type the command into the terminal.\n  action: type "echo scripted-run-ok');
    expect(shown.stdout).toContain('    ok (');
    expect(shown.stdout).toContain('step 2\n  thought: The command ran.\ndone after 2 steps: the file is written');

    const list = await cli(['runs', 'list', '--db', db()]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^RUN +STATUS +STEPS +STARTED +TASK$/);
    expect(list.stdout).toMatch(new RegExp(`^${runId} +done +2 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +write a file from the terminal$`, 'm'));
  });

  it('--json prints one parseable event per line, all of the run, ending with run_finished', async () => {
    const steps = script('json', [{ thought: 'Wait a moment.', actions: [{ type: 'wait', ms: 20 }] }, { actions: [{ type: 'done', answer: 'waited' }] }]);
    const r = await cli(['run', 'wait briefly', '--provider', 'scripted', '--script', steps, '--display', display.display, '--db', db(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const events = jsonLines(r.stdout);
    const runId = events[0]!.runId;
    expect(runId).toMatch(/^[0-9A-Z]{26}$/);
    expect(events.every((e) => e.runId === runId)).toBe(true);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({ type: 'run_started', task: 'wait briefly', provider: 'scripted', display: display.display });
    expect(events.find((e) => e.type === 'model_responded')).toMatchObject({ thought: 'Wait a moment.' });
    expect(events.find((e) => e.type === 'action_proposed')).toMatchObject({ action: { type: 'wait', ms: 20 }, screenAction: { type: 'wait', ms: 20 } });
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', answer: 'waited', steps: 2 });
    // The same events, read back from the store by another process.
    const shown = await cli(['runs', 'show', runId, '--db', db(), '--json']);
    expect(jsonLines(shown.stdout)).toEqual(events);
  });

  it('drives a model through the OpenAI Responses API (mock server), into the default database', async () => {
    const out = join(tmp, 'model.txt');
    const key = 'sk-cli-test-key-0123456789';
    mock.setTrajectory([
      { thought: 'I will type the command in the terminal.', actions: [{ type: 'type', text: `echo from-the-model > ${out}\n` }] },
      { thought: 'The file exists now.', text: 'I wrote the file.' },
    ]);
    const r = await cli(['run', 'write a file with the model', '--provider', 'openai-responses', '--base-url', mock.url, '--api-key', key, '--model', 'computer-use-preview', '--display', display.display]);
    expect(r.code, r.stderr).toBe(0);
    expect((await waitForFile(out)).trim()).toBe('from-the-model');
    expect(r.stdout).toContain('with openai-responses (computer-use-preview)');
    expect(r.stdout).toContain('  thought: I will type the command in the terminal.');
    expect(r.stdout).toMatch(/  model: 1 action in .*, 1500 tokens in \/ 60 out, \$0\.0052/);
    expect(r.stdout).toMatch(/done after 2 steps: I wrote the file\.\n$/);
    expect(r.stdout + r.stderr).not.toContain(key);
    expect(mock.served).toBe(2);
    expect(mock.requests.every((q) => q.headers.authorization === `Bearer ${key}`)).toBe(true);
    // No --db: DESKPILOT_HOME holds the database, and runs list (no --db either) finds the run there.
    expect(existsSync(join(tmp, 'home', 'deskpilot.db'))).toBe(true);
    const list = await cli(['runs', 'list', '--json']);
    expect(jsonLines(list.stdout)).toEqual([expect.objectContaining({ task: 'write a file with the model', status: 'done', provider: 'openai-responses', model: 'computer-use-preview', answer: 'I wrote the file.', steps: 2 })]);
  });

  it('drives chat-completions models too: a tool-calling vLLM-style endpoint and UI-TARS text actions', async () => {
    const key = 'sk-cli-test-key-0123456789';
    for (const [provider, extra] of [['vllm', ['--images-per-request', '1']], ['ui-tars', []]] as const) {
      const out = join(tmp, `${provider}.txt`);
      mock.setTrajectory([
        { thought: 'I will type the command in the terminal.', actions: [{ type: 'type', text: `echo from-${provider} > ${out}\n` }] },
        // A chat model ends by answering in prose; UI-TARS ends with its finished() action.
        { text: provider === 'vllm' ? 'I wrote the file.' : "Thought: The file exists now.\nAction: finished(content='I wrote the file.')" },
      ]);
      const r = await cli(['run', `write a file via ${provider}`, '--provider', provider, '--base-url', mock.url, '--api-key', key, '--model', 'test-vision-model', '--display', display.display, '--db', db(), ...extra]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect((await waitForFile(out)).trim()).toBe(`from-${provider}`);
      expect(r.stdout).toMatch(/done after 2 steps: I wrote the file\.\n$/);
      expect(mock.requests.every((q) => q.path.endsWith('/chat/completions'))).toBe(true);
      // Tools are offered to the chat adapter; UI-TARS reads and writes plain text.
      expect(mock.requests.every((q) => ('tools' in (q.body as object)) === (provider === 'vllm'))).toBe(true);
    }
  });

  it('takes approvals, edits and answers from piped stdin, and rejects with "no operator" once it ends', async () => {
    // Every action writes a file from the terminal, so what ran is checked on disk, not in the CLI's own report.
    const f = (name: string) => join(tmp, `approval-${name}.txt`);
    const echo = (word: string, name: string) => ({ type: 'type' as const, text: `echo ${word} > ${f(name)}\n` });
    const steps = script('approvals', [
      { actions: [echo('approved', 'a')] },
      { actions: [echo('rejected', 'b')] },
      { actions: [echo('original', 'c')] },
      { actions: [{ type: 'ask_user', question: 'Which report?' }] },
      { actions: [echo('unanswered', 'e')] },
      { actions: [{ type: 'done', answer: 'all answered' }] },
    ]);
    const edited = JSON.stringify(echo('edited', 'd'));
    const input = ['approve', 'maybe', 'reject not now', 'edit {"type":"teleport"}', `edit ${edited}`, 'the March one', ''].join('\n');
    const r = await cli(['run', 'ask me everything', '--provider', 'scripted', '--script', steps, '--display', display.display, '--db', db(), '--approve', 'always', '--json'], { input });
    expect(r.code, r.stderr).toBe(0);
    const events = jsonLines(r.stdout);
    const decided = events.filter((e) => e.type === 'approval_decided').map(({ decision, reason, action }) => ({ decision, reason, action }));
    expect(decided).toEqual([
      { decision: 'approve' },
      { decision: 'reject', reason: 'not now' },
      { decision: 'edit', action: echo('edited', 'd') },
      { decision: 'reject', reason: 'no operator' },
    ]);
    // On disk: the approved and the edited commands ran; the rejected, the replaced and the unanswered ones did not.
    expect(await waitForFile(f('a'))).toBe('approved\n');
    expect(await waitForFile(f('d'))).toBe('edited\n');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const name of ['b', 'c', 'e']) expect(existsSync(f(name)), name).toBe(false);
    expect(events.find((e) => e.type === 'question_answered')).toMatchObject({ answer: 'the March one' });
    expect(r.stderr).toContain('"maybe" is not an answer');
    expect(r.stderr).toMatch(/edit \{"type":"teleport"\}\n  invalid action: /);
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', answer: 'all answered' });

    const shown = await cli(['runs', 'show', events[0]!.runId, '--db', db()]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/step 1\n {2}action: type "echo approved[^\n]*\n {4}approval needed: approval mode is "always"\n {4}approved\n {4}ok \(/);
    expect(shown.stdout).toMatch(/step 2\n {2}action: type "echo rejected[^\n]*\n {4}approval needed: approval mode is "always"\n {4}rejected: not now\nstep 3/);
    expect(shown.stdout).toMatch(/ {4}edited to: type "echo edited/);
    expect(shown.stdout).toContain('    question: Which report?\n    answer: the March one\n');
    expect(shown.stdout).toContain('    rejected: no operator\n');
  });

  it('exits 1 when a limit ends the run, and continues a thread given with --thread', async () => {
    const listed = await cli(['runs', 'list', '--db', db(), '--json', '--limit', '1']);
    expect(listed.code, listed.stderr).toBe(0);
    const earlier = jsonLines(listed.stdout)[0]!;
    const steps = script('limit', [{ actions: [{ type: 'wait', ms: 10 }] }, { actions: [{ type: 'done' }] }]);
    const r = await cli(['run', 'stop at the limit', '--provider', 'scripted', '--script', steps, '--display', display.display, '--db', db(), '--max-steps', '1', '--thread', String(earlier['threadId'])]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/failed after 1 step: step limit of 1 reached\n$/);
    const thread = jsonLines((await cli(['runs', 'list', '--db', db(), '--json', '--thread', String(earlier['threadId'])])).stdout);
    expect(thread.map((run) => [run['task'], run['status']])).toEqual([['stop at the limit', 'failed'], [earlier['task'], earlier['status']]]);
  });

  it('leaves a run killed with -9 for the next process to find interrupted, its events intact', async () => {
    const steps = script('long-wait', [{ thought: 'Wait a long time.', actions: [{ type: 'wait', ms: 120_000 }] }]);
    const running = start(['run', 'wait forever', '--provider', 'scripted', '--script', steps, '--display', display.display, '--db', db(), '--json']);
    const runId = jsonLines(await running.line(isJsonEvent('action_proposed')))[0]!.runId;
    // Another process looking meanwhile must not take the live run for a crashed one.
    const during = await cli(['runs', 'list', '--db', db(), '--json']);
    expect(during.code, during.stderr).toBe(0);
    expect(jsonLines(during.stdout).find((r) => r['id'] === runId)).toMatchObject({ status: 'running' });
    running.child.kill('SIGKILL');
    const killed = await running.exit;
    expect(killed.signal).toBe('SIGKILL');
    const printed = jsonLines(killed.stdout);

    const list = await cli(['runs', 'list', '--db', db(), '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(jsonLines(list.stdout).find((r) => r['id'] === runId)).toMatchObject({ status: 'interrupted', steps: 1 });
    const shown = await cli(['runs', 'show', runId, '--db', db(), '--json']);
    const stored = jsonLines(shown.stdout);
    expect(stored.slice(0, -1)).toEqual(printed);
    expect(stored.at(-1)).toMatchObject({ type: 'run_interrupted', seq: printed.length + 1, reason: 'the process stopped while the run was active' });
    const readable = await cli(['runs', 'show', runId, '--db', db()]);
    expect(readable.stdout).toMatch(/^status +interrupted$/m);
    expect(readable.stdout).toMatch(/  action: wait 120000 ms\ninterrupted: the process stopped while the run was active\n$/);
  });

  it('aborts on SIGINT: the run ends aborted, exit code 130, and its sandbox display is stopped', async () => {
    const steps = script('sigint', [{ actions: [{ type: 'wait', ms: 120_000 }] }]);
    const running = start(['run', 'wait to be stopped', '--provider', 'scripted', '--script', steps, '--sandbox', '--db', db(), '--json']);
    await running.line(isJsonEvent('action_proposed'));
    running.child.kill('SIGINT');
    const r = await running.exit;
    expect(r.code, r.stderr).toBe(130);
    const events = jsonLines(r.stdout);
    expect(events.every((e) => e.runId === events[0]!.runId)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'run_aborted', reason: 'aborted by the operator (Ctrl+C)', steps: 1 });
    const sandbox = /sandbox display :(\d+)/.exec(r.stderr)?.[1];
    expect(sandbox, r.stderr).toBeTruthy();
    expect(events[0]).toMatchObject({ type: 'run_started', display: `:${sandbox}` });
    await waitUntil('the sandbox X server to stop', () => !existsSync(`/tmp/.X${sandbox}-lock`), 5000);

    const shown = await cli(['runs', 'show', events[0]!.runId, '--db', db(), '--json']);
    expect(jsonLines(shown.stdout)).toEqual(events);
  });

  it('exits 2 with a clear message on bad usage', async () => {
    const steps = script('usage', [{ actions: [{ type: 'done' }] }]);
    const [provider, noScript, unknownRun, noDisplay, noKey] = await Promise.all([
      cli(['run', 'task', '--provider', 'gpt-magic', '--display', ':1']),
      cli(['run', 'task', '--provider', 'scripted', '--display', ':1']),
      cli(['runs', 'show', '01NOSUCHRUN0000000000000000', '--db', db()]),
      cli(['run', 'task', '--provider', 'scripted', '--script', steps]),
      cli(['run', 'task', '--provider', 'openai-responses', '--display', ':1']),
    ]);
    expect(provider).toMatchObject({ code: 2, stdout: '' });
    expect(provider.stderr).toMatch(/^deskpilot: unknown provider "gpt-magic": use one of openai, azure-openai, [a-z-]+(, [a-z-]+)*\nUsage: deskpilot run /);
    expect(provider.stderr).toContain(PROVIDER_NAMES.join(', '));
    expect(noScript.code).toBe(2);
    expect(noScript.stderr).toContain("the scripted provider needs --script FILE");
    expect(unknownRun.code).toBe(2);
    expect(unknownRun.stderr).toContain('no run 01NOSUCHRUN0000000000000000 in');
    expect(noDisplay.code).toBe(2);
    expect(noDisplay.stderr).toContain('DISPLAY is not set. Pass --display :N for a running X display, or --sandbox');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('needs an API key: set OPENAI_API_KEY');
    // None of them started a run.
    const list = await cli(['runs', 'list', '--db', db(), '--json']);
    // The list itself must work (and hold the earlier runs), or "not listed" would prove nothing.
    expect(list.code, list.stderr).toBe(0);
    const tasks = jsonLines(list.stdout).map((r) => r['task']);
    expect(tasks).toContain('ask me everything');
    expect(tasks).not.toContain('task');
  });
});
