// The shape of a run as the UI shows it: what foldEvents builds from the run's event log.
import type { LoggedRunEvent } from '../../../../agents/contract.ts';

type Of<T extends LoggedRunEvent['type']> = Extract<LoggedRunEvent, { type: T }>;
export type RunStarted = Of<'run_started'>;
export type AgentAction = Of<'action_proposed'>['action'];
export type ScreenAction = NonNullable<Of<'action_proposed'>['screenAction']>;
export type Size = RunStarted['screen'];
export type Point = { x: number; y: number };

export type FoldedStatus = 'queued' | 'running' | 'paused' | 'waiting' | 'done' | 'failed' | 'aborted' | 'interrupted';
export const ENDED_STATUSES: readonly FoldedStatus[] = ['done', 'failed', 'aborted', 'interrupted'];

export type ActionState =
  | 'proposed'
  | 'awaiting_approval'
  | 'approved'
  | 'edited'
  | 'rejected'
  | 'performed'
  | 'failed'
  | 'skipped'
  | 'asking'
  | 'answered'
  /** A tool call that has started and not finished. */
  | 'running'
  /** The run ended before this action got an outcome. */
  | 'cancelled';

export interface ActionView {
  actionId: string;
  step: number;
  /** In image pixels of the step's screenshot. */
  action: AgentAction;
  /** In screen pixels: what is (or was) performed; replaced by the operator's edit. */
  screenAction: ScreenAction | undefined;
  state: ActionState;
  risks: string[];
  approvalReasons: string[] | undefined;
  rejectReason: string | undefined;
  edited: boolean;
  error: string | undefined;
  skipReason: string | undefined;
  question: string | undefined;
  answer: string | undefined;
  loopRepeats: number | undefined;
  ms: number | undefined;
  /** A tool call's input, live output and result; undefined for screen actions. */
  tool: ToolView | undefined;
  seq: number;
}

export interface ToolChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** At most this much live output (characters) is kept per tool call; older output is dropped first. */
export const TOOL_OUTPUT_CAP = 256 * 1024;

export interface ToolView {
  name: string;
  /** What it runs (or ran) with: the model's input, the operator's edit, or the engine's parsed input once called. */
  input: Record<string, unknown>;
  running: boolean;
  /** Live output in order; adjacent chunks of one stream are joined. */
  chunks: ToolChunk[];
  /** Characters in `chunks`. */
  keptChars: number;
  /** Characters dropped from the start to stay within TOOL_OUTPUT_CAP. */
  droppedChars: number;
  exitCode: number | undefined;
  ms: number | undefined;
  /** The engine kept only part of the output for the model. */
  truncated: boolean;
  timedOut: boolean;
  isError: boolean;
  /** What the model was told; shown when a tool streams nothing (read_file, list_dir). */
  result: string | undefined;
  images: string[];
}

export interface ModelErrorView {
  kind: string;
  message: string;
  attempt: number;
  willRetry: boolean;
  seq: number;
}

export interface Shot {
  ref: string;
  image: Size;
  screen: Size;
  ms: number;
}

/** Things said or done by the operator during a step, shown in place. */
export interface Note {
  kind: 'user_message' | 'paused' | 'resumed' | 'mcp_server_failed' | 'operator_action' | 'skill_loaded' | 'skills_offered';
  /** The operator's message, or why an MCP server was left out. */
  text: string;
  /** The MCP server left out (mcp_server_failed only). */
  server?: string;
  /** The screen after this operator action and the ones just before it (operator_action only, the last of a burst). */
  shot?: Shot;
  at: number;
  seq: number;
}

export interface StepView {
  step: number;
  startedAt: number;
  /** Time of the step's latest event. */
  lastAt: number;
  /** The last event seq folded into this step. */
  seq: number;
  shot: Shot | undefined;
  attempts: number;
  thought: string | undefined;
  /** Actions the model said it proposed (done/fail are not logged as proposals). */
  proposedCount: number | undefined;
  modelMs: number | undefined;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | undefined;
  actions: ActionView[];
  modelErrors: ModelErrorView[];
  notes: Note[];
  /** How the run ended, on the step it ended in. */
  end: Outcome | undefined;
}

/** What the agent is doing right now, for the status line. */
export type Phase =
  | { kind: 'starting' }
  | { kind: 'capturing'; step: number }
  | { kind: 'thinking'; step: number; attempt: number }
  | { kind: 'responded'; step: number }
  | { kind: 'retrying'; step: number; message: string }
  | { kind: 'acting'; step: number; actionId: string }
  | { kind: 'tool_finished'; step: number; actionId: string }
  | { kind: 'settling'; step: number }
  | { kind: 'ended' };

export interface Outcome {
  status: Extract<FoldedStatus, 'done' | 'failed' | 'aborted' | 'interrupted'>;
  answer: string | undefined;
  reason: string | undefined;
  steps: number | undefined;
  at: number;
}

export interface Totals {
  steps: number;
  actions: number;
  inputTokens: number;
  outputTokens: number;
  /** undefined until some reply reports a cost. */
  costUsd: number | undefined;
  modelMs: number;
  actionMs: number;
}

export interface ClickPoint {
  actionId: string;
  step: number;
  /** In image pixels of `image` (the step's screenshot). */
  x: number;
  y: number;
  image: Size;
}

export interface TimelineState {
  lastSeq: number;
  /** The last fold met an event after a hole in seq and stopped there: fetch from lastSeq. */
  gap: boolean;
  started: Omit<RunStarted, 'runId' | 'seq'> | undefined;
  status: FoldedStatus;
  /** The status the loop last stated in the log (run_status), before the run ended. */
  loggedStatus: FoldedStatus | undefined;
  paused: boolean;
  phase: Phase;
  steps: StepView[];
  /** Notes from before the first step. */
  notes: Note[];
  /** Action ids with approval_requested and no approval_decided, while the run is live. */
  pendingApprovals: string[];
  /** The open question (question_asked without question_answered), while the run is live. */
  pendingQuestion: { actionId: string; question: string; step: number | undefined } | undefined;
  latestShot: (Shot & { step: number }) | undefined;
  clickPoint: ClickPoint | undefined;
  totals: Totals;
  outcome: Outcome | undefined;
  firstAt: number | undefined;
  lastAt: number | undefined;
}
