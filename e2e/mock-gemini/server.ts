// A mock of the Gemini API's generateContent (POST /v1beta/models/{model}:generateContent) on loopback,
// serving scripted trajectories to the real @google/genai SDK. Like the real API it checks x-goog-api-key
// and refuses a request whose function calls are not each answered by a function response in the next
// turn. click_text is resolved by OCR on the latest screenshot into a click on the 0-999 grid.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { imageToGrid } from '../../agents/desktop/geometry.ts';
import { applyHttpFault, isObject } from '../mock-openai/http.ts';
import type { MockFault } from '../mock-openai/server.ts';
import { locateText, readJson } from '../mock-anthropic/screen-text.ts';

export interface GeminiMockCall {
  name: string;
  args?: Record<string, unknown>;
  /** Leave the id out, as the Gemini API may. */
  noId?: boolean;
}
/** click_text: a `click` (or `click_at` with legacy) at the centre of the word, found by OCR. */
export type GeminiMockAction = GeminiMockCall | { click_text: string; name?: 'click' | 'click_at'; args?: Record<string, unknown> };

export interface GeminiMockTurn {
  thought?: string;
  calls?: GeminiMockAction[];
  text?: string;
  finishReason?: string;
  usage?: { promptTokenCount: number; candidatesTokenCount: number; cachedContentTokenCount?: number };
}

export interface RecordedRequest { turn: number; path: string; headers: IncomingHttpHeaders; body: unknown; reply: string }

export interface MockGemini {
  /** Base URL for the SDK's httpOptions.baseUrl. */
  url: string;
  requests: RecordedRequest[];
  readonly served: number;
  setTrajectory(turns: GeminiMockTurn[]): void;
  injectFaults(faults: MockFault[]): void;
  close(): Promise<void>;
}

const rid = (p: string) => `${p}_${randomBytes(8).toString('hex')}`;

function sendError(res: ServerResponse, status: number, statusText: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: status, message, status: statusText } }));
}

export async function startMockGemini(opts: { apiKey?: string; /** Served by GET /v1beta/models/{model}. */ models?: string[] } = {}): Promise<MockGemini> {
  let turns: GeminiMockTurn[] = [];
  let next = 0;
  const faults: MockFault[] = [];
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', `mock failure: ${(err as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const record: RecordedRequest = { turn: next, path: req.url ?? '', headers: req.headers, body, reply: '' };
    requests.push(record);
    const fail = (status: number, statusText: string, message: string) => {
      record.reply = `error ${status}`;
      sendError(res, status, statusText, message);
    };
    if (opts.apiKey && req.headers['x-goog-api-key'] !== opts.apiKey) return fail(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.');
    const info = /^\/v1beta\/models\/([^/:]+)$/.exec(req.url?.split('?')[0] ?? '');
    if (req.method === 'GET' && info) {
      if (!opts.models?.includes(info[1]!)) return fail(404, 'NOT_FOUND', `models/${info[1]} is not found for API version v1beta`);
      record.reply = 'model';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: `models/${info[1]}`, displayName: info[1], supportedGenerationMethods: ['generateContent'] }));
      return;
    }
    const m = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(req.url?.split('?')[0] ?? '');
    if (req.method !== 'POST' || !m) return fail(404, 'NOT_FOUND', `Not found: ${req.method} ${req.url}`);
    if (!isObject(body) || !Array.isArray(body.contents)) return fail(400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified');
    const fault = faults.shift();
    if (fault) {
      record.reply = fault.kind;
      if (applyHttpFault(fault, res)) return;
      if (fault.kind === 'malformed-json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"candidates": [{"content": {"parts": [{"functionCall":');
        return;
      }
      const call = fault.kind === 'nonsense' && fault.variant === 'string-coords' ? { name: 'click', args: { x: '120', y: 45 } } : { name: 'teleport', args: { x: 10, y: 20 } };
      return reply(res, m[1]!, [{ functionCall: { id: rid('fc'), ...call } }]);
    }
    const unanswered = checkResponses(body.contents);
    if (unanswered) return fail(400, 'INVALID_ARGUMENT', unanswered);
    const turn = turns[next];
    if (!turn) return fail(400, 'INVALID_ARGUMENT', `mock: the trajectory has no more turns (${turns.length} served)`);
    const parts = await partsFor(turn, body.contents);
    next++;
    record.reply = 'turn';
    reply(res, m[1]!, parts, turn.finishReason, turn.usage);
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
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function reply(res: ServerResponse, model: string, parts: unknown[], finishReason = 'STOP', usage?: GeminiMockTurn['usage']): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({
    candidates: [{ content: { role: 'model', parts }, finishReason, index: 0 }],
    usageMetadata: { promptTokenCount: 1800, candidatesTokenCount: 40, totalTokenCount: 1840, ...usage },
    modelVersion: model, responseId: rid('resp'),
  }));
}

// The real API: "the number of function response parts is equal to the number of function call parts".
function checkResponses(contents: unknown[]): string | undefined {
  for (let i = 0; i + 1 < contents.length; i++) {
    const c = contents[i];
    if (!isObject(c) || c.role !== 'model' || !Array.isArray(c.parts)) continue;
    const calls = c.parts.filter(isObject).flatMap((p) => (isObject(p.functionCall) ? [p.functionCall] : []));
    if (calls.length === 0) continue;
    const after = contents[i + 1];
    const responses = isObject(after) && Array.isArray(after.parts) ? after.parts.filter(isObject).flatMap((p) => (isObject(p.functionResponse) ? [p.functionResponse] : [])) : [];
    if (responses.length !== calls.length) return `Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn (${calls.length} calls, ${responses.length} responses).`;
    const wrong = calls.find((call, k) => call.name !== responses[k]!.name || (call.id !== undefined && call.id !== responses[k]!.id));
    if (wrong) return `function response for ${String(wrong.name)} does not match its call (name or id)`;
  }
  return undefined;
}

/** The newest image in the request: inline data in a user part or in a function response's parts. */
export function latestImage(contents: unknown[]): { data: string; mediaType: string } | undefined {
  let found: { data: string; mediaType: string } | undefined;
  const take = (d: unknown) => {
    if (isObject(d) && typeof d.data === 'string') found = { data: d.data, mediaType: String(d.mimeType) };
  };
  for (const c of contents) {
    if (!isObject(c) || c.role !== 'user' || !Array.isArray(c.parts)) continue;
    for (const p of c.parts.filter(isObject)) {
      take(p.inlineData);
      if (isObject(p.functionResponse) && Array.isArray(p.functionResponse.parts)) for (const q of p.functionResponse.parts.filter(isObject)) take(q.inlineData);
    }
  }
  return found;
}

async function partsFor(turn: GeminiMockTurn, contents: unknown[]): Promise<unknown[]> {
  const parts: unknown[] = [];
  if (turn.thought) parts.push({ text: turn.thought, thought: true });
  for (const c of turn.calls ?? []) {
    if ('click_text' in c) {
      const found = await locateText(latestImage(contents), c.click_text);
      if (typeof found === 'string') return [{ text: found }];
      const grid = imageToGrid({ x: found.x, y: found.y }, found.image);
      parts.push({ functionCall: { id: rid('fc'), name: c.name ?? 'click', args: { ...c.args, ...grid } } });
      continue;
    }
    parts.push({ functionCall: { ...(c.noId ? {} : { id: rid('fc') }), name: c.name, args: c.args ?? {} } });
  }
  if (turn.text) parts.push({ text: turn.text });
  return parts;
}
