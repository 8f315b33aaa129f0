import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCRIPT_EXHAUSTED } from '../models/scripted.ts';
import { UnsupportedError } from './errors.ts';
import { declaredInfeasible, matchValue, METRICS, similarity, type MetricContext } from './metrics.ts';

const dir = mkdtempSync(join(tmpdir(), 'deskpilot-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const ctx: MetricContext = { run: { status: 'done' } };
const m = (name: string) => METRICS[name]!;
const score = async (name: string, result: unknown, expected?: unknown, options: Record<string, unknown> = {}, c = ctx) => (await m(name)(result, expected, options, c)).score;

describe('exact_match', () => {
  it('is exact: case, whitespace and the trailing newline count', async () => {
    expect(await score('exact_match', 'yes\n', { expected: 'yes\n' })).toBe(1);
    expect(await score('exact_match', 'yes', { expected: 'yes\n' })).toBe(0);
    expect(await score('exact_match', 'Yes\n', { expected: 'yes\n' })).toBe(0);
    expect((await m('exact_match')('no', { expected: 'yes' }, {}, ctx)).detail).toBe('got "no", expected "yes"');
  });
});

describe('check_include_exclude', () => {
  it('needs every include and no exclude', async () => {
    const rules = { include: ['passed', 'home'], exclude: ['error'] };
    expect(await score('check_include_exclude', 'check passed for home\n', rules)).toBe(1);
    expect(await score('check_include_exclude', 'check passed\n', rules)).toBe(0);
    expect(await score('check_include_exclude', 'passed home, error', rules)).toBe(0);
    expect(await score('check_include_exclude', 'anything', {})).toBe(1);
    expect((await m('check_include_exclude')('passed error', rules, {}, ctx)).detail).toBe('missing ["home"]; contains excluded ["error"] in "passed error"');
  });

  it('scores no result (a getter that found nothing, like no active terminal) 0, as OSWorld does', async () => {
    expect(await m('check_include_exclude')(null, { include: [], exclude: [] }, {}, ctx)).toEqual({ score: 0, detail: 'there was no result to check (the getter found nothing)' });
  });
});

describe('compare_text_file', () => {
  it('compares whole files, optionally ignoring blanks and case', async () => {
    const a = file('a.txt', 'Hello\tworld\n\n');
    const b = file('b.txt', 'hello world');
    expect(await score('compare_text_file', a, file('a2.txt', 'Hello\tworld\n\n'))).toBe(1);
    expect(await score('compare_text_file', a, b)).toBe(0);
    expect(await score('compare_text_file', a, b, { ignore_blanks: true })).toBe(0);
    expect(await score('compare_text_file', a, b, { ignore_blanks: true, ignore_case: true })).toBe(1);
    expect((await m('compare_text_file')(a, b, {}, ctx)).detail).toMatch(/^the files differ at character 0/);
  });
});

describe('fuzzy_match', () => {
  it('scores the normalised similarity, or 0/1 against a threshold', async () => {
    expect(similarity('', '')).toBe(1);
    expect(similarity('abc', 'abc')).toBe(1);
    expect(similarity('abc', 'xyz')).toBe(0);
    // rapidfuzz: fuzz.ratio("this is a test", "this is a test!") == 96.55...
    expect(similarity('this is a test', 'this is a test!')).toBeCloseTo(0.9655, 4);
    expect(similarity('kitten', 'sitting')).toBeCloseTo(8 / 13, 6);
    expect(await score('fuzzy_match', 'kitten', { expected: 'sitting' })).toBeCloseTo(8 / 13, 6);
    expect(await score('fuzzy_match', 'kitten', { expected: 'sitting' }, { threshold: 0.6 })).toBe(1);
    expect(await score('fuzzy_match', 'kitten', { expected: 'sitting' }, { threshold: 0.7 })).toBe(0);
    expect(await score('fuzzy_match', 'kitten', { expected: 'sitting', threshold: 0.7 })).toBe(0);
  });
});

describe('is_in_list', () => {
  it('finds the item in a list, or as a whole line of command output', async () => {
    expect(await score('is_in_list', ['a', 'b'], { expected: 'b' })).toBe(1);
    expect(await score('is_in_list', 'plan.txt\nreports\n', { expected: 'reports' })).toBe(1);
    expect(await score('is_in_list', 'plan.txt\nreports-old\n', { expected: 'reports' })).toBe(0);
  });
});

describe('infeasible', () => {
  it('passes when the agent gave up or called the task infeasible, not when a script ran out', async () => {
    const gaveUp = { run: { status: 'failed' as const, reason: 'the model gave up: there is no such app' } };
    expect(await score('infeasible', undefined, undefined, {}, gaveUp)).toBe(1);
    expect(await score('infeasible', undefined, undefined, {}, { run: { status: 'done', answer: 'This task is infeasible on Linux.' } })).toBe(1);
    expect(await score('infeasible', undefined, undefined, {}, { run: { status: 'done', answer: 'Done.' } })).toBe(0);
    expect(await score('infeasible', undefined, undefined, {}, { run: { status: 'failed', reason: `the model gave up: ${SCRIPT_EXHAUSTED}` } })).toBe(0);
    expect(await score('infeasible', undefined, undefined, {}, { run: { status: 'failed', reason: 'step limit of 15 reached' } })).toBe(0);
    expect(declaredInfeasible({ status: 'aborted', reason: 'aborted by the operator' })).toBe(false);
  });
});

describe('compare_table and compare_csv on CSV files', () => {
  const sum = file('sum.csv', '10\n20\n30\n60\n');
  it('checks cells with OSWorld\'s rule methods', async () => {
    const cell = (coordinate: string, method: string, ref: unknown) => ({ rules: [{ type: 'check_cell', sheet_idx: 0, coordinate, props: { value: { method, ref } } }] });
    expect(await score('compare_table', sum, undefined, cell('A4', 'eq', 60))).toBe(1);
    expect(await score('compare_table', sum, undefined, cell('A4', 'eq', '60.0'))).toBe(1);
    expect(await score('compare_table', sum, undefined, cell('A4', 'eq', 61))).toBe(0);
    expect(await score('compare_table', sum, undefined, cell('A4', 'approx:0.5', 60.4))).toBe(1);
    expect(await score('compare_table', sum, undefined, cell('B1', 'eq', ''))).toBe(1);
    expect((await m('compare_table')(sum, undefined, cell('A4', 'gt', 100), ctx)).detail).toBe('A4 is "60"; wanted gt 100');
  });

  it('compares whole sheets, and says where they differ', async () => {
    const a = file('a.csv', 'item,qty\napple,3\npear,5\n');
    const b = file('b.csv', 'item,qty,\n"apple",3.0\npear,5\n\n');
    const c = file('c.csv', 'item,qty\napple,3\npear,6\n');
    expect(await score('compare_table', a, b)).toBe(1);
    expect((await m('compare_table')(a, c, {}, ctx))).toEqual({ score: 0, detail: 'sheets differ at B3: "5" in result sheet 0, "6" in expected sheet 0' });
    expect(await score('compare_csv', a, file('a2.csv', 'item,qty\r\napple,3\r\npear,5\r\n'))).toBe(1);
    expect((await m('compare_csv')(a, c, {}, ctx)).detail).toBe('line 3: "pear,5" vs expected "pear,6"');
  });

  it('reports rules and methods it cannot check as unsupported', async () => {
    await expect(m('compare_table')(sum, undefined, { rules: [{ type: 'pivot_table', sheet_idx0: 0 }] }, ctx)).rejects.toThrow(UnsupportedError);
    await expect(m('compare_table')(sum, undefined, { rules: [{ type: 'check_cell', sheet_idx: 0, coordinate: 'A1', props: { comment: { method: 'eq', ref: 'x' } } }] }, ctx)).rejects.toThrow('unsupported: compare_table check_cell property "comment"');
    expect(() => matchValue('1', { method: 'spreadsheet_range', ref: 'A1:B2' })).toThrow(UnsupportedError);
  });
});

describe('matchValue', () => {
  it('compares numbers as numbers and text as text', () => {
    expect(matchValue('4.5', { method: 'eq', ref: 4.5 })).toBe(true);
    expect(matchValue('1,234.50', { method: 'eq', ref: 1234.5 })).toBe(true);
    expect(matchValue('cake', { method: 'eq', ref: 'cake' })).toBe(true);
    expect(matchValue('cake', { method: 'ne', ref: 'tea' })).toBe(true);
    expect(matchValue('7', { method: 'le', ref: 7 })).toBe(true);
    expect(matchValue('x', { method: 'lt', ref: 7 })).toBe(false);
    expect(matchValue('Total: 12', { method: 're', ref: '^total: \\d+$' })).toBe(false);
    expect(matchValue('Total: 12', { method: 're.I', ref: '^total: \\d+$' })).toBe(true);
    expect(matchValue('a, b', { method: 'str_list_eq', ref: ['a', 'b'] })).toBe(true);
  });
});
