// The live view for the desktop app: its page cannot reach serve's /api/vnc socket, and carrying RFB
// frames over IPC would widen the preload beyond the contract. So the main process offers a WebSocket
// on 127.0.0.1 (a port the OS picks), and each offer is a URL with a fresh random token of its own,
// good for one connection within OFFER_TTL_MS: never serve's token, never a fixed port.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { CommandError } from '../app/command-error.ts';
import type { LiveEndpoint, LiveStream } from '../app/live-sessions.ts';
import { attachLiveView } from './vnc-proxy.ts';

/** An offer not taken up by then is void: the page connects as soon as it has the URL. */
const OFFER_TTL_MS = 30_000;

interface Offer {
  open: () => Promise<LiveStream>;
  expires: number;
}

const REFUSALS: Record<string, string> = { not_found: '404 Not Found', conflict: '409 Conflict' };

export class LoopbackLiveEndpoint implements LiveEndpoint {
  private readonly offers = new Map<string, Offer>();
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  private server: Promise<{ server: Server; port: number }> | undefined;

  async offer(open: () => Promise<LiveStream>): Promise<string> {
    const { port } = await (this.server ??= this.listen());
    const now = Date.now();
    for (const [t, o] of this.offers) if (o.expires < now) this.offers.delete(t);
    const token = randomBytes(32).toString('base64url');
    this.offers.set(token, { open, expires: now + OFFER_TTL_MS });
    return `ws://127.0.0.1:${port}/live?token=${token}`;
  }

  async close(): Promise<void> {
    this.offers.clear();
    for (const ws of this.sockets.clients) ws.terminate();
    this.sockets.close();
    const listening = await this.server?.catch(() => undefined);
    if (!listening) return;
    listening.server.closeAllConnections();
    await new Promise<void>((r) => listening.server.close(() => r()));
  }

  private async listen(): Promise<{ server: Server; port: number }> {
    // Plain HTTP requests get nothing: the only door is a WebSocket upgrade with a live token.
    const server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return { server, port: (server.address() as AddressInfo).port };
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string) => {
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    let token: string | null;
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/live') return refuse('404 Not Found');
      token = url.searchParams.get('token');
    } catch {
      return refuse('400 Bad Request');
    }
    const offer = token ? this.offers.get(token) : undefined;
    if (!offer || !token) return refuse('401 Unauthorized');
    this.offers.delete(token); // one connection per offer
    if (offer.expires < Date.now()) return refuse('401 Unauthorized');
    offer.open().then(
      (stream) => {
        if (socket.destroyed) return stream.close();
        this.sockets.handleUpgrade(req, socket, head, (ws) => attachLiveView(ws, stream));
      },
      (err: unknown) => refuse((err instanceof CommandError && REFUSALS[err.code]) || '500 Internal Server Error'),
    );
  }
}
