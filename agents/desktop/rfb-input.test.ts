import { describe, expect, it } from 'vitest';
import type { DesktopAction } from './actions.ts';
import { OperatorInput } from './operator-input.ts';
import { isInput, RfbClientParser, RfbProtocolError, type RfbClientMessage } from './rfb-input.ts';

const pointer = (buttons: number, x: number, y: number) => {
  const b = Buffer.alloc(6);
  b.writeUInt8(5, 0);
  b.writeUInt8(buttons, 1);
  b.writeUInt16BE(x, 2);
  b.writeUInt16BE(y, 4);
  return b;
};
const key = (down: boolean, keysym: number) => {
  const b = Buffer.alloc(8);
  b.writeUInt8(4, 0);
  b.writeUInt8(down ? 1 : 0, 1);
  b.writeUInt32BE(keysym, 4);
  return b;
};
const handshake = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 1])]);
const setEncodings = Buffer.from([2, 0, 0, 2, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x21]);
const fbur = Buffer.from([3, 1, 0, 0, 0, 0, 5, 0, 3, 32]);
const fence = Buffer.from([248, 0, 0, 0, 0, 0, 0, 3, 2, 9, 9]);

describe('RfbClientParser', () => {
  it('cuts a stream into messages wherever the chunks split', () => {
    const stream = Buffer.concat([handshake, setEncodings, fbur, pointer(1, 300, 200), key(true, 0x61), fence]);
    for (const size of [1, 3, 7, stream.length]) {
      const p = new RfbClientParser();
      const out: RfbClientMessage[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...p.push(stream.subarray(i, i + size)));
      expect(out.map((m) => m.kind)).toEqual(['handshake', 'handshake', 'handshake', 'other', 'other', 'pointer', 'key', 'other']);
      expect(Buffer.concat(out.map((m) => m.bytes)).equals(stream)).toBe(true);
      expect(out[5]).toMatchObject({ buttons: 1, x: 300, y: 200 });
      expect(out[6]).toMatchObject({ down: true, keysym: 0x61 });
      expect(out.map(isInput)).toEqual([false, false, false, false, false, true, true, false]);
    }
  });

  it('refuses what it cannot measure, and security needing a reply', () => {
    expect(() => new RfbClientParser().push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(RfbProtocolError);
    expect(() => new RfbClientParser().push(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([2])]))).toThrow(/security type 2/);
    expect(() => new RfbClientParser().push(Buffer.concat([handshake, Buffer.from([77, 0, 0])]))).toThrow(/type 77/);
  });

  it('reads QEMU extended key events and cut text', () => {
    const qemu = Buffer.alloc(12);
    qemu.writeUInt8(255, 0);
    qemu.writeUInt16BE(1, 2);
    qemu.writeUInt32BE(0x41, 4);
    const cut = Buffer.concat([Buffer.from([6, 0, 0, 0, 0, 0, 0, 2]), Buffer.from('hi')]);
    const out = new RfbClientParser().push(Buffer.concat([handshake, qemu, cut]));
    expect(out.slice(3)).toMatchObject([{ kind: 'key', down: true, keysym: 0x41 }, { kind: 'cut_text' }]);
  });
});

describe('OperatorInput', () => {
  const record = (messages: Buffer[], times?: number[]) => {
    const actions: DesktopAction[] = [];
    const input = new OperatorInput((a) => actions.push(a));
    const p = new RfbClientParser();
    p.push(handshake);
    messages.forEach((m, i) => {
      for (const msg of p.push(m)) input.feed(msg, times?.[i] ?? i * 1000);
    });
    input.flush();
    return actions;
  };

  it('turns presses and releases into clicks, double clicks and drags', () => {
    expect(record([pointer(0, 10, 10), pointer(1, 100, 50), pointer(0, 100, 50)])).toEqual([{ type: 'click', x: 100, y: 50, button: 'left' }]);
    expect(record([pointer(1, 100, 50), pointer(0, 100, 50), pointer(1, 101, 50), pointer(0, 101, 50)], [0, 50, 150, 200])).toEqual([{ type: 'double_click', x: 100, y: 50 }]);
    expect(record([pointer(4, 30, 40), pointer(0, 30, 40)])).toEqual([{ type: 'click', x: 30, y: 40, button: 'right' }]);
    expect(record([pointer(1, 10, 10), pointer(1, 200, 90), pointer(0, 200, 90)])).toEqual([{ type: 'drag', path: [{ x: 10, y: 10 }, { x: 200, y: 90 }], button: 'left' }]);
    expect(record([pointer(16, 5, 5), pointer(0, 5, 5), pointer(16, 5, 5), pointer(0, 5, 5)])).toEqual([{ type: 'scroll', x: 5, y: 5, direction: 'down', amount: 2 }]);
  });

  it('turns keys into typed text and shortcuts in the key vocabulary', () => {
    const typed = 'echo Hi!'.split('').flatMap((c) => [key(true, c.charCodeAt(0)), key(false, c.charCodeAt(0))]);
    const actions = record([
      pointer(1, 5, 6), pointer(0, 5, 6),
      ...typed, key(true, 0x78), key(true, 0xff08), key(true, 0xff0d),
      key(true, 0xffe3), key(true, 0x63), key(false, 0x63), key(false, 0xffe3),
      key(true, 0xff1b),
    ]);
    expect(actions).toEqual([
      { type: 'click', x: 5, y: 6, button: 'left' },
      { type: 'type', text: 'echo Hi!\n' },
      { type: 'keypress', keys: ['LeftControl', 'C'] },
      { type: 'keypress', keys: 'Escape' },
    ]);
  });
});
