// compare_line_spacing, compare_subscript_contains and check_tabstops on small docx files built here:
// each scores 1 when the formatting matches and 0 when it does not, reading only direct formatting
// as python-docx does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { METRICS, type MetricContext } from './metrics.ts';
import { parseTask } from './task-schema.ts';
import { unsupportedParts } from './task-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'deskpilot-docx-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx: MetricContext = { run: { status: 'done' } };
const m = (name: string) => METRICS[name]!;

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
// Letter paper with 1-inch margins: a text width of 9360 twips.
const SECT = '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>';

let n = 0;
/** A docx of these body paragraphs (XML), with styles.xml when given. */
function docx(paragraphs: string[], styles?: string): string {
  const parts: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(TYPES),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${paragraphs.join('')}${SECT}</w:body></w:document>`),
  };
  if (styles) parts['word/styles.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}>${styles}</w:styles>`);
  const path = join(dir, `d${n++}.docx`);
  writeFileSync(path, zipSync(parts));
  return path;
}

/** A paragraph of runs: each run is text, or [text, its w:rPr content]. */
const para = (pPr: string, ...runs: (string | [string, string])[]) =>
  `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${runs.map((r) => (typeof r === 'string' ? [r, ''] : r)).map(([t, rPr]) => `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${t}</w:t></w:r>`).join('')}</w:p>`;
const spaced = (text: string, spacing: string) => para(`<w:spacing ${spacing}/>`, text);

describe('compare_line_spacing', () => {
  const metric = m('compare_line_spacing');
  const expected = docx([spaced('Title', 'w:line="360"'), para('', 'Body text')]);

  it('scores 1 for the same spacing, with or without an explicit auto rule, ignoring character spacing', async () => {
    // LibreOffice writes before/after and lineRule="auto"; a w:spacing inside the paragraph mark's w:rPr is letter spacing.
    const result = docx([spaced('Title', 'w:before="0" w:after="140" w:line="360" w:lineRule="auto"'), para('<w:rPr><w:spacing w:val="40"/></w:rPr>', ['Body text', '<w:spacing w:val="20"/>'])]);
    expect(await metric(result, expected, {}, ctx)).toEqual({ score: 1 });
  });

  it('scores 0 for another spacing, or exact points against lines, naming the paragraph', async () => {
    expect(await metric(docx([spaced('Title', 'w:line="480" w:lineRule="auto"'), para('', 'Body text')]), expected, {}, ctx)).toEqual({ score: 0, detail: 'paragraph 1: line spacing 2 lines, expected 1.5 lines' });
    const exact = await metric(docx([spaced('Title', 'w:line="360" w:lineRule="exact"'), para('', 'Body text')]), expected, {}, ctx);
    expect(exact).toEqual({ score: 0, detail: 'paragraph 1: line spacing exact 18 pt, expected 1.5 lines' });
  });

  it('reads only direct formatting: spacing from the paragraph style counts as not set (python-docx)', async () => {
    const styles = '<w:style w:type="paragraph" w:styleId="Spaced"><w:name w:val="Spaced"/><w:pPr><w:spacing w:line="360" w:lineRule="auto"/></w:pPr></w:style>';
    const result = docx([para('<w:pStyle w:val="Spaced"/>', 'Title'), para('', 'Body text')], styles);
    expect(await metric(result, expected, {}, ctx)).toEqual({ score: 0, detail: 'paragraph 1: line spacing not set, expected 1.5 lines' });
    // A tracked change's former spacing (w:pPrChange) is not the paragraph's either.
    const tracked = docx([para('<w:pPrChange w:id="1" w:author="A"><w:pPr><w:spacing w:line="360"/></w:pPr></w:pPrChange>', 'Title'), para('', 'Body text')]);
    expect(await metric(tracked, expected, {}, ctx)).toEqual({ score: 0, detail: 'paragraph 1: line spacing not set, expected 1.5 lines' });
  });

  it('scores 0 for other text, other paragraph counts, and a missing or absent file', async () => {
    expect((await metric(docx([spaced('Title', 'w:line="360"'), para('', 'Other text')]), expected, {}, ctx)).score).toBe(0);
    // Same words split differently: the text check passes, the paragraph count does not.
    const split = await metric(docx([spaced('Title', 'w:line="360"'), para('', 'Body'), para('', 'text')]), expected, {}, ctx);
    expect(split).toEqual({ score: 0, detail: '3 paragraphs, expected 2' });
    expect(await metric(join(dir, 'nothing.docx'), expected, {}, ctx)).toMatchObject({ score: 0, detail: expect.stringMatching(/could not be read.*ENOENT/) });
    expect(await metric(null, expected, {}, ctx)).toEqual({ score: 0, detail: 'there is no result file' });
  });
});

