// CSV rows for replays over data: quoting, CRLF, a byte-order mark, ragged rows, and the round trip.
import { describe, expect, it } from 'vitest';
import { parseCsv, rowParams, toCsv } from './rows.ts';

describe('CSV rows', () => {
  it('reads quoted fields, doubled quotes, newlines inside quotes, CRLF and a BOM', () => {
    const t = parseCsv('\uFEFFname,note\r\nada,"hello, ""world"""\r\nbob,"two\nlines"\r\n\r\n');
    expect(t.header).toEqual(['name', 'note']);
    expect(t.rows).toEqual([{ name: 'ada', note: 'hello, "world"' }, { name: 'bob', note: 'two\nlines' }]);
  });

  it('names the line of a ragged row or an open quote', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'rows.csv')).toThrow('rows.csv: line 3 has 1 fields, the header 2');
    expect(() => parseCsv('a\n"open\n')).toThrow(/line 2: a quoted field is never closed/);
    expect(() => parseCsv('')).toThrow(/empty/);
  });

  it('writes what it reads back', () => {
    const text = toCsv(['row', 'reason'], [['1', 'a "quoted", reason'], ['2', '']]);
    expect(parseCsv(text).rows).toEqual([{ row: '1', reason: 'a "quoted", reason' }, { row: '2', reason: '' }]);
    expect(rowParams({ name: 'x', extra: 'y' }, ['name', 'missing'])).toEqual({ name: 'x' });
  });
});
