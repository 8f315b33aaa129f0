// Which requests may reach the server: a browser page must come from this server's own origin, and
// a loopback server answers only to loopback host names (DNS-rebinding defence).
import type { IncomingMessage } from 'node:http';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

function hostName(hostHeader: string): string {
  return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
}

export type OriginCheck = { ok: true } | { ok: false; reason: string };

/** Requests without an Origin (curl, scripts) pass on to the token check; a browser's must match. */
export function requestOrigin(req: IncomingMessage, boundHost: string): OriginCheck {
  const host = req.headers.host;
  if (!host) return { ok: false, reason: 'no Host header' };
  if (isLoopback(boundHost) && !isLoopback(hostName(host))) return { ok: false, reason: `host ${host} is not this loopback server` };
  const origin = req.headers.origin;
  if (origin === undefined) return { ok: true };
  if (origin !== `http://${host}` && origin !== `https://${host}`) return { ok: false, reason: `origin ${origin} may not use this server` };
  return { ok: true };
}
