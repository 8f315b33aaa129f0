// OSWorld's task JSON (id, instruction, config steps, evaluator), parsed into typed steps and
// getters. Types we do not run are kept as `unsupported` entries, so a task can be reported as such
// instead of failing to load; malformed parameters of a known type are a load error naming the step.
import { z } from 'zod';
import { relativeTimeProblem, relativeTimeRulesSchema, type RelativeTimeRules } from './relative-time.ts';

const command = z.union([z.string().min(1), z.array(z.string()).min(1)]);
const windowParams = z.looseObject({ window_name: z.string().min(1), strict: z.boolean().optional(), by_class: z.boolean().optional() });

/** Parameters of the config steps we run, as OSWorld spells them. */
const stepParams = {
  launch: z.looseObject({ command, shell: z.boolean().optional() }),
  open: z.looseObject({ path: z.string().min(1) }),
  execute: z.looseObject({ command, shell: z.boolean().optional() }),
  command: z.looseObject({ command, shell: z.boolean().optional() }),
  sleep: z.looseObject({ seconds: z.number().nonnegative().max(600) }),
  activate_window: windowParams,
  close_window: windowParams,
  download: z.looseObject({ files: z.array(z.looseObject({ url: z.string().min(1), path: z.string().min(1), sha256: z.string().regex(/^[0-9a-fA-F]{64}$/).optional() })).min(1) }),
  chrome_open_tabs: z.looseObject({ urls_to_open: z.array(z.string().min(1)).min(1) }),
  chrome_close_tabs: z.looseObject({ urls_to_close: z.array(z.string().min(1)).min(1) }),
} as const;

export type ConfigStep =
  | { type: 'launch'; command: string | string[]; shell: boolean }
  | { type: 'open'; path: string }
  | { type: 'execute'; command: string | string[]; shell: boolean }
  | { type: 'sleep'; seconds: number }
  | { type: 'activate_window' | 'close_window'; windowName: string; strict: boolean; byClass: boolean }
  | { type: 'download'; files: { url: string; path: string; sha256?: string }[] }
  | { type: 'chrome_open_tabs' | 'chrome_close_tabs'; urls: string[] }
  | { type: 'unsupported'; name: string };

const pathOrPaths = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const fileGetter = z.looseObject({ path: pathOrPaths, dest: pathOrPaths.optional(), multi: z.boolean().optional(), gives: z.array(z.number().int().nonnegative()).optional() });
const getterParams = {
  vm_file: fileGetter,
  cloud_file: fileGetter,
  vm_command_line: z.looseObject({ command, shell: z.boolean().optional() }),
  vm_command_error: z.looseObject({ command, shell: z.boolean().optional() }),
  rule: z.looseObject({ rules: z.unknown() }),
  rule_relativeTime: z.looseObject({ rules: relativeTimeRulesSchema }),
  vm_terminal_output: z.looseObject({}),
  active_tab_info: z.looseObject({}),
  open_tabs_info: z.looseObject({}),
  active_url_from_accessTree: z.looseObject({}),
  bookmarks: z.looseObject({}),
  enable_do_not_track: z.looseObject({}),
  active_tab_html_parse: z.looseObject({ category: z.enum(['class', 'label', 'xpath', 'input', 'class&url']) }),
} as const;

/** The Chrome getters, read from the sandbox's Chromium over its DevTools port or its profile. */
export const CHROME_GETTERS = ['active_tab_info', 'open_tabs_info', 'active_url_from_accessTree', 'bookmarks', 'enable_do_not_track', 'active_tab_html_parse'] as const;
export type ChromeGetterName = (typeof CHROME_GETTERS)[number];

export type Getter =
  | { type: 'vm_file' | 'cloud_file'; path: string | string[]; multi: boolean; gives?: number[] }
  | { type: 'vm_command_line' | 'vm_command_error'; command: string | string[]; shell: boolean }
  | { type: 'rule'; rules: unknown }
  | { type: 'rule_relativeTime'; rules: RelativeTimeRules }
  | { type: 'vm_terminal_output' }
  | { type: 'chrome'; name: ChromeGetterName; params: Record<string, unknown> }
  | { type: 'unsupported'; name: string };

/** One metric with its getters and options. */
export interface MetricSpec {
  func: string;
  result?: Getter;
  expected?: Getter;
  options: Record<string, unknown>;
}

export interface Evaluator {
  metrics: MetricSpec[];
  /** OSWorld's `conj` for a list of funcs: 'and' (default) or 'or'. */
  conj: 'and' | 'or';
  postconfig: ConfigStep[];
}

export interface Task {
  id: string;
  instruction: string;
  config: ConfigStep[];
  evaluator: Evaluator;
  /** Everything else in the file (snapshot, related_apps, source, ...), kept as is. */
  extra: Record<string, unknown>;
}

const rawStep = z.looseObject({ type: z.string().min(1), parameters: z.record(z.string(), z.unknown()).optional() });
const rawGetter = z.looseObject({ type: z.string().min(1) });
const one = <T extends z.ZodType>(s: T) => z.union([s, z.array(s.nullable())]).optional();

const rawTask = z.looseObject({
  id: z.string().min(1),
  instruction: z.string().min(1),
  config: z.array(rawStep).optional(),
  evaluator: z.looseObject({
    func: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    conj: z.enum(['and', 'or']).optional(),
    result: one(rawGetter),
    expected: one(rawGetter),
    options: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()).nullable())]).optional(),
    postconfig: z.array(rawStep).optional(),
  }),
});

