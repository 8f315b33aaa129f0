// The OSWorld-format task suite in e2e/tasks/: every task on its own fresh sandbox display with real
// apps (xterm, mousepad, pcmanfm, LibreOffice Calc), scored by its evaluator from the files the apps
// wrote. Each scores 1 with its scripted trajectory; some also through the real `openai` SDK and the
// mock Responses server; wrong trajectories score 0; and `deskpilot tasks run` prints the table.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanner } from '../agents/models/create-planner.ts';
import { ScriptedPlanner } from '../agents/models/scripted.ts';
import { loadTask, runTask, scriptPathFor, type TaskResult } from '../agents/tasks/run-task.ts';
import { Store } from '../agents/store/store.ts';
import type { RunEvent } from '../agents/run/events.ts';
import { startMockOpenAI, type MockOpenAI, type MockTurn } from './mock-openai/server.ts';
import { runDeskpilot } from './support/cli.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const tasksDir = join(root, 'e2e', 'tasks');
const API_KEY = 'sk-test-tasks';

const taskFiles = readdirSync(tasksDir).filter((f) => f.endsWith('.json') && !/\.(script|mock)\.json$/.test(f)).sort().map((f) => join(tasksDir, f));
const mockFiles = taskFiles.filter((f) => readdirSync(tasksDir).includes(f.split('/').pop()!.replace(/\.json$/, '.mock.json')));

let dir: string;
let store: Store;
let mock: MockOpenAI;
/** What the suite scored, for the log at the end. */
const scored: TaskResult[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-tasks-e2e-'));
  store = Store.open(join(dir, 'deskpilot.db'));
  mock = await startMockOpenAI({ apiKey: API_KEY });
});

