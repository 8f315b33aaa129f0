// Planner adapter for Chat Completions with a `computer` function tool: any OpenAI-compatible vision
// endpoint (OpenAI, Azure, vLLM, Ollama, LM Studio, OpenRouter). Screenshots go in user messages as
// image_url data URLs; tool results are text only (servers reject images there); options a server may
// not support (tool_choice, parallel_tool_calls, stream usage) can be switched off.
import type OpenAI from 'openai';
import type { ActionOutcome, Planner, PlannerContext, PlannerStep } from './planner.ts';
import { COMPACT_TARGETS, targetFor } from '../desktop/geometry.ts';
import type { Size } from '../desktop/geometry.ts';
import { priceFor } from './openai-responses.ts';
import { ChatTransport } from './openai-chat-transport.ts';
import type { ChatBody, ChatContentPart, ChatMessage, ChatTransportOptions } from './openai-chat-transport.ts';
import { contextTexts, imagePart, limitImages, outcomeText, textPart } from './openai-chat-history.ts';
import { chatFunctionTools, COMPUTER_TOOL, COMPUTER_TOOL_NAME, parseChatCompletion } from './openai-chat-parse.ts';
import type { ToolSpec } from '../tools/tool.ts';
import { toolOutcomeText } from './openai-tool-outcome.ts';

export interface OpenAIChatOptions extends ChatTransportOptions {
  /** Default gpt-4o. */
  model?: string;
  /** Screenshots kept in each request, newest first; older ones become a text note. Default 3. */
  imagesPerRequest?: number;
  /** true (default): tool_choice 'required'; false: omitted (servers without tool_choice support). */
  toolChoice?: boolean;
  /** Sent as parallel_tool_calls when set; omitted (the server's default) when undefined. */
  parallelToolCalls?: boolean;
  temperature?: number;
  /** The reply's token limit, sent under `maxTokensField`. */
  maxTokens?: number;
  /**
   * max_completion_tokens (OpenAI: reasoning models refuse max_tokens, which its schema deprecates) or
   * max_tokens (what vLLM, Ollama and LM Studio have long known). Default: by the base URL, see maxTokensFieldFor.
   */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  systemPrompt?: string;
  /** image_url.detail; omitted by default (OpenAI then uses auto). */
  imageDetail?: 'auto' | 'low' | 'high';
  /** Image sizes the screen is scaled to (closest aspect ratio wins); default CHAT_SCALE_TARGETS. */
  scaleTargets?: readonly Size[];
}

/**
 * Default image sizes: at most 1024 px wide so a screenshot is 2x2 high-detail tiles (765 tokens).
 * geometry's SCALE_TARGETS would send 1280x800 as is: 3x2 tiles, 1,105 tokens, over the 1,100 budget.
 */
export const CHAT_SCALE_TARGETS: readonly Size[] = COMPACT_TARGETS;

export const DEFAULT_CHAT_SYSTEM_PROMPT = [
  'You operate a Linux desktop for the user through the `computer` tool.',
  'Each user message ends with a screenshot of the screen. Coordinates are pixels of the latest screenshot: (0, 0) is its top-left corner, and x and y must be less than its width and height.',
  'Call the tool for each action; several calls in one reply are performed in order, and you then see a new screenshot.',
  'When the task is complete, call it with action "done" and an answer; if it cannot be done, "fail" with a reason; if you need the operator, "ask_user" with a question.',
].join('\n');

export class OpenAIChatPlanner implements Planner {
  readonly name = 'openai-chat';
  readonly supportsTools = true;
  readonly model: string;
  private readonly transport: ChatTransport;
  private readonly opts: OpenAIChatOptions;
  /** The conversation so far (without the system prompt); only accepted replies are added. */
  private history: ChatMessage[] = [];
  /** Tool call ids of the last accepted reply: each must get a role:'tool' message next. */
  private pendingCallIds: string[] = [];
  /** Of those, the calls of the run's tools (id -> tool name); the rest are `computer` calls. */
  private pendingToolCalls = new Map<string, string>();

  constructor(opts: OpenAIChatOptions = {}) {
    this.opts = opts;
    this.model = opts.model ?? 'gpt-4o';
    this.transport = new ChatTransport(opts);
    if (opts.imagesPerRequest !== undefined && (!Number.isInteger(opts.imagesPerRequest) || opts.imagesPerRequest < 1)) {
      throw new RangeError(`imagesPerRequest must be a whole number >= 1, got ${opts.imagesPerRequest}`);
    }
  }

  imageSizeFor(screen: Size): Size {
    return targetFor(screen, this.opts.scaleTargets ?? CHAT_SCALE_TARGETS);
  }

  /** The messages kept so far (for tests and the event log). */
  get messages(): readonly ChatMessage[] {
    return this.history;
  }

