// Planner adapter for the OpenAI Responses API computer tool (computer-use-preview, or the newer
// `computer` tool). Retries are the SDK's (408/409/429/5xx/connection, backoff + jitter, Retry-After);
// what still fails becomes a ModelError, and an abort always rejects at once with an AbortError.
import type OpenAI from 'openai';
import { abortError, createClient, toModelError, untilAborted } from './openai-client.ts';
import type { ActionOutcome, Planner, PlannerContext, PlannerStep } from './planner.ts';
import { COMPACT_TARGETS, targetFor } from '../desktop/geometry.ts';
import type { Size } from '../desktop/geometry.ts';
import { parseResponsesOutput } from './openai-responses-parse.ts';
import type { ResponseCall } from './openai-responses-parse.ts';
import { callOutputs, DEFAULT_COMPACT_THRESHOLD, functionTools, modelDefaults } from './openai-responses-request.ts';
import type { ComputerToolType, ReasoningSummary } from './openai-responses-request.ts';

type CreateBody = OpenAI.Responses.ResponseCreateParamsNonStreaming;
type InputItem = OpenAI.Responses.ResponseInputItem;
type InputContent = OpenAI.Responses.ResponseInputContent;

export type ComputerEnvironment = 'linux' | 'ubuntu' | 'mac' | 'windows' | 'browser';

export interface OpenAIResponsesOptions {
  /** e.g. https://api.openai.com/v1 (the SDK's default) or a compatible server's /v1. */
  baseURL?: string;
  /** Falls back to OPENAI_API_KEY, as the SDK does. */
  apiKey?: string;
  model?: string;
  /** `computer_use_preview` sends the display size; the GA `computer` tool is just {type:'computer'}. Default: by model (openai-responses-request.ts). */
  toolType?: ComputerToolType;
  environment?: ComputerEnvironment;
  /** Screenshot sizes to pick from; default COMPACT_TARGETS. */
  scaleTargets?: readonly Size[];
  /** Per HTTP attempt, until the headers arrive. */
  timeoutMs?: number;
  /** Longest silence in the reply's body, and the whole attempt's limit (openai-client.ts). */
  idleTimeoutMs?: number;
  totalTimeoutMs?: number;
  /** SDK retries after the first attempt. */
  maxRetries?: number;
  instructions?: string;
  /** Ask for a reasoning summary (shown as the step's thought); 'off' never asks. Default: by model. */
  reasoningSummary?: ReasoningSummary | 'off';
  /** truncation: 'auto' (computer-use-preview requires it; deprecated elsewhere). Default: by model. */
  truncation?: boolean;
  /** Server-side compaction past this many tokens (context_management); false: none. Default: by model, 200k. */
  compactThreshold?: number | false;
}

/** USD per million tokens. Dated snapshots (name-YYYY-MM-DD) match their base name. */
export const MODEL_PRICES: Readonly<Record<string, { input: number; output: number }>> = {
  'computer-use-preview': { input: 3, output: 12 },
};

