// The cap keeps whole characters at both ends and counts exactly what it left out.
import { describe, expect, it } from 'vitest';
import { OutputCap } from './output-cap.ts';

describe('OutputCap', () => {
  it('keeps everything under the cap', () => {
    const cap = new OutputCap(100);
    cap.push('hello ');
    cap.push('world');
    expect(cap.text()).toBe('hello world');
    expect(cap.truncated).toBe(false);
  });

  it('keeps the head and the tail in whole characters, however the chunks fall', () => {
    const text = 'é日🙂a'.repeat(500);
    for (const size of [1, 3, 7, 64, 5000]) {
      const cap = new OutputCap(64);
      // Chunks of whole code points, as a StringDecoder gives them.
      const chars = Array.from(text);
      for (let i = 0; i < chars.length; i += size) cap.push(chars.slice(i, i + size).join(''));
      const m = /^([^]*)\n\[… (\d+) bytes left out …\]\n([^]*)$/.exec(cap.text())!;
      const [, head, left, tail] = m as unknown as [string, string, string, string];
      expect(cap.truncated).toBe(true);
      expect(text.startsWith(head)).toBe(true);
      expect(text.endsWith(tail)).toBe(true);
      expect(head).not.toContain('\uFFFD');
      expect(tail).not.toContain('\uFFFD');
      expect(Buffer.byteLength(head)).toBeLessThanOrEqual(32);
      expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(32);
      expect(Buffer.byteLength(head) + Number(left) + Buffer.byteLength(tail)).toBe(Buffer.byteLength(text));
      expect(cap.bytes).toBe(Buffer.byteLength(text));
    }
  });
});
