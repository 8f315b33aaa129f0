// The run's event union: every fact the loop appends to the log, before it acts on it. This zod
// schema is the one definition: the TypeScript types are inferred from it, and the contract
// re-exports it for both transports.
import { z } from 'zod';
import { desktopActionSchema } from '../desktop/actions.ts';
import { agentActionSchema } from '../models/planner.ts';
import { RUN_STATUSES, type StoredEvent } from '../store/types.ts';

export const approvalModeSchema = z.enum(['always', 'risky', 'never']);
export type ApprovalMode = z.infer<typeof approvalModeSchema>;

const limit = z.number().positive().optional();
/** Limits on tokens and cost (USD) per run, per thread and per (local) day; `atLimit`: ask the operator to raise or stop, or stop. */
export const budgetsSchema = z.object({
  runTokens: limit, runCostUsd: limit, threadTokens: limit, threadCostUsd: limit, dayTokens: limit, dayCostUsd: limit,
  atLimit: z.enum(['ask', 'stop']),
});
export type Budgets = z.infer<typeof budgetsSchema>;

const words = z.array(z.string().min(1).max(200)).max(100).optional();
const windowMatchSchema = z.object({ classes: words, titles: words });
/** Windows (by WM_CLASS class or title) and screen areas blacked out of screenshots, beside the password managers always masked. */
export const privacySchema = z.object({
  windowClasses: words, windowTitles: words,
  areas: z.array(z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() })).max(50).optional(),
  /** Card numbers and key-shaped strings found by OCR blacked out too; unset: on for the user's own screen, off in a sandbox (OCR costs about 0.6 s a step). */
  maskSecretText: z.boolean().optional(),
});
/** Which windows the run may not (deny) or only (allow) act on; askNew: on the user's own screen, ask before acting in a window not open at the start (unset: yes). */
export const windowPolicySchema = z.object({ deny: windowMatchSchema.optional(), allow: windowMatchSchema.optional(), askNew: z.boolean().optional() });

export const runOptionsSchema = z.object({
  approve: approvalModeSchema,
  maxSteps: z.number().int().positive().max(10_000),
  maxSeconds: z.number().positive().max(7 * 24 * 3600),
  /** Re-asks after an unusable model reply before the run fails. */
  maxModelRetries: z.number().int().nonnegative().max(10),
  /** The same action on an unchanged screen this many times is a loop. */
  loopThreshold: z.number().int().min(2).max(100),
  /** None: no limit but maxSteps and maxSeconds. */
  budgets: budgetsSchema.optional(),
  privacy: privacySchema.optional(),
  windows: windowPolicySchema.optional(),
});
export type RunOptions = z.infer<typeof runOptionsSchema>;

export const DEFAULT_RUN_OPTIONS: RunOptions = { approve: 'risky', maxSteps: 50, maxSeconds: 1800, maxModelRetries: 2, loopThreshold: 3 };

export const approvalDecisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }),
  z.object({ decision: z.literal('reject'), reason: z.string().max(2000).optional() }),
  z.object({ decision: z.literal('edit'), action: desktopActionSchema }),
  // An edited tool call runs as edited: the operator changed its input (a command, a path).
  z.object({ decision: z.literal('edit_tool'), input: z.record(z.string(), z.unknown()) }),
]);
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

/** Who decided an approval: the person at this machine (Electron, the CLI's terminal) or an operator through `serve`. */
export const approverSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({ kind: z.literal('remote'), address: z.string().max(200) }),
]);
export type Approver = z.infer<typeof approverSchema>;

/** The approver a transport attached to a decision (AppService sets it from the caller, never from the input); local when none. */
export function approverOf(decision: ApprovalDecision): Approver {
  const parsed = approverSchema.safeParse((decision as { by?: unknown }).by);
  return parsed.success ? parsed.data : { kind: 'local' };
}

const size = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });
export const usageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number().optional(), cacheReadTokens: z.number().optional() });
const safetyCheck = z.object({ id: z.string(), code: z.string(), message: z.string() });
const step = z.number();

