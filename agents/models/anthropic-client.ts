// The Anthropic SDK client for Deskpilot: the SDK retries 408/409/429/5xx and connection errors with
// backoff and honours Retry-After; what still fails becomes a ModelError, and an abort an AbortError.
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ModelError } from './planner.ts';
import { abortError, causes } from './openai-client.ts';

export interface AnthropicClientOptions {
  /** https://api.anthropic.com (the SDK's default) or a compatible server. */
  baseURL?: string;
  apiKey?: string;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  /** SDK retries after the first attempt. */
  maxRetries?: number;
}

export function createAnthropicClient(opts: AnthropicClientOptions): Anthropic {
  return new Anthropic({
    ...(opts.baseURL !== undefined ? { baseURL: opts.baseURL } : {}),
    apiKey: opts.apiKey ?? process.env.ANTHROPIC_API_KEY ?? null,
    timeout: opts.timeoutMs ?? 120_000,
    maxRetries: opts.maxRetries ?? 2,
    // Failures reach the caller as ModelErrors; the SDK's own console output would interleave with the CLI's.
    ...(process.env.ANTHROPIC_LOG ? {} : { logLevel: 'off' as const }),
  });
}

export function anthropicError(err: unknown, signal: AbortSignal, opts: AnthropicClientOptions): Error {
  if (signal.aborted || err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) return abortError(signal, err);
  if (err instanceof ModelError) return err;
  const attempts = `${(opts.maxRetries ?? 2) + 1} attempt(s)`;
  if (err instanceof APIConnectionTimeoutError) return new ModelError(`no reply from Claude within ${opts.timeoutMs ?? 120_000} ms (${attempts})`, 'timeout', { error: err.message });
  if (err instanceof APIConnectionError) {
    const why = causes(err.cause);
    return new ModelError(`could not reach the Anthropic API (${attempts}): ${err.message}${why ? ` (${why})` : ''}`, 'network', { error: err.message, cause: why });
  }
  if (err instanceof APIError) {
    return new ModelError(`Anthropic API error: ${err.message}`, 'api', { status: err.status, type: err.type, requestId: err.requestID, error: err.error });
  }
  // The SDK parses the body itself: invalid JSON surfaces as these.
  if (err instanceof SyntaxError || err instanceof TypeError) return new ModelError(`Claude's reply is not a valid message: ${err.message}`, 'malformed', { error: err.message });
  return err instanceof Error ? err : new Error(String(err));
}
