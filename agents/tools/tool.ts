// The Tool port: something the model may call beside the screen (a shell, files, a skill's loader,
// an MCP server's tool). The loop treats a call like an action: proposed, assessed, approved if
// needed, run, its output logged. A new tool is one file plus one registration.
import type { z } from 'zod';

/** Where a tool runs: the run's own environment, already scrubbed of secrets. */
export interface ToolContext {
  runId: string;
  /** The environment a process the tool starts sees (a sandbox's HOME, DISPLAY, TMPDIR, bus...). */
  env: Record<string, string>;
  /** The default working folder (the sandbox's HOME, or the user's). */
  cwd: string;
  /** Folders the file tools may touch; a path outside them (through `..` or a symlink) is refused. */
  roots: string[];
  /** The longest a command may run, in ms, whatever the model asks (from the settings). */
  maxTimeoutMs: number;
  /** The run has a sandbox of its own (its HOME is roots[0]); writing on the user's machine is risky. */
  sandboxed?: boolean;
  /** Streams output while the tool runs; the loop batches it into `tool_output` events. */
  onOutput(chunk: ToolOutputChunk): void;
}

export interface ToolOutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ToolImage {
  /** data:image/png;base64,... */
  dataUrl: string;
}

export interface ToolResult {
  /** What the model is told: the output (capped, the middle elided with a note) and how it ended. */
  output: string;
  /** True when the call did not do what was asked (non-zero exit, refused path, timeout). */
  isError: boolean;
  exitCode?: number;
  /** The output was longer than the cap and its middle was left out. */
  truncated: boolean;
  timedOut?: boolean;
  images?: ToolImage[];
}

export interface Tool<I = unknown> {
  /** Lowercase with underscores; what the model calls. */
  readonly name: string;
  /** Said to the model: what it does and when to use it. */
  readonly description: string;
  /** Parses the model's arguments; its JSON schema is what models are sent. */
  readonly input: z.ZodType<I>;
  /** Reasons this call is risky (empty when it is not); approvals use them like an action's. */
  risk(input: I, ctx: ToolContext): string[];
  /** Runs the call. Aborting the signal must stop everything it started within 200 ms. */
  run(input: I, ctx: ToolContext, signal: AbortSignal): Promise<ToolResult>;
  /** A read-only tool never changes anything (MCP readOnlyHint). */
  readonly readOnly?: boolean;
  /** The JSON schema models are sent, when it comes from elsewhere (an MCP server's own); derived from `input` otherwise. */
  readonly parameters?: Record<string, unknown>;
}

/** What a planner sends a model for one tool. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12 object schema) of the input. */
  parameters: Record<string, unknown>;
}

/** A tool that refused its input (outside the roots, bad arguments): the model is told why. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}