export const runEventSchema = z.union([
  z.object({
    type: z.literal('run_started'), task: z.string(), provider: z.string(), model: z.string().optional(), display: z.string(), screen: size, options: runOptionsSchema,
    /** The tools the run had (empty: the screen only). */
    tools: z.array(z.string()).optional(),
  }),
  /** The loop's own statement of the run's status; the store's row and every UI read it from here. */
  z.object({ type: z.literal('run_status'), status: z.enum(RUN_STATUSES) }),
  z.object({ type: z.literal('step_started'), step }),
  z.object({ type: z.literal('screenshot_captured'), step, ref: z.string(), image: size, screen: size, ms: z.number() }),
  z.object({ type: z.literal('model_requested'), step, attempt: z.number() }),
  z.object({ type: z.literal('model_responded'), step, thought: z.string().optional(), actions: z.number(), usage: usageSchema.optional(), ms: z.number(), responseId: z.string().optional() }),
  z.object({ type: z.literal('model_error'), step, kind: z.string(), message: z.string(), attempt: z.number(), willRetry: z.boolean() }),
  z.object({
    type: z.literal('action_proposed'), step, actionId: z.string(), action: agentActionSchema, screenAction: desktopActionSchema.optional(),
    risks: z.array(z.string()), safetyChecks: z.array(safetyCheck).optional(), raw: z.unknown().optional(),
  }),
  z.object({ type: z.literal('approval_requested'), actionId: z.string(), reasons: z.array(z.string()) }),
  // `by` is optional: events written before approvers were recorded have none.
  ...approvalDecisionSchema.options.map((d) => d.extend({ type: z.literal('approval_decided'), actionId: z.string(), by: approverSchema.optional() })),
  z.object({ type: z.literal('action_performed'), actionId: z.string(), ms: z.number() }),
  z.object({ type: z.literal('action_failed'), actionId: z.string(), error: z.string() }),
  z.object({ type: z.literal('action_skipped'), actionId: z.string(), reason: z.string() }),
  /** A tool call starts, with the input it runs with (after an edit, the edited one). */
  z.object({ type: z.literal('tool_called'), actionId: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
  /** Output of a running tool, batched so a chatty command does not flood the log. */
  z.object({ type: z.literal('tool_output'), actionId: z.string(), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  z.object({
    type: z.literal('tool_finished'), actionId: z.string(), ms: z.number(), isError: z.boolean(), exitCode: z.number().optional(),
    truncated: z.boolean(), timedOut: z.boolean().optional(), output: z.string(), images: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('loop_detected'), step, actionId: z.string(), repeats: z.number() }),
  /** The skills the model was told of at the start: all by name, `listedOnly` those beyond the budget (no description). */
  z.object({ type: z.literal('skills_offered'), names: z.array(z.string()), listedOnly: z.array(z.string()) }),
  /** A skill's instructions were given to the model: named with `$name` in the task (before step 1) or loaded by the model. */
  z.object({
    type: z.literal('skill_loaded'), name: z.string(), source: z.enum(['builtin', 'user', 'folder']), by: z.enum(['task', 'model']), dir: z.string(),
    /** The skill's allowed-tools, shown to the operator; they limit the run's tools while it is active. */
    allowedTools: z.array(z.string()).optional(),
  }),
  /** A budget's limit was reached after a model reply: the run asks the operator (atLimit 'ask') or stops. */
  z.object({
    type: z.literal('budget_reached'), step, scope: z.enum(['run', 'thread', 'day']), measure: z.enum(['tokens', 'cost']), used: z.number(), limit: z.number(), atLimit: z.enum(['ask', 'stop']),
  }),
  z.object({ type: z.literal('question_asked'), actionId: z.string(), question: z.string() }),
  z.object({ type: z.literal('question_answered'), actionId: z.string(), answer: z.string() }),
  z.object({ type: z.literal('user_message'), text: z.string() }),
  /** What an operator did on the screen while taking the run over (the live view), in the action vocabulary. */
  z.object({ type: z.literal('operator_action'), action: desktopActionSchema }),
  /** The screen after the operator's latest actions, taken once their input paused; masked and stored like a step's screenshot. */
  z.object({ type: z.literal('operator_screenshot'), ref: z.string(), image: size, screen: size, ms: z.number() }),
  z.object({ type: z.literal('run_paused') }),
  z.object({ type: z.literal('run_resumed') }),
  z.object({ type: z.literal('run_finished'), answer: z.string().optional(), steps: z.number() }),
  z.object({ type: z.literal('run_failed'), reason: z.string(), steps: z.number() }),
  z.object({ type: z.literal('run_aborted'), reason: z.string(), steps: z.number() }),
  z.object({ type: z.literal('run_interrupted'), reason: z.string() }),
  /** An MCP server of the settings could not be used for this run; the run went on without its tools. */
  z.object({ type: z.literal('mcp_server_failed'), server: z.string(), message: z.string() }),
]);

export type RunEvent = z.infer<typeof runEventSchema>;
export type RunEventType = RunEvent['type'];

/** A run event as the log stores it: its run, its place (1, 2, 3... without gaps) and its time. */
export type LoggedRunEvent = StoredEvent<RunEvent>;

/** Checks an event read from outside the engine (an import, a client); the log's own reads are typed already. */
export const loggedRunEventSchema = z.custom<LoggedRunEvent>((v) => {
  if (typeof v !== 'object' || v === null) return false;
  const { runId, seq, at, ...event } = v as Record<string, unknown>;
  return typeof runId === 'string' && Number.isInteger(seq) && typeof at === 'number' && runEventSchema.safeParse(event).success;
});
