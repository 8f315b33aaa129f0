// Which actions are risky: the approval gate asks the operator before these reach the driver.
import type { AgentAction, ProposedAction } from '../models/planner.ts';
import { parseKeys } from '../desktop/keys.ts';
import { assessCommand } from './command-risk.ts';
import type { ApprovalMode } from './events.ts';

// Key combos that close, quit, delete, submit or switch away: each is hard to undo.
const RISKY_COMBOS: [string[], string][] = [
  [['LeftAlt', 'F4'], 'closes the window'],
  [['LeftControl', 'W'], 'closes a tab or window'],
  [['LeftControl', 'Q'], 'quits the application'],
  [['LeftControl', 'LeftShift', 'W'], 'closes the window'],
  [['LeftControl', 'LeftShift', 'Q'], 'quits the application'],
  [['LeftControl', 'LeftAlt', 'Delete'], 'system key combination'],
  [['LeftControl', 'LeftAlt', 'Backspace'], 'kills the X session'],
  [['LeftShift', 'Delete'], 'deletes permanently'],
  [['Delete'], 'deletes'],
  [['LeftControl', 'Return'], 'submits'],
  [['LeftControl', 'D'], 'may delete, bookmark or end input'],
  [['LeftSuper', 'L'], 'locks the screen'],
];

const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}/, 'looks like an API key'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/, 'looks like a GitHub token'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'looks like an AWS key'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'contains a private key'],
  [/\b(?:\d[ -]?){13,19}\b/, 'looks like a card number'],
  [/\b(password|passwd|pwd|secret|token)\s*[:=]/i, 'contains a password or secret'],
];

export interface RiskContext {
  /** Text near the focused field, when known (window title, label): "Password", "Card number". */
  focusHint?: string;
}

/** Reasons an action is risky; empty when it is not. */
export function assessRisk(proposed: ProposedAction, ctx: RiskContext = {}): string[] {
  const reasons: string[] = [];
  for (const check of proposed.safetyChecks ?? []) reasons.push(`model safety check: ${check.message || check.code}`);
  if (proposed.flagged) reasons.push(`the model flagged it: ${proposed.flagged}`);
  reasons.push(...actionRisks(proposed.action, ctx));
  return reasons;
}

function actionRisks(action: AgentAction, ctx: RiskContext): string[] {
  const reasons: string[] = [];
  if (action.type === 'keypress') {
    let combos: string[][] = [];
    try {
      combos = parseKeys(action.keys);
    } catch {
      return reasons; // an unknown key is refused later, before any input
    }
    for (const combo of combos) {
      const set = new Set(combo.map((k) => k.replace(/^Right/, 'Left')));
      for (const [risky, why] of RISKY_COMBOS) {
        if (risky.length === set.size && risky.every((k) => set.has(k))) reasons.push(`${combo.join('+')} ${why}`);
      }
    }
  }
  if (action.type === 'type') {
    for (const [re, why] of SECRET_PATTERNS) if (re.test(action.text)) reasons.push(`typed text ${why}`);
    for (const why of assessCommand(action.text)) reasons.push(`typed command ${why}`);
    if (ctx.focusHint && /pass(word|code)|pin\b|card|cvv|cvc|iban|account number|security code/i.test(ctx.focusHint)) {
      reasons.push(`typing into what looks like a password or payment field (${ctx.focusHint})`);
    }
  }
  return reasons;
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
