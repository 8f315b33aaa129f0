// What runTask decides before it needs a display (unsupported, unreadable, no planner), and the
// shipped suite in e2e/tasks: every task loads, is fully supported and has a valid trajectory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ScriptedPlanner } from '../models/scripted.ts';
import { Store } from '../store/store.ts';
import { unsupportedParts } from './evaluator.ts';
import { findTaskFiles, loadTask, runTask, scriptPathFor, summarize, type TaskResult } from './run-task.ts';

const suite = fileURLToPath(new URL('../../e2e/tasks/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'deskpilot-run-task-'));
const store = Store.open(join(dir, 'deskpilot.db'));
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const noPlanner = async (): Promise<never> => {
  throw new Error('the planner must not be asked for');
};

describe('the shipped task suite', async () => {
  const files = await findTaskFiles([suite]);

  it('finds the task files, not their trajectories or fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(files.every((f) => f.endsWith('.json') && !/\.(script|mock)\.json$/.test(f) && !f.includes('/files/'))).toBe(true);
  });

  for (const file of files) {
    it(`${basename(file)} loads, is fully supported and has a valid scripted trajectory`, async () => {
      const loaded = await loadTask(file);
      expect(loaded.loadError).toBeUndefined();
      expect(loaded.id).toBe(basename(file, '.json'));
      expect(unsupportedParts(loaded.task!)).toEqual([]);
      const planner = await ScriptedPlanner.fromFile(scriptPathFor(file));
      expect(planner.remaining).toBeGreaterThan(0);
      const mock = file.replace(/\.json$/, '.mock.json');
      let turns: unknown;
      try {
        turns = JSON.parse(readFileSync(mock, 'utf8'));
      } catch {
        return; // no mock trajectory for this one
      }
      expect(Array.isArray(turns) && (turns.at(-1) as { text?: string }).text).toBeTruthy();
    });
  }
});

describe('findTaskFiles', () => {
  it('skips trajectories even when named, and says which path is missing', async () => {
    expect(await findTaskFiles([join(suite, 'xterm-write-file.json'), join(suite, 'xterm-write-file.script.json')])).toEqual([join(suite, 'xterm-write-file.json')]);
    await expect(findTaskFiles([join(dir, 'nope')])).rejects.toThrow(`no such file or folder: ${join(dir, 'nope')}`);
  });
});

describe('runTask without a display', () => {
  it('reports an unsupported task at once: no display, no planner, score 0', async () => {
    const file = join(dir, 'tabs.json');
    writeFileSync(file, JSON.stringify({
      id: 'tabs', instruction: 'Open two tabs', config: [{ type: 'googledrive', parameters: {} }],
      evaluator: { func: 'check_accessibility_tree', result: { type: 'accessibility_tree' }, expected: { type: 'rule', rules: {} } },
    }));
    const r = await runTask(await loadTask(file), { store, planner: noPlanner });
    expect(r).toMatchObject({ task: 'tabs', status: 'unsupported', score: 0, steps: 0, tokens: 0, error: 'unsupported: config step "googledrive", func "check_accessibility_tree", getter "accessibility_tree"' });
    expect(r.runId).toBeUndefined();
    expect(r.seconds).toBeLessThan(1);
  });

  it('reports a file that is not a task, and a task whose planner cannot be made', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"id": "bad"');
    expect(await runTask(await loadTask(bad), { store, planner: noPlanner })).toMatchObject({ task: 'bad', status: 'error', score: 0, error: expect.stringContaining('bad.json') });

    const ok = join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify({ id: 'ok', instruction: 'x', evaluator: { func: 'infeasible' } }));
    const r = await runTask(await loadTask(ok), { store, planner: async () => { throw new Error('no scripted trajectory'); } });
    expect(r).toMatchObject({ task: 'ok', status: 'error', error: 'no scripted trajectory' });
    expect(store.listRuns()).toEqual([]);
  });
});

describe('summarize', () => {
  it('adds up scores, steps, time and tokens, and counts what could not be scored', () => {
    const r = (score: number, status: TaskResult['status'], steps = 2): TaskResult => ({ task: 't', file: 'f', score, steps, seconds: 1.25, runSeconds: 1, tokens: 100, status, details: [], warnings: [] });
    expect(summarize([r(1, 'scored'), r(0.5, 'scored'), r(0, 'unsupported', 0), r(0, 'error', 0)])).toEqual({
      tasks: 4, scoreSum: 1.5, average: 0.375, steps: 4, seconds: 5, tokens: 400, unsupported: 1, errors: 1,
    });
    expect(summarize([]).average).toBe(0);
  });
});
