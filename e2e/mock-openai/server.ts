// A mock of the OpenAI Responses API on loopback, serving scripted trajectories to the real SDK.
// It behaves like the real one where clients can get it wrong: it checks the Bearer key, chains
// previous_response_id and refuses a request that leaves a computer call without its output.
import { applyHttpFault, isObject, sendError } from './http.ts';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { OpenAIComputerAction } from '../../agents/models/openai-actions.ts';
import { decodeDataUrl, findText, ocrWords } from './ocr.ts';
import type { OcrWord } from './ocr.ts';
import { handleChat } from './chat.ts';
import type { ChatMockOptions } from './chat.ts';
import { answeredCallIds, callIdsOf, functionCallItem, isToolAction } from './function-calls.ts';
import type { MockToolAction } from './function-calls.ts';

export type MockButton = 'left' | 'right' | 'wheel' | 'back' | 'forward';
/** Resolved by OCR on the request's latest screenshot into a click at the word's centre. */
export interface ClickTextAction { type: 'click_text'; text: string; button?: MockButton }
export type MockAction = OpenAIComputerAction | ClickTextAction | MockToolAction;
export type { MockToolAction };

export interface MockSafetyCheck { id: string; code: string; message: string }

export interface MockTurn {
  /** Sent as a reasoning summary. */
  thought?: string;
  actions?: MockAction[];
  /** A final message; with no actions the turn is a text reply without a computer call. */
  text?: string;
  /** Pending safety checks on the (first) computer call. */
  safetyChecks?: MockSafetyCheck[];
  /** All actions in one computer_call's `actions` (else one computer_call per action). */
  batch?: boolean;
  usage?: { input_tokens: number; output_tokens: number };
}

export type MockFault =
  | { kind: '429'; retryAfter?: number }
  | { kind: '500' }
  | { kind: '400'; message?: string }
  | { kind: 'hang' }
  /** Headers and the start of a body, then silence. */
  | { kind: 'stall' }
  /** Headers, then one byte every intervalMs (default 200) of a body that never ends. */
  | { kind: 'trickle'; intervalMs?: number }
  /** Headers, then a valid-looking body (stream chunks, or JSON) that keeps coming and never ends. */
  | { kind: 'endless'; intervalMs?: number }
  | { kind: 'reset' }
  | { kind: 'malformed-json' }
  | { kind: 'nonsense'; variant?: 'unknown-type' | 'string-coords' };

export interface RecordedRequest {
  /** The trajectory turn that was current when the request arrived. */
  turn: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** 'turn', a fault kind, or 'error <status>'. */
  reply: string;
}

