// Turns a Gemini generateContent reply into a PlannerStep. The reply is untrusted JSON: anything that
// cannot be used is a ModelError('malformed'). Function calls of the computer-use tool become desktop
// actions (gemini-actions.ts); calls of the run's own tools become tool actions. A call's
// safety_decision `require_confirmation` becomes a safety check, so the loop asks the operator in every mode.
import { z } from 'zod';
import type { Size } from '../desktop/geometry.ts';
import { ModelError } from './planner.ts';
import type { PlannerStep, ProposedAction, SafetyCheck, Usage } from './planner.ts';
import { issuesText } from './openai-actions.ts';
import { describe } from './anthropic-parse.ts';
import { geminiActions, PREDEFINED } from './gemini-actions.ts';

export interface FunctionCallInfo {
  /** The call's id, or one made up here when the API gave none (then not sent back). */
  callId: string;
  apiId?: string;
  name: string;
  /** A predefined computer-use function (its response carries the screenshot) or one of the run's tools. */
  kind: 'computer' | 'tool';
  /** The confirmation the model asked for, when it did. */
  confirmation?: string;
}

export interface ParsedGemini {
  step: PlannerStep;
  calls: FunctionCallInfo[];
}

export interface GeminiParseOptions {
  image: Size;
  /** Names of the run's tools offered as function declarations. */
  tools?: ReadonlySet<string>;
  /** USD per million tokens. */
  price?: { input: number; output: number };
  /** Prefix for call ids the API did not give (unique per reply). */
  idPrefix?: string;
}

const responseSchema = z.object({
  candidates: z.array(z.unknown()).nullish(),
  promptFeedback: z.object({ blockReason: z.string().nullish(), blockReasonMessage: z.string().nullish() }).nullish(),
  usageMetadata: z.object({
    promptTokenCount: z.number().nonnegative().nullish(),
    candidatesTokenCount: z.number().nonnegative().nullish(),
    thoughtsTokenCount: z.number().nonnegative().nullish(),
    cachedContentTokenCount: z.number().nonnegative().nullish(),
  }).nullish(),
  responseId: z.string().nullish(),
});
const candidateSchema = z.object({
  content: z.object({ role: z.string().nullish(), parts: z.array(z.unknown()).nullish() }).nullish(),
  finishReason: z.string().nullish(),
  finishMessage: z.string().nullish(),
});
const partSchema = z.object({
  text: z.string().nullish(),
  thought: z.boolean().nullish(),
  functionCall: z.unknown().optional(),
});
const callSchema = z.object({ id: z.string().min(1).nullish(), name: z.string().min(1), args: z.record(z.string(), z.unknown()).nullish() });
const safetySchema = z.object({ decision: z.string(), explanation: z.string().nullish() });

