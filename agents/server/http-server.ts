// `deskpilot serve`: the renderer and the contract over HTTP + WebSocket, for a browser on this
// machine or an operator on another. Every request and socket needs the token; other origins are refused.
// The printed link's ?token= is swapped for an HttpOnly cookie and dropped from the address bar by a redirect.
// No client can take the process down: every socket, request and response has its errors handled.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline, type Duplex } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppService } from '../app/app-service.ts';
import { CommandError } from '../app/command-error.ts';
import type { AppEvent, CommandFailure } from '../contract.ts';
import { createMcpHttpHandler, type McpHttpHandler } from '../mcp/http-handler.ts';
import { requestOrigin } from './origin.ts';
import { attachLiveView } from './vnc-proxy.ts';
import { readBody } from './read-body.ts';

export interface ServeOptions {
  service: AppService;
  host: string;
  port: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** For tests; a fresh random one by default. */
  token?: string;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
/** A socket this far behind is closed; the page reconnects and fetches what it missed. */
const MAX_BUFFERED = 16 << 20;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpeg': 'image/jpeg', '.jpg': 'image/jpeg', '.webp': 'image/webp', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};
const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const STATUS: Record<CommandFailure['error']['code'], number> = { bad_input: 400, not_found: 404, unknown_command: 404, conflict: 409, failed: 500 };

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  let cookieName = 'deskpilot_token';
  const tokenOk = (given: string | undefined) => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === expected.length && timingSafeEqual(b, expected);
  };
  /** The explicit token (bearer header or ?token=, for the CLI and scripts) or else the page's cookie. */
  const authorized = (req: IncomingMessage, url: URL): boolean => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return tokenOk(auth.slice(7));
    const query = url.searchParams.get('token');
    if (query !== null) return tokenOk(query);
    // Browsers attach the cookie to any request to this host, even from another port's page: take it only
    // from this origin or a navigation the user made (Sec-Fetch-Site; absent on non-secure remote hosts).
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return false;
    return tokenOk(cookie(req, cookieName));
  };

  let mcp: McpHttpHandler | undefined;
  const server = createServer((req, res) => {
    // A client that resets mid-request makes these emit 'error'; unhandled, that would end the process.
    req.on('error', () => res.destroy());
    res.on('error', () => res.destroy());
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent && !res.destroyed) send(res, 500, { error: { code: 'failed', message: err.message } });
      else res.destroy();
    });
  });
  // Unparsable requests get a 400 where the socket still takes it; Node already ignores further errors on it.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = requestOrigin(req, opts.host);
    if (!origin.ok) return send(res, 403, { error: { code: 'bad_input', message: origin.reason } });
    if (!authorized(req, url)) {
      if (url.pathname.startsWith('/api/')) return send(res, 401, { error: { code: 'bad_input', message: 'missing or wrong token: use the link `deskpilot serve` printed' } });
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('Deskpilot: open the link `deskpilot serve` printed; it carries the access token.\n');
    }
    // MCP clients (Streamable HTTP), behind the same origin, host and token checks as everything else.
    if (url.pathname === '/mcp') return (mcp ??= createMcpHttpHandler(opts.service)).handle(req, res);
    const call = /^\/api\/call\/([a-z]+\.[A-Za-z]+)$/.exec(url.pathname);
    if (call) return callCommand(req, res, call[1]!);
    const blob = /^\/api\/blobs\/([^/]+)$/.exec(url.pathname);
    if (blob && req.method === 'GET') return sendBlob(res, decodeURIComponent(blob[1]!));
    if (url.pathname.startsWith('/api/')) return send(res, 404, { error: { code: 'unknown_command', message: `no route ${req.method} ${url.pathname}` } });
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: { code: 'bad_input', message: 'only GET here' } });
    if (url.searchParams.has('token')) {
      // The token moves to a cookie scripts cannot read, and the address bar (and history) lose it.
      res.setHeader('set-cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      url.searchParams.delete('token');
      res.writeHead(303, { location: url.pathname + url.search, 'cache-control': 'no-store', 'content-length': 0 });
      return res.end();
    }
    return sendStatic(res, url.pathname);
  }

  async function callCommand(req: IncomingMessage, res: ServerResponse, command: string) {
    if (req.method !== 'POST') return send(res, 405, { error: { code: 'bad_input', message: 'commands are POSTed' } });
    // A JSON content type cannot be sent cross-site without a preflight, which we never grant.
    if (!req.headers['content-type']?.startsWith('application/json')) return send(res, 415, { error: { code: 'bad_input', message: 'send the input as application/json' } });
    let input: unknown;
    try {
      const body = await readBody(req, MAX_BODY);
      input = body.length ? JSON.parse(body) : {};
    } catch (err) {
      return send(res, 400, { error: { code: 'bad_input', message: `the body is not JSON: ${(err as Error).message}` } });
    }
    try {
      // Decisions made here are recorded as a remote operator's, with the client's address.
      send(res, 200, await opts.service.call(command, input, { kind: 'remote', address: req.socket.remoteAddress ?? 'unknown' }));
    } catch (err) {
      const e = err instanceof CommandError ? err : new CommandError('failed', (err as Error).message);
      send(res, STATUS[e.code], e.failure);
    }
  }

  async function sendBlob(res: ServerResponse, ref: string) {
    const path = opts.service.blobPath(ref);
    if (!path) return send(res, 404, { error: { code: 'not_found', message: `no screenshot ${ref} (it may have been deleted by the retention setting)` } });
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'private, max-age=31536000, immutable' });
    streamFile(path, res);
  }

  async function sendStatic(res: ServerResponse, pathname: string) {
    const rel = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
    const file = join(opts.staticDir, rel);
    if (!file.startsWith(opts.staticDir + sep) && file !== opts.staticDir) return send(res, 404, { error: { code: 'not_found', message: 'not found' } });
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      if (rel === 'index.html') {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end(`Deskpilot: the UI is not built (no ${file}). Run: npm run build\n`);
      }
      return send(res, 404, { error: { code: 'not_found', message: `no file ${pathname}` } });
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': info.size, 'cache-control': rel === 'index.html' ? 'no-store' : 'private, max-age=3600' });
    streamFile(file, res);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // Node hands the socket over without an error listener: a reset while we answer would end the process.
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, text: string) => {
      if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const live = /^\/api\/vnc\/([A-Za-z0-9_-]{1,64})$/.exec(url.pathname);
      if (url.pathname !== '/api/events' && !live) return refuse(404, 'Not Found');
      if (!requestOrigin(req, opts.host).ok) return refuse(403, 'Forbidden');
      if (!authorized(req, url)) return refuse(401, 'Unauthorized');
      if (live) return upgradeLiveView(req, socket, head, live[1]!, url.searchParams.get('viewer') ?? '', refuse);
      sockets.handleUpgrade(req, socket, head, (ws) => attach(ws));
    } catch {
      refuse(400, 'Bad Request'); // e.g. a request target no URL parser accepts
    }
  });

  // A sandboxed run's screen for noVNC: checked like every socket above, then joined to the display's x11vnc.
  const liveSockets = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  function upgradeLiveView(req: IncomingMessage, socket: Socket, head: Buffer, runId: string, viewer: string, refuse: (status: number, text: string) => void) {
    opts.service.openLiveView(runId, viewer).then(
      (stream) => {
        if (socket.destroyed) return stream.close();
        liveSockets.handleUpgrade(req, socket, head, (ws) => attachLiveView(ws, stream));
      },
      (err: Error) => (err instanceof CommandError ? refuse(STATUS[err.code], err.code === 'not_found' ? 'Not Found' : 'Conflict') : refuse(500, 'Internal Server Error')),
    );
  }

  function attach(ws: WebSocket) {
    const forward = (e: AppEvent) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) return ws.close(1013, 'too far behind: reconnect and fetch what was missed');
      ws.send(JSON.stringify(e));
    };
    const off = opts.service.onEvent(forward);
    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, 20_000);
    ws.on('close', () => {
      off();
      clearInterval(ping);
    });
    ws.on('message', () => undefined); // the socket only carries events down; commands go over HTTP
    // Invalid or oversize frames: ws is already closing with the code that says why; unheard, the error would crash us.
    ws.on('error', () => undefined);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  cookieName = `deskpilot_token_${port}`; // cookies ignore ports: two servers on one host must not clash
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    port,
    async close() {
      await mcp?.close();
      for (const ws of [...sockets.clients, ...liveSockets.clients]) ws.terminate();
      sockets.close();
      liveSockets.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  // The printed link carries the token until the redirect: never leak it in a Referer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** A file to a response; a file that vanished or a client that left ends the response, not the process. */
function streamFile(path: string, res: ServerResponse) {
  pipeline(createReadStream(path), res, (err) => {
    if (err) res.destroy();
  });
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

