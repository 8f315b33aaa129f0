// Planner adapter for the OpenAI Responses API computer tool (computer-use-preview, or the newer
// `computer` tool). Retries are the SDK's (408/409/429/5xx/connection, backoff + jitter, Retry-After);
// what still fails becomes a ModelError, and an abort always rejects at once with an AbortError.
import type OpenAI from 'openai';
import { abortError, createClient, toModelError, untilAborted } from './openai-client.ts';
import type { ActionOutcome, Planner, PlannerContext, PlannerStep, SafetyCheck } from './planner.ts';
import { COMPACT_TARGETS, targetFor } from '../desktop/geometry.ts';
import type { Size } from '../desktop/geometry.ts';
import { parseResponsesOutput } from './openai-responses-parse.ts';

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
  /** `computer_use_preview` sends the display size; the newer `computer` tool is just {type:'computer'}. */
  toolType?: 'computer_use_preview' | 'computer';
  environment?: ComputerEnvironment;
  /** Screenshot sizes to pick from; default COMPACT_TARGETS. */
  scaleTargets?: readonly Size[];
  /** Per HTTP attempt. */
  timeoutMs?: number;
  /** SDK retries after the first attempt. */
  maxRetries?: number;
  instructions?: string;
  reasoningSummary?: 'auto' | 'concise' | 'detailed';
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
  readonly model: string;
  private readonly client: OpenAI;
  private readonly opts: OpenAIResponsesOptions;
  private previousResponseId: string | undefined;
  /** call_ids of the last accepted response: each must get a computer_call_output next. */
  private pendingCallIds: string[] = [];

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
    const parsed = parseResponsesOutput(response, priceFor(this.model));
    this.previousResponseId = parsed.responseId;
    this.pendingCallIds = parsed.callIds;
    return parsed.step;
  }

  /** The request body for a step; exposed for tests and for the event log. */
  buildBody(ctx: PlannerContext): CreateBody {
    const image = ctx.screenshot.image;
    const tool: OpenAI.Responses.Tool = this.opts.toolType === 'computer'
      ? { type: 'computer' }
      : { type: 'computer_use_preview', display_width: image.width, display_height: image.height, environment: this.opts.environment ?? 'linux' };
    return {
      model: this.model,
      tools: [tool],
      truncation: 'auto',
      ...(this.opts.instructions ? { instructions: this.opts.instructions } : {}),
      ...(this.opts.reasoningSummary ? { reasoning: { summary: this.opts.reasoningSummary } } : {}),
      ...(this.previousResponseId ? { previous_response_id: this.previousResponseId } : {}),
      input: this.previousResponseId ? this.laterInput(ctx) : firstInput(ctx),
    };
  }

  private laterInput(ctx: PlannerContext): InputItem[] {
    const items: InputItem[] = [];
    const reported = new Set(ctx.outcomes.flatMap((o) => (o.callId ? [o.callId] : [])));
    // Only the calls of the response we chain from: the API refuses outputs for any other call_id.
    const callIds = this.pendingCallIds;
    for (const callId of callIds) {
      const acks = dedupeChecks(ctx.outcomes.flatMap((o) => (o.callId === callId && o.status === 'performed' ? o.acknowledgedSafetyChecks ?? [] : [])));
      items.push({
        type: 'computer_call_output',
        call_id: callId,
        output: { type: 'computer_screenshot', image_url: ctx.screenshot.dataUrl },
        ...(acks.length > 0 ? { acknowledged_safety_checks: acks } : {}),
      });
    }
    const texts = [
      ...callIds.filter((id) => !reported.has(id)).map((id) => `The action of call ${id} was not performed.`),
      ...ctx.outcomes.flatMap(outcomeText),
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

function dedupeChecks(checks: SafetyCheck[]): SafetyCheck[] {
  const seen = new Map<string, SafetyCheck>();
  for (const c of checks) if (!seen.has(c.id)) seen.set(c.id, { id: c.id, code: c.code, message: c.message });
  return [...seen.values()];
}
