// The step editor's draft of an automation, and the edits on it as pure functions: move, delete,
// change an action, make a typed text a parameter. The server checks the result when it is saved.
import type { Automation } from '../../../agents/contract.ts';

export type Draft = Omit<Automation, 'version'>;
export type DraftStep = Draft['steps'][number];
export type StepAction = DraftStep['action'];

export function toDraft(automation: Automation): Draft {
  const { version: _version, ...draft } = automation;
  return draft;
}

const keysText = (keys: string | string[]) => (Array.isArray(keys) ? keys.join('+') : keys);

/** The intent the engine writes for typing and keys; other steps keep their target's name. */
export function autoIntent(action: StepAction): string | undefined {
  if (action.type === 'type') return `type ${JSON.stringify(action.text)}`;
  if (action.type === 'keypress') return `press ${keysText(action.keys)}`;
  const command = toolCommand(action);
  if (command !== undefined && action.type === 'tool') return `${action.name}: ${command}`;
  return undefined;
}

/** A tool step's command (a shell's `command`), the text its editor shows; undefined for other steps. */
export function toolCommand(action: StepAction): string | undefined {
  if (action.type !== 'tool') return undefined;
  const command = action.input['command'];
  return typeof command === 'string' ? command : undefined;
}

/** "CTRL+S" -> ["CTRL", "S"]; a single key stays a string. */
export function parseKeys(text: string): string | string[] {
  const keys = text.split('+').map((k) => k.trim()).filter(Boolean);
  return keys.length === 1 ? keys[0]! : keys;
}

export function formatKeys(keys: string | string[]): string {
  return keysText(keys);
}

const withSteps = (d: Draft, steps: DraftStep[]): Draft => ({
  ...d,
  // The first step has nothing before it to be performed with.
  steps: steps.map((s, i) => (i === 0 && s.chained ? unchain(s) : s)),
});

function unchain(s: DraftStep): DraftStep {
  const { chained: _chained, ...rest } = s;
  return rest;
}

/** Moves a step up (-1) or down (+1). Steps whose neighbour changed take their own screenshot (no longer chained). */
export function moveStep(d: Draft, index: number, delta: -1 | 1): Draft {
  const to = index + delta;
  if (index < 0 || to < 0 || index >= d.steps.length || to >= d.steps.length) return d;
  const steps = [...d.steps];
  const [moved] = steps.splice(index, 1);
  steps.splice(to, 0, moved!);
  const first = Math.min(index, to);
  for (const i of [first, first + 1, first + 2]) if (steps[i]) steps[i] = unchain(steps[i]);
  return withSteps(d, steps);
}

export function deleteStep(d: Draft, index: number): Draft {
  const steps = d.steps.filter((_, i) => i !== index);
  // The step after a deleted group head would chain onto the step before it: give it its own look.
  if (steps[index] && !d.steps[index]?.chained) steps[index] = unchain(steps[index]);
  return withSteps(d, steps);
}

/** Replaces a step's action; an intent the engine wrote follows the new action. */
export function setAction(d: Draft, index: number, action: StepAction): Draft {
  return withSteps(d, d.steps.map((s, i) => {
    if (i !== index) return s;
    const auto = autoIntent(s.action);
    const next = autoIntent(action);
    return { ...s, action, intent: auto !== undefined && s.intent === auto && next !== undefined ? next : s.intent };
  }));
}

/** How long a replay waits for this step's target (ms); undefined: the replay's default. */
export function setFindTimeout(d: Draft, index: number, ms: number | undefined): Draft {
  return withSteps(d, d.steps.map((s, i) => {
    if (i !== index) return s;
    const { findTimeoutMs: _old, ...rest } = s;
    return ms === undefined || Number.isNaN(ms) || ms < 0 ? rest : { ...rest, findTimeoutMs: ms };
  }));
}

export function setIntent(d: Draft, index: number, intent: string): Draft {
  return withSteps(d, d.steps.map((s, i) => (i === index ? { ...s, intent } : s)));
}

export type MakeParamResult = { ok: true; draft: Draft } | { ok: false; reason: 'not-type' | 'empty-name' | 'taken' };

/** A typed text becomes {{name}}, and the parameter is added with the old text as its default. */
export function makeParameter(d: Draft, index: number, rawName: string): MakeParamResult {
  const step = d.steps[index];
  if (!step || step.action.type !== 'type') return { ok: false, reason: 'not-type' };
  const name = rawName.trim();
  if (!name) return { ok: false, reason: 'empty-name' };
  if (d.params.some((p) => p.name === name)) return { ok: false, reason: 'taken' };
  const old = step.action.text;
  const draft = setAction(d, index, { type: 'type', text: `{{${name}}}` });
  return { ok: true, draft: { ...draft, params: [...draft.params, { name, default: old }] } };
}

export function setParamDefault(d: Draft, name: string, value: string | undefined): Draft {
  return {
    ...d,
    params: d.params.map((p) => {
      if (p.name !== name) return p;
      const { default: _old, ...rest } = p;
      return value === undefined ? rest : { ...rest, default: value };
    }),
  };
}

export function removeParam(d: Draft, name: string): Draft {
  return { ...d, params: d.params.filter((p) => p.name !== name) };
}

/** Parameter values for run now: defaults first, the user's entries over them. */
export function initialValues(params: Draft['params']): Record<string, string> {
  return Object.fromEntries(params.map((p) => [p.name, p.default ?? '']));
}

/** "invoice=INV-001" lines (the text the run typed) -> { invoice: "INV-001" }; a line without "=" is an error. */
export function parseParamLines(text: string): { ok: true; params: Record<string, string> } | { ok: false; line: string } {
  const params: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { ok: false, line };
    params[line.slice(0, eq).trim()] = raw.slice(raw.indexOf('=') + 1);
  }
  return { ok: true, params };
}
