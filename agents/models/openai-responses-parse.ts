// Turns a Responses API reply into a PlannerStep. The reply is untrusted JSON: every field that
// decides an action is checked, and anything that cannot be used is a ModelError('malformed').
import { z } from 'zod';
import { ModelError } from './planner.ts';
import type { PlannerStep, ProposedAction, SafetyCheck, Usage } from './planner.ts';
import { issuesText, toAgentActions, toToolAction } from './openai-actions.ts';

/** A call of the reply that must be answered in the next request, by its kind of output item. */
export type ResponseCall = { kind: 'computer'; id: string } | { kind: 'function'; id: string; name: string };

export interface ParsedResponse {
  step: PlannerStep;
  responseId: string;
  /** call_ids of the computer calls, in order; each needs a computer_call_output next time. */
  callIds: string[];
  /** Every call in reply order: computer calls and function calls (each needs a function_call_output). */
  calls: ResponseCall[];
}

export interface ResponsesParseOptions {
  price?: { input: number; output: number };
  /** Names of the run's tools the model was offered as functions; a function_call of any other name is refused. */
  toolNames?: readonly string[];
}

const responseSchema = z.object({
  id: z.string().min(1),
  status: z.string().optional(),
  output: z.array(z.unknown()),
  error: z.object({ message: z.string().optional(), code: z.string().nullish() }).nullish(),
  incomplete_details: z.object({ reason: z.string().nullish() }).nullish(),
  usage: z.object({ input_tokens: z.number().nonnegative(), output_tokens: z.number().nonnegative() }).nullish(),
});

const itemSchema = z.object({ type: z.string() });
const reasoningSchema = z.object({ summary: z.array(z.object({ type: z.string(), text: z.string().optional() })).nullish() });
const messageSchema = z.object({ content: z.array(z.object({ type: z.string(), text: z.string().optional(), refusal: z.string().optional() })) });
const computerCallSchema = z.object({
  call_id: z.string().min(1),
  action: z.unknown().optional(),
  actions: z.array(z.unknown()).nullish(),
  pending_safety_checks: z.array(z.object({ id: z.string().min(1), code: z.string().nullish(), message: z.string().nullish() })).nullish(),
});
const functionCallSchema = z.object({
  call_id: z.string().min(1),
  name: z.string({ error: (issue) => (issue.input === undefined ? 'the function call has no name' : undefined) }),
  arguments: z.unknown(),
});

export function parseResponsesOutput(raw: unknown, opts: ResponsesParseOptions = {}): ParsedResponse {
  const price = opts.price;
  const res = responseSchema.safeParse(raw);
  if (!res.success) throw malformed(`the reply is not a response with an output array: ${issuesText(res.error)}`, raw);
  const r = res.data;
  if (r.status === 'failed') {
    throw new ModelError(`the model failed the response: ${r.error?.message ?? 'no reason given'}`, 'api', raw);
  }
  const reasoning: string[] = [];
  const texts: string[] = [];
  const refusals: string[] = [];
  const actions: ProposedAction[] = [];
  const callIds: string[] = [];
  const calls: ResponseCall[] = [];
  r.output.forEach((item, i) => {
    const head = itemSchema.safeParse(item);
    if (!head.success) throw malformed(`output[${i}] has no type`, raw);
    if (head.data.type === 'reasoning') {
      const s = reasoningSchema.safeParse(item);
      for (const part of s.success ? s.data.summary ?? [] : []) if (part.text) reasoning.push(part.text);
    } else if (head.data.type === 'message') {
      const m = messageSchema.safeParse(item);
      if (!m.success) throw malformed(`output[${i}] is a message without a content array`, raw);
      for (const c of m.data.content) {
        if (c.type === 'output_text' && c.text) texts.push(c.text);
        if (c.type === 'refusal' && c.refusal) refusals.push(c.refusal);
      }
    } else if (head.data.type === 'computer_call') {
      const c = computerCallSchema.safeParse(item);
      if (!c.success) throw malformed(`output[${i}] is a computer_call that is not valid: ${issuesText(c.error)}`, raw);
      const list = c.data.actions && c.data.actions.length > 0 ? c.data.actions : c.data.action !== undefined ? [c.data.action] : [];
      if (list.length === 0) throw malformed(`computer_call ${c.data.call_id} has no action`, raw);
      const checks: SafetyCheck[] = (c.data.pending_safety_checks ?? []).map((s) => ({ id: s.id, code: s.code ?? '', message: s.message ?? '' }));
      list.forEach((a, j) => {
        let parsed;
        try {
          parsed = toAgentActions(a, { extras: false });
        } catch (err) {
          const where = list.length > 1 ? `computer_call ${c.data.call_id} action ${j}` : `computer_call ${c.data.call_id}`;
          throw malformed(`${where}: ${(err as Error).message}`, raw);
        }
        for (const action of parsed) {
          actions.push({ action, callId: c.data.call_id, raw: a, ...(checks.length > 0 ? { safetyChecks: checks } : {}) });
        }
      });
      callIds.push(c.data.call_id);
      calls.push({ kind: 'computer', id: c.data.call_id });
    } else if (head.data.type === 'function_call') {
      const f = functionCallSchema.safeParse(item);
      if (!f.success) throw malformed(`output[${i}] is a function_call that is not valid: ${issuesText(f.error)}`, raw);
      let action;
      try {
        action = toToolAction(f.data.name, f.data.arguments, opts.toolNames ?? []);
      } catch (err) {
        throw malformed(`function_call ${f.data.call_id}: ${(err as Error).message}`, raw);
      }
      actions.push({ action, callId: f.data.call_id, raw: { name: f.data.name, arguments: f.data.arguments } });
      calls.push({ kind: 'function', id: f.data.call_id, name: f.data.name });
    }
    // Other item types (web search, etc.) carry no desktop action and are left out.
  });

  const usage = toUsage(r.usage, price);
  const common = { responseId: r.id, ...(usage ? { usage } : {}) };
  if (actions.length > 0) {
    const thought = [...reasoning, ...texts].join('\n\n');
    return { responseId: r.id, callIds, calls, step: { ...common, ...(thought ? { thought } : {}), actions } };
  }
  const thought = reasoning.join('\n\n');
  const withThought = thought ? { thought } : {};
  if (texts.length > 0) {
    const answer = texts.join('\n\n');
    return { responseId: r.id, callIds, calls, step: { ...common, ...withThought, answer, actions: [{ action: { type: 'done', answer }, raw: texts }] } };
  }
  if (refusals.length > 0) {
    const reason = `the model refused: ${refusals.join(' ')}`;
    return { responseId: r.id, callIds, calls, step: { ...common, ...withThought, actions: [{ action: { type: 'fail', reason }, raw: refusals }] } };
  }
  if (r.status === 'incomplete') throw malformed(`the response is incomplete (${r.incomplete_details?.reason ?? 'no reason given'}) and has no action`, raw);
  throw malformed('the response has neither a computer_call, a function_call nor a message', raw);
}

function toUsage(u: { input_tokens: number; output_tokens: number } | null | undefined, price?: { input: number; output: number }): Usage | undefined {
  if (!u) return undefined;
  const usage: Usage = { inputTokens: u.input_tokens, outputTokens: u.output_tokens };
  if (price) usage.costUsd = (u.input_tokens * price.input + u.output_tokens * price.output) / 1_000_000;
  return usage;
}

function malformed(message: string, raw: unknown): ModelError {
  return new ModelError(message, 'malformed', raw);
}