export interface MockOpenAI {
  /** Base URL for the SDK, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  requests: RecordedRequest[];
  /** requestCounts[i]: requests made while turn i was next (faults and refusals included). */
  requestCounts: number[];
  /** Turns served so far. */
  readonly served: number;
  /** Replaces the trajectory and starts it over; clears requests and counts (faults stay queued). */
  setTrajectory(turns: MockTurn[]): void;
  /** Queues faults, consumed one per request before the trajectory. */
  injectFaults(faults: MockFault[]): void;
  /** Holds every model reply (POST) this long, as a hosted model takes to think; 0 = at once. */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export async function startMockOpenAI(opts: { apiKey?: string; /** Served by GET /v1/models; without it that route is 404, as on some servers. */ models?: string[] } & ChatMockOptions = {}): Promise<MockOpenAI> {
  let turns: MockTurn[] = [];
  let next = 0;
  const faults: MockFault[] = [];
  const requests: RecordedRequest[] = [];
  const requestCounts: number[] = [];
  /** response id -> its computer call ids, for previous_response_id. */
  const responses = new Map<string, string[]>();
  let latencyMs = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `mock failure: ${(err as Error).message}`, 'server_error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const record: RecordedRequest = { turn: next, method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, reply: '' };
    requests.push(record);
    requestCounts[next] = (requestCounts[next] ?? 0) + 1;
    const fail = (status: number, message: string, type = 'invalid_request_error', code: string | null = null, param: string | null = null) => {
      record.reply = `error ${status}`;
      sendError(res, status, message, type, code, param);
    };

    if (latencyMs > 0 && req.method === 'POST') await new Promise((r) => setTimeout(r, latencyMs));
    const path = req.url?.split('?')[0];
    if (req.method === 'GET' && path === '/v1/models' && opts.models) {
      if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) return fail(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
      record.reply = 'models';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: opts.models.map((m) => ({ id: m, object: 'model', created: 0, owned_by: 'mock' })) }));
      return;
    }
    if (req.method !== 'POST' || (path !== '/v1/responses' && path !== '/v1/chat/completions')) return fail(404, `Unknown request URL: ${req.method} ${req.url}.`, 'invalid_request_error', 'unknown_url');
    if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      return fail(401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key');
    }
    if (!isObject(body)) return fail(400, 'We could not parse the JSON body of your request.');
    if (path === '/v1/chat/completions') return handleChat({ body, res, fault: faults.shift(), turn: turns[next], turnCount: turns.length, record, advance: () => { next++; }, opts });

    const fault = faults.shift();
    if (fault) {
      record.reply = fault.kind;
      return applyFault(fault, res, body, responses);
    }

    const chainError = checkChain(body, responses);
    if (chainError) return fail(400, chainError.message, 'invalid_request_error', null, chainError.param);
    const turn = turns[next];
    if (!turn) return fail(400, `mock: the trajectory has no more turns (${turns.length} served)`, 'invalid_request_error', 'mock_trajectory_exhausted');

    const output = await outputFor(turn, body);
    next++;
    record.reply = 'turn';
    sendResponse(res, body, output, turn.usage, responses);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    requestCounts,
    get served() {
      return next;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setTrajectory(list) {
      list.forEach((t, i) => {
        if (!(t.actions && t.actions.length > 0) && t.text === undefined) throw new Error(`mock trajectory turn ${i} has neither actions nor text`);
      });
      turns = list;
      next = 0;
      requests.length = 0;
      requestCounts.length = 0;
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

function applyFault(fault: MockFault, res: ServerResponse, body: Record<string, unknown>, responses: Map<string, string[]>): void {
  if (applyHttpFault(fault, res)) return;
  switch (fault.kind) {
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id('req') });
      res.end('{"id": "resp_broken", "object": "response", "output": [{"type": "computer_call",');
      return;
    case 'nonsense': {
      const action = fault.variant === 'string-coords'
        ? { type: 'click', button: 'left', x: '120', y: '45' }
        : { type: 'teleport', x: 10, y: 20 };
      const output = [{ type: 'computer_call', id: id('cu'), call_id: id('call'), action, pending_safety_checks: [], status: 'completed' }];
      return sendResponse(res, body, output, undefined, responses);
    }
  }
}

// The real API refuses a chained request that leaves a computer call unanswered or answers an unknown one.
function checkChain(body: Record<string, unknown>, responses: Map<string, string[]>): { message: string; param: string } | undefined {
  const outputs = answeredCallIds(body);
  const prev = body.previous_response_id;
  if (prev === undefined || prev === null) {
    return outputs.length > 0 ? { message: `No tool call found for computer call output with call_id ${outputs[0]}.`, param: 'input' } : undefined;
  }
  const calls = responses.get(String(prev));
  if (!calls) return { message: `Previous response with id '${String(prev)}' not found.`, param: 'previous_response_id' };
  const missing = calls.find((c) => !outputs.includes(c));
  if (missing) return { message: `No tool output found for computer call ${missing}.`, param: 'input' };
  const unknown = outputs.find((o) => !calls.includes(o));
  if (unknown) return { message: `No tool call found for computer call output with call_id ${unknown}.`, param: 'input' };
  return undefined;
}

