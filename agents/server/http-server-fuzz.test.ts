// `deskpilot serve` as a real process, attacked with what a hostile or broken client sends: malformed
// upgrades, TCP resets, invalid and oversize WebSocket frames, garbage and half requests. It must outlive them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const BIN = new URL('../../bin/deskpilot.js', import.meta.url).pathname;

let child: ChildProcess;
let stderr = '';
let port = 0;
let token = '';

// A fresh server per case, so each attack shows on its own whether it kills the process.
beforeEach(async () => {
  stderr = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'dp-fuzz-'));
  child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 30 s; stderr: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^Deskpilot UI: (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]!));
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  port = Number(url.port);
  token = url.searchParams.get('token')!;
}, 40_000);

afterEach(async () => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw TCP connection to the server; errors on our side are expected and ignored. */
function raw(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', () => undefined);
    s.once('error', reject);
  });
}

/** Resolves with the first bytes the server sends, or '' after `ms` or when it hangs up. */
function firstReply(s: Socket, ms = 300): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(''), ms);
    s.once('data', (d: Buffer) => (clearTimeout(timer), resolve(d.toString('latin1'))));
    s.once('close', () => (clearTimeout(timer), resolve('')));
  });
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const upgrade = (path: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;

/** An authenticated WebSocket connection, handshake done, ready for hand-made frames. */
async function openSocket(): Promise<Socket> {
  const s = await raw();
  s.write(upgrade(`/api/events?token=${token}`));
  const reply = await firstReply(s, 2000);
  expect(reply).toMatch(/^HTTP\/1\.1 101/);
  return s;
}

/** A client frame (masked, as clients must) with any first byte and any claimed length. */
function frame(first: number, payload: Buffer, claimed = payload.length, masked = true): Buffer {
  const len = claimed < 126 ? [claimed] : claimed < 65536 ? [126, claimed >> 8, claimed & 255] : [127, 0, 0, 0, 0, (claimed >>> 24) & 255, (claimed >> 16) & 255, (claimed >> 8) & 255, claimed & 255];
  len[0] = len[0]! | (masked ? 0x80 : 0);
  return Buffer.concat([Buffer.from([first, ...len]), masked ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

async function stillServing() {
  expect(child.exitCode, `serve died; stderr:\n${stderr}`).toBeNull();
  expect(child.signalCode).toBeNull();
  const res = await fetch(`http://127.0.0.1:${port}/api/call/threads.list`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
  expect(res.status).toBe(200);
}

describe('deskpilot serve outlives hostile clients', { timeout: 30_000 }, () => {
  it('survives a refused upgrade (no token, wrong path, other origin) followed by a reset', async () => {
    for (const req of [
      upgrade('/api/events'),
      upgrade('/nowhere'),
      upgrade(`/api/events?token=${token}`, 'Origin: http://evil.example\r\n'),
      upgrade('//[', ''),
    ]) {
      for (const wait of [0, 5, 50]) {
        const s = await raw();
        s.write(req);
        if (wait) await pause(wait);
        s.resetAndDestroy();
      }
    }
    await pause(100);
    await stillServing();
  });

  it('survives malformed upgrades with the token', async () => {
    for (const req of [
      `GET /api/events?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      upgrade(`/api/events?token=${token}`).replace('Version: 13', 'Version: 99'),
      upgrade(`/api/events?token=${token}`).replace(KEY, 'short'),
      upgrade(`/api/events?token=${token}`, 'Sec-WebSocket-Protocol: ,,;\r\n'),
    ]) {
      const s = await raw();
      s.write(req);
      expect(await firstReply(s)).toMatch(/^HTTP\/1\.1 4\d\d/);
      s.resetAndDestroy();
    }
    await stillServing();
  });

  it('survives invalid opcodes, oversize and unmasked frames, resets and garbage on an open socket', async () => {
    const attacks: Buffer[] = [
      frame(0x83, Buffer.alloc(0)), // reserved data opcode
      frame(0x8b, Buffer.alloc(0)), // reserved control opcode
      frame(0xc1, Buffer.from('x')), // RSV1 without an extension
      frame(0x81, Buffer.alloc(0), 1 << 20), // larger than the server's limit
      frame(0x81, Buffer.alloc(0), 2 ** 31), // absurd length
      frame(0x89, Buffer.alloc(200)), // control frame over 125 bytes
      frame(0x08, Buffer.alloc(0)), // fragmented control frame
      frame(0x81, Buffer.from([0xff, 0xfe])), // text that is not UTF-8
      frame(0x81, Buffer.from('hi'), 2, false), // unmasked client frame
      frame(0x88, Buffer.from([0x03, 0xe7])), // close with invalid code 999
      randomBytes(64),
    ];
    for (const bytes of attacks) {
      const s = await openSocket();
      s.write(bytes);
      await pause(20);
      s.resetAndDestroy();
    }
    await stillServing();
  });

  it('survives random bytes after a handshake, and random requests, then resets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.boolean(), async (bytes, afterHandshake) => {
        const s = afterHandshake ? await openSocket() : await raw();
        s.write(Buffer.from(bytes));
        await pause(5);
        s.resetAndDestroy();
      }),
      { numRuns: 60 },
    );
    await stillServing();
  });

  it('survives half requests and resets in the middle of a body or a download', async () => {
    const halves = [
      `GET /api/events?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgr`,
      `POST /api/call/threads.create HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title":`,
      `POST /api/call/threads.create HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffff\r\n{"ti`,
      `GET /?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      `GET /%zz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      'GARBAGE\r\n\r\n',
    ];
    for (const req of halves) {
      for (const wait of [0, 20]) {
        const s = await raw();
        s.write(req);
        if (wait) await pause(wait);
        s.resetAndDestroy();
      }
    }
    await pause(100);
    await stillServing();
  });

  it('keeps streaming to a well-behaved client while others attack', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=${token}`);
    const got = new Promise<string>((resolve) => {
      ws.on('message', (d) => resolve(String(d)));
      ws.on('close', () => resolve('"closed"'));
      ws.on('error', () => resolve('"error"'));
    });
    await new Promise((r) => (ws.once('open', r), ws.once('error', r)));
    const noToken = await raw();
    noToken.write(upgrade('/api/events'));
    noToken.resetAndDestroy();
    for (const bytes of [frame(0x83, Buffer.alloc(0)), frame(0x81, Buffer.alloc(0), 1 << 20)]) {
      const s = await openSocket();
      s.write(bytes);
    }
    await pause(100);
    await fetch(`http://127.0.0.1:${port}/api/call/threads.create`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"title":"after the storm"}' }).catch(() => undefined);
    expect(JSON.parse(await got)).toEqual({ kind: 'threads_changed' });
    ws.close();
    await stillServing();
  });
});
