// An automation: a named, versioned list of steps (actions in screen pixels plus the evidence to
// find each target again), kept as readable JSON and replayed without a model.
import { z } from 'zod';
import { desktopActionSchema, type DesktopAction } from '../desktop/actions.ts';
import { parseTask, TaskFormatError } from '../tasks/task-schema.ts';

export const AUTOMATION_FORMAT = 'deskpilot-automation' as const;
export const NAME_RE = /^[a-z0-9][a-z0-9-_ ]{0,63}$/;
export const PARAM_RE = /^[a-z_][a-z0-9_]{0,63}$/i;
const PLACEHOLDER_RE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const px = z.number().int().nonnegative();
const point = z.object({ x: px, y: px }).strict();
const offset = z.object({ x: z.number().int(), y: z.number().int() }).strict();

export const evidenceSchema = z.object({
  /** The target in screen pixels when the run performed it. */
  point,
  /** Blob ref of a grayscale PNG crop around the point, in screen pixels. */
  crop: z.string().optional(),
  /** Where the point lies within the crop (not the centre near a screen edge). */
  cropOffset: point.optional(),
  /**
   * Image px per screen px of the screenshot the crop was cut from, when the run's captures were
   * scaled: a replay looks at its screen through the same down-and-up scaling, so blur matches blur.
   */
  scale: z.number().positive().max(1).optional(),
  /** The word under the point (tesseract), and the point relative to that word's centre. */
  text: z.string().min(1).optional(),
  textOffset: offset.optional(),
  /** The point relative to the active window's top-left, when it was known. */
  window: z.object({ title: z.string().optional(), relative: offset }).strict().optional(),
  /**
   * The accessible component under the point (AT-SPI name and role, where the app exposes one), and
   * the point relative to that component's centre: a replay finds the component again by name.
   */
  a11y: z.object({ name: z.string(), role: z.string(), offset: offset.optional() }).strict().optional(),
}).strict();
export type Evidence = z.infer<typeof evidenceSchema>;

/** A call of one of the run's tools (shell, files...), replayed as a tool call: no evidence, no relocation. */
export const toolCallSchema = z.object({ type: z.literal('tool'), name: z.string().min(1).max(128), input: z.record(z.string(), z.unknown()) }).strict();
export type ToolCall = z.infer<typeof toolCallSchema>;
export type StepAction = DesktopAction | ToolCall;

export const stepSchema = z.object({
  id: z.string().min(1),
  /** Readable text: "click 'Save'", "type \"{{name}}\"", "shell: ls". */
  intent: z.string().min(1),
  // A union rather than a new field: files saved before tool steps existed load unchanged.
  action: z.union([desktopActionSchema, toolCallSchema]),
  /** Performed in the same loop step as the previous one (one model reply), without a new screenshot. */
  chained: z.boolean().optional(),
  /** How long a replay waits for this step's target to appear (a slow app) before relocating, healing or asking; the replay's default when absent. */
  findTimeoutMs: z.number().int().nonnegative().max(600_000).optional(),
  evidence: evidenceSchema.optional(),
}).strict();
export type Step = z.infer<typeof stepSchema>;

/** OSWorld's evaluator object (func, result, expected, options...), checked by parseTask. */
const evaluatorSchema = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  try {
    parseTask({ id: 'automation', instruction: 'automation', evaluator: value }, 'evaluator');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof TaskFormatError ? err.message : String(err) });
  }
});

/**
 * An automation that is a prompt: the agent does the task (with a model) on the schedule or on demand,
 * and its answer goes to the inbox. The key is never in the file: a provider from the settings, or
 * the name of the environment variable that holds it.
 */
