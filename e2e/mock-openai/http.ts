// HTTP pieces both mock routes share: OpenAI-shaped errors and the faults that look the same
// whatever the endpoint (rate limit, server error, bad request, a hang, a reset).
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { MockFault } from './server.ts';

export function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null, param: string | null = null): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(12).toString('hex')}` });
  res.end(JSON.stringify({ error: { message, type, param, code } }));
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Answers a transport-level fault; false for the faults whose body depends on the endpoint. */
export function applyHttpFault(fault: MockFault, res: ServerResponse, stream = false): boolean {
  switch (fault.kind) {
    case '429':
      if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
      sendError(res, 429, 'Rate limit reached for requests. Please try again later.', 'requests', 'rate_limit_exceeded');
      return true;
    case '500':
      sendError(res, 500, 'The server had an error while processing your request. Sorry about that!', 'server_error');
      return true;
    case '400':
      sendError(res, 400, fault.message ?? 'Invalid request (injected fault).', 'invalid_request_error');
      return true;
    case 'hang':
      return true; // never answers; the socket closes when the client gives up or the server closes
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'stall':
      res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
      res.write(stream ? 'data: {"id": "chatcmpl-stalled", "object": "chat.completion.chunk", "choices": [' : '{"id": "resp_stalled", "output": [');
      return true;
    case 'trickle':
      // An SSE comment line or JSON's leading whitespace: each byte is valid and none completes the body.
      res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
      res.write(stream ? ':' : ' ');
      return drip(res, fault.intervalMs ?? 200, () => ' ');
    case 'endless': {
      res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
      const chunk = 'data: {"id": "chatcmpl-endless", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": "and "}}]}\n\n';
      if (!stream) res.write('{"id": "resp_endless", "object": "response", "status": "completed", "output": [{"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "');
      return drip(res, fault.intervalMs ?? 50, () => (stream ? chunk : 'and so on, '));
    }
    default:
      return false;
  }
}

/** Writes forever, until the client goes away. */
function drip(res: ServerResponse, intervalMs: number, next: () => string): true {
  const timer = setInterval(() => res.write(next()), intervalMs);
  res.on('close', () => clearInterval(timer));
  return true;
}
