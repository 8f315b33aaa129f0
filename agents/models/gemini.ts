// Planner adapter for Gemini computer use through generateContent (@google/genai). The computerUse tool
// goes with environment ENVIRONMENT_DESKTOP for the 3.x models (the 2.5 preview model knows only the
// browser) and the run's tools as function declarations beside it; what a desktop cannot do is excluded.
// Coordinates come on a 0-999 grid of the screenshot and are mapped to its pixels by the geometry module.
// Every function call gets a function response; the screenshot rides as inline PNG on the last computer
// call's, and only the 3 most recent turns keep theirs (as Google's reference client does).
import { ApiError, Environment, GoogleGenAI } from '@google/genai';
import type { Content, FunctionResponse, GenerateContentParameters, Part } from '@google/genai';
import { SCALE_TARGETS, targetFor } from '../desktop/geometry.ts';
import type { Size } from '../desktop/geometry.ts';
import { ModelError } from './planner.ts';
import type { ActionOutcome, Planner, PlannerContext, PlannerStep } from './planner.ts';
import { abortError, causes, untilAborted } from './openai-client.ts';
import { EXCLUDED_3, EXCLUDED_LEGACY } from './gemini-actions.ts';
import { parseGeminiResponse, type FunctionCallInfo } from './gemini-parse.ts';

export interface GeminiOptions {
  /** The Gemini API (the SDK's default) or a compatible server. */
  baseURL?: string;
  apiKey?: string;
  model?: string;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  /** SDK retries after the first attempt (408, 429, 5xx, network), with exponential backoff. */
  maxRetries?: number;
  scaleTargets?: readonly Size[];
  /** Turns that keep their screenshots (the reference client keeps 3). */
  keepScreenshotTurns?: number;
  systemInstruction?: string;
}

/** USD per million tokens (prompts up to 200k tokens). */
export const GEMINI_PRICES: Readonly<Record<string, { input: number; output: number }>> = {
  'gemini-2.5-computer-use-preview-10-2025': { input: 1.25, output: 10 },
};

/** The 2.5 computer-use preview speaks the legacy browser action set; later models the desktop one. */
export function isLegacyGemini(model: string): boolean {
  return /gemini-2\.5-computer-use/.test(model);
}

const SYSTEM = 'You operate a Linux desktop on behalf of the user. Do the task step by step; when it is done, reply with a short final answer and no function call. If you cannot do it, say why.';

export class GeminiPlanner implements Planner {
  readonly name = 'gemini';
  readonly supportsTools = true;
  readonly model: string;
  private readonly ai: GoogleGenAI;
  private readonly opts: GeminiOptions;
  private contents: Content[] = [];
  private pending: FunctionCallInfo[] = [];
  private replies = 0;

  constructor(opts: GeminiOptions = {}) {
    this.opts = opts;
    this.model = opts.model ?? 'gemini-3.5-flash';
    this.ai = new GoogleGenAI({
      apiKey: opts.apiKey ?? process.env.GEMINI_API_KEY ?? '',
      httpOptions: {
        ...(opts.baseURL ? { baseUrl: opts.baseURL } : {}),
        timeout: opts.timeoutMs ?? 120_000,
        retryOptions: { attempts: (opts.maxRetries ?? 2) + 1 },
        fetch: retryingFetch(opts.maxRetries ?? 2),
      },
    });
  }

  imageSizeFor(screen: Size): Size {
    // Coordinates are normalised, so the size only sets the detail and the tokens (tiles of 768 px).
    return targetFor(screen, this.opts.scaleTargets ?? SCALE_TARGETS);
  }