export const promptSchema = z.object({
  task: z.string().trim().min(1).max(20_000),
  provider: z.object({
    /** A provider of the settings (its key from there), else a preset (openai, ollama, custom...) run with the fields below. */
    id: z.string().min(1).max(64),
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    model: z.string().min(1).max(200).optional(),
    adapter: z.enum(['openai-responses', 'openai-chat', 'ui-tars', 'anthropic', 'gemini']).optional(),
    apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable, not the key').optional(),
  }).strict(),
  tools: z.boolean().default(true),
  skills: z.boolean().default(false),
  /** A fresh sandbox (default), or a display such as ":1". */
  target: z.union([z.literal('sandbox'), z.string().regex(/^:\d+$/, 'a display such as ":1"')]).default('sandbox'),
  maxSeconds: z.number().positive().max(7 * 24 * 3600).optional(),
  /** Most it may spend on the model in one run (USD, where the model's price is known). */
  budgetUsd: z.number().positive().optional(),
  /** The answer that means "nothing to report" (compared trimmed, case-insensitive): such a result is archived at once. */
  nothingToReport: z.string().trim().min(1).max(200).optional(),
}).strict();
export type PromptSpec = z.infer<typeof promptSchema>;

export const automationSchema = z.object({
  format: z.literal(AUTOMATION_FORMAT),
  version: z.number().int().positive(),
  name: z.string().regex(NAME_RE, 'a name is 1-64 characters: lowercase letters, digits, "-", "_" or spaces, starting with a letter or digit'),
  description: z.string().optional(),
  params: z.array(z.object({ name: z.string().regex(PARAM_RE, 'a parameter name is letters, digits and "_", not starting with a digit'), default: z.string().optional() }).strict()).default([]),
  allowHealing: z.boolean().default(false),
  evaluator: evaluatorSchema.optional(),
  /** The run it was compiled from. */
  source: z.object({ runId: z.string(), task: z.string() }).strict().optional(),
  /** The screen size it was recorded on. */
  screen: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).strict().optional(),
  /** A prompt automation runs the agent instead of replaying steps (it has none). */
  prompt: promptSchema.optional(),
  steps: z.array(stepSchema).default([]),
}).strict();
export type Automation = z.infer<typeof automationSchema>;
export type AutomationInput = z.input<typeof automationSchema>;

export class AutomationError extends Error {
  override name = 'AutomationError';
}

export function assertName(name: string): string {
  if (!NAME_RE.test(name)) throw new AutomationError(`"${name}" is not a valid automation name: use 1-64 lowercase letters, digits, "-", "_" or spaces, starting with a letter or digit`);
  return name;
}

/** Parses an automation from JSON text or a value; the error names the field at fault. */
export function parseAutomation(input: unknown, source = 'automation'): Automation {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new AutomationError(`${source}: not valid JSON: ${(err as Error).message}`);
    }
  }
  const parsed = automationSchema.safeParse(value);
  if (!parsed.success) throw new AutomationError(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'automation'}: ${i.message}`).join('; ')}`);
  const automation = parsed.data;
  if (automation.prompt && automation.steps.length) throw new AutomationError(`${source}: an automation is a prompt or steps to replay, not both`);
  if (!automation.prompt && automation.steps.length === 0) throw new AutomationError(`${source}: steps: an automation needs at least one step (or a prompt)`);
  const declared = new Set(automation.params.map((p) => p.name));
  if (declared.size !== automation.params.length) throw new AutomationError(`${source}: a parameter is declared twice`);
  const used = placeholders(automation);
  const undeclared = [...used].filter((n) => !declared.has(n));
  if (undeclared.length) throw new AutomationError(`${source}: steps use {{${undeclared.join('}}, {{')}}} but params does not declare ${undeclared.length === 1 ? 'it' : 'them'}`);
  return automation;
}

/** Parameter names used in typed texts and in tool calls' string inputs. */
export function placeholders(automation: Pick<Automation, 'steps'>): Set<string> {
  const names = new Set<string>();
  for (const s of automation.steps) for (const text of stepTexts(s.action)) for (const m of text.matchAll(PLACEHOLDER_RE)) names.add(m[1]!);
  return names;
}

/** The texts of an action parameters may appear in: typed text, or every string inside a tool call's input. */
function stepTexts(a: StepAction): string[] {
  if (a.type === 'type') return [a.text];
  if (a.type !== 'tool') return [];
  const out: string[] = [];
  mapStrings(a.input, (t) => {
    out.push(t);
    return t;
  });
  return out;
}

