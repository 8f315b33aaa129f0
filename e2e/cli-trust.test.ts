// Issue 16 holes 2 and 5 as a user meets them: `deskpilot run` against the mock OpenAI server on a
// real display. An endpoint echoes the key in an error: it is in no database file, no CLI output,
// and not in the next run's request to another provider. Model text with escape sequences does not
// reach the terminal, while --json keeps the exact text.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { runDeskpilot } from './support/cli.ts';

// Not key-shaped: only the CLI registering the key it uses can keep it out of the log.
const KEY = 'plainlocalkey-7f3a9c21e5b4';

let tmp: string;
let env: NodeJS.ProcessEnv;

const cli = (args: string[]) => runDeskpilot(args, env);

const db = () => join(tmp, 'runs.db');
/** The database as the disk holds it, the write-ahead log included. */
const dbBytes = () => [db(), `${db()}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');

describe('deskpilot run: secrets and terminal safety', () => {
  let display: VirtualDisplay;
  let mock: MockOpenAI;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'deskpilot-cli-trust-'));
    env = { DESKPILOT_HOME: join(tmp, 'home'), OPENAI_API_KEY: undefined };
    [display, mock] = await Promise.all([startDisplay({ size: { width: 800, height: 600 } }), startMockOpenAI()]);
  });

  afterAll(async () => {
    await Promise.all([display?.stop(), mock?.close()]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('an echoed key is stored nowhere, printed nowhere, and not sent to the next provider', async () => {
    mock.setTrajectory([{ text: 'unused' }]);
    mock.injectFaults([{ kind: '400', message: `Invalid key ${KEY}. Request headers: {"Authorization":"Bearer ${KEY}"}` }]);
    const first = await cli(['run', 'check the invoices', '--provider', 'vllm', '--base-url', mock.url, '--api-key', KEY, '--model', 'm', '--display', display.display, '--db', db()]);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const threadId = /\(thread (\S+)\)/.exec(first.stderr)?.[1];
    expect(threadId, first.stderr).toBeTruthy();
    expect(first.stdout).toContain('[redacted]'); // the error is shown, without the key
    expect(first.stdout + first.stderr).not.toContain(KEY);

    // The next run in the thread goes to another provider with the thread's summary.
    mock.setTrajectory([{ text: 'Nothing to do.' }]);
    const second = await cli(['run', 'again', '--provider', 'openai-responses', '--base-url', mock.url, '--api-key', 'sk-other-provider-key-0123456789', '--model', 'computer-use-preview', '--display', display.display, '--db', db(), '--thread', threadId!]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const sent = JSON.stringify(mock.requests.map((r) => r.body));
    expect(sent).toContain('check the invoices'); // the summary was sent
    expect(sent).not.toContain(KEY);

    const runId = /^run (\S+) on/m.exec(first.stdout)![1]!;
    for (const args of [['runs', 'show', runId], ['runs', 'show', runId, '--json'], ['runs', 'list', '--json']]) {
      const shown = await cli([...args, '--db', db()]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).not.toContain(KEY);
    }
    expect(dbBytes()).not.toContain(KEY);
  });

  it('model text with escape sequences prints clean; --json keeps it exact', async () => {
    const hostile = 'Saving.\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;owned\x1b\\\x1b[2J done';
    const steps = join(tmp, 'hostile.json');
    writeFileSync(steps, JSON.stringify([{ thought: hostile, actions: [{ type: 'done', answer: hostile }] }]));
    const run = await cli(['run', 'save', '--provider', 'scripted', '--script', steps, '--display', display.display, '--db', db()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('  thought: Saving. done');
    const runId = /^run (\S+) on/m.exec(run.stdout)![1]!;
    const shown = await cli(['runs', 'show', runId, '--db', db()]);
    const json = await cli(['run', 'save', '--provider', 'scripted', '--script', steps, '--display', display.display, '--db', db(), '--json']);
    expect(json.code, json.stderr).toBe(0);
    for (const text of [run.stdout, run.stderr, shown.stdout, json.stdout]) expect(text).not.toMatch(/[\x07\x1b\x9b\x9d]/);
    expect(shown.stdout).toMatch(/^answer +Saving\. done$/m);
    const responded = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; thought?: string }).find((e) => e.type === 'model_responded');
    expect(responded?.thought).toBe(hostile);
  });
});
