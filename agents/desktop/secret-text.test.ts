import { describe, expect, it } from 'vitest';
import { cardNumberSpans, luhnValid, parseTesseractTsv, secretWordRects, type OcrWord } from './secret-text.ts';

/** A line of text as OCR gives it: one word per space-separated token, 8 px a character, a space of 8 px. */
function line(text: string, y = 100, lineKey = '1.1.1'): OcrWord[] {
  const words: OcrWord[] = [];
  let x = 10;
  for (const t of text.split(' ')) {
    if (t) words.push({ text: t, box: { x, y, width: t.length * 8, height: 12 }, line: lineKey });
    x += (t.length + 1) * 8;
  }
  return words;
}

/** The words whose boxes were masked. */
function masked(words: OcrWord[]): string[] {
  const rects = secretWordRects(words);
  return words.filter((w) => rects.some((r) => r.x <= w.box.x && r.x + r.width >= w.box.x + w.box.width && r.y <= w.box.y && r.y + r.height >= w.box.y + w.box.height)).map((w) => w.text);
}

const spanned = (text: string) => cardNumberSpans(text).map(([s, e]) => text.slice(s, e));

describe('Luhn', () => {
  it('accepts test card numbers and refuses a changed digit', () => {
    for (const n of ['4111111111111111', '5500000000000004', '378282246310005', '6011111111111117', '30569309025904', '4000056655665556']) expect(luhnValid(n)).toBe(true);
    for (const n of ['4111111111111112', '1234567890123456', '5500000000000005']) expect(luhnValid(n)).toBe(false);
  });
});

describe('card numbers in a line', () => {
  it('finds one unbroken, or grouped by spaces, dashes or dots', () => {
    expect(spanned('card 4111111111111111 ok')).toEqual(['4111111111111111']);
    expect(spanned('Card: 4111 1111 1111 1111  exp 12/27')).toEqual(['4111 1111 1111 1111']);
    expect(spanned('pay 5500-0000-0000-0004.')).toEqual(['5500-0000-0000-0004']);
    expect(spanned('or 4012.8888.8888.1881 and')).toEqual(['4012.8888.8888.1881']);
    // OCR reads small dots as commas.
    expect(spanned('or 4012,8888,8888,1881 and')).toEqual(['4012,8888,8888,1881']);
    // Amex 4-6-5 and Diners 4-6-4.
    expect(spanned('amex 3782 822463 10005')).toEqual(['3782 822463 10005']);
    expect(spanned('diners 3056 930902 5904')).toEqual(['3056 930902 5904']);
  });

  it('finds the card inside a longer run of numbers', () => {
    expect(spanned('exp 12 4111 1111 1111 1111')).toEqual(['4111 1111 1111 1111']);
  });

  it('leaves ordinary numbers alone', () => {
    for (const text of [
      'Invoice 2024-03-15 for order 12345678, call +1 555 123 4567',
      'Not a card 1234 5678 9012 3456 ordinary words here', // 16 digits, not Luhn-valid
      'id 4111111111111112 changed digit',
      'totals 1,234,567,890,123,452 and 2024.03.15', // thousands separators: not card groups
      'phone +44 7911 123456 or 0049 30 1234567 8',
      'version 4111.1111.1111 too short',
      'serial AB4111111111111111 inside a word',
      'numbers 12 345 6789 1234 5678 in a table',
    ]) expect(spanned(text), text).toEqual([]);
  });
});

