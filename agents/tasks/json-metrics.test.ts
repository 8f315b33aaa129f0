// check_json_settings and check_direct_json_object with OSWorld's semantics: Python equality on
// JSON values (key order ignored), texts and lists under expect_in_result.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { METRICS, type MetricContext } from './metrics.ts';
import { parseTask } from './task-schema.ts';
import { unsupportedParts } from './task-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'deskpilot-json-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx: MetricContext = { run: { status: 'done' } };
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('check_json_settings', () => {
  const m = METRICS['check_json_settings']!;
  const want = { expected: { 'editor.fontSize': 16, 'files.exclude': { '**/.git': true, '**/*.pyc': true } } };

  it('scores 1 when every expected key holds its value (nested key order ignored, other keys allowed)', async () => {
    const settings = file('right.json', JSON.stringify({ 'workbench.colorTheme': 'Default Dark+', 'editor.fontSize': 16.0, 'files.exclude': { '**/*.pyc': true, '**/.git': true } }, null, 2));
    expect(await m(settings, want, {}, ctx)).toEqual({ score: 1 });
  });

  it('scores 0 for another value, a missing key, or a file that is not plain JSON, and says which', async () => {
    const other = file('wrong.json', JSON.stringify({ 'editor.fontSize': 14, 'files.exclude': { '**/.git': true, '**/*.pyc': true } }));
    expect(await m(other, want, {}, ctx)).toEqual({ score: 0, detail: '"editor.fontSize" is 14 in wrong.json, expected 16' });
    const missing = file('missing.json', JSON.stringify({ 'editor.fontSize': 16 }));
    expect(await m(missing, want, {}, ctx)).toEqual({ score: 0, detail: 'missing.json has no "files.exclude" (expected {"**/.git":true,"**/*.pyc":true})' });
    const commented = file('commented.json', '{\n  // bigger\n  "editor.fontSize": 16\n}');
    const out = await m(commented, want, {}, ctx);
    expect(out.score).toBe(0);
    expect(out.detail).toMatch(/^commented\.json is not plain JSON: /);
  });
});

describe('tasks check', () => {
  it('counts a VS Code settings task supported but for the app', () => {
    const task = parseTask({
      id: 's', instruction: 'x', config: [{ type: 'launch', parameters: { command: ['code'] } }],
      evaluator: { func: 'check_json_settings', result: { type: 'vm_file', path: '/home/user/.config/Code/User/settings.json' }, expected: { type: 'rule', rules: { expected: { 'editor.fontSize': 16 } } } },
    });
    expect(unsupportedParts(task).filter((r) => !r.startsWith('app '))).toEqual([]);
  });
});

describe('check_direct_json_object', () => {
  const m = METRICS['check_direct_json_object']!;
  it('compares values as Python does, and reads a dict printed with single quotes', async () => {
    expect((await m("{'from': 'SEA', 'to': {'city': 'NYC', 'code': 1}}", { expected: { to: { code: 1, city: 'NYC' } } }, {}, ctx)).score).toBe(1);
    expect(await m({ to: { code: 2, city: 'NYC' } }, { expected: { to: { code: 1, city: 'NYC' } } }, {}, ctx)).toEqual({ score: 0, detail: 'to is {"code":2,"city":"NYC"}, expected {"code":1,"city":"NYC"}' });
  });
  it('with expect_in_result: a text within the result, a list sharing an item', async () => {
    const rules = { expect_in_result: true, expected: { title: 'Flights', stops: ['nonstop', '1 stop'] } };
    expect((await m({ title: 'Cheap Flights to NYC', stops: ['1 stop', '2 stops'] }, rules, {}, ctx)).score).toBe(1);
    expect(await m({ title: 'Cheap Flights to NYC', stops: ['2 stops'] }, rules, {}, ctx)).toEqual({ score: 0, detail: 'stops is ["2 stops"], expected a list holding one of ["nonstop","1 stop"]' });
  });
});
