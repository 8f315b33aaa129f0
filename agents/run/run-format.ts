// Readable lines for a run's events and for run lists: shared by `deskpilot run` (live), `runs show` and run exports.
import type { DesktopAction } from '../desktop/actions.ts';
import type { AgentAction } from '../models/planner.ts';
import type { LoggedRunEvent } from '../run/events.ts';
import type { Run, StoredEvent } from '../store/types.ts';
import { forTerminal, jsonForTerminal } from './terminal-text.ts';

export type LoggedEvent = LoggedRunEvent;

/** One JSON line per event, its type and place first; safe to print (no raw control characters). */
export function eventJson(e: StoredEvent): string {
  const { type, runId, seq, at, ...rest } = e;
  return jsonForTerminal(JSON.stringify({ type, runId, seq, at, ...rest }));
}

const MAX_TEXT = 80;

function quote(text: string, max = MAX_TEXT): string {
  const s = JSON.stringify(text);
  return s.length > max ? `${s.slice(0, max - 4)}..."` : s;
}

function keysText(keys: string | string[]): string {
  return Array.isArray(keys) ? keys.join('+') : keys;
}

type AnyAction = AgentAction | DesktopAction;

function points(a: AnyAction): { x: number; y: number }[] {
  if ('path' in a) return a.path;
  if ('x' in a && 'y' in a && a.x !== undefined && a.y !== undefined) return [{ x: a.x, y: a.y }];
  return [];
}

const at = (p: { x: number; y: number }) => `(${p.x}, ${p.y})`;

/** "click left at (640, 400) with ctrl", "type \"hi\\n\"", "keypress ctrl+s"... */
export function describeAction(a: AnyAction): string {
  const held = 'keys' in a && a.keys !== undefined && a.type !== 'keypress' ? ` with ${keysText(a.keys)}` : '';
  switch (a.type) {
    case 'click':
      return `click ${a.button} at ${at(a)}${held}`;
    case 'double_click':
    case 'triple_click':
    case 'move':
      return `${a.type} at ${at(a)}${held}`;
    case 'drag':
      return `drag ${a.path.map(at).join(' -> ')}${held}`;
    case 'scroll':
      return `scroll ${a.direction} ${a.amount}${a.x !== undefined && a.y !== undefined ? ` at ${at({ x: a.x, y: a.y })}` : ''}`;
    case 'mouse_down':
    case 'mouse_up':
      return `${a.type} ${a.button}${a.x !== undefined && a.y !== undefined ? ` at ${at({ x: a.x, y: a.y })}` : ''}`;
    case 'type':
      return `type ${quote(a.text)}`;
    case 'keypress':
      return `keypress ${keysText(a.keys)}`;
    case 'wait':
      return `wait ${a.ms} ms`;
    case 'screenshot':
      return 'screenshot';
    case 'done':
      return a.answer !== undefined ? `done: ${a.answer}` : 'done';
    case 'fail':
      return `fail: ${a.reason ?? 'no reason given'}`;
    case 'ask_user':
      return `ask the operator: ${a.question}`;
    case 'tool':
      return describeToolCall(a.name, a.input);
  }
}

/** "shell: ls -la ~" for a command, else the tool's name and its arguments as JSON. */
export function describeToolCall(name: string, input: Record<string, unknown>): string {
  if (typeof input['command'] === 'string') return `${name}: ${input['command']}`;
  if (typeof input['path'] === 'string' && Object.keys(input).length === 1) return `${name} ${input['path']}`;
  return `${name} ${JSON.stringify(input)}`;
}