/** A copy of a JSON value with each string passed through `f` (keys unchanged). */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  return value;
}

/** A tool call with {{name}} filled in every string of its input. */
export function substituteTool(call: ToolCall, values: Record<string, string>): ToolCall {
  return { type: 'tool', name: call.name, input: mapStrings(call.input, (t) => substitute(t, values)) };
}

/** "shell: ls -l", "write_file: ~/a.txt": the tool's name and its main input, readably. */
export function toolIntent(call: ToolCall, max = 80): string {
  const main = call.input['command'] ?? call.input['path'] ?? Object.values(call.input).find((v) => typeof v === 'string');
  const text = typeof main === 'string' ? main : JSON.stringify(call.input);
  return `${call.name}: ${text.length > max ? `${text.slice(0, max - 3)}...` : text}`;
}

/** The values to replay with: given ones, else defaults; a missing one is an error before anything runs. */
export function resolveParams(automation: Automation, given: Record<string, string>): Record<string, string> {
  const declared = new Map(automation.params.map((p) => [p.name, p]));
  const unknown = Object.keys(given).filter((k) => !declared.has(k));
  if (unknown.length) {
    const known = automation.params.map((p) => p.name).join(', ') || 'none';
    throw new AutomationError(`automation "${automation.name}" has no parameter ${unknown.map((k) => `"${k}"`).join(', ')} (its parameters: ${known})`);
  }
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const p of automation.params) {
    const v = given[p.name] ?? p.default;
    if (v === undefined) missing.push(p.name);
    else values[p.name] = v;
  }
  if (missing.length) throw new AutomationError(`automation "${automation.name}" needs ${missing.map((m) => `--param ${m}=VALUE`).join(' ')}`);
  return values;
}

/** Replaces {{name}} in a typed text; every name must have a value (resolveParams checked it). */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER_RE, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) throw new AutomationError(`no value for {{${name}}}`);
    return v;
  });
}

/** Turns each value's occurrences in typed texts into {{name}}; a value found nowhere is an error. */
export function parameterize(steps: Step[], params: Record<string, string>): Step[] {
  // Longest values first, so "2024-01" inside "2024-01-31" does not split the longer one.
  const entries = Object.entries(params).sort((a, b) => b[1].length - a[1].length);
  for (const [name, value] of entries) {
    if (!PARAM_RE.test(name)) throw new AutomationError(`"${name}" is not a valid parameter name: use letters, digits and "_", not starting with a digit`);
    if (value === '') throw new AutomationError(`parameter "${name}" has an empty value: give the text the run typed, e.g. --param ${name}=INV-001`);
  }
  const found = new Set<string>();
  const replaceAll = (text: string) => {
    let t = text;
    for (const [name, value] of entries) {
      if (!t.includes(value)) continue;
      found.add(name);
      t = t.split(value).join(`{{${name}}}`);
    }
    return t;
  };
  const out = steps.map((s) => {
    if (s.action.type === 'tool') {
      const call: ToolCall = { ...s.action, input: mapStrings(s.action.input, replaceAll) };
      return { ...s, action: call, intent: toolIntent(call) };
    }
    if (s.action.type !== 'type') return s;
    const text = replaceAll(s.action.text);
    const action: DesktopAction = { type: 'type', text };
    return { ...s, action, intent: `type ${JSON.stringify(text)}` };
  });
  const missing = entries.filter(([n]) => !found.has(n));
  if (missing.length) {
    const why = ([n, v]: [string, string]) => {
      const inside = entries.find(([m, w]) => m !== n && w.includes(v) && found.has(m));
      return inside ? `${JSON.stringify(v)} (for ${n}) only inside ${inside[0]}'s value ${JSON.stringify(inside[1])}` : `${JSON.stringify(v)} (for ${n})`;
    };
    throw new AutomationError(`the run never typed ${missing.map(why).join(', ')}: a parameter must be text the run typed or gave a tool`);
  }
  return out;
}
