// The Planner port: a model (or a script) looks at the screen and proposes the next actions.
// Adapters parse each model format into AgentAction at the edge; coordinates are image pixels
// of the screenshot the planner was shown, converted to screen pixels only by agents/desktop/geometry.
import { z } from 'zod';
import type { Size } from '../desktop/geometry.ts';
import type { ToolImage, ToolSpec } from '../tools/tool.ts';

const num = z.number().finite();
const point = z.object({ x: num, y: num });
const button = z.enum(['left', 'right', 'middle']);
const keys = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const agentActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('click'), x: num, y: num, button: button.default('left'), keys: keys.optional() }),
  z.object({ type: z.literal('double_click'), x: num, y: num, keys: keys.optional() }),
  z.object({ type: z.literal('triple_click'), x: num, y: num, keys: keys.optional() }),
  z.object({ type: z.literal('move'), x: num, y: num }),
  z.object({ type: z.literal('drag'), path: z.array(point).min(2), button: button.default('left') }),
  z.object({ type: z.literal('scroll'), x: num.optional(), y: num.optional(), direction: z.enum(['up', 'down', 'left', 'right']), amount: z.number().int().positive().max(100).default(3) }),
  z.object({ type: z.literal('type'), text: z.string() }),
  z.object({ type: z.literal('keypress'), keys }),
  z.object({ type: z.literal('wait'), ms: z.number().int().nonnegative().max(600_000).default(1000) }),
  z.object({ type: z.literal('mouse_down'), x: num.optional(), y: num.optional(), button: button.default('left') }),
  z.object({ type: z.literal('mouse_up'), x: num.optional(), y: num.optional(), button: button.default('left') }),
  z.object({ type: z.literal('screenshot') }),
  z.object({ type: z.literal('done'), answer: z.string().optional() }),
  z.object({ type: z.literal('fail'), reason: z.string().optional() }),
  z.object({ type: z.literal('ask_user'), question: z.string().min(1) }),
  // A call of one of the run's tools (shell, files, skills, MCP servers' tools) by name; its input
  // is parsed by the tool's own schema when it runs, so a bad one is reported, never guessed.
  z.object({ type: z.literal('tool'), name: z.string().min(1).max(128), input: z.record(z.string(), z.unknown()) }),
]);
export type AgentAction = z.infer<typeof agentActionSchema>;

export interface SafetyCheck {
  id: string;
  code: string;
  message: string;
}

export interface ProposedAction {
  action: AgentAction;
  /** The model's id for this call (Responses API call_id), echoed back with the result. */
  callId?: string;
  /** Model-raised safety checks: the action needs approval, and they are acknowledged after. */
  safetyChecks?: SafetyCheck[];
  /** The model's own note that this action is risky. */
  flagged?: string;
  /** The model's raw output for this action, kept in the event log for tracing misclicks. */
  raw?: unknown;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  /** Input tokens read from the provider's prompt cache (included in inputTokens). */
  cacheReadTokens?: number;
}

export interface PlannerStep {
  thought?: string;
  actions: ProposedAction[];
  usage?: Usage;
  /** The model's answer text when it ends the task. */
  answer?: string;
  responseId?: string;
}

/** What a tool call gave back, told to the model in its format's own way (function_call_output, tool_result...). */
export interface ToolOutcome {
  name: string;
  output: string;
  isError: boolean;
  images?: ToolImage[];
}

/** What happened to one proposed action, told to the model at the next step. */
export type ActionOutcome =
  | { status: 'performed'; callId?: string; acknowledgedSafetyChecks?: SafetyCheck[]; tool?: ToolOutcome }
  | { status: 'rejected'; callId?: string; reason: string; toolName?: string }
  | { status: 'failed'; callId?: string; error: string; toolName?: string }
  | { status: 'answered'; callId?: string; answer: string };

export interface PlannerScreenshot {
  /** data:image/...;base64,... already resized to the planner's target size. */
  dataUrl: string;
  image: Size;
}

export interface PlannerContext {
  task: string;
  step: number;
  screenshot: PlannerScreenshot;
  /** Outcomes of the previous step's actions, in order. */
  outcomes: ActionOutcome[];
  /** Operator messages (steering) since the previous step. */
  userMessages: string[];
  /** A summary of earlier runs in the same thread. */
  threadSummary?: string;
  /** Set when the previous reply could not be used: the planner re-asks with this note. */
  correction?: string;
  /** The tools the model may call now (empty or absent: the screen only). */
  tools?: ToolSpec[];
  /** Extra instructions for this run (the skills on offer, a loaded skill's text for adapters without tools). */
  instructions?: string;
}

export interface Planner {
  readonly name: string;
  /** Who stopped, as a failed run's reason words it; "the model gave up" when omitted. */
  readonly failWording?: string;
  /** Whether the model can call tools beside the screen; adapters without (UI-TARS) get skills as text. */
  readonly supportsTools?: boolean;
  /** The image size the planner wants for a given screen (from agents/desktop/geometry). */
  imageSizeFor(screen: Size): Size;
  next(ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep>;
}

/** A reply that could not be turned into actions, or an API failure after retries. */
export class ModelError extends Error {
  override name = 'ModelError';
  constructor(
    message: string,
    readonly kind: 'malformed' | 'api' | 'timeout' | 'network',
    readonly raw?: unknown,
  ) {
    super(message);
  }
}
