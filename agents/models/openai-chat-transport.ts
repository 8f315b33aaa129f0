// Chat Completions over the `openai` SDK, shared by the openai-chat and ui-tars planners: one request,
// streamed or not, returned as one untrusted completion object. Retries are the SDK's (408/409/429/5xx/
// connection, backoff + jitter, Retry-After); what still fails becomes a ModelError, and an abort always
// rejects at once with an AbortError. Error mapping follows openai-responses.ts.
import type OpenAI from 'openai';
import { abortError, createClient, toModelError, untilAborted, type ClientOptions } from './openai-client.ts';
import { ModelError } from './planner.ts';

export type ChatBody = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
export type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
export type ChatContentPart = OpenAI.Chat.Completions.ChatCompletionContentPart;

export interface ChatTransportOptions extends ClientOptions {
  /** Ask for a server-sent event stream and assemble it here. */
  stream?: boolean;
  /** With stream: send stream_options.include_usage (some servers refuse it). Default true. */
  streamUsage?: boolean;
}

export class ChatTransport {
  private readonly client: OpenAI;

  constructor(private readonly opts: ChatTransportOptions) {
    this.client = createClient(opts);
  }

  /** The completion as the server sent it (a stream is assembled into the same shape); not yet validated. */
  async complete(body: ChatBody, signal: AbortSignal): Promise<unknown> {
    if (signal.aborted) throw abortError(signal);
    try {
      if (!this.opts.stream) return await untilAborted((s) => this.client.chat.completions.create(body, { signal: s }), signal);
      const streamBody: OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming = {
        ...body,
        stream: true,
        ...(this.opts.streamUsage ?? true ? { stream_options: { include_usage: true } } : {}),
      };
      // Each chunk arrives after the SDK's fetch checks the request's signal; an abort ends the iteration.
      return await untilAborted(async (s) => {
        const stream = await this.client.chat.completions.create(streamBody, { signal: s });
        const acc = new ChunkAssembler();
        for await (const chunk of stream) acc.add(chunk);
        return acc.result();
      }, signal);
    } catch (err) {
      throw this.mapError(err, signal);
    }
  }

  private mapError(err: unknown, signal: AbortSignal): Error {
    return toModelError(err, signal, this.opts, 'chat completion');
  }

}

interface ToolCallAcc { id?: string; type?: string; name: string; arguments: string }

/**
 * Assembles chat.completion.chunk events into one chat.completion: content and refusal are
 * concatenated, tool calls are assembled by their `index` (the first delta carries id and name,
 * later ones carry argument fragments). Chunks are untrusted: a chunk that is not an object is
 * malformed; unknown fields are ignored.
 */
export class ChunkAssembler {
  private id: string | undefined;
  private model: string | undefined;
  private content: string | undefined;
  private reasoning: string | undefined;
  private refusal: string | undefined;
  private finishReason: string | null = null;
  private usage: unknown;
  private readonly calls: ToolCallAcc[] = [];
  private readonly byIndex = new Map<number, ToolCallAcc>();
  private chunks = 0;

  add(chunk: unknown): void {
    this.chunks++;
    if (!isObject(chunk)) throw new ModelError(`stream chunk ${this.chunks} is not an object`, 'malformed', chunk);
    if (typeof chunk.id === 'string' && !this.id) this.id = chunk.id;
    if (typeof chunk.model === 'string' && !this.model) this.model = chunk.model;
    if (isObject(chunk.usage)) this.usage = chunk.usage;
    if (chunk.choices === undefined || chunk.choices === null) return;
    if (!Array.isArray(chunk.choices)) throw new ModelError(`stream chunk ${this.chunks} has choices that are not an array`, 'malformed', chunk);
    // Only the first choice is used (n is never set), as in the non-streamed parse.
    const choice = chunk.choices.find((c) => isObject(c) && (c.index === undefined || c.index === 0));
    if (!isObject(choice)) return;
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (delta === undefined || delta === null) return;
    if (!isObject(delta)) throw new ModelError(`stream chunk ${this.chunks} has a delta that is not an object`, 'malformed', chunk);
    if (typeof delta.content === 'string') this.content = (this.content ?? '') + delta.content;
    if (typeof delta.refusal === 'string') this.refusal = (this.refusal ?? '') + delta.refusal;
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : typeof delta.reasoning === 'string' ? delta.reasoning : undefined;
    if (reasoning !== undefined) this.reasoning = (this.reasoning ?? '') + reasoning;
    if (delta.tool_calls === undefined || delta.tool_calls === null) return;
    if (!Array.isArray(delta.tool_calls)) throw new ModelError(`stream chunk ${this.chunks} has tool_calls that are not an array`, 'malformed', chunk);
    for (const part of delta.tool_calls) {
      if (!isObject(part)) throw new ModelError(`stream chunk ${this.chunks} has a tool call delta that is not an object`, 'malformed', chunk);
      const call = this.callFor(part);
      if (typeof part.id === 'string' && part.id) call.id = part.id;
      if (typeof part.type === 'string') call.type = part.type;
      const fn = part.function;
      if (isObject(fn)) {
        if (typeof fn.name === 'string') call.name += fn.name;
        if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
        else if (isObject(fn.arguments)) call.arguments += JSON.stringify(fn.arguments);
      }
    }
  }

  // By index when the server sends one (OpenAI, vLLM); some servers send each call whole without it.
  private callFor(part: Record<string, unknown>): ToolCallAcc {
    if (typeof part.index === 'number') {
      let call = this.byIndex.get(part.index);
      if (!call) {
        call = { name: '', arguments: '' };
        this.byIndex.set(part.index, call);
        this.calls.push(call);
      }
      return call;
    }
    const last = this.calls.at(-1);
    if (last && (typeof part.id !== 'string' || part.id === last.id)) return last;
    const call: ToolCallAcc = { name: '', arguments: '' };
    this.calls.push(call);
    return call;
  }

  /** The assembled completion, in the non-streamed shape. */
  result(): unknown {
    if (this.chunks === 0) throw new ModelError('the stream ended without any chunk', 'malformed');
    const toolCalls = this.calls.map((c) => ({ ...(c.id !== undefined ? { id: c.id } : {}), type: c.type ?? 'function', function: { name: c.name, arguments: c.arguments } }));
    return {
      ...(this.id !== undefined ? { id: this.id } : {}),
      object: 'chat.completion',
      ...(this.model !== undefined ? { model: this.model } : {}),
      choices: [{
        index: 0,
        message: {
          role: 'assistant',
          content: this.content ?? null,
          ...(this.refusal !== undefined ? { refusal: this.refusal } : {}),
          ...(this.reasoning !== undefined ? { reasoning_content: this.reasoning } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: this.finishReason,
      }],
      ...(this.usage !== undefined ? { usage: this.usage } : {}),
    };
  }
}

export { abortError };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