/** Finish reasons that mean the reply was withheld: the run ends with the reason, as with a refusal. */
const BLOCKED = new Set(['SAFETY', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'RECITATION', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT']);

export function parseGeminiResponse(raw: unknown, opts: GeminiParseOptions): ParsedGemini {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw malformed(`the reply is not a generateContent response, got ${describe(raw)}`, raw);
  if ('error' in raw && typeof (raw as { error?: unknown }).error === 'object') {
    const e = (raw as { error: { message?: unknown } }).error;
    throw new ModelError(`the API replied with an error: ${typeof e?.message === 'string' ? e.message : 'no message'}`, 'api', raw);
  }
  const res = responseSchema.safeParse(raw);
  if (!res.success) throw malformed(`the reply is not a generateContent response: ${issuesText(res.error)}`, raw);
  const r = res.data;
  const usage = toUsage(r.usageMetadata, opts.price);
  const common = { ...(r.responseId ? { responseId: r.responseId } : {}), ...(usage ? { usage } : {}) };
  if (r.promptFeedback?.blockReason) {
    throw new ModelError(`the request was blocked (${r.promptFeedback.blockReason})${r.promptFeedback.blockReasonMessage ? `: ${r.promptFeedback.blockReasonMessage}` : ''}`, 'api', raw);
  }
  if (!r.candidates || r.candidates.length === 0) throw malformed('the reply has no candidates', raw);
  const c = candidateSchema.safeParse(r.candidates[0]);
  if (!c.success) throw malformed(`candidates[0] is not a candidate: ${issuesText(c.error)}`, raw);
  const cand = c.data;
  const finish = cand.finishReason ?? undefined;
  if (finish === 'MALFORMED_FUNCTION_CALL') throw malformed(`the model produced a malformed function call${cand.finishMessage ? `: ${cand.finishMessage}` : ''}`, raw);
  if (finish === 'MAX_TOKENS') throw malformed('the reply was cut off at the token limit', raw);
  if (finish === 'UNEXPECTED_TOOL_CALL' || finish === 'TOO_MANY_TOOL_CALLS') throw malformed(`the model's tool calls were refused by the API (${finish})`, raw);

  const thoughts: string[] = [];
  const texts: string[] = [];
  const intents: string[] = [];
  const actions: ProposedAction[] = [];
  const calls: FunctionCallInfo[] = [];
  const parts = cand.content?.parts ?? [];
  parts.forEach((part, i) => {
    const p = partSchema.safeParse(part);
    if (!p.success) throw malformed(`part ${i} is not a content part: ${issuesText(p.error)}`, raw);
    if (p.data.functionCall === undefined || p.data.functionCall === null) {
      if (p.data.text?.trim()) (p.data.thought ? thoughts : texts).push(p.data.text);
      return;
    }
    const fc = callSchema.safeParse(p.data.functionCall);
    if (!fc.success) throw malformed(`part ${i} is a function call that is not valid: ${issuesText(fc.error)}`, raw);
    const { id, name } = fc.data;
    const args = { ...(fc.data.args ?? {}) };
    const callId = id ?? `${opts.idPrefix ?? 'gemini'}-${calls.length}`;
    if (calls.some((x) => x.callId === callId)) throw malformed(`function call id ${callId} appears twice`, raw);
    let checks: SafetyCheck[] = [];
    let confirmation: string | undefined;
    if (args.safety_decision !== undefined && args.safety_decision !== null) {
      const s = safetySchema.safeParse(args.safety_decision);
      if (!s.success) throw malformed(`${name}: safety_decision is not {decision, explanation}: ${issuesText(s.error)}`, raw);
      if (s.data.decision === 'require_confirmation') {
        confirmation = s.data.explanation ?? 'the model asks to confirm this action';
        checks = [{ id: callId, code: 'require_confirmation', message: confirmation }];
      } else if (s.data.decision !== 'regular' && s.data.decision !== 'allowed') {
        throw malformed(`${name}: unknown safety_decision "${s.data.decision}"`, raw);
      }
    }
    delete args.safety_decision;
    if (typeof args.intent === 'string' && args.intent.trim()) intents.push(args.intent.trim());
    delete args.intent;
    if (PREDEFINED.has(name)) {
      let list;
      try {
        list = geminiActions(name, args, opts.image);
      } catch (err) {
        if (err instanceof ModelError) throw malformed(`function call ${calls.length} (${name}): ${err.message}`, raw);
        throw err;
      }
      for (const action of list) actions.push({ action, callId, raw: { name, args: fc.data.args ?? {} }, ...(checks.length ? { safetyChecks: checks } : {}) });
      calls.push({ callId, ...(id ? { apiId: id } : {}), name, kind: 'computer', ...(confirmation ? { confirmation } : {}) });
    } else if (opts.tools?.has(name)) {
      actions.push({ action: { type: 'tool', name, input: args }, callId, raw: { name, args: fc.data.args ?? {} }, ...(checks.length ? { safetyChecks: checks } : {}) });
      calls.push({ callId, ...(id ? { apiId: id } : {}), name, kind: 'tool', ...(confirmation ? { confirmation } : {}) });
    } else {
      throw malformed(`the model called the unknown function "${name}"`, raw);
    }
  });

  if (actions.length > 0) {
    const thought = [...thoughts, ...texts, ...intents].join('\n\n');
    return { step: { ...common, ...(thought ? { thought } : {}), actions }, calls };
  }
  const withThought = thoughts.length ? { thought: thoughts.join('\n\n') } : {};
  if (finish && BLOCKED.has(finish)) {
    const reason = `the reply was withheld (${finish})${texts.length ? `: ${texts.join(' ')}` : ''}`;
    return { step: { ...common, ...withThought, actions: [{ action: { type: 'fail', reason }, raw: finish }] }, calls };
  }
  if (texts.length === 0) throw malformed(`the reply has neither a function call nor text (finishReason ${finish ?? 'none'})`, raw);
  const answer = texts.join('\n\n');
  return { step: { ...common, ...withThought, answer, actions: [{ action: { type: 'done', answer }, raw: texts }] }, calls };
}

function toUsage(u: z.infer<typeof responseSchema>['usageMetadata'], price?: { input: number; output: number }): Usage | undefined {
  if (!u || (u.promptTokenCount === undefined && u.candidatesTokenCount === undefined)) return undefined;
  const input = u.promptTokenCount ?? 0;
  // Thinking tokens are billed as output.
  const output = (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0);
  const usage: Usage = { inputTokens: input, outputTokens: output };
  if (u.cachedContentTokenCount) usage.cacheReadTokens = u.cachedContentTokenCount;
  if (price) usage.costUsd = (input * price.input + output * price.output) / 1_000_000;
  return usage;
}

function malformed(message: string, raw: unknown): ModelError {
  return new ModelError(message, 'malformed', raw);
}
