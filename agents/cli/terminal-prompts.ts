// The operator at the terminal: approvals and answers read as lines from stdin. On a TTY they are
// prompts (node:readline on stderr); piped, the same line format is read in order, so a script or
// a test can answer ahead of time. When stdin ends, what is still asked gets "no operator".
import { createInterface, type Interface } from 'node:readline';
import { ActionError, parseDesktopAction } from '../desktop/actions.ts';
import type { ApprovalDecision } from '../run/events.ts';
import { forTerminal } from '../run/terminal-text.ts';

/** The reason for a rejection (and the answer to a question) once stdin has ended. */
export const NO_OPERATOR = 'no operator';

export const APPROVAL_HELP = 'answer y (approve), n [reason] (reject), or e [action JSON in screen pixels] (edit)';

export type ApprovalLine = { decision: ApprovalDecision } | { edit: true } | { error: string };

/**
 * One line of an approval: `approve` | `y`; `reject [reason]` | `n [reason]`;
 * `edit {json}` | `e {json}` (or `e` alone, then the JSON on the next line). Undefined for a blank line.
 */
export function parseApprovalLine(line: string): ApprovalLine | undefined {
  const text = line.trim();
  if (text === '') return undefined;
  const m = /^(\S+)\s*(.*)$/s.exec(text)!;
  const word = m[1]!.toLowerCase();
  const rest = m[2]!.trim();
  if (['y', 'yes', 'approve', 'ok'].includes(word) && rest === '') return { decision: { decision: 'approve' } };
  if (['n', 'no', 'reject'].includes(word)) return { decision: { decision: 'reject', ...(rest ? { reason: rest } : {}) } };
  if (['e', 'edit'].includes(word)) return rest === '' ? { edit: true } : parseEdit(rest);
  return { error: `"${text}" is not an answer: ${APPROVAL_HELP}` };
}

export function parseEdit(json: string): ApprovalLine {
  try {
    return { decision: { decision: 'edit', action: parseDesktopAction(json) } };
  } catch (err) {
    return { error: `${(err as ActionError).message}` };
  }
}

export interface OperatorConsoleOptions {
  input: NodeJS.ReadableStream;
  /** Where prompts and notes go (stderr: stdout carries the run's progress or JSON). */
  output: NodeJS.WritableStream;
  /** A person at a terminal: readline prompts, Ctrl+C through readline, typed lines steer the run. */
  interactive: boolean;
  /** Ctrl+C while readline holds the terminal (raw mode turns it into a key, not a signal). */
  onInterrupt: () => void;
  /** A line typed while nothing is asked (interactive only): a message for the model. */
  onSteer?: (text: string) => void;
}

export class OperatorConsole {
  private rl: Interface | undefined;
  private readonly queued: string[] = [];
  private ended = false;
  private closed = false;
  private wake: (() => void) | undefined;
  private asking = false;
  /** Prompts one at a time, in the order the run asked them. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: OperatorConsoleOptions) {}

  /** Starts reading stdin. Interactive, this takes the terminal at once, so Ctrl+C reaches us and not the helper processes. */
  open(): void {
    if (this.rl || this.closed) return;
    const { input, output, interactive } = this.opts;
    this.rl = createInterface({ input, ...(interactive ? { output } : {}), terminal: interactive });
    this.rl.on('line', (line) => {
      if (interactive && !this.asking) {
        if (line.trim()) this.opts.onSteer?.(line.trim());
        return;
      }
      this.queued.push(line);
      this.wake?.();
    });
    this.rl.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
    if (interactive) this.rl.on('SIGINT', () => this.opts.onInterrupt());
  }

  /** Stops reading; a prompt still open rejects (the run is over, nobody needs its answer). */
  close(): void {
    this.closed = true;
    this.ended = true;
    this.wake?.();
    this.rl?.close();
    this.rl = undefined;
    // A paused stdin lets the process exit; readline leaves it flowing on some Node versions.
    this.opts.input.pause();
  }

  /** Asks whether to perform `what`; resolves with the operator's decision. */
  approve(what: string, signal: AbortSignal): Promise<ApprovalDecision> {
    return this.serial(async () => {
      let editing = false;
      for (;;) {
        const prompt = editing ? '  replacement action (JSON in screen pixels) > ' : `  approve ${forTerminal(what)}? [y]es / [n]o [reason] / [e]dit [JSON] > `;
        const line = await this.nextLine(prompt, signal);
        if (line === undefined) return this.noOperator('rejecting', { decision: 'reject', reason: NO_OPERATOR });
        const parsed: ApprovalLine | undefined = editing && line.trim() ? parseEdit(line) : parseApprovalLine(line);
        if (parsed === undefined) continue;
        if ('decision' in parsed) return parsed.decision;
        editing = 'edit' in parsed;
        if ('error' in parsed) this.note(`  ${parsed.error}`);
      }
    });
  }

  /** Asks the model's question; any non-blank line is the answer. */
  answer(question: string, signal: AbortSignal): Promise<string> {
    return this.serial(async () => {
      for (;;) {
        const line = await this.nextLine(`  the agent asks: ${forTerminal(question)}\n  your answer > `, signal);
        if (line === undefined) return this.noOperator('answering', NO_OPERATOR);
        if (line.trim()) return line.trim();
      }
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.chain.then(task, task);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private noOperator<T>(what: string, value: T): T {
    this.note(`  stdin has ended: ${what} with "${NO_OPERATOR}"`);
    return value;
  }

  private note(text: string): void {
    this.opts.output.write(`${text}\n`);
  }

  /** The next line, or undefined once stdin has ended; rejects when `signal` aborts. */
  private async nextLine(prompt: string, signal: AbortSignal): Promise<string | undefined> {
    if (this.closed) throw new Error('the operator console is closed');
    this.open();
    const interactive = this.opts.interactive;
    if (interactive) {
      this.rl!.setPrompt(prompt);
      this.rl!.prompt();
    }
    this.asking = true;
    try {
      while (this.queued.length === 0 && !this.ended) {
        if (signal.aborted) throw signal.reason;
        await new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener('abort', done);
            this.wake = undefined;
            resolve();
          };
          this.wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
      }
    } finally {
      this.asking = false;
    }
    if (this.closed) throw new Error('the operator console is closed');
    const line = this.queued.shift();
    // Piped answers are echoed next to their prompt, so a log reads like a conversation.
    if (line !== undefined && !interactive) this.note(`${prompt}${line}`);
    return line;
  }
}
