// In a browser, against `deskpilot serve`: commands are POSTs, events come over one WebSocket that
// reconnects with backoff. The store re-fetches what it missed whenever the socket opens again.
import type { AppEvent, CommandName } from '../../../agents/contract.ts';
import { backoffDelay } from './backoff.ts';
import { CommandError, isCommandFailure, type ConnectionStatus, type Transport } from './types.ts';
import { t } from '../i18n/index.ts';

export interface BrowserTransportOptions {
  /** Absent when the page was opened through serve's redirect: its HttpOnly cookie goes with every request. */
  token?: string;
  /** location.host and location.protocol of the page. */
  host: string;
  secure: boolean;
}

export function browserTransport({ token, host, secure }: BrowserTransportOptions): Transport {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const eventListeners = new Set<(e: AppEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = { state: 'connecting' };
  let attempt = 0;

  const setStatus = (next: ConnectionStatus) => {
    status = next;
    for (const l of statusListeners) l(next);
  };

  const connect = () => {
    setStatus({ state: 'connecting' });
    const ws = new WebSocket(`${secure ? 'wss' : 'ws'}://${host}/api/events${query}`);
    ws.onopen = () => {
      attempt = 0;
      setStatus({ state: 'open' });
    };
    ws.onmessage = (m) => {
      let event: AppEvent;
      try {
        event = JSON.parse(String(m.data)) as AppEvent;
      } catch {
        return; // not ours: ignore rather than break the stream
      }
      for (const l of eventListeners) l(event);
    };
    ws.onclose = (e) => {
      const delay = backoffDelay(attempt++);
      setStatus({ state: 'closed', message: e.reason || `code ${e.code}` });
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    kind: 'http',
    async call(command: CommandName, input: unknown) {
      let res: Response;
      try {
        res = await fetch(`/api/call/${command}`, {
          method: 'POST',
          headers: token ? { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } : { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        // fetch's own words ("Failed to fetch") mean nothing to an operator: say what to check.
        throw new CommandError('network', t('connection.unreachable'));
      }
      const body: unknown = await res.json().catch(() => undefined);
      if (res.ok) return body as never;
      // A failure without the server's own words (a proxy's error page, a crash) gets plain ones, not "502 Bad Gateway".
      const message = isCommandFailure(body) ? body.error.message : t('connection.serverFailed');
      if (res.status === 401 || res.status === 403) throw new CommandError('unauthorized', message, res.status);
      throw new CommandError(isCommandFailure(body) ? body.error.code : 'failed', message, res.status);
    },
    onEvent(callback) {
      eventListeners.add(callback);
      return () => eventListeners.delete(callback);
    },
    blobUrl: (ref) => `/api/blobs/${encodeURIComponent(ref)}${query}`,
    status: () => status,
    onStatus(callback) {
      statusListeners.add(callback);
      return () => statusListeners.delete(callback);
    },
  };
}
