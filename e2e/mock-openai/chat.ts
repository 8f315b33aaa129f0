// POST /v1/chat/completions for the mock server: the same trajectory, faults and request recording as
// /v1/responses (server.ts routes here), served as tool calls when the request has tools, or as UI-TARS
// text ("Thought: ... Action: click(start_box='(x,y)')") when it has none; JSON or a server-sent event
// stream. It refuses what real servers refuse: images outside user messages, tool calls left without
// a tool message, more images than a server allows, tool_choice on a server without it.
// A turn's `batch` and `safetyChecks` are Responses-only and ignored here; in UI-TARS form a turn with
// actions is rendered from them (points in `uiTarsCoordinates` of the image sent), one without is its `text`.
import { applyHttpFault, isObject, sendError } from './http.ts';
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { imageToModel } from '../../agents/models/ui-tars-geometry.ts';
import type { UITarsCoordinates } from '../../agents/models/ui-tars-geometry.ts';
import { decodeDataUrl, findText, ocrWords } from './ocr.ts';
import type { OcrWord } from './ocr.ts';
import type { MockFault, MockTurn, RecordedRequest } from './server.ts';
import { chatToolCall, isToolAction } from './function-calls.ts';

export interface ChatMockOptions {
  /** Refuse a request with more images, as vLLM does with --limit-mm-per-prompt image=N. */
  maxImagesPerRequest?: number;
  /** Refuse any tool_choice, as servers started without tool-choice support do. */
  rejectToolChoice?: boolean;
  /** Refuse any request with tools, as servers without a tool-call parser do. */
  rejectTools?: boolean;
  /** How UI-TARS replies write the actions' points; default relative-1000. */
  uiTarsCoordinates?: UITarsCoordinates;
}

export interface ChatRoute {
  body: Record<string, unknown>;
  res: ServerResponse;
  fault: MockFault | undefined;
  /** The current trajectory turn, undefined when it is exhausted. */
  turn: MockTurn | undefined;
  turnCount: number;
  record: RecordedRequest;
  /** Marks the current turn served. */
  advance(): void;
  opts: ChatMockOptions;
}

interface ToolCall { id: string; type: 'function'; function: { name: string; arguments: string } }
interface Reply { content: string | null; toolCalls: ToolCall[]; finishReason: string; usage: { prompt_tokens: number; completion_tokens: number } }

const id = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

export async function handleChat(route: ChatRoute): Promise<void> {
  const { body, res, fault, turn, record } = route;
  const stream = body.stream === true;
  const fail = (status: number, message: string, type = 'invalid_request_error', code: string | null = null, param: string | null = null) => {
    record.reply = `error ${status}`;
    sendError(res, status, message, type, code, param);
  };
  if (fault) {
    record.reply = fault.kind;
    return applyChatFault(fault, body, res, stream);
  }
  const invalid = checkRequest(body, route.opts);
  if (invalid) return fail(400, invalid.message, 'invalid_request_error', null, invalid.param);
  if (!turn) return fail(400, `mock: the trajectory has no more turns (${route.turnCount} served)`, 'invalid_request_error', 'mock_trajectory_exhausted');

  const reply = await replyFor(turn, body, route.opts);
  route.advance();
  record.reply = 'turn';
  send(res, body, reply, stream);
}