describe('secret words on a screenshot', () => {
  it('masks a grouped card number and nothing else on its line', () => {
    expect(masked(line('Card: 4111 1111 1111 1111 exp 12/27'))).toEqual(['4111', '1111', '1111', '1111']);
  });

  it('masks digits OCR read as letters inside a number', () => {
    expect(masked(line('Other card §500-0000-0000-0004 and'))).toEqual(['§500-0000-0000-0004']);
    expect(masked(line('card 4111 l111 1111 1111 Sold'))).toEqual(['4111', 'l111', '1111', '1111']);
  });

  it('masks the key shapes the store redacts', () => {
    expect(masked(line('Key: sk-proj-AbC123xyzDEF456ghiJKL789mno'))).toEqual(['sk-proj-AbC123xyzDEF456ghiJKL789mno']);
    expect(masked(line('Authorization: Bearer abc123def456ghi789jkl'))).toEqual(['abc123def456ghi789jkl']);
    expect(masked(line('aws AKIAIOSFODNN7EXAMPLE done'))).toEqual(['AKIAIOSFODNN7EXAMPLE']);
    // A header or field that holds a key: the value goes, the name stays readable.
    expect(masked(line('x-api-key: q8Zr2LmW0pXv7TbN done'))).toEqual(['q8Zr2LmW0pXv7TbN']);
    expect(masked(line('-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA'))).toEqual(['-----BEGIN', 'RSA', 'PRIVATE', 'KEY-----', 'MIIEowIBAAKCAQEA']);
    expect(masked(line('token ghp_abcdefghijklmnopqrstuvwxyz0123456789 here'))).toEqual(['ghp_abcdefghijklmnopqrstuvwxyz0123456789']);
  });

  it('leaves ordinary words and hyphenated text alone', () => {
    expect(masked(line('sk-learn is a library, the Bearer of bad news, AKIA is a word'))).toEqual([]);
    expect(masked(line('Invoice 2024-03-15 for order 12345678, call +1 555 123 4567'))).toEqual([]);
  });

  it('joins a key OCR split in two (boxes touching) and masks both halves', () => {
    const words: OcrWord[] = [
      { text: 'Key:', box: { x: 643, y: 129, width: 40, height: 11 }, line: 'a' },
      { text: 'sk-proj-AbC123xyzDEF456ghi', box: { x: 689, y: 129, width: 312, height: 14 }, line: 'a' },
      { text: 'JKL789mno', box: { x: 923, y: 119, width: 83, height: 28 }, line: 'a' },
    ];
    expect(masked(words)).toEqual(['sk-proj-AbC123xyzDEF456ghi', 'JKL789mno']);
  });

  it('joins a key OCR split at a dash, wherever it put the boxes', () => {
    const words: OcrWord[] = [
      { text: 'export', box: { x: 678, y: 669, width: 51, height: 13 }, line: 'a' },
      { text: 'OPENAI_API_KEY=sk-proj', box: { x: 741, y: 669, width: 115, height: 14 }, line: 'a' },
      { text: '-AbC123xyzDEF456ghiJKL789mno', box: { x: 886, y: 668, width: 303, height: 14 }, line: 'a' },
    ];
    expect(masked(words)).toEqual(['OPENAI_API_KEY=sk-proj', '-AbC123xyzDEF456ghiJKL789mno']);
    expect(masked(line('run ls -la and sk-learn -v here'))).toEqual([]);
  });

  it('does not join numbers across lines', () => {
    expect(masked([...line('4111 1111', 100, 'a'), ...line('1111 1111', 120, 'b')])).toEqual([]);
  });

  it('pads each box so anti-aliased edges go too', () => {
    const [r] = secretWordRects(line('4111111111111111'));
    expect(r).toEqual({ x: 7, y: 97, width: 16 * 8 + 6, height: 18 });
  });
});

describe('tesseract TSV', () => {
  it('reads word rows with their boxes and line', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '1\t1\t0\t0\t0\t0\t0\t0\t1280\t800\t-1\t',
      '4\t1\t13\t2\t1\t0\t14\t344\t400\t14\t-1\t',
      '5\t1\t13\t2\t1\t1\t14\t344\t44\t12\t92.0\tCard:',
      '5\t1\t13\t2\t1\t2\t68\t344\t36\t12\t89.1\t4111',
      '5\t1\t13\t2\t1\t3\t114\t344\t36\t12\t93.5\t ',
      '5\t1\t13\t3\t1\t1\t14\t363\t48\t12\t96.4\tOther',
      '',
    ].join('\n');
    expect(parseTesseractTsv(tsv)).toEqual([
      { text: 'Card:', box: { x: 14, y: 344, width: 44, height: 12 }, line: '1.13.2.1' },
      { text: '4111', box: { x: 68, y: 344, width: 36, height: 12 }, line: '1.13.2.1' },
      { text: 'Other', box: { x: 14, y: 363, width: 48, height: 12 }, line: '1.13.3.1' },
    ]);
  });
});
