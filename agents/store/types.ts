// Shapes the store reads and writes. Events stay generic here; agents/contract.ts owns the typed union.

export const RUN_STATUSES = ['queued', 'running', 'paused', 'waiting', 'done', 'failed', 'aborted', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run in one of these may still produce events; recoverInterrupted() closes them after a crash (a queued one too). */
export const ACTIVE_STATUSES = ['queued', 'running', 'paused', 'waiting'] as const satisfies readonly RunStatus[];
export const TERMINAL_STATUSES = ['done', 'failed', 'aborted', 'interrupted'] as const satisfies readonly RunStatus[];

export function isRunStatus(s: unknown): s is RunStatus {
  return typeof s === 'string' && (RUN_STATUSES as readonly string[]).includes(s);
}

export function isTerminal(s: RunStatus): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(s);
}

export interface Thread {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  summary: string | null;
}

export interface Run {
  id: string;
  threadId: string;
  task: string;
  status: RunStatus;
  provider: string;
  model: string | null;
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
  answer: string | null;
  error: string | null;
  summary: string | null;
  options: Record<string, unknown>;
}

export interface NewRun {
  threadId: string;
  task: string;
  provider: string;
  model?: string | null;
  options?: Record<string, unknown>;
  /** 'queued': created before it can start (all parallel slots taken); it starts later, adopting this row. */
  status?: 'running' | 'queued';
}

/** Text fields set with a status; omitted = keep the current value, null = clear it. */
export interface RunOutcome {
  answer?: string | null;
  error?: string | null;
  summary?: string | null;
}

/** What callers append: a snake_case `type`, any JSON-serialisable fields, optionally `at` (epoch ms). */
export interface EventInput {
  type: string;
  at?: number;
  [key: string]: unknown;
}

/** An event as stored: the input plus its run, its place in the run (1, 2, 3... without gaps) and its time. */
// Distributive, so a union of events keeps its discriminant.
export type StoredEvent<E extends EventInput = EventInput> = E extends unknown ? Omit<E, 'at'> & { runId: string; seq: number; at: number } : never;

export type EventListener<E extends EventInput = EventInput> = (event: StoredEvent<E>) => void;

export class NotFoundError extends Error {
  constructor(
    readonly kind: 'thread' | 'run',
    readonly id: string,
  ) {
    super(`${kind} ${id} not found`);
    this.name = 'NotFoundError';
  }
}