/** A task file that cannot be read as an OSWorld task. */
export class TaskFormatError extends Error {
  override name = 'TaskFormatError';
}

function issues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'task'}: ${i.message}`).join('; ');
}

function parseStep(raw: z.infer<typeof rawStep>, where: string): ConfigStep {
  const type = raw.type;
  if (!(type in stepParams)) return { type: 'unsupported', name: type };
  const parsed = stepParams[type as keyof typeof stepParams].safeParse(raw.parameters ?? {});
  if (!parsed.success) throw new TaskFormatError(`${where} (${type}): ${issues(parsed.error)}`);
  const p = parsed.data as Record<string, unknown>;
  switch (type) {
    case 'launch':
      return { type: 'launch', command: p['command'] as string | string[], shell: p['shell'] === true };
    case 'execute':
    case 'command':
      // OSWorld's `command` step is an alias of `execute`.
      return { type: 'execute', command: p['command'] as string | string[], shell: p['shell'] === true };
    case 'open':
      return { type: 'open', path: p['path'] as string };
    case 'sleep':
      return { type: 'sleep', seconds: p['seconds'] as number };
    case 'activate_window':
    case 'close_window':
      return { type, windowName: p['window_name'] as string, strict: p['strict'] === true, byClass: p['by_class'] === true };
    case 'chrome_open_tabs':
      return { type: 'chrome_open_tabs', urls: p['urls_to_open'] as string[] };
    case 'chrome_close_tabs':
      return { type: 'chrome_close_tabs', urls: p['urls_to_close'] as string[] };
    default:
      return { type: 'download', files: (p['files'] as { url: string; path: string; sha256?: string }[]).map((f) => ({ url: f.url, path: f.path, ...(f.sha256 ? { sha256: f.sha256 } : {}) })) };
  }
}

function parseGetter(raw: z.infer<typeof rawGetter> | null | undefined, where: string): Getter | undefined {
  if (!raw) return undefined;
  const type = raw.type;
  if (!(type in getterParams)) return { type: 'unsupported', name: type };
  const parsed = getterParams[type as keyof typeof getterParams].safeParse(raw);
  if (!parsed.success) throw new TaskFormatError(`${where} (${type}): ${issues(parsed.error)}`);
  const p = parsed.data as Record<string, unknown>;
  switch (type) {
    case 'vm_file':
    case 'cloud_file': {
      const paths = p['path'] as string | string[];
      const multi = p['multi'] === true;
      if (multi !== Array.isArray(paths)) throw new TaskFormatError(`${where} (${type}): "multi": true goes with a list of paths, and only then`);
      const gives = p['gives'] as number[] | undefined;
      return { type, path: paths, multi, ...(gives ? { gives } : {}) };
    }
    case 'vm_command_line':
    case 'vm_command_error':
      return { type, command: p['command'] as string | string[], shell: p['shell'] === true };
    case 'rule':
      return { type: 'rule', rules: p['rules'] };
    case 'rule_relativeTime': {
      const rules = p['rules'] as RelativeTimeRules;
      const problem = relativeTimeProblem(rules);
      if (problem) throw new TaskFormatError(`${where} (${type}): ${problem}`);
      return { type, rules };
    }
    case 'vm_terminal_output':
      return { type };
    default:
      return { type: 'chrome', name: type as ChromeGetterName, params: p };
  }
}

/** Lists line up with the func list; a single getter or options object applies to every func. */
function pick<T>(value: T | (T | null)[] | undefined, i: number, n: number, what: string): T | undefined {
  if (!Array.isArray(value)) return value;
  if (value.length !== n) throw new TaskFormatError(`evaluator.${what}: a list of ${value.length} for ${n} funcs (they must line up)`);
  return value[i] ?? undefined;
}

/** Parses one task; `source` names the file in errors. */
export function parseTask(value: unknown, source = 'task'): Task {
  const parsed = rawTask.safeParse(value);
  if (!parsed.success) throw new TaskFormatError(`${source}: ${issues(parsed.error)}`);
  const raw = parsed.data;
  try {
    const ev = raw.evaluator;
    const funcs = Array.isArray(ev.func) ? ev.func : [ev.func];
    const metrics = funcs.map((func, i): MetricSpec => {
      const result = parseGetter(pick(ev.result, i, funcs.length, 'result'), `evaluator.result${funcs.length > 1 ? `[${i}]` : ''}`);
      const expected = parseGetter(pick(ev.expected, i, funcs.length, 'expected'), `evaluator.expected${funcs.length > 1 ? `[${i}]` : ''}`);
      const options = pick(ev.options, i, funcs.length, 'options') ?? {};
      return { func, ...(result ? { result } : {}), ...(expected ? { expected } : {}), options };
    });
    const { id, instruction, config, evaluator: _e, ...extra } = raw;
    return {
      id,
      instruction,
      config: (config ?? []).map((s, i) => parseStep(s, `config[${i}]`)),
      evaluator: { metrics, conj: ev.conj ?? 'and', postconfig: (ev.postconfig ?? []).map((s, i) => parseStep(s, `evaluator.postconfig[${i}]`)) },
      extra,
    };
  } catch (err) {
    if (err instanceof TaskFormatError) throw new TaskFormatError(`${source}: ${err.message}`);
    throw err;
  }
}