/** What a real server would refuse with a 400, or undefined. */
function checkRequest(body: Record<string, unknown>, opts: ChatMockOptions): { message: string; param: string } | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return { message: "'messages' must be a non-empty array.", param: 'messages' };
  let images = 0;
  let pending: string[] = [];
  for (const [i, m] of messages.entries()) {
    if (!isObject(m) || typeof m.role !== 'string') return { message: `Invalid value for 'messages[${i}]': expected an object with a role.`, param: `messages[${i}]` };
    const parts = Array.isArray(m.content) ? m.content.filter(isObject) : [];
    const imageParts = parts.filter((p) => p.type === 'image_url').length;
    if (imageParts > 0 && m.role !== 'user') {
      return { message: `Image URLs are only allowed for messages with role 'user', but this message with role '${m.role}' contains an image URL.`, param: `messages[${i}]` };
    }
    images += imageParts;
    if (m.role === 'tool') {
      const answered = String(m.tool_call_id);
      if (!pending.includes(answered)) return { message: "Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls'.", param: `messages[${i}].role` };
      pending = pending.filter((p) => p !== answered);
      continue;
    }
    if (pending.length > 0) {
      return { message: `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pending.join(', ')}`, param: 'messages' };
    }
    if (m.role === 'assistant' && Array.isArray(m.tool_calls)) pending = m.tool_calls.filter(isObject).map((c) => String(c.id));
  }
  if (pending.length > 0) {
    return { message: `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pending.join(', ')}`, param: 'messages' };
  }
  if (opts.maxImagesPerRequest !== undefined && images > opts.maxImagesPerRequest) {
    return { message: `At most ${opts.maxImagesPerRequest} image(s) may be provided in one request.`, param: 'messages' };
  }
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  if (body.tools !== undefined && opts.rejectTools) return { message: 'tools are not supported: start the server with --enable-auto-tool-choice and a --tool-call-parser.', param: 'tools' };
  if (body.tool_choice !== undefined && opts.rejectToolChoice) return { message: `tool_choice ${JSON.stringify(body.tool_choice)} is not supported by this server.`, param: 'tool_choice' };
  if (body.tool_choice !== undefined && !hasTools) return { message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", param: 'tool_choice' };
  return undefined;
}

async function replyFor(turn: MockTurn, body: Record<string, unknown>, opts: ChatMockOptions): Promise<Reply> {
  const usage = { prompt_tokens: turn.usage?.input_tokens ?? 1500, completion_tokens: turn.usage?.output_tokens ?? 60 };
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  const text = (content: string): Reply => ({ content, toolCalls: [], finishReason: 'stop', usage });
  if (!turn.actions || turn.actions.length === 0) return text(turn.text ?? '');

  const image = latestImage(body);
  let words: OcrWord[] | undefined;
  const actions: Record<string, unknown>[] = [];
  for (const a of turn.actions) {
    if (a.type !== 'click_text') {
      actions.push({ ...a });
      continue;
    }
    if (!image) return text(`mock: click_text "${a.text}" needs a screenshot in the request, and there was none.`);
    try {
      if (!words) {
        const { bytes, ext } = decodeDataUrl(image);
        words = await ocrWords(bytes, { ext, minConf: 0 });
      }
    } catch (err) {
      return text(`mock: could not read the screen to find "${a.text}": ${(err as Error).message}`);
    }
    const box = findText(words, a.text);
    if (!box) return text(`mock: could not find the text "${a.text}" on the screen.`);
    actions.push({ type: 'click', button: a.button ?? 'left', x: Math.floor(box.left + box.width / 2), y: Math.floor(box.top + box.height / 2) });
  }
  if (tools) {
    const toolCalls = actions.map((a): ToolCall => {
      if (isToolAction(a)) return chatToolCall(a);
      const { type, ...rest } = a;
      return { id: id('call_'), type: 'function', function: { name: 'computer', arguments: JSON.stringify({ action: type, ...rest }) } };
    });
    return { content: [turn.thought, turn.text].filter(Boolean).join('\n\n') || null, toolCalls, finishReason: 'tool_calls', usage };
  }
  // UI-TARS: points are written in the space the model would use for the image it was sent.
  const size = image ? await imageSize(image) : undefined;
  const mode = opts.uiTarsCoordinates ?? 'relative-1000';
  const at = (x: unknown, y: unknown) => {
    if (!size) throw new Error('mock: a UI-TARS action with a point needs a screenshot in the request');
    const p = imageToModel({ x: Number(x), y: Number(y) }, mode, size, size);
    return `'<|box_start|>(${p.x},${p.y})<|box_end|>'`;
  };
  const calls = actions.map((a) => uiTarsCall(a, at));
  return text(`Thought: ${turn.thought ?? 'Next step.'}\nAction: ${calls.join('\n\n')}`);
}

