// Edits an operator makes to a draft automation before saving it: delete, move, change a step's
// text or action, and turn typed text into a {{parameter}}. Pure: the recorder's review loop uses it.
import { desktopActionSchema } from '../desktop/actions.ts';
import { AutomationError, parameterize, type Automation, type Step } from './automation.ts';
import { intentOf } from './compile.ts';

export type Draft = Omit<Automation, 'version'>;

export const EDIT_HELP = [
  'd N            delete step N',
  'm N K          move step N to position K',
  't N TEXT       set the text step N types',
  'a N JSON       replace step N\'s action (screen pixels), e.g. {"type":"keypress","keys":["ctrl","s"]}',
  'p NAME=TEXT    make the typed TEXT a parameter {{NAME}} (TEXT becomes its default)',
  's              save',
  'q              quit without saving',
].join('\n');

export type EditResult = { draft: Draft; message: string } | { save: true } | { quit: true };

/** Applies one review command; a mistake throws an AutomationError that says how to do it right. */
export function applyEdit(draft: Draft, line: string): EditResult {
  const [cmd = '', ...rest] = line.trim().split(/\s+/);
  const arg = line.trim().slice(cmd.length).trim();
  const stepAt = (n: string | undefined): number => {
    const i = Number(n) - 1;
    if (!Number.isInteger(i) || i < 0 || i >= draft.steps.length) throw new AutomationError(`there is no step ${n ?? ''}: give a number from 1 to ${draft.steps.length}`);
    return i;
  };
  const withSteps = (steps: Step[], message: string): EditResult => {
    if (steps.length === 0) throw new AutomationError('an automation needs at least one step: q discards the recording');
    // The first step has nothing before it to be performed with.
    return { draft: { ...draft, steps: steps.map((s, i) => ({ ...(i === 0 ? withoutChain(s) : s), id: `s${i + 1}` })) }, message };
  };
  switch (cmd) {
    case 'd': {
      const i = stepAt(rest[0]);
      const steps = draft.steps.filter((_, j) => j !== i);
      // The step after a deleted group head would chain onto the step before it: give it its own look.
      if (steps[i] && !draft.steps[i]!.chained) steps[i] = withoutChain(steps[i]!);
      return withSteps(steps, `deleted step ${i + 1}`);
    }
    case 'm': {
      const from = stepAt(rest[0]);
      const to = stepAt(rest[1]);
      const steps = [...draft.steps];
      const [moved] = steps.splice(from, 1);
      steps.splice(to, 0, moved!);
      // Steps whose neighbour changed take their own screenshot: the moved one, and those after its old and new places.
      const fresh = new Set([moved, draft.steps[from + 1], steps[to + 1]]);
      return withSteps(steps.map((s) => (fresh.has(s) ? withoutChain(s) : s)), `moved step ${from + 1} to ${to + 1}`);
    }
    case 't': {
      const i = stepAt(rest[0]);
      const step = draft.steps[i]!;
      if (step.action.type !== 'type') throw new AutomationError(`step ${i + 1} does not type text (it is "${step.intent}"): use a ${i + 1} JSON to change its action`);
      const text = arg.slice(rest[0]!.length).replace(/^ /, '').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      const action = { type: 'type' as const, text };
      return withSteps(draft.steps.map((s, j) => (j === i ? { ...s, action, intent: intentOf(action) } : s)), `step ${i + 1} now types ${JSON.stringify(text)}`);
    }
    case 'a': {
      const i = stepAt(rest[0]);
      let value: unknown;
      try {
        value = JSON.parse(arg.slice(rest[0]!.length));
      } catch (err) {
        throw new AutomationError(`not valid JSON: ${(err as Error).message}`);
      }
      const parsed = desktopActionSchema.safeParse(value);
      if (!parsed.success) throw new AutomationError(`not an action: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'action'}: ${x.message}`).join('; ')}`);
      const old = draft.steps[i]!;
      // The old evidence belongs to the old target; a moved point replays unchecked.
      const step: Step = { id: old.id, intent: intentOf(parsed.data), action: parsed.data };
      return withSteps(draft.steps.map((s, j) => (j === i ? step : s)), `step ${i + 1} is now "${step.intent}"`);
    }
    case 'p': {
      const eq = arg.indexOf('=');
      if (eq <= 0) throw new AutomationError('give p NAME=TEXT, e.g. p invoice=INV-001');
      const name = arg.slice(0, eq).trim();
      const value = arg.slice(eq + 1);
      if (draft.params.some((p) => p.name === name)) throw new AutomationError(`there is already a parameter "${name}"`);
      const steps = parameterize(draft.steps, { [name]: value });
      return { draft: { ...draft, steps, params: [...draft.params, { name, default: value }] }, message: `typed ${JSON.stringify(value)} is now {{${name}}}` };
    }
    case 's':
      return { save: true };
    case 'q':
      return { quit: true };
    default:
      throw new AutomationError(`unknown command "${cmd}":\n${EDIT_HELP}`);
  }
}

function withoutChain(s: Step): Step {
  const { chained: _chained, ...rest } = s;
  return rest;
}