describe('compare_subscript_contains', () => {
  const metric = m('compare_subscript_contains');
  const water = (sub: string) => docx([para('', 'Water is H', ['2', sub], 'O.')]);
  const expected = water('<w:vertAlign w:val="subscript"/>');

  it('scores 1 when a run is subscript in both at the same place, whatever follows', async () => {
    expect(await metric(water('<w:sz w:val="20"/><w:vertAlign w:val="subscript"/>'), expected, {}, ctx)).toEqual({ score: 1 });
    // Paragraphs are paired as by zip: an extra paragraph in the result does not matter.
    const longer = docx([para('', 'Water is H', ['2', '<w:vertAlign w:val="subscript"/>'], 'O.'), para('', 'More.')]);
    expect(await metric(longer, expected, {}, ctx)).toEqual({ score: 1 });
  });

  it('scores 0 for superscript, plain text, a subscript elsewhere, or a missing file', async () => {
    expect(await metric(water('<w:vertAlign w:val="superscript"/>'), expected, {}, ctx)).toEqual({ score: 0, detail: 'no run is subscript in both documents at the same place' });
    expect((await metric(water(''), expected, {}, ctx)).score).toBe(0);
    // A paragraph mark's subscript (w:rPr in w:pPr) is not a run's.
    expect((await metric(docx([para('<w:rPr><w:vertAlign w:val="subscript"/></w:rPr>', 'Water is H', '2', 'O.')]), expected, {}, ctx)).score).toBe(0);
    expect((await metric(docx([para('', ['Water is H', '<w:vertAlign w:val="subscript"/>'], '2', 'O.')]), expected, {}, ctx)).score).toBe(0);
    // python-docx's paragraph.runs are the paragraph's own w:r: a run inside a hyperlink is not one.
    const linked = docx([para('', 'Water is H').replace('</w:p>', '<w:hyperlink w:anchor="x"><w:r><w:rPr><w:vertAlign w:val="subscript"/></w:rPr><w:t>2</w:t></w:r></w:hyperlink><w:r><w:t>O.</w:t></w:r></w:p>')]);
    expect((await metric(linked, expected, {}, ctx)).score).toBe(0);
    expect((await metric(join(dir, 'nothing.docx'), expected, {}, ctx)).score).toBe(0);
  });
});

describe('check_tabstops', () => {
  const metric = m('check_tabstops');
  const tabbed = (text: string, tabs: string) => para(`<w:tabs>${tabs}</w:tabs>`, text);
  const right = '<w:tab w:val="right" w:pos="9360"/>';
  const expected = docx([tabbed('Name\tAda', right), tabbed('City\tLondon', right)]);

  it('scores 1 for the same stops, ignoring cleared stops, a left stop at 0 and empty paragraphs', async () => {
    const result = docx([tabbed('Name\tAda', `<w:tab w:val="clear" w:pos="720"/><w:tab w:val="left" w:pos="0"/>${right}`), para(''), tabbed('City\tLondon', right)]);
    expect(await metric(result, expected, {}, ctx)).toEqual({ score: 1 });
  });

  it('scores 0 for another alignment or count, and part marks for a stop in the wrong place', async () => {
    const left = docx([tabbed('Name\tAda', '<w:tab w:val="left" w:pos="9360"/>'), tabbed('City\tLondon', right)]);
    expect(await metric(left, expected, {}, ctx)).toEqual({ score: 0, detail: 'paragraph 1: tab stop 1 is left, expected right' });
    expect((await metric(docx([para('', 'Name\tAda'), tabbed('City\tLondon', right)]), expected, {}, ctx)).score).toBe(0);
    // Half the text width off in one of two paragraphs: 1 - 0.5 / 2.
    const moved = await metric(docx([tabbed('Name\tAda', '<w:tab w:val="right" w:pos="4680"/>'), tabbed('City\tLondon', right)]), expected, {}, ctx);
    expect(moved.score).toBeCloseTo(0.75, 9);
  });

  it('scores 0 for other paragraph counts and a missing file', async () => {
    expect(await metric(docx([tabbed('Name\tAda', right)]), expected, {}, ctx)).toEqual({ score: 0, detail: '1 paragraphs with text, expected 2' });
    expect((await metric(expected, join(dir, 'nothing.docx'), {}, ctx)).score).toBe(0);
  });

  it('checks the word count before the tab stop when asked', async () => {
    const options = { word_number_split_by_tabstop: 1, index: 0 };
    expect(await metric(expected, expected, options, ctx)).toEqual({ score: 1 });
    const two = docx([tabbed('First name\tAda', right), tabbed('City\tLondon', right)]);
    expect(await metric(two, expected, options, ctx)).toEqual({ score: 0, detail: 'paragraph 1: 2 words before tab stop 0, expected 1' });
  });
});

it('tasks check counts a Writer task using these metrics as supported', () => {
  for (const func of ['compare_line_spacing', 'compare_subscript_contains', 'check_tabstops']) {
    const task = parseTask({ id: func, instruction: 'x', config: [], evaluator: { func, result: { type: 'vm_file', path: '/home/user/a.docx', dest: 'a.docx' }, expected: { type: 'vm_file', path: '/home/user/b.docx', dest: 'b.docx' } } });
    expect(unsupportedParts(task)).toEqual([]);
  }
});
