// ANSI colours and other control sequences never reach the screen as raw escapes.
import { describe, expect, it } from 'vitest';
import { terminalText } from './terminal-text.ts';

describe('terminalText', () => {
  it.each([
    ['colours', '\x1b[1;31merror\x1b[0m: \x1b[32mok\x1b[m', 'error: ok'],
    ['256 and true colour', '\x1b[38;5;208mA\x1b[48;2;10;20;30mB\x1b[0m', 'AB'],
    ['cursor moves and erase', 'a\x1b[2K\x1b[1Gb\x1b[?25l', 'ab'],
    ['window title (OSC, BEL and ST)', '\x1b]0;title\x07x\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\', 'xlink'],
    ['CRLF and lone CR', 'one\r\ntwo\rthree', 'one\ntwo\nthree'],
    ['bell, backspace, NUL and C1', 'a\x07b\x08c\x00d\x9b31me', 'abcde'],
    ['tabs and newlines kept', 'a\tb\nc', 'a\tb\nc'],
    ['HTML stays text', '<b>&amp;</b>', '<b>&amp;</b>'],
    ['a charset switch', '\x1b(Bplain', 'plain'],
  ])('%s', (_name, input, output) => {
    expect(terminalText(input)).toBe(output);
  });
});
