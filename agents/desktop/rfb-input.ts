// The client half of an RFB (VNC) stream, cut into messages: the live view's proxy forwards only the
// ones a viewer may send (input only while taking over) and records the operator's pointer and keys.
// RFC 6143 plus the extensions noVNC speaks (fences, continuous updates, desktop size, QEMU keys, xvp).

export type RfbClientMessage =
  | { kind: 'handshake'; bytes: Buffer }
  | { kind: 'pointer'; buttons: number; x: number; y: number; bytes: Buffer }
  | { kind: 'key'; down: boolean; keysym: number; bytes: Buffer }
  | { kind: 'cut_text'; bytes: Buffer }
  | { kind: 'other'; type: number; bytes: Buffer };

/** A message type this parser does not know: its length cannot be found, so the stream must end. */
export class RfbProtocolError extends Error {
  override name = 'RfbProtocolError';
}

type Phase = 'version' | 'security' | 'init' | 'messages';

/** Feeds bytes as they arrive; returns the whole messages they complete. */
export class RfbClientParser {
  private buf: Buffer = Buffer.alloc(0);
  private phase: Phase = 'version';

  push(chunk: Buffer): RfbClientMessage[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: RfbClientMessage[] = [];
    for (;;) {
      const msg = this.next();
      if (!msg) return out;
      out.push(msg);
    }
  }

  private take(n: number): Buffer {
    const bytes = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return bytes;
  }

  private next(): RfbClientMessage | undefined {
    const b = this.buf;
    if (this.phase === 'version') {
      if (b.length < 12) return undefined;
      const version = b.subarray(0, 12).toString('latin1');
      if (!/^RFB \d{3}\.\d{3}\n$/.test(version)) throw new RfbProtocolError(`not an RFB client: it began with ${JSON.stringify(version)}`);
      // Version 3.3 has the server pick the security type: the client sends no choice.
      this.phase = version === 'RFB 003.003\n' ? 'init' : 'security';
      return { kind: 'handshake', bytes: this.take(12) };
    }
    if (this.phase === 'security') {
      if (b.length < 1) return undefined;
      // The proxy's x11vnc offers only "None" (1): anything needing a reply (VNC auth) is not spoken here.
      if (b[0] !== 1) throw new RfbProtocolError(`the viewer chose security type ${b[0]}; only "None" is offered`);
      this.phase = 'init';
      return { kind: 'handshake', bytes: this.take(1) };
    }
    if (this.phase === 'init') {
      if (b.length < 1) return undefined;
      this.phase = 'messages';
      return { kind: 'handshake', bytes: this.take(1) };
    }
    if (b.length < 1) return undefined;
    const type = b[0]!;
    const len = messageLength(type, b);
    if (len === undefined || b.length < len) return undefined;
    const bytes = this.take(len);
    if (type === 5) return { kind: 'pointer', buttons: bytes[1]!, x: bytes.readUInt16BE(2), y: bytes.readUInt16BE(4), bytes };
    if (type === 4) return { kind: 'key', down: bytes[1] !== 0, keysym: bytes.readUInt32BE(4), bytes };
    if (type === 255 && bytes[1] === 0) return { kind: 'key', down: bytes.readUInt16BE(2) !== 0, keysym: bytes.readUInt32BE(4), bytes };
    if (type === 6) return { kind: 'cut_text', bytes };
    return { kind: 'other', type, bytes };
  }
}

/** The byte length of the message starting at b[0], or undefined until enough of it has arrived to tell. */
function messageLength(type: number, b: Buffer): number | undefined {
  switch (type) {
    case 0: // SetPixelFormat
      return 20;
    case 2: // SetEncodings: u16 count of s32
      return b.length < 4 ? undefined : 4 + 4 * b.readUInt16BE(2);
    case 3: // FramebufferUpdateRequest
      return 10;
    case 4: // KeyEvent
      return 8;
    case 5: // PointerEvent
      return 6;
    case 6: // ClientCutText: s32 length, negative for the extended format
      return b.length < 8 ? undefined : 8 + Math.abs(b.readInt32BE(4));
    case 150: // EnableContinuousUpdates
      return 10;
    case 248: // ClientFence: flags, u8 length, payload
      return b.length < 9 ? undefined : 9 + b[8]!;
    case 250: // xvp
      return 4;
    case 251: // SetDesktopSize: u8 screen count of 16 bytes each
      return b.length < 8 ? undefined : 8 + 16 * b[6]!;
    case 255: // QEMU: subtype 0 is the extended key event
      if (b.length < 2) return undefined;
      if (b[1] === 0) return 12;
      throw new RfbProtocolError(`unknown QEMU client message subtype ${b[1]}`);
    default:
      throw new RfbProtocolError(`unknown RFB client message type ${type}`);
  }
}

/** Whether a message drives the sandbox's mouse, keyboard or clipboard (dropped unless taking over). */
export function isInput(msg: RfbClientMessage): boolean {
  return msg.kind === 'pointer' || msg.kind === 'key' || msg.kind === 'cut_text';
}
