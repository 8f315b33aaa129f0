// Which actions are risky: the approval gate asks the operator before these reach the driver.
// `assessRisk` judges one action alone; `PolicySession` also remembers what was typed since the
// last Enter, so a command split across several `type` actions is judged as the line that runs.
import type { DesktopAction } from '../desktop/actions.ts';
import { comboForChar, parseKeys } from '../desktop/keys.ts';
import type { AgentAction, ProposedAction } from '../models/planner.ts';
import { assessCommand } from './command-risk.ts';
import type { ApprovalMode } from './events.ts';
import { comboRisks, heldKeyRisks } from './key-risk.ts';
import { secretRisks } from './secret-risk.ts';

export interface RiskContext {
  /** Text near the focused field, when known (window title, label): "Password", "Card number". */
  focusHint?: string;
}

/** Reasons an action is risky, judged alone; empty when it is not. */
export function assessRisk(proposed: ProposedAction, ctx: RiskContext = {}): string[] {
  const reasons: string[] = [];
  for (const check of proposed.safetyChecks ?? []) reasons.push(`model safety check: ${check.message || check.code}`);
  if (proposed.flagged) reasons.push(`the model flagged it: ${proposed.flagged}`);
  reasons.push(...actionRisks(proposed.action, ctx));
  return reasons;
}

function actionRisks(action: AgentAction, ctx: RiskContext): string[] {
  switch (action.type) {
    case 'keypress':
      return keypressCombos(action.keys).flatMap(comboRisks);
    case 'click':
    case 'double_click':
    case 'triple_click':
      return action.keys ? heldKeyRisks(action.keys, action.type) : [];
    case 'type': {
      const reasons = typedRisks(action.text);
      if (ctx.focusHint && /pass(word|code)|pin\b|card|cvv|cvc|iban|account number|security code/i.test(ctx.focusHint)) {
        reasons.push(`typing into what looks like a password or payment field (${ctx.focusHint})`);
      }
      return reasons;
    }
    default:
      // A drag carries held keys only in the driver's vocabulary (an operator's edit); judged there too.
      return 'keys' in action && action.keys ? heldKeyRisks(action.keys as string | string[], action.type) : [];
  }
}

function keypressCombos(keys: string | string[]): string[][] {
  try {
    return parseKeys(keys);
  } catch {
    return []; // an unknown key is refused later, before any input
  }
}

/** Secrets and shell commands in typed text. */
function typedRisks(text: string): string[] {
  return [...secretRisks(text).map((why) => `typed text ${why}`), ...assessCommand(text).map((why) => `typed command ${why}`)];
}

/** Whether this action must wait for the operator under the given mode. */
export function needsApproval(mode: ApprovalMode, risks: string[], proposed: ProposedAction): boolean {
  if (proposed.action.type === 'done' || proposed.action.type === 'fail' || proposed.action.type === 'ask_user' || proposed.action.type === 'screenshot') return false;
  // Model-raised safety checks must be acknowledged by a person whatever the mode.
  if (proposed.safetyChecks?.length) return true;
  if (mode === 'always') return true;
  if (mode === 'risky') return risks.length > 0;
  return false;
}

