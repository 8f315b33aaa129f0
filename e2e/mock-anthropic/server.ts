// A mock of Anthropic's Messages API (POST /v1/messages) on loopback, serving scripted trajectories to the
// real @anthropic-ai/sdk. Like the real API it checks x-api-key and refuses a request whose last assistant
// tool_use blocks are not each answered by a tool_result right after. Faults as the OpenAI mock's.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { applyHttpFault, isObject } from '../mock-openai/http.ts';
import type { MockFault } from '../mock-openai/server.ts';
import { locateText, readJson } from './screen-text.ts';

/** A computer tool input as Claude sends it, or click_text (resolved by OCR into a left_click). */
export type ClaudeMockAction = { action: string; [k: string]: unknown } | { action: 'click_text'; text: string };

export interface ClaudeMockTurn {
  thought?: string;
  /** Computer calls, one tool_use each. */
  actions?: ClaudeMockAction[];
  /** Calls of other tools (bash, the editor, custom ones). */
  tools?: { name: string; input: Record<string, unknown> }[];
  /** A final text; with no calls the turn ends the run. */
  text?: string;
  usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number };
}

export interface RecordedRequest { turn: number; path: string; headers: IncomingHttpHeaders; body: unknown; reply: string }

export interface MockAnthropic {
  /** Base URL for the SDK (it appends /v1/messages). */
  url: string;
  requests: RecordedRequest[];
  readonly served: number;
  setTrajectory(turns: ClaudeMockTurn[]): void;
  injectFaults(faults: MockFault[]): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const rid = (p: string) => `${p}_${randomBytes(10).toString('hex')}`;

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': rid('req') });
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

export async function startMockAnthropic(opts: { apiKey?: string; /** Served by GET /v1/models/{id}. */ models?: string[] } = {}): Promise<MockAnthropic> {
  let turns: ClaudeMockTurn[] = [];
  let next = 0;
  let latencyMs = 0;
  const faults: MockFault[] = [];
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'api_error', `mock failure: ${(err as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const record: RecordedRequest = { turn: next, path: req.url ?? '', headers: req.headers, body, reply: '' };
    requests.push(record);
    const fail = (status: number, type: string, message: string) => {
      record.reply = `error ${status}`;
      sendError(res, status, type, message);
    };
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    // The SDK sends the key as x-api-key or (1.x) as a Bearer token: the API takes both.
    if (opts.apiKey && req.headers['x-api-key'] !== opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) return fail(401, 'authentication_error', 'invalid x-api-key');
    const model = /^\/v1\/models\/([^/?]+)$/.exec(req.url?.split('?')[0] ?? '');
    if (req.method === 'GET' && model) {
      if (!opts.models?.includes(model[1]!)) return fail(404, 'not_found_error', `model: ${model[1]}`);
      record.reply = 'model';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'model', id: model[1], display_name: model[1], created_at: '2026-01-01T00:00:00Z' }));
      return;
    }
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') return fail(404, 'not_found_error', `Not found: ${req.method} ${req.url}`);
    if (!isObject(body) || !Array.isArray(body.messages)) return fail(400, 'invalid_request_error', 'messages: Field required');
    const fault = faults.shift();
    if (fault) {
      record.reply = fault.kind;
      if (applyHttpFault(fault, res)) return;
      if (fault.kind === 'malformed-json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "msg_broken", "type": "message", "content": [{"type": "tool_use",');
        return;
      }
      const input = fault.kind === 'nonsense' && fault.variant === 'string-coords' ? { action: 'left_click', coordinate: ['120', '45'] } : { action: 'teleport', coordinate: [10, 20] };
      return reply(res, body, [{ type: 'tool_use', id: rid('toolu'), name: 'computer', input }]);
    }
    const unanswered = checkToolResults(body.messages);
    if (unanswered) return fail(400, 'invalid_request_error', unanswered);
    const turn = turns[next];
    if (!turn) return fail(400, 'invalid_request_error', `mock: the trajectory has no more turns (${turns.length} served)`);
    const content = await contentFor(turn, body.messages);
    next++;
    record.reply = 'turn';
    reply(res, body, content, turn.usage);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get served() {
      return next;
    },
    setTrajectory(list) {
      turns = list;
      next = 0;
      requests.length = 0;
    },
    injectFaults(list) {
      faults.push(...list);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function reply(res: ServerResponse, body: Record<string, unknown>, content: unknown[], usage?: ClaudeMockTurn['usage']): void {
  const toolUse = content.some((c) => isObject(c) && c.type === 'tool_use');
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': rid('req') });
  res.end(JSON.stringify({
    id: rid('msg'), type: 'message', role: 'assistant', model: body.model, content,
    stop_reason: toolUse ? 'tool_use' : 'end_turn', stop_sequence: null,
    usage: { input_tokens: 1500, output_tokens: 60, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, ...usage },
  }));
}

// The real API: "tool_use ids were found without tool_result blocks immediately after".
function checkToolResults(messages: unknown[]): string | undefined {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isObject(m) || m.role !== 'assistant' || !Array.isArray(m.content)) continue;
    const ids = m.content.filter(isObject).filter((b) => b.type === 'tool_use').map((b) => String(b.id));
    if (ids.length === 0) continue;
    const after = messages[i + 1];
    const answered = isObject(after) && Array.isArray(after.content) ? after.content.filter(isObject).filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id)) : [];
    const missing = ids.filter((id) => !answered.includes(id));
    if (missing.length && (i + 1 < messages.length)) return `messages.${i + 1}: tool_use ids were found without tool_result blocks immediately after: ${missing.join(', ')}`;
  }
  return undefined;
}

/** The newest image in the request: a user image block or one inside a tool_result. */
export function latestImage(messages: unknown[]): { data: string; mediaType: string } | undefined {
  let found: { data: string; mediaType: string } | undefined;
  const visit = (b: unknown) => {
    if (isObject(b) && b.type === 'image' && isObject(b.source) && typeof b.source.data === 'string') found = { data: b.source.data, mediaType: String(b.source.media_type) };
    if (isObject(b) && b.type === 'tool_result' && Array.isArray(b.content)) b.content.forEach(visit);
  };
  for (const m of messages) if (isObject(m) && m.role === 'user' && Array.isArray(m.content)) m.content.forEach(visit);
  return found;
}

async function contentFor(turn: ClaudeMockTurn, messages: unknown[]): Promise<unknown[]> {
  const content: unknown[] = [];
  const text = (t: string) => ({ type: 'text', text: t });
  if (turn.thought) content.push(text(turn.thought));
  for (const a of turn.actions ?? []) {
    let input: Record<string, unknown> = a;
    if (a.action === 'click_text') {
      const found = await locateText(latestImage(messages), String(a.text));
      if (typeof found === 'string') return [text(found)];
      input = { action: 'left_click', coordinate: [found.x, found.y] };
    }
    content.push({ type: 'tool_use', id: rid('toolu'), name: 'computer', input });
  }
  for (const t of turn.tools ?? []) content.push({ type: 'tool_use', id: rid('toolu'), name: t.name, input: t.input });
  if (turn.text) content.push(text(turn.text));
  return content;
}
