// Which requests may reach the server: a browser page must come from this server's own origin, and
// a loopback server answers only to loopback host names (DNS-rebinding defence).
import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

/** Only names that cannot be rebound: `localhost`, IPv4 literals in 127.0.0.0/8 and the IPv6 literal ::1. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.split('.')[0] === '127';
  const v6 = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  // The URL parser writes every spelling of ::1 (0:0:0:0:0:0:0:1, ::0001) the same way.
  return isIPv6(v6) && new URL(`http://[${v6}]/`).hostname === '[::1]';
}

/** A Host header (name, then an optional :port) names a loopback address; anything malformed does not. */
export function isLoopbackHostHeader(header: string): boolean {
  const m = /^(\[[^\]]*\]|[^:[\]]+)(?::\d{1,5})?$/.exec(header);
  return m !== null && isLoopback(m[1]!);
}

export type OriginCheck = { ok: true } | { ok: false; reason: string };

/** Requests without an Origin (curl, scripts) pass on to the token check; a browser's must match. */
export function requestOrigin(req: IncomingMessage, boundHost: string): OriginCheck {
  const host = req.headers.host;
  if (!host) return { ok: false, reason: 'no Host header' };
  if (isLoopback(boundHost) && !isLoopbackHostHeader(host)) return { ok: false, reason: `host ${host} is not this loopback server` };
  const origin = req.headers.origin;
  if (origin === undefined) return { ok: true };
  if (origin !== `http://${host}` && origin !== `https://${host}`) return { ok: false, reason: `origin ${origin} may not use this server` };
  return { ok: true };
}