  async next(ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep> {
    if (signal.aborted) throw abortError(signal);
    // The operator declined an action Gemini asked to confirm: the interaction ends there, as Gemini expects.
    const declined = this.pending.find((c) => c.confirmation && ctx.outcomes.some((o) => o.callId === c.callId && o.status === 'rejected'));
    if (declined) {
      const o = ctx.outcomes.find((x) => x.callId === declined.callId && x.status === 'rejected') as Extract<ActionOutcome, { status: 'rejected' }>;
      this.pending = [];
      return { actions: [{ action: { type: 'fail', reason: `the operator declined ${declined.name}, which Gemini asked to confirm (${declined.confirmation}): ${o.reason}` } }] };
    }
    const turn = this.userTurn(ctx);
    const request = this.buildRequest(ctx, turn);
    let reply: unknown;
    try {
      reply = await untilAborted((s) => this.ai.models.generateContent({ ...request, config: { ...request.config, abortSignal: s } }), signal);
    } catch (err) {
      throw this.mapError(err, signal);
    }
    const parsed = parseGeminiResponse(reply, {
      image: ctx.screenshot.image,
      tools: new Set((ctx.tools ?? []).map((t) => t.name)),
      idPrefix: `gemini-${this.replies + 1}`,
      ...(GEMINI_PRICES[this.model] ? { price: GEMINI_PRICES[this.model]! } : {}),
    });
    this.replies++;
    const content = (reply as { candidates: Array<{ content?: Content }> }).candidates[0]?.content;
    this.contents.push(turn, { role: 'model', parts: content?.parts ?? [] });
    this.pending = parsed.calls;
    return parsed.step;
  }

  /** The request for a step; exposed for tests and the bench. */
  buildRequest(ctx: PlannerContext, turn: Content): GenerateContentParameters {
    const legacy = isLegacyGemini(this.model);
    const own = (ctx.tools ?? []).map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters }));
    return {
      model: this.model,
      contents: pruneScreenshots([...this.contents, turn], this.opts.keepScreenshotTurns ?? 3),
      config: {
        systemInstruction: [this.opts.systemInstruction ?? SYSTEM, ctx.instructions].filter(Boolean).join('\n\n'),
        tools: [
          { computerUse: { environment: legacy ? Environment.ENVIRONMENT_BROWSER : Environment.ENVIRONMENT_DESKTOP, excludedPredefinedFunctions: [...(legacy ? EXCLUDED_LEGACY : EXCLUDED_3)] } },
          ...(own.length ? [{ functionDeclarations: own }] : []),
        ],
        thinkingConfig: { includeThoughts: true },
      },
    };
  }

  private userTurn(ctx: PlannerContext): Content {
    const screenshot = inline(ctx.screenshot.dataUrl);
    const texts = [
      ...ctx.outcomes.filter((o) => !o.callId || !this.pending.some((p) => p.callId === o.callId)).flatMap(outcomeText),
      ...ctx.userMessages,
      ...(ctx.correction ? [ctx.correction] : []),
    ].map((text): Part => ({ text }));
    if (this.contents.length === 0 || this.pending.length === 0) {
      const opening = this.contents.length === 0 ? [ctx.task, ...(ctx.threadSummary ? [`Earlier in this thread:\n${ctx.threadSummary}`] : [])] : [];
      return { role: 'user', parts: [...opening.map((text) => ({ text })), ...texts, { inlineData: screenshot }] };
    }
    const lastComputer = this.pending.map((c) => c.kind).lastIndexOf('computer');
    const parts: Part[] = this.pending.map((call, i) => ({ functionResponse: response(call, ctx, i === lastComputer ? screenshot : undefined) }));
    return { role: 'user', parts: [...parts, ...texts] };
  }

  private mapError(err: unknown, signal: AbortSignal): Error {
    if (signal.aborted) return abortError(signal, err);
    if (err instanceof ModelError) return err;
    const attempts = `${(this.opts.maxRetries ?? 2) + 1} attempt(s)`;
    // The SDK aborts an attempt at its timeout without a reason of its own: an AbortError the caller did not ask for.
    if (err instanceof Error && err.name === 'AbortError') return new ModelError(`no reply from Gemini within ${this.opts.timeoutMs ?? 120_000} ms (${attempts})`, 'timeout', { error: err.message });
    if (err instanceof ApiError) return new ModelError(`Gemini API error (HTTP ${err.status}): ${apiMessage(err.message)}`, 'api', { status: err.status, error: err.message });
    if (err instanceof SyntaxError) return new ModelError(`Gemini's reply is not valid JSON: ${err.message}`, 'malformed', { error: err.message });
    if (err instanceof TypeError) {
      const why = causes(err.cause);
      return new ModelError(`could not reach the Gemini API (${attempts}): ${err.message}${why ? ` (${why})` : ''}`, 'network', { error: err.message, cause: why });
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * fetch that retries a refused or reset connection: Node reports those as TypeError('fetch failed'), and the
 * SDK's retry (p-retry 4) only knows the browsers' wording for network errors, so it would give up at once.
 */
function retryingFetch(retries: number): typeof fetch {
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetch(input, init);
      } catch (err) {
        if (!(err instanceof TypeError) || init?.signal?.aborted || attempt >= retries) throw err;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  };
}

/** A function response: the outcome of the call's actions (they share its id), the screenshot on the last computer call. */
function response(call: FunctionCallInfo, ctx: PlannerContext, screenshot: { mimeType: string; data: string } | undefined): FunctionResponse {
  const outcomes = ctx.outcomes.filter((o) => o.callId === call.callId);
  const bad = outcomes.find((o) => o.status === 'rejected' || o.status === 'failed');
  const tool = outcomes.flatMap((o) => (o.status === 'performed' && o.tool ? [o.tool] : []))[0];
  const acknowledged = outcomes.some((o) => o.status === 'performed' && o.acknowledgedSafetyChecks?.length);
  let body: Record<string, unknown>;
  if (outcomes.length === 0) body = { error: 'This action was not performed.' };
  else if (bad?.status === 'rejected') body = { error: `The operator rejected this action: ${bad.reason}` };
  else if (bad?.status === 'failed') body = { error: `The action failed: ${bad.error}` };
  else if (tool) body = tool.isError ? { error: tool.output } : { output: tool.output };
  else body = {};
  // The approval the model asked for was given: acknowledged as Google's reference client does.
  if (acknowledged && !bad) body.safety_acknowledgement = 'true';
  const images = [...(tool?.images ?? []).map((im) => inline(im.dataUrl)), ...(screenshot ? [screenshot] : [])];
  return {
    ...(call.apiId ? { id: call.apiId } : {}),
    name: call.name,
    response: body,
    ...(images.length ? { parts: images.map((inlineData) => ({ inlineData })) } : {}),
  };
}

/** Keeps images only in the `keep` most recent user turns that have any (function responses and the opening shot). */
export function pruneScreenshots(contents: Content[], keep: number): Content[] {
  let seen = 0;
  const out = [...contents];
  for (let i = out.length - 1; i >= 0; i--) {
    const c = out[i]!;
    if (c.role !== 'user' || !c.parts?.some(hasImage)) continue;
    if (++seen <= keep) continue;
    out[i] = {
      ...c,
      parts: c.parts.flatMap((p): Part[] => {
        if (p.inlineData) return [{ text: '(an older screenshot, left out)' }];
        if (p.functionResponse?.parts) {
          const { parts: _dropped, ...fr } = p.functionResponse;
          return [{ functionResponse: fr }];
        }
        return [p];
      }),
    };
  }
  return out;
}

function hasImage(p: Part): boolean {
  return Boolean(p.inlineData || p.functionResponse?.parts?.length);
}

function inline(dataUrl: string): { mimeType: string; data: string } {
  const m = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/is.exec(dataUrl);
  if (!m) throw new Error('a screenshot must be a base64 data URL');
  return { mimeType: m[1]!.toLowerCase(), data: m[2]! };
}

function outcomeText(o: ActionOutcome): string[] {
  switch (o.status) {
    case 'performed': return [];
    case 'rejected': return [`The operator rejected an action: ${o.reason}`];
    case 'failed': return [`An action failed: ${o.error}`];
    case 'answered': return [`The user answered: ${o.answer}`];
  }
}

// The SDK's message is the JSON error body: its error.message is the part worth showing.
function apiMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: shown as it is
  }
  return text;
}