  async next(ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep> {
    const turn = this.turnMessages(ctx);
    const body = this.buildBody(turn, ctx.tools, ctx.instructions);
    const raw = await this.transport.complete(body, signal);
    // A reply we cannot use is not kept: the next request re-asks from the last good state.
    const price = priceFor(this.model);
    const toolNames = chatFunctionTools(ctx.tools).map((t) => t.function.name);
    const parsed = parseChatCompletion(raw, { image: ctx.screenshot.image, toolNames, ...(price ? { price } : {}) });
    const r = parsed.reply;
    const assistant: OpenAI.Chat.Completions.ChatCompletionAssistantMessageParam = {
      role: 'assistant',
      content: r.content || null,
      ...(r.toolCalls.length > 0
        ? { tool_calls: r.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) } })) }
        : {}),
    };
    this.history = limitImages([...this.history, ...turn, assistant], this.opts.imagesPerRequest ?? 3);
    this.pendingCallIds = parsed.callIds;
    this.pendingToolCalls = new Map(r.toolCalls.filter((c) => c.name !== COMPUTER_TOOL_NAME).map((c) => [c.id, c.name]));
    return parsed.step;
  }

  /** The request body for the given new messages and the run's tools offered at this step; exposed for tests. */
  buildBody(turn: ChatMessage[], tools?: readonly ToolSpec[], instructions?: string): ChatBody {
    const o = this.opts;
    const system = [o.systemPrompt ?? DEFAULT_CHAT_SYSTEM_PROMPT, instructions].filter(Boolean).join('\n\n');
    const messages = limitImages([{ role: 'system', content: system }, ...this.history, ...turn], o.imagesPerRequest ?? 3);
    return {
      model: this.model,
      messages,
      tools: [COMPUTER_TOOL, ...chatFunctionTools(tools)],
      ...(o.toolChoice ?? true ? { tool_choice: 'required' as const } : {}),
      ...(o.parallelToolCalls !== undefined ? { parallel_tool_calls: o.parallelToolCalls } : {}),
      ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
      ...(o.maxTokens !== undefined ? { [o.maxTokensField ?? maxTokensFieldFor(o.baseURL)]: o.maxTokens } : {}),
    };
  }

  /** This step's new messages: a tool result per pending call, then a user message with the screenshot. */
  turnMessages(ctx: PlannerContext): ChatMessage[] {
    const messages: ChatMessage[] = [];
    const byCall = new Map<string, ActionOutcome[]>();
    const loose: ActionOutcome[] = [];
    for (const o of ctx.outcomes) {
      if (o.callId && this.pendingCallIds.includes(o.callId)) byCall.set(o.callId, [...(byCall.get(o.callId) ?? []), o]);
      else loose.push(o);
    }
    const toolImages: ChatContentPart[] = [];
    for (const id of this.pendingCallIds) {
      const tool = this.pendingToolCalls.get(id);
      const outcomes = byCall.get(id) ?? [];
      if (tool === undefined) {
        messages.push({ role: 'tool', tool_call_id: id, content: toolResult(outcomes) });
        continue;
      }
      // A tool's output is the whole answer to its call; its images (servers refuse them in tool messages) ride on the user message.
      const outcome = outcomes[0];
      messages.push({ role: 'tool', tool_call_id: id, content: outcome ? toolOutcomeText(outcome, tool) : `The ${tool} call was not performed.` });
      const images = outcome?.status === 'performed' ? outcome.tool?.images ?? [] : [];
      if (images.length > 0) toolImages.push(textPart(`Image(s) from the ${tool} call ${id}:`), ...images.map((i) => imagePart({ dataUrl: i.dataUrl, image: ctx.screenshot.image }, this.opts.imageDetail)));
    }

    const first = this.history.length === 0;
    const texts = [
      ...(first ? [ctx.task] : []),
      ...loose.flatMap((o) => outcomeText(o, 'the action') ?? []),
      ...contextTexts(ctx),
    ];
    const { width, height } = ctx.screenshot.image;
    const content: ChatContentPart[] = [
      ...texts.map(textPart),
      ...toolImages,
      textPart(`${first ? 'The screen' : 'The screen now'} (${width}x${height} pixels):`),
      imagePart(ctx.screenshot, this.opts.imageDetail),
    ];
    messages.push({ role: 'user', content });
    return messages;
  }
}

/** The text of a role:'tool' message: what happened to the call's action(s). */
function toolResult(outcomes: ActionOutcome[]): string {
  if (outcomes.length === 0) return 'Not performed.';
  const lines = outcomes.map((o) => o.status === 'performed' ? 'Performed.' : outcomeText(o, 'this action')!);
  const unique = [...new Set(lines)];
  const performed = outcomes.every((o) => o.status === 'performed' || o.status === 'answered');
  return `${unique.join(' ')}${performed ? ' The new screenshot follows.' : ''}`;
}

/**
 * Which field carries the token limit: OpenAI's own API (and Azure's) gets max_completion_tokens, which
 * its reasoning models require; any other server (the vLLM, Ollama, LM Studio, OpenRouter presets, a custom
 * URL) gets max_tokens, the field every OpenAI-compatible server has long accepted.
 */
export function maxTokensFieldFor(baseURL: string | undefined): 'max_completion_tokens' | 'max_tokens' {
  if (baseURL === undefined) return 'max_completion_tokens'; // the SDK's default: api.openai.com
  const host = URL.canParse(baseURL) ? new URL(baseURL).hostname : '';
  return host === 'api.openai.com' || host.endsWith('.openai.azure.com') ? 'max_completion_tokens' : 'max_tokens';
}
