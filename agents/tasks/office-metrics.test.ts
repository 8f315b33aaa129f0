// The document, image, Chrome and JSON metrics on files we make: each has a case that must score 1
// and one that must score 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { METRICS, type MetricContext } from './metrics.ts';
import { docx, pptx, writeFixture, xlsx, zip } from './ooxml-fixtures.ts';
import { unzip, ZipFormatError } from './zip-reader.ts';
import { docxParagraphs, xlsxSheetViews } from './office-xml.ts';
import { tableViewRule } from './table-view-rules.ts';

const dir = mkdtempSync(join(tmpdir(), 'deskpilot-office-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx: MetricContext = { run: { status: 'done' } };
const m = (name: string) => METRICS[name]!;
const f = (name: string, data: Buffer) => writeFixture(join(dir, name), data);

describe('the zip and OOXML readers', () => {
  it('read stored and deflated entries', () => {
    for (const deflate of [true, false]) expect(unzip(zip({ 'a.txt': 'hello', 'b/c.xml': '<x/>' }, deflate)).get('b/c.xml')!.toString()).toBe('<x/>');
    expect(() => unzip(Buffer.from('not a zip'))).toThrow(/not a zip file/);
  });

  it('read a workbook LibreOffice wrote, and refuse a truncated one in words', async () => {
    const book = await readFile(join(import.meta.dirname, '..', '..', 'e2e', 'tasks', 'files', 'prices.xlsx'));
    const entries = unzip(book, 'prices.xlsx');
    expect(entries.get('xl/workbook.xml')!.toString()).toContain('<sheet ');
    expect([...entries.keys()].some((k) => k.endsWith('/'))).toBe(false);
    expect(() => unzip(book.subarray(0, book.length - 30), 'cut.xlsx')).toThrow(ZipFormatError);
  });

  it('read body paragraphs (not table cells) with entities decoded', async () => {
    expect(await docxParagraphs(f('p.docx', docx(['Tom & Jerry', '<b>'], 'in a table')))).toEqual(['Tom & Jerry', '<b>']);
  });
});

describe('compare_docx_files', () => {
  const a = f('a.docx', docx(['Hello world', 'Second  paragraph']));
  const same = f('same.docx', docx(['Hello world', 'Second paragraph']));
  const other = f('other.docx', docx(['Hello world', 'Another paragraph']));

  it('scores 1 for the same text (blanks ignored by default) and 0 for other text', async () => {
    expect((await m('compare_docx_files')(a, same, {}, ctx)).score).toBe(1);
    const bad = await m('compare_docx_files')(a, other, {}, ctx);
    expect(bad.score).toBe(0);
    expect(bad.detail).toContain('the text differs at character 12');
  });

  it('compares paragraph by paragraph without ignore_blanks, and gives a similarity with content_only', async () => {
    expect((await m('compare_docx_files')(a, same, { ignore_blanks: false }, ctx)).score).toBe(0);
    const sim = await m('compare_docx_files')(a, other, { content_only: true }, ctx);
    expect(sim.score).toBeGreaterThan(0.5);
    expect(sim.score).toBeLessThan(1);
  });
});

describe('compare_pptx_files', () => {
  const deck = [[{ text: 'Title', bold: true, size: 4400 }, { text: 'Body', align: 'ctr' }], [{ text: 'Second slide' }]];
  const a = f('a.pptx', pptx(deck));
  it('scores 1 for the same slides, shapes, text and formatting', async () => {
    expect((await m('compare_pptx_files')(a, f('b.pptx', pptx(deck)), {}, ctx)).score).toBe(1);
  });
  it('scores 0 for a run not bold, a shape moved, a slide missing, other text', async () => {
    const cases: [unknown, RegExp][] = [
      [[[{ text: 'Title', size: 4400 }, deck[0]![1]], deck[1]], /bold \(default\) vs expected 1/],
      [[[deck[0]![0], { ...deck[0]![1], x: 1 }], deck[1]], /position or size/],
      [[deck[0]], /1 slides, expected 2/],
      [[deck[0], [{ text: 'Other slide' }]], /text "Other slide" vs expected "Second slide"/],
    ];
    for (const [i, [slides, why]] of cases.entries()) {
      const out = await m('compare_pptx_files')(f(`bad${i}.pptx`, pptx(slides as never)), a, {}, ctx);
      expect(out.score, String(i)).toBe(0);
      expect(out.detail).toMatch(why);
    }
  });
  it('turns a check off with its examine_* option', async () => {
    const notBold = f('nb.pptx', pptx([[{ text: 'Title', size: 4400 }, deck[0]![1]!], deck[1]!]));
    expect((await m('compare_pptx_files')(notBold, a, { examine_font_bold: false }, ctx)).score).toBe(1);
  });
});

describe('compare_images and compare_image_list', () => {
  const img = (name: string, color: { r: number; g: number; b: number }, dot = false) =>
    sharp({ create: { width: 20, height: 10, channels: 3, background: color } })
      .composite(dot ? [{ input: { create: { width: 1, height: 1, channels: 3, background: { r: 0, g: 0, b: 0 } } }, left: 5, top: 3 }] : [])
      .png().toFile(join(dir, name)).then(() => join(dir, name));
  it('scores 1 for the same pixels (another encoding too) and 0 for one pixel off', async () => {
    const a = await img('a.png', { r: 200, g: 10, b: 10 });
    const b = await img('b.png', { r: 200, g: 10, b: 10 });
    const c = await img('c.png', { r: 200, g: 10, b: 10 }, true);
    expect((await m('compare_images')(a, b, {}, ctx)).score).toBe(1);
    const bad = await m('compare_images')(a, c, {}, ctx);
    expect(bad).toEqual({ score: 0, detail: 'the images differ: pixel (5, 3) differs' });
    expect((await m('compare_image_list')([a, b], [b, a], {}, ctx)).score).toBe(1);
    expect((await m('compare_image_list')([a, c], [b, b], {}, ctx)).score).toBe(0);
  });
});

describe('compare_table sheet_name, freeze and zoom (xlsx sheet XML)', () => {
  it('reads frozen panes and zoom', async () => {
    expect(await xlsxSheetViews(f('v.xlsx', xlsx([{ name: 'Data', freeze: 'B2', zoom: 150 }, { name: 'Two' }])))).toEqual([{ name: 'Data', freeze: 'B2', zoom: 150 }, { name: 'Two', zoom: 100 }]);
  });

  it('scores a real workbook: its sheet names, zoom and (no) frozen panes', async () => {
    const book = join(import.meta.dirname, '..', '..', 'e2e', 'tasks', 'files', 'prices.xlsx');
    const [name] = (await xlsxSheetViews(book)).map((v) => v.name);
    const rules = (r: Record<string, unknown>[]) => ({ rules: r });
    expect((await m('compare_table')(book, book, rules([{ type: 'sheet_name' }, { type: 'zoom', sheet_idx: 0, method: 'eq', ref: 100 }, { type: 'freeze', sheet_idx0: 'RI0', sheet_idx1: 'EI0' }]), ctx)).score).toBe(1);
    expect(await m('compare_table')(book, book, rules([{ type: 'zoom', sheet_idx: `RN${name}`, method: 'ge', ref: 150 }]), ctx)).toEqual({ score: 0, detail: 'zoom 100%, wanted ge 150' });
    const frozen = f('frozen.xlsx', xlsx([{ name: name!, freeze: 'A2' }]));
    // Our minimal xlsx has no cells LibreOffice would load: the rule itself, on the sheet XML.
    expect(await tableViewRule('freeze', { sheet_idx0: 'RI0', sheet_idx1: 'EI0' }, book, frozen, [], [])).toBe('frozen panes at (none), expected A2');
    expect(await tableViewRule('freeze', { sheet_idx0: 'RI0', sheet_idx1: 'EI0' }, frozen, frozen, [], [])).toBeUndefined();
  }, 60_000);
});

describe('Chrome and JSON metrics', () => {
  const tab = { title: 'Example', url: 'https://example.com/', content: '<html></html>' };
  it('is_expected_active_tab', async () => {
    expect((await m('is_expected_active_tab')(tab, { type: 'url', url: 'https://example.com' }, {}, ctx)).score).toBe(1);
    expect((await m('is_expected_active_tab')(tab, { type: 'url', url: 'https://example.org' }, {}, ctx)).score).toBe(0);
  });
  it('is_expected_tabs', async () => {
    expect((await m('is_expected_tabs')([tab, { url: 'https://b.test/x' }], { type: 'url', urls: ['https://example.com/', 'https://b.test/x'] }, {}, ctx)).score).toBe(1);
    expect((await m('is_expected_tabs')([tab], { type: 'url', urls: ['https://example.com/', 'https://b.test/x'] }, {}, ctx)).score).toBe(0);
  });
  it('is_expected_url_pattern_match', async () => {
    expect((await m('is_expected_url_pattern_match')(tab, { expected: ['example\\.com', '^https://'] }, {}, ctx)).score).toBe(1);
    expect((await m('is_expected_url_pattern_match')(tab, { expected: ['example\\.org'] }, {}, ctx)).score).toBe(0);
  });
  it('check_direct_json_object', async () => {
    expect((await m('check_direct_json_object')('{"a": 1, "b": "x"}', { expected: { a: 1 } }, {}, ctx)).score).toBe(1);
    expect((await m('check_direct_json_object')({ a: 2 }, { expected: { a: 1 } }, {}, ctx)).score).toBe(0);
    expect((await m('check_direct_json_object')({ a: 'hello world' }, { expected: { a: 'world' }, expect_in_result: true }, {}, ctx)).score).toBe(1);
  });
});
