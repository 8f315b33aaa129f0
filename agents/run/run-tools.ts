// The tools a run has, with the context they run in: the loop asks here what to offer the model,
// whether a call is well formed, how risky it is, and runs it with its output streamed to the log.
import { z } from 'zod';
import type { ToolOutcome } from '../models/planner.ts';
import { toolSpec } from '../tools/registry.ts';
import type { Tool, ToolContext, ToolOutputChunk, ToolSpec } from '../tools/tool.ts';
import type { RunEvent } from './events.ts';

/** A call the model got wrong (unknown tool, arguments that break the schema): re-asked, never guessed. */
export class ToolCallError extends Error {
  override name = 'ToolCallError';
}

// Output is logged in batches: a chatty command must not write thousands of events.
const FLUSH_MS = 100;
const FLUSH_BYTES = 8 * 1024;

export class RunTools {
  private readonly byName = new Map<string, Tool>();

  constructor(tools: readonly Tool[], readonly context: Omit<ToolContext, 'onOutput' | 'runId'>) {
    for (const t of tools) this.byName.set(t.name, t as Tool);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  get size(): number {
    return this.byName.size;
  }

  specs(): ToolSpec[] {
    return [...this.byName.values()].map(toolSpec);
  }

  /** The tool and its parsed input, or a ToolCallError that says what to fix. */
  parse(name: string, input: unknown): { tool: Tool; input: unknown } {
    const tool = this.byName.get(name);
    if (!tool) throw new ToolCallError(`there is no tool "${name}"${this.size ? `; the tools are ${this.names.join(', ')}` : '; this run has no tools'}`);
    const parsed = tool.input.safeParse(input);
    if (!parsed.success) throw new ToolCallError(`the arguments of ${name} are wrong: ${z.prettifyError(parsed.error)}`);
    return { tool, input: parsed.data };
  }

  risk(tool: Tool, input: unknown): string[] {
    return tool.risk(input, { ...this.context, runId: '', onOutput: () => undefined }).map((r) => `${tool.name}: ${r}`);
  }

  /** Runs a parsed call; output goes to the log in batches, the result to the model. Throws only when aborted. */
  async run(
    tool: Tool, input: unknown, actionId: string,
    log: { runId: string; append: (e: RunEvent) => void; saveImage: (dataUrl: string) => string },
    signal: AbortSignal,
  ): Promise<{ outcome: ToolOutcome; ms: number }> {
    const { append } = log;
    const pending: ToolOutputChunk[] = [];
    let pendingBytes = 0;
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      // Adjacent chunks of one stream become one event.
      const merged: ToolOutputChunk[] = [];
      for (const c of pending) {
        const last = merged.at(-1);
        if (last && last.stream === c.stream) last.text += c.text;
        else merged.push({ ...c });
      }
      pending.length = 0;
      pendingBytes = 0;
      for (const c of merged) append({ type: 'tool_output', actionId, stream: c.stream, text: c.text });
    };
    const onOutput = (chunk: ToolOutputChunk) => {
      if (signal.aborted || !chunk.text) return;
      pending.push(chunk);
      pendingBytes += chunk.text.length;
      if (pendingBytes >= FLUSH_BYTES) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    };
    const started = performance.now();
    append({ type: 'tool_called', actionId, name: tool.name, input: asRecord(input) });
    try {
      const result = await tool.run(input, { ...this.context, runId: log.runId, onOutput }, signal);
      signal.throwIfAborted();
      flush();
      const ms = Math.round(performance.now() - started);
      append({
        type: 'tool_finished', actionId, ms, isError: result.isError, exitCode: result.exitCode, truncated: result.truncated, timedOut: result.timedOut,
        output: result.output, images: result.images?.map((i) => log.saveImage(i.dataUrl)),
      });
      return { outcome: { name: tool.name, output: result.output, isError: result.isError, images: result.images }, ms };
    } catch (err) {
      flush();
      if (signal.aborted) throw err;
      // A tool that threw (bad path, refused input) tells the model why; it is not the run's failure.
      const ms = Math.round(performance.now() - started);
      const output = (err as Error).message;
      append({ type: 'tool_finished', actionId, ms, isError: true, truncated: false, output });
      return { outcome: { name: tool.name, output, isError: true }, ms };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v });
