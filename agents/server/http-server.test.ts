// The HTTP + WebSocket transport on loopback: the token, the origin, and the contract end to end.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppService } from '../app/app-service.ts';
import { openTestService } from '../app/test-service.ts';
import type { AppEvent } from '../contract.ts';
import { startServer, type RunningServer } from './http-server.ts';

let service: AppService;
let server: RunningServer;
let base: string;

beforeEach(async () => {
  service = await openTestService();
  const staticDir = mkdtempSync(join(tmpdir(), 'dp-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Deskpilot</title>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startServer({ service, host: '127.0.0.1', port: 0, staticDir });
  base = `http://127.0.0.1:${server.port}`;
});
afterEach(async () => {
  await server.close();
  await service.close();
});

const call = (command: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/call/${command}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers }, body: JSON.stringify(input) });

/** Raw GET with any Host header (fetch will not let us forge one). */
function rawGet(path: string, host: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host, ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function socket(query: string, origin?: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; events: AppEvent[] } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events${query}`, { origin, headers });
    const events: AppEvent[] = [];
    ws.on('message', (data) => events.push(JSON.parse(String(data)) as AppEvent));
    ws.on('open', () => resolve({ ws, events }));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => undefined);
  });
}

describe('deskpilot serve transport', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('needs the token for the page, its files, the API and screenshots', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(401);
    expect((await fetch(`${base}/api/call/threads.list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await call('threads.list', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    // The link's token becomes an HttpOnly cookie, and a redirect takes it out of the address bar.
    const link = await fetch(`${base}/?token=${server.token}&lang=en`, { redirect: 'manual' });
    expect(link.status).toBe(303);
    expect(link.headers.get('location')).toBe('/?lang=en');
    expect(link.headers.get('referrer-policy')).toBe('no-referrer');
    const setCookie = link.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^deskpilot_token_${server.port}=${server.token}; `));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0]!;
    const page = await fetch(`${base}/?lang=en`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>Deskpilot</title>');
    // The page's own files, commands and screenshots go with the cookie alone.
    expect((await fetch(`${base}/assets/app.js`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${base}/api/call/threads.list`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{}' })).status).toBe(200);
    expect((await fetch(`${base}/assets/../../../etc/passwd`, { headers: { cookie } })).status).toBe(404);
    // A wrong cookie, or a wrong explicit token beside a right cookie, is refused.
    expect((await fetch(`${base}/`, { headers: { cookie: `deskpilot_token_${server.port}=nope` } })).status).toBe(401);
    expect((await fetch(`${base}/`, { headers: { cookie, authorization: 'Bearer nope' } })).status).toBe(401);
    // A page of another port on this host is "same-site": the browser would attach the cookie, we do not take it.
    expect((await fetch(`${base}/api/call/threads.list`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'sec-fetch-site': 'same-site' }, body: '{}' })).status).toBe(401);
    expect(await rawGet('/', `127.0.0.1:${server.port}`, { cookie, 'sec-fetch-site': 'cross-site' })).toBe(401);
    expect(await rawGet('/', `127.0.0.1:${server.port}`, { cookie, 'sec-fetch-site': 'none' })).toBe(200);
    expect(await rawGet('/assets/app.js', `127.0.0.1:${server.port}`, { cookie, 'sec-fetch-site': 'same-origin' })).toBe(200);
  });

  it('carries commands, with failures as codes and statuses', async () => {
    const created = await call('threads.create', { title: 'Invoices' });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ title: 'Invoices' });
    const bad = await call('threads.create', { title: 42 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_input' } });
    expect((await call('runs.get', { runId: 'none' })).status).toBe(404);
    expect((await call('shell.exec', {})).status).toBe(404);
    const notJson = await fetch(`${base}/api/call/threads.list`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: '{oops' });
    expect(notJson.status).toBe(400);
    // A form post from another site cannot choose a JSON content type.
    expect((await fetch(`${base}/api/call/threads.list`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${server.token}` }, body: '{}' })).status).toBe(415);
  });

  it('refuses pages of other origins and, on loopback, other host names', async () => {
    expect((await call('threads.list', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await call('threads.list', {}, { origin: base })).status).toBe(200);
    expect(await rawGet(`/?token=${server.token}`, `rebind.example:${server.port}`)).toBe(403);
    expect(await rawGet(`/?token=${server.token}`, `127.evil.example:${server.port}`)).toBe(403);
    expect(await rawGet(`/?token=${server.token}`, `127.0.0.1.evil.example:${server.port}`)).toBe(403);
    expect(await rawGet(`/?token=${server.token}`, `localhost:${server.port}`)).toBe(303);
    expect(await rawGet(`/api/blobs/none?token=${server.token}`, `127.0.0.2:${server.port}`)).toBe(404);
  });

  it('serves screenshots by ref only', async () => {
    const ref = service.store.putBlob(Buffer.from('png bytes'), 'png');
    const res = await fetch(`${base}/api/blobs/${ref}?token=${server.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(await res.text()).toBe('png bytes');
    expect((await fetch(`${base}/api/blobs/..%2F..%2Fdeskpilot.db?token=${server.token}`)).status).toBe(404);
  });

  it('streams events to a socket with the token and the right origin, and refuses the others', async () => {
    expect(await socket('')).toEqual({ refused: 401 });
    expect(await socket('?token=nope')).toEqual({ refused: 401 });
    // The page's socket goes with its cookie, and only from its own origin.
    const cookie = `deskpilot_token_${server.port}=${server.token}`;
    expect(await socket('', 'http://localhost:1', { cookie })).toEqual({ refused: 403 });
    const byCookie = await socket('', base, { cookie });
    if (!('ws' in byCookie)) throw new Error(`cookie socket refused ${byCookie.refused}`);
    byCookie.ws.close();
    expect(await socket(`?token=${server.token}`, 'http://evil.example')).toEqual({ refused: 403 });
    const open = await socket(`?token=${server.token}`, base);
    if (!('ws' in open)) throw new Error(`refused ${open.refused}`);
    const thread = service.store.createThread('t');
    const run = service.store.createRun({ threadId: thread.id, task: 'x', provider: 'openai' });
    service.store.append(run.id, { type: 'step_started', step: 1 });
    await call('threads.create', { title: 'another' });
    await expect.poll(() => open.events.length).toBe(2);
    expect(open.events[0]).toMatchObject({ kind: 'run_event', event: { type: 'step_started', runId: run.id, seq: 1 } });
    expect(open.events[1]).toEqual({ kind: 'threads_changed' });
    open.ws.close();
  });
});