const MAX_LINE = 4096;
const MAX_FRAGMENTS = 8;
const MOVES_CARET = new Set(['Left', 'Right', 'Up', 'Down', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * The policy for one run: judges each action as `assessRisk` does, and also the text typed since
 * the last Enter joined with it, because a shell runs the line, not the action. Keys that type
 * characters (`r m space minus r f Return`) are typing too. Over-approximates on purpose: a click
 * does not clear the line (the next typing may go back to the same terminal), it only marks the
 * line as possibly edited out of order, after which every rotation of the typed pieces is judged
 * too (`type "m -rf ~"`, Home, `type "r"` runs `rm -rf ~`). Enter (Return or KP_Enter, alone, in a
 * combo or held during a click) judges the pending line as a command and then clears it;
 * Backspace drops its last character. Tool calls are judged by the tool itself.
 */
export class PolicySession {
  private fragments: string[] = [];
  private reordered = false;
  /** The last piece is being typed key by key: the next character joins it. */
  private keyRun = false;

  assess(proposed: ProposedAction, ctx: RiskContext = {}): string[] {
    const { action } = proposed;
    if (action.type === 'tool') return [];
    const reasons = assessRisk(proposed, ctx);
    if (action.type === 'type' && this.fragments.length) {
      // Commands: the line that runs. Secrets: only one the join makes (a card typed in two
      // halves), not one already typed and judged, so typing after it is not asked again.
      const known = new Set(this.lines('').flatMap(secretRisks));
      for (const line of this.lines(action.text)) reasons.push(...newSecrets(line, known), ...commandRisks(line));
    }
    const keys = keysOf(action);
    if (keys) reasons.push(...this.keyRisks(keys));
    return [...new Set(reasons)];
  }

  /** Records an action the driver performed (as performed: an operator's edit, not the proposal). */
  performed(action: AgentAction | DesktopAction): void {
    if (action.type === 'type') {
      const nl = action.text.search(/[\r\n][^\r\n]*$/);
      if (nl >= 0) this.clear();
      this.push(nl >= 0 ? action.text.slice(nl + 1) : action.text);
      this.keyRun = false;
      return;
    }
    if (action.type === 'click' || action.type === 'double_click' || action.type === 'triple_click' || action.type === 'drag' || action.type === 'mouse_down') {
      this.reordered = true;
      this.keyRun = false;
    }
    const keys = keysOf(action);
    if (!keys) return;
    for (const combo of keypressCombos(keys)) {
      if (combo.includes('Return')) this.clear();
      else this.key(combo);
    }
  }

  /** The text typed since the last Enter, for tests and the operator's view. */
  get pendingLine(): string {
    return this.fragments.join('');
  }

  // Plays the keys on a copy: each Enter runs the line so far; characters left pending are judged as typing.
  private keyRisks(keys: string | string[]): string[] {
    const out: string[] = [];
    const sim = new PolicySession();
    sim.fragments = [...this.fragments];
    sim.reordered = this.reordered;
    let known = new Set(this.lines('').flatMap(secretRisks));
    let typed = false;
    for (const combo of keypressCombos(keys)) {
      if (combo.includes('Return')) {
        for (const line of sim.lines('')) out.push(...commandRisks(line));
        sim.clear();
        known = new Set();
        typed = false;
      } else if (sim.key(combo)) typed = true;
    }
    if (typed) for (const line of sim.lines('')) out.push(...newSecrets(line, known), ...commandRisks(line));
    return out;
  }

  /** Applies one combo other than Enter; true when it typed a character. */
  private key(combo: string[]): boolean {
    const ch = charOf(combo);
    if (ch !== undefined) {
      if (this.keyRun && this.fragments.length) this.fragments[this.fragments.length - 1] += ch;
      else this.push(ch);
      this.keyRun = true;
      return true;
    }
    this.keyRun = false;
    if (combo.length === 1 && combo[0] === 'Backspace') this.backspace();
    else if (combo.some((k) => MOVES_CARET.has(k)) || (combo.includes('LeftControl') && combo.some((k) => k === 'A' || k === 'E' || k === 'B' || k === 'F'))) this.reordered = true;
    return false;
  }

  // The line in typing order, and when the caret may have moved, every rotation of its pieces.
  private lines(next: string): string[] {
    const pieces = next ? [...this.fragments, next] : [...this.fragments];
    if (!this.reordered) return [pieces.join('')];
    return pieces.map((_, i) => [...pieces.slice(i), ...pieces.slice(0, i)].join(''));
  }

  private push(text: string): void {
    if (!text) return;
    this.fragments.push(text);
    // Bounded: the oldest pieces merge, and only the line's tail is kept.
    if (this.fragments.length > MAX_FRAGMENTS) this.fragments.splice(0, 2, this.fragments[0]! + this.fragments[1]!);
    if (this.pendingLine.length > MAX_LINE) this.fragments = [this.pendingLine.slice(-MAX_LINE)];
  }

  private backspace(): void {
    const last = this.fragments.pop();
    if (last && last.length > 1) this.fragments.push(last.slice(0, -1));
  }

  private clear(): void {
    this.fragments = [];
    this.reordered = false;
    this.keyRun = false;
  }
}

const commandRisks = (line: string) => assessCommand(line).map((why) => `typed command ${why}`);
const newSecrets = (line: string, known: Set<string>) => secretRisks(line).filter((why) => !known.has(why)).map((why) => `typed text ${why}`);

// Keys pressed by an action: a keypress, or keys held during a mouse action.
function keysOf(action: AgentAction | DesktopAction): string | string[] | undefined {
  return action.type === 'keypress' ? action.keys : 'keys' in action ? (action.keys as string | string[] | undefined) : undefined;
}

// The character a combo types on a US layout ("shift+grave" is ~), or undefined for anything else.
const CHARS = new Map<string, string>();
for (let c = 32; c < 127; c++) {
  const ch = String.fromCharCode(c);
  const combo = comboForChar(ch);
  if (combo) CHARS.set(combo.join('+'), ch);
}
for (let d = 0; d <= 9; d++) CHARS.set(`NumPad${d}`, String(d));
function charOf(combo: string[]): string | undefined {
  const keys = combo.map((k) => k.replace(/^Right(?=Shift|Control|Alt|Super)/, 'Left'));
  if (keys.some((k) => k === 'LeftControl' || k === 'LeftAlt' || k === 'LeftSuper')) return undefined;
  const rest = keys.filter((k) => k !== 'LeftShift');
  if (rest.length !== 1) return undefined;
  return CHARS.get((keys.includes('LeftShift') ? 'LeftShift+' : '') + rest[0]);
}
