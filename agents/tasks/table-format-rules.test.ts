// compare_table's sheet_fuzzy, style, data_validation and row_props rules, and check_cell's style
// properties, on workbooks LibreOffice saved (from ones we write): a right file scores 1, a wrong
// one 0 with where it differs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS, type MetricContext } from './metrics.ts';
import { type FixtureSheet, writeFixture, xlsxWorkbook } from './ooxml-fixtures.ts';
import { pyMatch } from './table-format-rules.ts';
import { unsupportedTableRules } from './table-rules.ts';

const dir = mkdtempSync(join(tmpdir(), 'deskpilot-table-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx: MetricContext = { run: { status: 'done' } };
const compareTable = METRICS['compare_table']!;
/** The copy LibreOffice saved. */
const saved = (name: string) => join(dir, 'out', `${name}.xlsx`);

const gold: FixtureSheet = {
  name: 'Scores',
  cells: {
    A1: { v: 'Name', bold: true }, B1: { v: 'Score', bold: true }, C1: 'Note',
    A2: 'Alice', B2: { v: 91, numFmt: '0.00' }, A3: 'Bob', B3: { v: 72.5, numFmt: '0.00', fill: 'FFFFFF00' }, A4: 'Carol', B4: { v: 85, numFmt: '0.00' },
  },
  rows: { 4: { hidden: true } },
  merged: ['C1:D1'],
  validations: [{ type: 'list', sqref: 'A2:A4', formula1: '"Alice,Bob,Carol"', allowBlank: true }],
  conditional: [{ sqref: 'B2:B4', operator: 'greaterThan', formula: '80', fill: 'FFFF0000' }],
};
const books: Record<string, FixtureSheet> = {
  gold,
  right: gold,
  notBold: { ...gold, cells: { ...gold.cells, B1: 'Score' } },
  noHighlight: { ...gold, conditional: [] },
  shown: { ...gold, rows: {} },
  whole: { ...gold, validations: [{ type: 'whole', operator: 'between', sqref: 'A2:A4', formula1: '0' }] },
  typo: { ...gold, cells: { ...gold.cells, A3: 'Bobb' } },
};

beforeAll(async () => {
  const files = Object.entries(books).map(([name, sheet]) => writeFixture(join(dir, `${name}.xlsx`), xlsxWorkbook([sheet])));
  await promisify(execFile)('soffice', [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--norestore', '--nologo', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', join(dir, 'out'), ...files], { timeout: 150_000 });
}, 180_000);

const score = async (name: string, rules: Record<string, unknown>[]) => compareTable(saved(name), saved('gold'), { rules }, ctx);

describe('compare_table style', () => {
  const rule = { type: 'style', sheet_idx0: 'RI0', sheet_idx1: 'EI0', props: ['font_bold', 'bgcolor', 'number_format', 'merge'] };
  it('scores 1 for the same cell formats and conditional highlights', async () => {
    expect(await score('right', [rule])).toEqual({ score: 1 });
  });
  it('scores 0 for a header not bold, or a highlight a conditional format no longer gives', async () => {
    expect(await score('notBold', [rule])).toEqual({ score: 0, detail: 'cell B1: font_bold false in the result sheet Scores, true in the expected sheet Scores' });
    expect(await score('noHighlight', [rule])).toEqual({ score: 0, detail: 'cell B2: bgcolor "00000000" in the result sheet Scores, "FFFF0000" in the expected sheet Scores' });
  });
});

describe('compare_table row_props', () => {
  const rule = { type: 'row_props', sheet_idx0: 'RI0', sheet_idx1: 'EI0', props: ['hidden'] };
  it('scores 1 for the same hidden rows and 0 when a row is shown', async () => {
    expect(await score('right', [rule])).toEqual({ score: 1 });
    expect(await score('shown', [rule])).toEqual({ score: 0, detail: 'row 4: hidden false in the result sheet Scores, true in the expected sheet Scores' });
  });
});

describe('compare_table data_validation', () => {
  const rule = {
    type: 'data_validation', sheet_idx: 0,
    dv_props: [{ type: { method: 'eq', ref: 'list' }, formula1: { method: 'str_set_eq', ref: ['Carol', 'Bob', 'Alice'] }, ranges: { method: 'spreadsheet_range', ref: ['A2:A4', 'A2:A1048576'] } }],
  };
  it('scores 1 for a list validation over the names and 0 for a whole-number one', async () => {
    expect(await score('right', [rule])).toEqual({ score: 1 });
    const out = await score('whole', [rule]);
    expect(out.score).toBe(0);
    expect(out.detail).toMatch(/^data validation 1 \(whole on A2:A4, 0\) matches none of the expected /);
  });
});

describe('compare_table sheet_fuzzy', () => {
  const rule = (type: string, threshold?: number) => ({ type: 'sheet_fuzzy', sheet_idx0: 'RNScores', sheet_idx1: 'ENScores', rules: [{ range: ['A1:B4'], type, ignore_case: true, ...(threshold ? { threshold } : {}) }] });
  it('scores exact_match 1 for the same text and 0 for a typo, which fuzzy_match forgives', async () => {
    expect(await score('right', [rule('exact_match')])).toEqual({ score: 1 });
    expect(await score('typo', [rule('exact_match')])).toEqual({ score: 0, detail: 'A3: "bobb" vs "bob" (exact_match: they differ)' });
    expect(await score('typo', [rule('fuzzy_match', 80)])).toEqual({ score: 1 });
    expect(await score('typo', [rule('fuzzy_match', 90)])).toEqual({ score: 0, detail: 'A3: "bobb" vs "bob" (fuzzy_match: similarity 85.7 is below 90)' });
  });
});

describe('compare_table check_cell style properties', () => {
  it('reads a cell format from the xlsx: bold header, fill colour, number format', async () => {
    const rule = { type: 'check_cell', sheet_idx: 0, coordinate: 'B1', props: { font_bold: { method: 'eq', ref: true } } };
    expect(await score('right', [rule, { ...rule, coordinate: 'B3', props: { fgcolor: { method: 'eq', ref: 'FFFFFF00' }, number_format: { method: 'eq', ref: '0.00' } } }])).toEqual({ score: 1 });
    expect(await score('notBold', [rule])).toEqual({ score: 0, detail: "B1's font_bold is false; wanted eq true" });
  });
});

describe('what tasks check says of these rules', () => {
  it('counts them supported, and names a property or method it does not read', () => {
    const rules = [
      { type: 'style', props: ['font_bold', 'border'] }, { type: 'row_props', props: ['hidden'] }, { type: 'sheet_fuzzy', rules: [{ range: ['A1'], type: 'soundex' }] },
      { type: 'data_validation', dv_props: [{ type: { method: 'eq', ref: 'list' }, colour: { method: 'eq', ref: 1 } }] }, { type: 'check_cell', props: { font_color: {}, comment: {} } }, { type: 'chart' },
    ];
    expect(unsupportedTableRules('compare_table', { rules })).toEqual([
      'compare_table style property "border"', 'compare_table sheet_fuzzy match "soundex"', 'compare_table data_validation attribute "colour"', 'compare_table check_cell property "comment"', 'compare_table rule "chart"',
    ]);
  });
});

describe('OSWorld rule matching (_match_value_to_rule)', () => {
  it('compares typed values as Python does', () => {
    expect(pyMatch(12, { method: 'range.te', ref: [10, 12] })).toBe(true);
    expect(pyMatch(10, { method: 'range.te', ref: [10, 12] })).toBe(false);
    expect(pyMatch('list', { method: 'eq', ref: 'list' })).toBe(true);
    expect(pyMatch('"a,b"', { method: 'str_list_eq', ref: ['a', 'b'] })).toBe(true);
    expect(pyMatch(['A2:A4'], { method: 'spreadsheet_range', ref: ['A2:A3', 'A1:A100'] })).toBe(true);
    expect(pyMatch(['A2:B4'], { method: 'spreadsheet_range', ref: ['A2:A3', 'A1:A100'] })).toBe(false);
    expect(pyMatch('abc', { method: 'gt', ref: 1 })).toBe(false);
  });
});
