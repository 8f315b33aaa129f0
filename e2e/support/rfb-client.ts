// A small RFB (VNC) client over a WebSocket, for the live view's tests and benchmark: the handshake,
// framebuffer update requests, raw rectangles into a local framebuffer, pointer and key events.
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';

/** What the client needs of its carrier: a WebSocket through serve, or x11vnc's socket directly (the benchmark). */
interface Carrier {
  send(bytes: Buffer): void;
  onData(cb: (b: Buffer) => void): void;
  onClose(cb: (why: string) => void): void;
  close(): void;
}

export interface Rect { x: number; y: number; w: number; h: number }

export class RfbTestClient {
  width = 0;
  height = 0;
  /** 32 bits per pixel, as the server's native format on a 24-bit display. */
  fb = new Uint8Array(0);
  private buf: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private closed: Error | undefined;

  private constructor(private readonly carrier: Carrier) {
    carrier.onData((data) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
      this.waiter?.();
    });
    carrier.onClose((why) => {
      this.closed = new Error(`the live view closed (${why})`);
      this.waiter?.();
    });
  }

  /** Straight over x11vnc's socket, without the server in between. */
  static overSocket(socket: Socket): Promise<RfbTestClient> {
    return RfbTestClient.handshake(new RfbTestClient({
      send: (b) => socket.write(b),
      onData: (cb) => socket.on('data', cb),
      onClose: (cb) => socket.on('close', () => cb('socket closed')),
      close: () => socket.destroy(),
    }));
  }

  /** Opens the socket and completes the handshake (version 3.8, security None, shared). */
  static async connect(url: string, headers: Record<string, string>): Promise<RfbTestClient> {
    const ws = new WebSocket(url, { headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new HttpRefusal(res.statusCode ?? 0)));
      ws.once('error', reject);
    });
    return RfbTestClient.handshake(new RfbTestClient({
      send: (b) => ws.send(b),
      onData: (cb) => ws.on('message', (d: Buffer) => cb(d)),
      onClose: (cb) => ws.on('close', (code, reason) => cb(`${code} ${reason.toString()}`)),
      close: () => ws.close(),
    }));
  }

  private static async handshake(c: RfbTestClient): Promise<RfbTestClient> {
    const version = (await c.read(12)).toString('latin1');
    if (!version.startsWith('RFB ')) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
    c.send(Buffer.from('RFB 003.008\n'));
    const n = (await c.read(1))[0]!;
    const types = [...(await c.read(n))];
    if (!types.includes(1)) throw new Error(`the server offers no "None" security: ${types.join(',')}`);
    c.send(Buffer.from([1]));
    if ((await c.read(4)).readUInt32BE(0) !== 0) throw new Error('security handshake failed');
    c.send(Buffer.from([1])); // ClientInit: shared
    const init = await c.read(24);
    c.width = init.readUInt16BE(0);
    c.height = init.readUInt16BE(2);
    if (init[4] !== 32) throw new Error(`expected 32 bits per pixel, got ${init[4]}`);
    await c.read(init.readUInt32BE(20)); // desktop name
    c.fb = new Uint8Array(c.width * c.height * 4);
    c.send(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0])); // SetEncodings: raw only
    return c;
  }

  send(bytes: Buffer): void {
    this.carrier.send(bytes);
  }

  requestUpdate(incremental: boolean): void {
    const b = Buffer.alloc(10);
    b.writeUInt8(3, 0);
    b.writeUInt8(incremental ? 1 : 0, 1);
    b.writeUInt16BE(this.width, 6);
    b.writeUInt16BE(this.height, 8);
    this.send(b);
  }

  /** Reads server messages until a framebuffer update has been applied; returns its rectangles. */
  async readUpdate(): Promise<Rect[]> {
    for (;;) {
      const type = (await this.read(1))[0]!;
      if (type === 2) continue; // bell
      if (type === 3) {
        const h = await this.read(7);
        await this.read(h.readUInt32BE(3));
        continue;
      }
      if (type !== 0) throw new Error(`unexpected server message ${type}`);
      const count = (await this.read(3)).readUInt16BE(1);
      const rects: Rect[] = [];
      for (let i = 0; i < count; i++) {
        const h = await this.read(12);
        const r = { x: h.readUInt16BE(0), y: h.readUInt16BE(2), w: h.readUInt16BE(4), h: h.readUInt16BE(6) };
        const encoding = h.readInt32BE(8);
        if (encoding !== 0) throw new Error(`unexpected encoding ${encoding}`);
        const pixels = await this.read(r.w * r.h * 4);
        for (let row = 0; row < r.h; row++) this.fb.set(pixels.subarray(row * r.w * 4, (row + 1) * r.w * 4), ((r.y + row) * this.width + r.x) * 4);
        rects.push(r);
      }
      return rects;
    }
  }

  pointer(buttons: number, x: number, y: number): void {
    const b = Buffer.alloc(6);
    b.writeUInt8(5, 0);
    b.writeUInt8(buttons, 1);
    b.writeUInt16BE(x, 2);
    b.writeUInt16BE(y, 4);
    this.send(b);
  }

  key(down: boolean, keysym: number): void {
    const b = Buffer.alloc(8);
    b.writeUInt8(4, 0);
    b.writeUInt8(down ? 1 : 0, 1);
    b.writeUInt32BE(keysym, 4);
    this.send(b);
  }

  click(x: number, y: number): void {
    this.pointer(0, x, y);
    this.pointer(1, x, y);
    this.pointer(0, x, y);
  }

  /** Types ASCII text key by key ('\n' is Return). */
  type(text: string): void {
    for (const ch of text) {
      const keysym = ch === '\n' ? 0xff0d : ch.charCodeAt(0);
      this.key(true, keysym);
      this.key(false, keysym);
    }
  }

  close(): void {
    this.carrier.close();
  }

  private async read(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.closed) throw this.closed;
      await new Promise<void>((r) => (this.waiter = r));
      this.waiter = undefined;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

/** The server answered the upgrade with an HTTP status instead of a socket. */
export class HttpRefusal extends Error {
  override name = 'HttpRefusal';
  constructor(readonly status: number) {
    super(`the upgrade was refused with HTTP ${status}`);
  }
}
