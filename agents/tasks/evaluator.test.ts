// The evaluator on a fake sandbox: a temporary HOME, no X display (getters and execute steps only
// run commands and read files; nothing here needs a screen).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VirtualDisplay } from '../desktop/display.ts';
import { UnsupportedError } from './errors.ts';
import { evaluate, unsupportedParts } from './evaluator.ts';
import type { RunEnding } from './metrics.ts';
import type { TaskSandbox } from './sandbox.ts';
import { parseTask } from './task-schema.ts';

const root = mkdtempSync(join(tmpdir(), 'deskpilot-evaluator-'));
const home = join(root, 'home');
const taskDir = join(root, 'task');
mkdirSync(home);
mkdirSync(join(taskDir, 'files'), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sandbox = (): TaskSandbox => ({ display: { env: { HOME: home, PATH: process.env['PATH'] ?? '/usr/bin:/bin' } } as unknown as VirtualDisplay, taskDir, warnings: [] });
const done: RunEnding = { status: 'done' };
const signal = new AbortController().signal;
const task = (evaluator: Record<string, unknown>) => parseTask({ id: 't', instruction: 'x', evaluator });

describe('evaluate', () => {
  it('runs postconfig, then the metric on its getters', async () => {
    const t = task({
      postconfig: [{ type: 'execute', parameters: { command: 'echo from postconfig > ~/post.txt', shell: true } }],
      func: 'compare_text_file',
      result: { type: 'vm_file', path: '/home/user/post.txt', dest: 'post.txt' },
      expected: { type: 'cloud_file', path: 'files/post.txt', dest: 'post.txt' },
    });
    writeFileSync(join(taskDir, 'files', 'post.txt'), 'from postconfig\n');
    expect(await evaluate(t, sandbox(), done, signal)).toEqual({ score: 1, details: [] });
  });

  it('scores 0 with the reason when the result file is missing', async () => {
    const t = task({ func: 'compare_text_file', result: { type: 'vm_file', path: '~/nothing.txt' }, expected: { type: 'cloud_file', path: 'files/post.txt' } });
    expect(await evaluate(t, sandbox(), done, signal)).toEqual({ score: 0, details: [`compare_text_file: the result file ${home}/nothing.txt does not exist`] });
  });

  it('combines funcs with "and" (0 if any is 0, else the mean) and "or" (1 if any is 1, else the best)', async () => {
    writeFileSync(join(home, 'list.txt'), 'alpha\nbeta\n');
    const result = { type: 'vm_command_line', command: ['cat', '~/list.txt'] };
    const funcs = ['is_in_list', 'fuzzy_match'];
    const expected = (item: string, text: string) => [{ type: 'rule', rules: { expected: item } }, { type: 'rule', rules: { expected: text } }];
    const and = await evaluate(task({ func: funcs, result, expected: expected('beta', 'alpha\nbeta\n!!') }), sandbox(), done, signal);
    expect(and.score).toBeCloseTo((1 + 22 / 24) / 2, 6);
    expect(and.details).toEqual(['fuzzy_match: similarity 0.917']);
    expect(await evaluate(task({ func: funcs, result, expected: expected('gamma', 'alpha\nbeta\n') }), sandbox(), done, signal)).toMatchObject({ score: 0 });
    expect(await evaluate(task({ func: funcs, conj: 'or', result, expected: expected('gamma', 'alpha\nbeta\n') }), sandbox(), done, signal)).toEqual({ score: 1, details: [] });
    const or = await evaluate(task({ func: funcs, conj: 'or', result, expected: expected('gamma', 'alpha\nbeta\n!!') }), sandbox(), done, signal);
    expect(or.score).toBeCloseTo(22 / 24, 6);
  });

  it('gives 0 to a feasible task the agent gave up on, without evaluating it', async () => {
    const t = task({ func: 'exact_match', result: { type: 'vm_command_line', command: 'echo ok', shell: true }, expected: { type: 'rule', rules: { expected: 'ok\n' } } });
    expect((await evaluate(t, sandbox(), done, signal)).score).toBe(1);
    const gaveUp = await evaluate(t, sandbox(), { status: 'failed', reason: 'the model gave up: too hard' }, signal);
    expect(gaveUp).toEqual({ score: 0, details: ['the agent gave up or called the task infeasible (the model gave up: too hard)'] });
  });

  it('scores an infeasible task from how the run ended', async () => {
    const t = task({ func: 'infeasible' });
    expect((await evaluate(t, sandbox(), { status: 'failed', reason: 'the model gave up: no such app' }, signal)).score).toBe(1);
    expect((await evaluate(t, sandbox(), done, signal)).score).toBe(0);
  });

  it('throws UnsupportedError for a remote expected file (nothing is downloaded)', async () => {
    const t = task({ func: 'compare_text_file', result: { type: 'vm_file', path: '~/list.txt' }, expected: { type: 'cloud_file', path: 'https://example.com/gold.txt' } });
    await expect(evaluate(t, sandbox(), done, signal)).rejects.toThrow(UnsupportedError);
  });
});

describe('unsupportedParts', () => {
  it('lists every step, func, getter and table rule Deskpilot does not run, once', () => {
    const t = parseTask({
      id: 't', instruction: 'x',
      config: [{ type: 'googledrive', parameters: {} }, { type: 'googledrive', parameters: {} }, { type: 'launch', parameters: { command: 'xterm' } }],
      evaluator: {
        postconfig: [{ type: 'login', parameters: {} }],
        func: ['compare_pdf_images', 'compare_table', 'exact_match'],
        result: [{ type: 'pdf_file' }, { type: 'vm_file', path: '~/a.xlsx' }, { type: 'vm_command_line', command: 'true' }],
        expected: [null, null, { type: 'rule', rules: { expected: '' } }],
        options: [{}, { rules: [{ type: 'sheet_data' }, { type: 'chart', chart_props: ['type'] }, { type: 'check_cell', props: { value: {}, bgcolor: {}, comment: {} } }] }, {}],
      },
    });
    expect(unsupportedParts(t)).toEqual([
      'config step "googledrive"',
      'postconfig step "login"',
      'func "compare_pdf_images"',
      'getter "pdf_file"',
      'compare_table rule "chart"',
      'compare_table check_cell property "comment"',
    ]);
  });
});