export function priceFor(model: string): { input: number; output: number } | undefined {
  return MODEL_PRICES[model] ?? MODEL_PRICES[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
}

export class OpenAIResponsesPlanner implements Planner {
  readonly name = 'openai-responses';
  readonly supportsTools = true;
  readonly model: string;
  private readonly client: OpenAI;
  private readonly opts: OpenAIResponsesOptions;
  private previousResponseId: string | undefined;
  /** Calls of the last accepted response: each must get a computer_call_output or function_call_output next. */
  private pendingCalls: ResponseCall[] = [];

  constructor(opts: OpenAIResponsesOptions = {}) {
    this.opts = opts;
    this.model = opts.model ?? 'computer-use-preview';
    this.client = createClient(opts);
  }

  imageSizeFor(screen: Size): Size {
    // Within 765 image tokens a step (1280x800 as is would cost 1,105).
    return targetFor(screen, this.opts.scaleTargets ?? COMPACT_TARGETS);
  }

  /** The id the next request chains from (undefined before the first step). */
  get lastResponseId(): string | undefined {
    return this.previousResponseId;
  }

  async next(ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep> {
    if (signal.aborted) throw abortError(signal);
    const body = this.buildBody(ctx);
    let response: unknown;
    try {
      response = await untilAborted((s) => this.client.responses.create(body, { signal: s }), signal);
    } catch (err) {
      throw this.mapError(err, signal);
    }
    // A reply we cannot use does not move the chain: the next request re-asks from the last good one.
    const price = priceFor(this.model);
    const parsed = parseResponsesOutput(response, { toolNames: functionTools(ctx.tools).map((t) => t.name), ...(price ? { price } : {}) });
    this.previousResponseId = parsed.responseId;
    this.pendingCalls = parsed.calls;
    return parsed.step;
  }

  /** The request body for a step; exposed for tests and for the event log. */
  buildBody(ctx: PlannerContext): CreateBody {
    const image = ctx.screenshot.image;
    const o = this.opts;
    const defaults = modelDefaults(this.model);
    const tool: OpenAI.Responses.Tool = (o.toolType ?? defaults.toolType) === 'computer'
      ? { type: 'computer' }
      : { type: 'computer_use_preview', display_width: image.width, display_height: image.height, environment: o.environment ?? 'linux' };
    const summary = o.reasoningSummary ?? defaults.reasoningSummary;
    const compactThreshold = o.compactThreshold ?? (defaults.compaction ? DEFAULT_COMPACT_THRESHOLD : false);
    return {
      model: this.model,
      tools: [tool, ...functionTools(ctx.tools)],
      ...(o.truncation ?? defaults.truncation ? { truncation: 'auto' as const } : {}),
      ...(compactThreshold !== false ? { context_management: [{ type: 'compaction', compact_threshold: compactThreshold }] } : {}),
      // The run's instructions (skills) join the adapter's own; the API does not chain them, so each request has them.
      ...(o.instructions || ctx.instructions ? { instructions: [o.instructions, ctx.instructions].filter(Boolean).join('\n\n') } : {}),
      ...(summary && summary !== 'off' ? { reasoning: { summary } } : {}),
      ...(this.previousResponseId ? { previous_response_id: this.previousResponseId } : {}),
      input: this.previousResponseId ? this.laterInput(ctx) : firstInput(ctx),
    };
  }

  private laterInput(ctx: PlannerContext): InputItem[] {
    const reported = new Set(ctx.outcomes.flatMap((o) => (o.callId ? [o.callId] : [])));
    // Only the calls of the response we chain from: the API refuses outputs for any other call_id.
    const items: InputItem[] = callOutputs(this.pendingCalls, ctx.outcomes, ctx.screenshot);
    const callIds = this.pendingCalls.filter((c) => c.kind === 'computer').map((c) => c.id);
    // A function call's outcome is told in its function_call_output, not again as text.
    const functionIds = new Set(this.pendingCalls.filter((c) => c.kind === 'function').map((c) => c.id));
    const texts = [
      ...callIds.filter((id) => !reported.has(id)).map((id) => `The action of call ${id} was not performed.`),
      ...ctx.outcomes.filter((o) => !(o.callId && functionIds.has(o.callId))).flatMap(outcomeText),
      ...ctx.userMessages,
      ...(ctx.correction ? [ctx.correction] : []),
    ];
    // Without a call output the model would not see the screen, so the screenshot rides on the message.
    const content: InputContent[] = texts.map((text) => ({ type: 'input_text', text }));
    if (callIds.length === 0) content.push({ type: 'input_image', image_url: ctx.screenshot.dataUrl, detail: 'auto' });
    if (content.length > 0) items.push({ role: 'user', content });
    return items;
  }

  private mapError(err: unknown, signal: AbortSignal): Error {
    return toModelError(err, signal, this.opts, 'response');
  }

}

function firstInput(ctx: PlannerContext): InputItem[] {
  const texts = [
    ctx.task,
    ...(ctx.threadSummary ? [`Earlier in this thread:\n${ctx.threadSummary}`] : []),
    ...ctx.outcomes.flatMap(outcomeText),
    ...ctx.userMessages,
    ...(ctx.correction ? [ctx.correction] : []),
  ];
  return [{
    role: 'user',
    content: [
      ...texts.map((text): InputContent => ({ type: 'input_text', text })),
      { type: 'input_image', image_url: ctx.screenshot.dataUrl, detail: 'auto' },
    ],
  }];
}

function outcomeText(o: ActionOutcome): string[] {
  const call = o.callId ? ` (call ${o.callId})` : '';
  switch (o.status) {
    case 'performed':
      return [];
    case 'rejected':
      return [`The operator rejected the action${call}: ${o.reason}`];
    case 'failed':
      return [`The action${call} failed: ${o.error}`];
    case 'answered':
      return [`The user answered: ${o.answer}`];
  }
}
