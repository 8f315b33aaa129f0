// Short readable descriptions of actions ("click (412, 230)", "type \"hello\"", "keypress ctrl+s")
// and the status line that always says what the agent is doing.
import { t } from '../../i18n/index.ts';
import type { ActionView, AgentAction, Point, ScreenAction, TimelineState } from './types.ts';

const MAX_TEXT = 60;

function at(p: Point): string {
  return `(${Math.round(p.x)}, ${Math.round(p.y)})`;
}

function quote(text: string, max: number): string {
  const s = JSON.stringify(text);
  return s.length > max ? `${s.slice(0, max - 2)}…"` : s;
}

function keysText(keys: string | string[]): string {
  return Array.isArray(keys) ? keys.join('+') : keys;
}

function optionalAt(a: { x?: number | undefined; y?: number | undefined }): string {
  return a.x !== undefined && a.y !== undefined ? ` ${at({ x: a.x, y: a.y })}` : '';
}

/** `maxText` shortens typed text; an approval shows it whole, since that is what gets typed. */
export function describeAction(a: AgentAction | ScreenAction, maxText = MAX_TEXT): string {
  const base = describeBase(a, maxText);
  const held = 'keys' in a && a.keys !== undefined && a.type !== 'keypress' ? a.keys : undefined;
  return held ? t('action.withKeys', { action: base, keys: keysText(held) }) : base;
}

function describeBase(a: AgentAction | ScreenAction, maxText: number): string {
  switch (a.type) {
    case 'click':
      return a.button === 'left' ? t('action.click', { at: at(a) }) : t('action.clickButton', { button: a.button, at: at(a) });
    case 'double_click':
      return t('action.doubleClick', { at: at(a) });
    case 'triple_click':
      return t('action.tripleClick', { at: at(a) });
    case 'move':
      return t('action.move', { at: at(a) });
    case 'drag':
      return t('action.drag', { path: a.path.map(at).join(' → ') });
    case 'scroll':
      return t('action.scroll', { direction: a.direction, amount: a.amount }) + optionalAt(a);
    case 'mouse_down':
      return t('action.mouseDown', { button: a.button }) + optionalAt(a);
    case 'mouse_up':
      return t('action.mouseUp', { button: a.button }) + optionalAt(a);
    case 'type':
      return t('action.type', { text: quote(a.text, maxText) });
    case 'keypress':
      return t('action.keypress', { keys: keysText(a.keys) });
    case 'wait':
      return t('action.wait', { ms: a.ms });
    case 'screenshot':
      return t('action.screenshot');
    case 'done':
      return a.answer !== undefined ? t('action.doneWith', { answer: a.answer }) : t('action.done');
    case 'fail':
      return t('action.fail', { reason: a.reason ?? t('action.noReason') });
    case 'ask_user':
      return t('action.askUser', { question: a.question });
    case 'tool':
      return describeToolCall(a.name, a.input, maxText);
    default:
      return (a as { type: string }).type;
  }
}

/** A tool call in one line: "shell: ls -la ~", "read_file ~/notes.txt", else its name and input as JSON. */
export function describeToolCall(name: string, input: Record<string, unknown>, maxText = MAX_TEXT): string {
  const cut = (text: string) => (text.length > maxText ? `${text.slice(0, maxText - 1)}…` : text);
  const { command, path } = input;
  if (typeof command === 'string') return t('action.toolCommand', { name, command: cut(command) });
  if (typeof path === 'string') return t('action.toolPath', { name, path: cut(path) });
  return t('action.toolInput', { name, input: cut(JSON.stringify(input)) });
}

/** What is (or was) performed: the screen action when there is one, else the model's own. */
export function describeView(a: Pick<ActionView, 'action' | 'screenAction'>, maxText = MAX_TEXT): string {
  return describeAction(a.screenAction ?? a.action, maxText);
}

/** An action by id, searched from the latest step back. */
export function findAction(tl: TimelineState, actionId: string): ActionView | undefined {
  for (let i = tl.steps.length - 1; i >= 0; i--) {
    const a = tl.steps[i]!.actions.find((x) => x.actionId === actionId);
    if (a) return a;
  }
  return undefined;
}

/** One line: what the agent is doing now, or how the run ended. */
export function statusLine(tl: TimelineState): string {
  const o = tl.outcome;
  if (o) {
    if (o.status === 'done') return o.answer ? t('status.finishedWith', { answer: o.answer }) : t('status.finished');
    if (o.status === 'failed') return t('status.failed', { reason: o.reason ?? '' });
    if (o.status === 'aborted') return t('status.aborted', { reason: o.reason ?? '' });
    return t('status.interrupted', { reason: o.reason ?? '' });
  }
  // Paused or not, a question or an approval still waits for the operator: say so.
  const q = tl.pendingQuestion;
  if (q) return t(tl.paused ? 'status.pausedQuestion' : 'status.question', { question: q.question });
  const pending = tl.pendingApprovals[0];
  if (pending !== undefined) {
    const a = findAction(tl, pending);
    return t(tl.paused ? 'status.pausedApproval' : 'status.approval', { action: a ? describeView(a) : pending });
  }
  if (tl.paused) return t('status.paused');
  const p = tl.phase;
  switch (p.kind) {
    case 'starting':
      return t('status.starting');
    case 'capturing':
      return t('status.capturing', { step: p.step });
    case 'thinking':
      return p.attempt > 1 ? t('status.thinkingAgain', { step: p.step, attempt: p.attempt }) : t('status.thinking', { step: p.step });
    case 'responded':
      return t('status.responded', { step: p.step });
    case 'retrying':
      return t('status.retrying', { step: p.step, message: p.message });
    case 'acting': {
      const a = findAction(tl, p.actionId);
      if (a?.tool?.running) return t('status.runningTool', { step: p.step, call: describeView(a) });
      return t('status.acting', { step: p.step, action: a ? describeView(a) : '' });
    }
    case 'tool_finished': {
      const a = findAction(tl, p.actionId);
      return t('status.toolFinished', { step: p.step, call: a ? describeView(a) : '' });
    }
    case 'settling':
      return t('status.settling', { step: p.step });
    case 'ended':
      return t('status.ending');
  }
}