async function outputFor(turn: MockTurn, body: Record<string, unknown>): Promise<unknown[]> {
  const output: unknown[] = [];
  if (turn.thought) output.push({ type: 'reasoning', id: id('rs'), summary: [{ type: 'summary_text', text: turn.thought }] });
  const message = (text: string) => ({ type: 'message', id: id('msg'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });
  if (!turn.actions || turn.actions.length === 0) return [...output, message(turn.text ?? '')];

  let words: OcrWord[] | undefined;
  const actions: unknown[] = [];
  /** Function calls by the index of the computer action they come before, so the reply keeps the script's order. */
  const calls: { before: number; item: Record<string, unknown> }[] = [];
  for (const a of turn.actions) {
    if (isToolAction(a)) {
      calls.push({ before: actions.length, item: functionCallItem(a) });
      continue;
    }
    if (a.type !== 'click_text') {
      actions.push(a);
      continue;
    }
    const image = latestImage(body);
    if (!image) return [...output, message(`mock: click_text "${a.text}" needs a screenshot in the request, and there was none.`)];
    try {
      if (!words) {
        const { bytes, ext } = decodeDataUrl(image);
        words = await ocrWords(bytes, { ext, minConf: 0 });
      }
    } catch (err) {
      return [...output, message(`mock: could not read the screen to find "${a.text}": ${(err as Error).message}`)];
    }
    const box = findText(words, a.text);
    if (!box) return [...output, message(`mock: could not find the text "${a.text}" on the screen.`)];
    actions.push({ type: 'click', button: a.button ?? 'left', x: Math.floor(box.left + box.width / 2), y: Math.floor(box.top + box.height / 2) });
  }
  if (turn.text) output.push(message(turn.text));
  const call = (extra: Record<string, unknown>, checks: MockSafetyCheck[]) => ({
    type: 'computer_call', id: id('cu'), call_id: id('call'), ...extra, pending_safety_checks: checks, status: 'completed',
  });
  const callsBefore = (i: number) => calls.filter((c) => c.before === i).map((c) => c.item);
  if (turn.batch) output.push(...callsBefore(0), ...(actions.length > 0 ? [call({ actions }, turn.safetyChecks ?? [])] : []));
  else actions.forEach((action, i) => output.push(...callsBefore(i), call({ action }, i === 0 ? turn.safetyChecks ?? [] : [])));
  output.push(...calls.filter((c) => c.before >= (turn.batch ? 1 : actions.length)).map((c) => c.item));
  return output;
}

/** The last screenshot in the request: an input_image or a computer_call_output. */
function latestImage(body: Record<string, unknown>): string | undefined {
  let url: string | undefined;
  for (const item of Array.isArray(body.input) ? body.input.filter(isObject) : []) {
    if (item.type === 'computer_call_output' && isObject(item.output) && typeof item.output.image_url === 'string') url = item.output.image_url;
    if (Array.isArray(item.content)) {
      for (const part of item.content.filter(isObject)) if (part.type === 'input_image' && typeof part.image_url === 'string') url = part.image_url;
    }
  }
  return url;
}

function sendResponse(res: ServerResponse, body: Record<string, unknown>, output: unknown[], usage: MockTurn['usage'], responses: Map<string, string[]>): void {
  const respId = id('resp');
  responses.set(respId, callIdsOf(output));
  const u = usage ?? { input_tokens: 1500, output_tokens: 60 };
  const reply = {
    id: respId,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model: typeof body.model === 'string' ? body.model : 'computer-use-preview',
    previous_response_id: body.previous_response_id ?? null,
    truncation: body.truncation ?? 'disabled',
    tools: body.tools ?? [],
    output,
    usage: { input_tokens: u.input_tokens, output_tokens: u.output_tokens, total_tokens: u.input_tokens + u.output_tokens },
  };
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id('req') });
  res.end(JSON.stringify(reply));
}
