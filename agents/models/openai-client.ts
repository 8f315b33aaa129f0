// What every adapter on the `openai` SDK shares: the client (the SDK retries 408/409/429/5xx and
// connection errors with backoff + jitter and honours Retry-After), an abort that settles at once,
// and one mapping of what still fails to a ModelError.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { DEFAULT_BODY_LIMITS, watchdogFetch } from './body-watchdog.ts';
import { ModelError } from './planner.ts';

export interface ClientOptions {
  /** e.g. https://api.openai.com/v1 (the SDK's default), http://localhost:8000/v1 for vLLM. */
  baseURL?: string;
  /** Falls back to OPENAI_API_KEY, as the SDK does. Local servers take any key. */
  apiKey?: string;
  /** Per HTTP attempt, until the headers arrive. */
  timeoutMs?: number;
  /** Longest silence in a reply's body (default 60 s): a stalled stream is a 'timeout' ModelError. */
  idleTimeoutMs?: number;
  /** Per HTTP attempt, from the request to the body's end (default 300 s): a body that never ends. */
  totalTimeoutMs?: number;
  /** SDK retries after the first attempt. */
  maxRetries?: number;
}

export function createClient(opts: ClientOptions): OpenAI {
  return new OpenAI({
    ...(opts.baseURL !== undefined ? { baseURL: opts.baseURL } : {}),
    ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}),
    timeout: opts.timeoutMs ?? 90_000,
    maxRetries: opts.maxRetries ?? 2,
    fetch: watchdogFetch({ idleMs: opts.idleTimeoutMs ?? DEFAULT_BODY_LIMITS.idleMs, totalMs: opts.totalTimeoutMs ?? DEFAULT_BODY_LIMITS.totalMs }),
    // Failures reach the caller as ModelErrors with the raw details; the SDK's own console output
    // would only interleave with the CLI's. OPENAI_LOG still turns it on.
    ...(process.env.OPENAI_LOG ? {} : { logLevel: 'off' as const }),
  });
}

/** Maps an SDK failure to a ModelError (or an AbortError when the signal fired). */
export function toModelError(err: unknown, signal: AbortSignal, opts: ClientOptions, replyKind: string): Error {
  if (signal.aborted || err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) {
    return abortError(signal, err);
  }
  if (err instanceof ModelError) return err;
  const attempts = `${(opts.maxRetries ?? 2) + 1} attempt(s)`;
  if (err instanceof APIConnectionTimeoutError) {
    return new ModelError(`no reply from the model within ${opts.timeoutMs ?? 90_000} ms (${attempts})`, 'timeout', { error: err.message });
  }
  if (err instanceof APIConnectionError) {
    const why = causes(err.cause);
    return new ModelError(`could not reach the model API (${attempts}): ${err.message}${why ? ` (${why})` : ''}`, 'network', { error: err.message, cause: why });
  }
  if (err instanceof APIError) {
    // A stream may also end with an error event: the SDK raises it without an HTTP status.
    return new ModelError(`model API error: ${err.message}`, 'api', {
      status: err.status, code: err.code, type: err.type, requestId: err.requestID, error: err.error,
    });
  }
  // The SDK parses the body (or each event) itself: invalid JSON or a non-object surfaces as these.
  if (err instanceof SyntaxError || err instanceof TypeError) {
    return new ModelError(`the model's reply is not a valid ${replyKind}: ${err.message}`, 'malformed', { error: err.message });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:9" from a chain of causes. */
export function causes(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) parts.push(e.message);
  return parts.join(': ');
}

export function abortError(signal: AbortSignal, cause?: unknown): Error {
  const err = new Error('the model request was aborted', { cause: cause ?? signal.reason });
  err.name = 'AbortError';
  return err;
}

// The SDK sleeps between retries without watching the signal; this settles as soon as it aborts.
// The request gets its own signal, linked to the run's for its duration only: the SDK leaves a
// listener on every signal it is given, which would pile up on a run's signal step after step.
export function untilAborted<T>(request: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
  const perRequest = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      perRequest.abort(signal.reason);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request(perRequest.signal).then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}
