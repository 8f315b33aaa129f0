// The SDK's `timeout` ends when the headers arrive: a body that then stalls, trickles or never ends
// would hold a run until its time limit. This fetch watches the body: no byte for idleMs, or the
// whole attempt past totalMs, fails the read with a ModelError of kind 'timeout' and closes the
// connection, so the loop can retry the step.
import { ModelError } from './planner.ts';

export interface BodyLimits {
  /** Longest silence between two chunks of the body. */
  idleMs: number;
  /** From the request's start to the body's last byte. */
  totalMs: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { idleMs: 60_000, totalMs: 300_000 };

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function watchdogFetch(limits: BodyLimits, inner: Fetch = fetch): Fetch {
  return async (input, init) => {
    const started = Date.now();
    const response = await inner(input, init);
    if (!response.body) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const left = limits.totalMs - (Date.now() - started);
        const idle = left > limits.idleMs;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(idle
            ? new ModelError(`the model's reply stalled: no data for ${limits.idleMs} ms`, 'timeout', { idleMs: limits.idleMs })
            : new ModelError(`the model's reply did not end within ${limits.totalMs} ms`, 'timeout', { totalMs: limits.totalMs })), Math.max(0, Math.min(left, limits.idleMs)));
        });
        try {
          const chunk = await Promise.race([reader.read(), late]);
          if (chunk.done) controller.close();
          else controller.enqueue(chunk.value);
        } catch (err) {
          // Closes the connection: a stalled server must not keep the socket.
          reader.cancel(err).catch(() => undefined);
          controller.error(err);
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    const watched = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    // The SDK reads the url for its logs and errors; a constructed Response has none.
    Object.defineProperty(watched, 'url', { value: response.url });
    return watched;
  };
}