afterAll(async () => {
  if (scored.length) console.log(scored.map((r) => `${r.task.padEnd(24)} ${r.score}  ${String(r.steps).padStart(2)} steps  ${r.seconds.toFixed(1).padStart(5)} s  ${r.tokens} tokens`).join('\n'));
  store?.close();
  await mock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const scripted = (file: string) => async () => ({ planner: await ScriptedPlanner.fromFile(scriptPathFor(file)), provider: 'scripted' });
const fromSteps = (steps: unknown[]) => async () => ({ planner: new ScriptedPlanner(steps), provider: 'scripted' });
const show = (r: TaskResult) => JSON.stringify({ status: r.status, score: r.score, error: r.error, details: r.details, warnings: r.warnings, runStatus: r.runStatus });

describe('the task suite, each with its scripted trajectory', () => {
  it('ships at least 12 tasks across xterm, mousepad, pcmanfm and LibreOffice Calc', () => {
    expect(taskFiles.length).toBeGreaterThanOrEqual(12);
    for (const app of ['xterm', 'mousepad', 'pcmanfm', 'calc']) expect(taskFiles.filter((f) => f.includes(`/${app}-`)).length, app).toBeGreaterThanOrEqual(2);
    expect(mockFiles.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of taskFiles) {
    const name = file.split('/').pop()!.replace(/\.json$/, '');
    it(`${name} scores 1, and its run is saved in the store`, async () => {
      const result = await runTask(await loadTask(file), { store, planner: scripted(file) });
      scored.push(result);
      expect(result.status, show(result)).toBe('scored');
      expect(result.score, show(result)).toBe(1);
      const run = store.getRun(result.runId!)!;
      expect(run.provider).toBe('scripted');
      expect(run.options).toMatchObject({ approve: 'never', maxSteps: 15 });
      expect(store.readEvents(run.id).at(-1)!.type).toMatch(/^run_(finished|failed)$/);
      expect(result.steps).toBeGreaterThan(0);
      // LibreOffice tasks start, save and reopen a real office suite: about 55 s alone on a loaded 2-core machine.
    }, 180_000);
  }
});

// UI-TARS ends a task with its finished() action where the other formats answer in prose.
function forFormat(turns: MockTurn[], format: string): MockTurn[] {
  if (format !== 'ui-tars') return turns;
  const quote = (t: string) => t.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n');
  return turns.map((t) => (t.actions?.length ? t : { ...t, text: `Thought: ${t.thought ?? 'The task is done.'}\nAction: finished(content='${quote(t.text ?? '')}')` }));
}

describe('through the real openai SDK and the mock server, in each model format', () => {
  // Every mock trajectory through the Responses API; the first two also as chat tool calls and UI-TARS text.
  const cases = mockFiles.flatMap((file, i) => [['openai-responses', file], ...(i < 2 ? [['vllm', file], ['ui-tars', file]] : [])] as [string, string][]);
  for (const [provider, file] of cases) {
    const name = file.split('/').pop()!.replace(/\.json$/, '');
    it(`${name} scores 1 through ${provider}`, async () => {
      const turns = forFormat(JSON.parse(readFileSync(file.replace(/\.json$/, '.mock.json'), 'utf8')) as MockTurn[], provider);
      mock.setTrajectory(turns);
      const result = await runTask(await loadTask(file), {
        store,
        planner: async () => {
          const choice = await createPlanner({ provider, baseURL: mock.url, apiKey: API_KEY, model: 'computer-use-preview', timeoutMs: 20_000 });
          return { planner: choice.planner, provider: choice.provider, ...(choice.model ? { model: choice.model } : {}) };
        },
      });
      scored.push({ ...result, task: `${result.task} (mock, ${provider})` });
      expect(result.status, show(result)).toBe('scored');
      expect(result.score, show(result)).toBe(1);
      expect(mock.served).toBe(turns.length);
      expect(result.runStatus).toBe('done');
      expect(store.getRun(result.runId!)).toMatchObject({ provider, status: 'done' });
      if (provider === 'openai-responses') {
        const usage = turns.reduce((n, t) => n + (t.usage ? t.usage.input_tokens + t.usage.output_tokens : 0), 0);
        expect(result.tokens).toBe(usage);
      } else expect(result.tokens).toBeGreaterThan(0);
    });
  }
});

describe('wrong trajectories score 0', () => {
  it('a typo in the text written by xterm fails exact_match', async () => {
    const result = await runTask(await loadTask(join(tasksDir, 'xterm-write-file.json')), {
      store,
      planner: fromSteps([
        { actions: [{ type: 'type', text: "mkdir -p ~/notes && echo 'hello from deskpi1ot' > ~/notes/hello.txt\n" }] },
        { actions: [{ type: 'done' }] },
      ]),
    });
    expect(result, show(result)).toMatchObject({ status: 'scored', score: 0, runStatus: 'done' });
    expect(result.details.join('\n')).toContain('exact_match: got "hello from deskpi1ot\\n"');
  });

  it('renaming to the wrong name fails the first metric of an "and", which decides it', async () => {
    const result = await runTask(await loadTask(join(tasksDir, 'pcmanfm-rename-file.json')), {
      store,
      planner: fromSteps([
        { actions: [{ type: 'keypress', keys: ['CTRL', 'A'] }, { type: 'keypress', keys: ['F2'] }, { type: 'wait', ms: 600 }] },
        { actions: [{ type: 'type', text: 'finale\n' }] },
        { actions: [{ type: 'done' }] },
      ]),
    });
    expect(result, show(result)).toMatchObject({ status: 'scored', score: 0 });
    expect(result.details).toEqual([expect.stringContaining('is_in_list: "final.txt" is not in ["finale.txt"]')]);
  });

  it('a wrong value in the sheet saved by Calc fails compare_csv', async () => {
    const result = await runTask(await loadTask(join(tasksDir, 'calc-scores-csv.json')), {
      store,
      planner: fromSteps([
        { actions: [{ type: 'type', text: 'name\tscore\nann\t7\nbob\t8\n' }, { type: 'keypress', keys: ['CTRL', 'SHIFT', 'S'] }, { type: 'wait', ms: 1200 }] },
        { actions: [{ type: 'type', text: 'scores.csv\n' }, { type: 'wait', ms: 1000 }, { type: 'keypress', keys: ['ENTER'] }, { type: 'wait', ms: 1000 }, { type: 'keypress', keys: ['ENTER'] }, { type: 'wait', ms: 800 }] },
        { actions: [{ type: 'done' }] },
      ]),
    });
    expect(result, show(result)).toMatchObject({ status: 'scored', score: 0 });
    expect(result.details).toEqual(['compare_csv: line 3: "bob,8" vs expected "bob,9"']);
  });

  it('giving up on a feasible task scores 0, and a script that runs out is not "infeasible"', async () => {
    const gaveUp = await runTask(await loadTask(join(tasksDir, 'xterm-write-file.json')), { store, planner: fromSteps([{ actions: [{ type: 'fail', reason: 'I cannot do this' }] }]) });
    expect(gaveUp, show(gaveUp)).toMatchObject({ status: 'scored', score: 0, runStatus: 'failed' });
    const ranOut = await runTask(await loadTask(join(tasksDir, 'xterm-infeasible.json')), { store, planner: fromSteps([{ actions: [{ type: 'wait', ms: 10 }] }]) });
    expect(ranOut, show(ranOut)).toMatchObject({ status: 'scored', score: 0, runStatus: 'failed' });
    expect(ranOut.details[0]).toContain('the agent did not say so');
  });
});

describe('deskpilot tasks run', () => {
  it('prints the table with totals, saves the runs, and exits 1 when a task is unsupported', async () => {
    const extra = mkdtempSync(join(dir, 'cli-'));
    // Google Drive needs an account and the network: a task OSWorld has that Deskpilot does not run.
    writeFileSync(join(extra, 'drive-pdf.json'), JSON.stringify({
      id: 'drive-pdf', instruction: 'Compare the PDFs', config: [{ type: 'googledrive', parameters: { settings_file: 'x' } }],
      evaluator: { func: 'compare_pdf_images', result: { type: 'googledrive_file', path: 'a.pdf' }, expected: { type: 'rule', rules: {} } },
    }));
    const db = join(dir, 'cli.db');
    const args = ['tasks', 'run', join(tasksDir, 'xterm-write-file.json'), join(tasksDir, 'pcmanfm-new-folder.json'), extra, '--db', db];
    const { code, stdout, stderr } = await runDeskpilot(args);
    expect(code, stderr).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^TASK\s+SCORE\s+STEPS\s+TIME\s+TOKENS\s+STATUS\s+RUN$/);
    expect(lines.find((l) => l.startsWith('xterm-write-file'))).toMatch(/^xterm-write-file\s+1\s+2\s+[\d.]+ s\s+0\s+done\s+\w{26}$/);
    expect(lines.find((l) => l.startsWith('pcmanfm-new-folder'))).toMatch(/^pcmanfm-new-folder\s+1\s+3\s+/);
    expect(lines.find((l) => l.startsWith('drive-pdf'))).toMatch(/^drive-pdf\s+0\s+0\s+[\d.]+ s\s+0\s+unsupported\s+-$/);
    expect(lines.find((l) => l.startsWith('TOTAL'))).toMatch(/^TOTAL\s+2\/3\s+5\s+[\d.]+ s\s+0\s+average 0\.667$/);
    expect(stdout).toContain('drive-pdf: unsupported: config step "googledrive", func "compare_pdf_images", getter "googledrive_file"');
    expect(stderr).toContain('[1/3] ');

    const runId = /xterm-write-file.*\s(\w{26})$/m.exec(stdout)![1]!;
    const check = Store.open(db);
    try {
      expect(check.getRun(runId)).toMatchObject({ status: 'done', provider: 'scripted' });
      const types = check.readEvents(runId).map((e) => (e as unknown as RunEvent).type);
      expect(types).toContain('action_performed');
    } finally {
      check.close();
    }
  });
});