function uiTarsCall(a: Record<string, unknown>, at: (x: unknown, y: unknown) => string): string {
  switch (a.type) {
    case 'click':
      return `${a.button === 'right' ? 'right_single' : 'click'}(start_box=${at(a.x, a.y)})`;
    case 'double_click':
      return `left_double(start_box=${at(a.x, a.y)})`;
    case 'move':
      return `hover(start_box=${at(a.x, a.y)})`;
    case 'drag': {
      const path = a.path as { x: number; y: number }[];
      return `drag(start_box=${at(path[0]!.x, path[0]!.y)}, end_box=${at(path.at(-1)!.x, path.at(-1)!.y)})`;
    }
    case 'keypress':
      return `hotkey(key='${(a.keys as string[]).map((k) => k.toLowerCase()).join(' ')}')`;
    case 'type':
      return `type(content='${String(a.text).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}')`;
    case 'scroll': {
      const sy = Number(a.scroll_y);
      const direction = sy !== 0 ? (sy > 0 ? 'down' : 'up') : Number(a.scroll_x) > 0 ? 'right' : 'left';
      return `scroll(start_box=${at(a.x, a.y)}, direction='${direction}')`;
    }
    case 'wait':
      return 'wait()';
    default:
      throw new Error(`mock: ${String(a.type)} has no UI-TARS form`);
  }
}

function applyChatFault(fault: MockFault, body: Record<string, unknown>, res: ServerResponse, stream: boolean): void {
  if (applyHttpFault(fault, res, stream)) return;
  switch (fault.kind) {
    case 'malformed-json':
      if (stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': id('req_') });
        res.end('data: {"id": "chatcmpl-broken", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0,\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id('req_') });
      res.end('{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "tool_calls": [');
      return;
    case 'nonsense': {
      const usage = { prompt_tokens: 1500, completion_tokens: 20 };
      const tools = Array.isArray(body.tools) && body.tools.length > 0;
      const strings = fault.variant === 'string-coords';
      if (tools) {
        const args = strings ? { action: 'click', x: '120', y: '45' } : { action: 'teleport', x: 10, y: 20 };
        return send(res, body, { content: null, toolCalls: [{ id: id('call_'), type: 'function', function: { name: 'computer', arguments: JSON.stringify(args) } }], finishReason: 'tool_calls', usage }, stream);
      }
      const content = strings ? "Thought: Click it.\nAction: click(start_box='(abc,def)')" : "Thought: Go there.\nAction: teleport(start_box='(10,20)')";
      return send(res, body, { content, toolCalls: [], finishReason: 'stop', usage }, stream);
    }
  }
}

function send(res: ServerResponse, body: Record<string, unknown>, reply: Reply, stream: boolean): void {
  const base = { id: id('chatcmpl-'), created: Math.floor(Date.now() / 1000), model: typeof body.model === 'string' ? body.model : 'mock-model' };
  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id('req_') });
    res.end(JSON.stringify({
      ...base, object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: reply.content, refusal: null, ...(reply.toolCalls.length > 0 ? { tool_calls: reply.toolCalls } : {}) }, finish_reason: reply.finishReason, logprobs: null }],
      usage: { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens },
    }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': id('req_') });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
  const delta = (d: Record<string, unknown>, finish: string | null = null) => chunk([{ index: 0, delta: d, finish_reason: finish, logprobs: null }]);
  delta({ role: 'assistant', content: '' });
  for (const piece of pieces(reply.content ?? '', 8)) delta({ content: piece });
  reply.toolCalls.forEach((c, index) => {
    delta({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] });
    for (const piece of pieces(c.function.arguments, 7)) delta({ tool_calls: [{ index, function: { arguments: piece } }] });
  });
  delta({}, reply.finishReason);
  const options = body.stream_options;
  if (isObject(options) && options.include_usage === true) chunk([], { usage: { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens } });
  res.end('data: [DONE]\n\n');
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The last image_url in the request's user messages. */
function latestImage(body: Record<string, unknown>): string | undefined {
  let url: string | undefined;
  for (const m of Array.isArray(body.messages) ? body.messages.filter(isObject) : []) {
    if (!Array.isArray(m.content)) continue;
    for (const part of m.content.filter(isObject)) {
      if (part.type === 'image_url' && isObject(part.image_url) && typeof part.image_url.url === 'string') url = part.image_url.url;
    }
  }
  return url;
}

async function imageSize(dataUrl: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(decodeDataUrl(dataUrl).bytes).metadata();
  if (!meta.width || !meta.height) throw new Error('mock: cannot read the size of the screenshot');
  return { width: meta.width, height: meta.height };
}