/** The action in screen pixels, with the model's own coordinates when the screenshot was scaled. */
export function describeProposed(action: AgentAction, screenAction?: DesktopAction): string {
  if (!screenAction) return describeAction(action);
  const model = points(action);
  const screen = points(screenAction);
  const scaled = model.length > 0 && JSON.stringify(model) !== JSON.stringify(screen);
  return `${describeAction(screenAction)}${scaled ? ` [model ${model.map(at).join(' -> ')}]` : ''}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/** The lines one event prints as, indented under its step; [] for the quiet ones (screenshots, requests). */
export function formatEvent(e: LoggedEvent): string[] {
  // Model text is printed to terminals: no escape sequence in it may reach one.
  return eventLines(e).map(forTerminal);
}

function eventLines(e: LoggedEvent): string[] {
  switch (e.type) {
    case 'run_started': {
      const o = e.options;
      const tools = e.tools?.length ? `tools: ${e.tools.join(', ')}` : 'tools: none (the screen only)';
      return [`run ${e.runId} on ${e.display} (${e.screen.width}x${e.screen.height}) with ${e.provider}${e.model ? ` (${e.model})` : ''}, approve ${o.approve}, at most ${plural(o.maxSteps, 'step')} and ${o.maxSeconds} s`, `task: ${e.task}`, tools];
    }
    case 'step_started':
      return [`step ${e.step}`];
    case 'screenshot_captured':
    case 'operator_screenshot':
    case 'model_requested':
      return [];
    case 'model_responded': {
      const lines = e.thought ? [`  thought: ${e.thought}`] : [];
      if (e.usage) {
        const cost = e.usage.costUsd !== undefined ? `, $${e.usage.costUsd.toFixed(4)}` : '';
        lines.push(`  model: ${plural(e.actions, 'action')} in ${seconds(e.ms)}, ${e.usage.inputTokens} tokens in / ${e.usage.outputTokens} out${cost}`);
      }
      return lines;
    }
    case 'model_error':
      return [`  model error (${e.kind}, attempt ${e.attempt}): ${e.message}${e.willRetry ? '; asking again' : ''}`];
    case 'action_proposed': {
      if (e.action.type === 'ask_user') return []; // question_asked says it
      const lines = [`  action: ${describeProposed(e.action, e.screenAction)}`];
      if (e.risks.length > 0) lines.push(`    risky: ${e.risks.join('; ')}`);
      return lines;
    }
    case 'approval_requested':
      return [`    approval needed: ${e.reasons.join('; ')}`];
    case 'approval_decided': {
      // Who decided, when it was not the person at this machine (the audit trail records both).
      const who = e.by?.kind === 'remote' ? ` (by a remote operator via serve, ${e.by.address})` : '';
      if (e.decision === 'approve') return [`    approved${who}`];
      if (e.decision === 'reject') return [`    rejected${e.reason ? `: ${e.reason}` : ''}${who}`];
      if (e.decision === 'edit_tool') return [`    edited to: ${JSON.stringify(e.input)}${who}`];
      return [`    edited to: ${describeAction(e.action)}${who}`];
    }
    case 'action_performed':
      return [`    ok (${seconds(e.ms)})`];
    case 'action_failed':
      return [`    failed: ${e.error}`];
    case 'action_skipped':
      return [`    skipped: ${e.reason}`];
    case 'loop_detected':
      return [`    loop: the same action ${e.repeats} times on an unchanged screen`];
    case 'question_asked':
      return [`    question: ${e.question}`];
    case 'question_answered':
      return [`    answer: ${e.answer}`];
    case 'user_message':
      return [`  operator: ${e.text}`];
    case 'run_paused':
      return ['  paused'];
    case 'run_resumed':
      return ['  resumed'];
    case 'run_finished':
      return [`done after ${plural(e.steps, 'step')}${e.answer ? `: ${e.answer}` : ''}`];
    case 'run_failed':
      return [`failed after ${plural(e.steps, 'step')}: ${e.reason}`];
    case 'run_aborted':
      return [`aborted after ${plural(e.steps, 'step')}: ${e.reason}`];
    case 'run_interrupted':
      return [`interrupted: ${e.reason}`];
    case 'run_status':
      return [];
    case 'skills_offered':
      return [`  skills offered: ${e.names.join(', ') || 'none'}${e.listedOnly.length ? ` (by name only: ${e.listedOnly.join(', ')})` : ''}`];
    case 'skill_loaded':
      return [`  loaded skill ${e.name}${e.by === 'task' ? ' (named in the task)' : ''}${e.allowedTools?.length ? `; tools allowed: ${e.allowedTools.join(', ')}` : ''}`];
    case 'mcp_server_failed':
      return [`  MCP server ${e.server} left out: ${e.message}`];
    case 'tool_called':
      return [];
    case 'tool_output':
      // Live output, indented under its call; the final tool_finished repeats it for the model only.
      return e.text.replace(/\n$/, '').split('\n').map((l) => `    ${e.stream === 'stderr' ? '! ' : '| '}${l}`);
    case 'tool_finished': {
      const how = e.timedOut ? 'timed out' : e.exitCode !== undefined ? `exit code ${e.exitCode}` : e.isError ? 'failed' : 'ok';
      const lines = [`    ${how} (${seconds(e.ms)})${e.truncated ? ', output cut to its start and end' : ''}`];
      // A call that never printed (a refused path) says why here.
      if (e.exitCode === undefined && e.isError) lines.push(`    ${e.output.split('\n')[0]}`);
      return lines;
    }
    default: {
      // An event type this CLI does not know yet (a newer engine): show it raw rather than drop it.
      const { type, runId: _r, seq: _s, at: _a, ...rest } = e as { type: string; runId: string; seq: number; at: number };
      return [`  ${type} ${JSON.stringify(rest)}`];
    }
  }
}

/** Local time as "2025-01-31 14:05:09". */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Steps a run reached: the highest step_started in its log. */
export function stepsOf(events: StoredEvent[]): number {
  let steps = 0;
  for (const e of events) if (e.type === 'step_started' && typeof e['step'] === 'number') steps = Math.max(steps, e['step']);
  return steps;
}

export function runsTable(rows: { run: Run; steps: number }[]): string[] {
  const header = ['RUN', 'STATUS', 'STEPS', 'STARTED', 'TASK'];
  const cells = rows.map(({ run, steps }) => [run.id, run.status, String(steps), localTime(run.createdAt), oneLine(forTerminal(run.task), 60)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  return [line(header), ...cells.map(line)];
}

export function runHeader(run: Run, steps: number): string[] {
  const ended = run.endedAt !== null ? `${localTime(run.endedAt)} (${seconds(run.endedAt - run.createdAt)})` : undefined;
  const rows: [string, string | null | undefined][] = [
    ['run', run.id],
    ['thread', run.threadId],
    ['task', run.task],
    ['status', run.status],
    ['provider', `${run.provider}${run.model ? ` (${run.model})` : ''}`],
    ['started', localTime(run.createdAt)],
    ['ended', ended],
    ['steps', String(steps)],
    ['answer', run.answer],
    ['error', run.error],
  ];
  return rows.filter((r): r is [string, string] => typeof r[1] === 'string').map(([k, v]) => forTerminal(`${k.padEnd(9)}${v}`));
}

function oneLine(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
