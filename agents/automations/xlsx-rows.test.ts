// Rows from an .xlsx for replays over data: a workbook LibreOffice made from a CSV (shared strings,
// numbers, dates, a date-time, a time, booleans, a blank row), inline strings, and files that are no
// workbook (a clear error each).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixture, zip } from '../tasks/ooxml-fixtures.ts';
import { readRows } from './rows.ts';

const dir = mkdtempSync(join(tmpdir(), 'deskpilot-xlsx-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  writeFileSync(join(dir, 'book.csv'), 'name,amount,when,at,note,flag\nada,10,2026-01-31,2026-02-01 13:45,"hello, world",TRUE\nbob,0.1,1999-12-31,08:30,,FALSE\n\n"Zoë ü",1234567.25,,,x,\n');
  // UTF-8, from line 1, special numbers detected: dates, times and booleans become typed cells.
  await promisify(execFile)('soffice', [
    `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--norestore', '--nologo',
    '--infilter=CSV:44,34,76,1,,0,false,true', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', join(dir, 'out'), join(dir, 'book.csv'),
  ], { timeout: 150_000 });
}, 180_000);

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal workbook whose one sheet holds `sheetData` (no shared strings, no styles). */
function workbook(sheetData: string): Buffer {
  return zip({
    '[Content_Types].xml': `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
    '_rels/.rels': `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `${HEAD}<worksheet xmlns="${MAIN}"><sheetData>${sheetData}</sheetData></worksheet>`,
  });
}

describe('rows from an .xlsx', () => {
  it("reads a LibreOffice workbook's first sheet as CSV would read it, dates as dates", async () => {
    const table = await readRows(join(dir, 'out', 'book.xlsx'));
    expect(table.header).toEqual(['name', 'amount', 'when', 'at', 'note', 'flag']);
    expect(table.rows).toEqual([
      { name: 'ada', amount: '10', when: '2026-01-31', at: '2026-02-01 13:45', note: 'hello, world', flag: 'TRUE' },
      { name: 'bob', amount: '0.1', when: '1999-12-31', at: '08:30', note: '', flag: 'FALSE' },
      { name: 'Zoë ü', amount: '1234567.25', when: '', at: '', note: 'x', flag: '' },
    ]);
  });

  it('reads inline strings, starts at the first non-empty row, and leaves out columns without a name', async () => {
    const path = writeFixture(join(dir, 'inline.xlsx'), workbook(
      '<row r="2"><c r="B2" t="inlineStr"><is><t>name</t></is></c><c r="C2" t="inlineStr"><is><t>amount</t></is></c></row>' +
      '<row r="3"><c r="A3" t="inlineStr"><is><t>no header</t></is></c><c r="B3" t="inlineStr"><is><t xml:space="preserve"> ada &amp; co </t></is></c><c r="C3"><v>0.30000000000000004</v></c></row>' +
      '<row r="4"><c r="C4" t="str"><f>1+1</f><v>2 apples</v></c></row>',
    ));
    const table = await readRows(path);
    expect(table.header).toEqual(['name', 'amount']);
    expect(table.rows).toEqual([{ name: ' ada & co ', amount: '0.3' }, { name: '', amount: '2 apples' }]);
  });

  it('says what is wrong with a file that is no workbook, or an empty one', async () => {
    const text = join(dir, 'text.xlsx');
    writeFileSync(text, 'name,amount\nada,1\n');
    await expect(readRows(text, 'text.xlsx')).rejects.toThrow(/^text\.xlsx: cannot read it as an Excel workbook \(\.xlsx\): text\.xlsx is not a zip file/);
    const notBook = writeFixture(join(dir, 'other.xlsx'), zip({ 'word/document.xml': '<w:document/>' }));
    await expect(readRows(notBook, 'other.xlsx')).rejects.toThrow(/^other\.xlsx: cannot read it as an Excel workbook \(\.xlsx\): other\.xlsx has no xl\/workbook\.xml/);
    const empty = writeFixture(join(dir, 'empty.xlsx'), workbook(''));
    await expect(readRows(empty, 'empty.xlsx')).rejects.toThrow('empty.xlsx: the first sheet ("Data") is empty; its first row names the columns');
    await expect(readRows(join(dir, 'old.xls'), 'old.xls')).rejects.toThrow('old.xls: .xls files are not read here; save the sheet as Excel (.xlsx) or CSV and give that');
  });
});
