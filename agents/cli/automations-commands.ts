// deskpilot automations list | create | show | run | delete: runs saved as replays that need no
// model. A replay is a run like any other (same output, approvals, Ctrl+C), with provider "automation".
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { atspiProbe } from '../automations/a11y.ts';
import { AutomationError, type Automation, type Step } from '../automations/automation.ts';
import { AutomationStore } from '../automations/automation-store.ts';
import { compileRun } from '../automations/compile.ts';
import { prepareReplay } from '../automations/replay.ts';
import { evaluatorVerifier } from '../automations/verify.ts';
import { xdotoolProbe, type WindowInfo } from '../automations/window-probe.ts';
import type { VirtualDisplay } from '../desktop/display.ts';
import { createPlanner, ProviderError } from '../models/create-planner.ts';
import type { Planner } from '../models/planner.ts';
import type { ApprovalMode } from '../run/events.ts';
import { localTime } from '../run/run-format.ts';
import { CliError, optionReader, type Command, type OptionValues } from './command.ts';
import { displayTarget } from './display-option.ts';
import { runAgent } from './run-commands.ts';
import { openCliStore, type CliStore } from './store-access.ts';
import { runRows } from './batch-replay.ts';
import { PROMPT_CREATE_OPTIONS, PROMPT_CREATE_USAGE, promptFrom, runPrompt } from './prompt-automation-commands.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);
const APPROVE_MODES: readonly ApprovalMode[] = ['always', 'risky', 'never'];

const RUN_USAGE = 'automations run NAME [--param k=v ... | --rows data.csv|data.xlsx [--parallel N]] [--display :N | --sandbox] [--approve always|risky|never] [--max-seconds N] [--find-timeout MS] ' +
  '[--heal-provider PROVIDER [--heal-model NAME] [--heal-base-url URL] [--heal-api-key KEY]] [--json] [--db PATH]';
const CREATE_USAGE = 'automations create --from-run RUN_ID --name NAME [--param k=v ...] [--description TEXT] [--allow-healing] [--evaluator FILE] [--no-ocr] [--display :N] [--json] [--db PATH]';

/** The automations folder sits next to the database (the data dir, or beside --db). */
function automationsOf(cli: CliStore): AutomationStore {
  return new AutomationStore(cli.store.db, join(dirname(cli.path), 'automations'));
}

/** Opens the store, runs fn, closes; automation errors become CLI errors. */
export async function withAutomations<T>(values: OptionValues, fn: (a: AutomationStore, cli: CliStore) => Promise<T> | T): Promise<T> {
  const cli = openCliStore(values);
  try {
    return await fn(automationsOf(cli), cli);
  } catch (err) {
    if (err instanceof AutomationError) throw new CliError(err.message, 1);
    throw err;
  } finally {
    cli.close();
  }
}

/** --param k=v (repeatable) -> { k: v }. */
export function paramsFrom(values: OptionValues, usage: string): Record<string, string> {
  const raw = values['param'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  const params: Record<string, string> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError(`--param needs NAME=VALUE, not "${p}"\nUsage: deskpilot ${usage}`);
    params[p.slice(0, eq).trim()] = p.slice(eq + 1);
  }
  return params;
}

function oneName(positionals: string[], usage: string): string {
  const name = positionals.join(' ').trim();
  if (!name) throw new CliError(`give the automation's name (deskpilot automations list shows them)\nUsage: deskpilot ${usage}`);
  return name;
}

function mustGet(a: AutomationStore, cli: CliStore, name: string, version?: number): Automation {
  const found = a.get(name, version);
  if (found) return found;
  if (version !== undefined && a.get(name)) throw new CliError(`automation "${name}" has no version ${version} (it has ${a.versions(name).map((v) => v.version).join(', ')})`, 1);
  throw new CliError(`no automation "${name}" in ${cli.path} (deskpilot automations list shows them)`, 1);
}

/** The active window of a display, read with xdotool: for window-relative positions. */
async function activeWindow(display: string): Promise<WindowInfo> {
  const w = await xdotoolProbe({ DISPLAY: display })();
  if (!w) throw new CliError(`could not read the active window on ${display} (is the display running, and xdotool installed?)`, 1);
  return w;
}

function evaluatorFrom(path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read the evaluator ${path}: ${(err as Error).message}`, 1);
  }
  // A whole OSWorld task file, or just its evaluator object.
  const obj = value as Record<string, unknown> | null;
  const evaluator = obj && typeof obj === 'object' && typeof obj['evaluator'] === 'object' ? obj['evaluator'] : obj;
  if (!evaluator || typeof evaluator !== 'object' || Array.isArray(evaluator)) throw new CliError(`${path} holds no evaluator: give an OSWorld task file or its "evaluator" object`);
  return evaluator as Record<string, unknown>;
}

export function describeStep(s: Step, i: number, total: number): string[] {
  const e = s.evidence;
  const bits = e ? [
    e.crop ? 'crop' : '', e.text ? `text '${e.text}'` : '', e.a11y ? `${e.a11y.role} '${e.a11y.name}'` : '', e.window ? `window +${e.window.relative.x}+${e.window.relative.y}${e.window.title ? ` of "${e.window.title}"` : ''}` : '',
  ].filter(Boolean) : [];
  const where = e && !s.intent.includes(`(${e.point.x}, ${e.point.y})`) ? ` at (${e.point.x}, ${e.point.y})` : '';
  return [`${String(i + 1).padStart(String(total).length)}. ${s.chained ? '+ ' : ''}${s.intent}${where}${bits.length ? `  [${bits.join(', ')}]` : ''}`];
}

export const automationsCommands: Command[] = [
  {
    path: ['automations', 'list'],
    usage: 'automations list [--json] [--db PATH]',
    summary: 'saved automations: name, version, steps, parameters, last saved',
    options: { json: { type: 'boolean' }, db: { type: 'string' } },
    async run({ values }) {
      return withAutomations(values, (a, cli) => {
        const rows = a.list();
        if (values['json'] === true) for (const r of rows) out(JSON.stringify(r));
        else if (rows.length === 0) note(`no automations yet in ${cli.path} (deskpilot automations create --from-run RUN_ID --name NAME)`);
        else {
          const cells = rows.map((r) => [r.name, `v${r.version}`, String(r.steps), r.params.join(',') || '-', localTime(r.updatedAt)]);
          const header = ['NAME', 'VERSION', 'STEPS', 'PARAMS', 'SAVED'];
          const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
          for (const c of [header, ...cells]) out(c.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd());
        }
        return 0;
      });
    },
  },
  {
    path: ['automations', 'create'],
    usage: 'automations create --from-run RUN_ID --name NAME [--param k=v ...] [options] | --name NAME --prompt "TASK" [provider options]',
    summary: "save a run's performed actions as an automation (a new version if the name exists); --param k=v turns the typed text v into {{k}}; options: --description --allow-healing --evaluator FILE --no-ocr --display :N --json --db. " +
      `Or a prompt the agent runs on demand or on a schedule: ${PROMPT_CREATE_USAGE}`,
    options: {
      ...PROMPT_CREATE_OPTIONS,
      'from-run': { type: 'string' }, name: { type: 'string' }, param: { type: 'string', multiple: true }, description: { type: 'string' },
      'allow-healing': { type: 'boolean' }, evaluator: { type: 'string' }, 'no-ocr': { type: 'boolean' }, display: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' },
    },
    async run({ values }) {
      const { str, usageError } = optionReader(CREATE_USAGE);
      const runId = str(values, 'from-run');
      const name = str(values, 'name');
      if (values['prompt'] !== undefined) {
        if (!name || runId) throw usageError('a prompt automation needs --name NAME and --prompt "TASK" (not --from-run)');
        return withAutomations(values, (a) => {
          const saved = a.save(promptFrom(values, name));
          if (values['json'] === true) out(JSON.stringify(saved));
          else out(`saved prompt automation "${saved.name}" v${saved.version}: runs on ${saved.prompt!.target === 'sandbox' ? 'a fresh sandbox' : `display ${saved.prompt!.target}`}; file: ${a.filePath(saved.name)}`);
          return 0;
        });
      }
      if (!runId || !name) throw usageError('give --from-run RUN_ID and --name NAME');
      const params = paramsFrom(values, CREATE_USAGE);
      const evaluatorPath = str(values, 'evaluator');
      const evaluator = evaluatorPath ? evaluatorFrom(resolve(evaluatorPath)) : undefined;
      const display = str(values, 'display');
      const window = display ? await activeWindow(display) : undefined;
      const description = str(values, 'description');
      return withAutomations(values, async (a, cli) => {
        const { automation, warnings } = await compileRun(cli.store, runId, {
          name, params, ...(description ? { description } : {}), allowHealing: values['allow-healing'] === true,
          ...(evaluator ? { evaluator } : {}), ocr: values['no-ocr'] !== true, ...(window ? { window } : {}),
        });
        for (const w of warnings) note(`warning: ${w}`);
        const saved = a.save(automation);
        if (values['json'] === true) out(JSON.stringify(saved));
        else {
          out(`saved automation "${saved.name}" v${saved.version}: ${saved.steps.length} steps${saved.params.length ? `, parameters ${saved.params.map((p) => p.name).join(', ')}` : ''}`);
          out(`file: ${a.filePath(saved.name)}`);
        }
        return 0;
      });
    },
  },
  {
    path: ['automations', 'show'],
    usage: 'automations show NAME [--version N] [--json] [--db PATH]',
    summary: 'an automation: its parameters, evaluator and steps with their evidence (--json: the whole file)',
    options: { version: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' } },
    async run({ values, positionals }) {
      const usage = this.usage;
      const name = oneName(positionals, usage);
      const version = optionReader(usage).positive(values, 'version', true);
      return withAutomations(values, (a, cli) => {
        const auto = mustGet(a, cli, name, version);
        if (values['json'] === true) {
          out(JSON.stringify(auto, null, 2));
          return 0;
        }
        out(`automation "${auto.name}" v${auto.version}${auto.description ? `: ${auto.description}` : ''}`);
        out(`parameters: ${auto.params.map((p) => (p.default !== undefined ? `${p.name}=${JSON.stringify(p.default)}` : p.name)).join(', ') || 'none'}`);
        out(`healing: ${auto.allowHealing ? 'allowed' : 'not allowed'}; evaluator: ${auto.evaluator ? String(auto.evaluator['func']) : 'none'}`);
        if (auto.source) out(`from run ${auto.source.runId}: ${auto.source.task}`);
        out(`versions: ${a.versions(auto.name).map((v) => `v${v.version} (${localTime(v.createdAt)})`).join(', ')}`);
        out(`steps ("+" = performed together with the one before):`);
        auto.steps.forEach((s, i) => describeStep(s, i, auto.steps.length).forEach((l) => out(`  ${l}`)));
        return 0;
      });
    },
  },
  {
    path: ['automations', 'run'],
    usage: 'automations run NAME [--param k=v ...] [--display :N | --sandbox] [options]',
    summary: 'replay an automation without a model, streaming its steps like `deskpilot run`; moved targets are found again; --rows FILE (CSV or .xlsx) once per row, --parallel N rows at once on sandboxes; options: --approve --max-seconds --find-timeout MS --heal-provider P --json --db',
    options: {
      param: { type: 'string', multiple: true }, display: { type: 'string' }, sandbox: { type: 'boolean' }, approve: { type: 'string' }, 'max-seconds': { type: 'string' },
      'find-timeout': { type: 'string' }, 'heal-provider': { type: 'string' }, 'heal-model': { type: 'string' }, 'heal-base-url': { type: 'string' }, 'heal-api-key': { type: 'string' },
      thread: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' }, rows: { type: 'string' }, parallel: { type: 'string' },
    },
    async run({ values, positionals }) {
      const { str, positive, usageError } = optionReader(RUN_USAGE);
      const name = oneName(positionals, RUN_USAGE);
      const params = paramsFrom(values, RUN_USAGE);
      // A prompt automation runs the agent where its file says.
      const asPrompt = await withAutomations(values, (a, cli) => mustGet(a, cli, name));
      if (asPrompt.prompt) {
        if (Object.keys(params).length) throw usageError(`"${name}" is a prompt automation: it takes no --param`);
        return withAutomations(values, (a) => runPrompt(asPrompt, values, a));
      }
      const approve = str(values, 'approve');
      if (approve !== undefined && !(APPROVE_MODES as readonly string[]).includes(approve)) throw usageError(`--approve must be ${APPROVE_MODES.join(', ')}, not "${approve}"`);
      const maxSeconds = positive(values, 'max-seconds', false);
      const findTimeoutMs = positive(values, 'find-timeout', true);
      const rows = str(values, 'rows');
      const parallel = positive(values, 'parallel', true);
      if (parallel !== undefined && !rows) throw usageError('--parallel N goes with --rows: it runs that many rows at once');
      if (parallel !== undefined && str(values, 'display')) throw usageError('--parallel runs each row on a sandbox of its own: leave out --display');
      // Rows in parallel each get a fresh sandbox; otherwise one screen for all of them.
      const target = parallel !== undefined ? { kind: 'sandbox' as const } : displayTarget(values, RUN_USAGE);
      const heal = await healerFrom(values, str, usageError);
      if (rows) {
        if (Object.keys(params).length) throw usageError('--rows gives the parameters from its columns: leave out --param');
        const automation = await withAutomations(values, (a, cli) => mustGet(a, cli, name));
        const options = { approve: (approve as ApprovalMode | undefined) ?? 'risky', ...(maxSeconds ? { maxSeconds } : {}) };
        return runRows(automation, resolve(rows), target, values, { options, ...(findTimeoutMs ? { findTimeoutMs } : {}), ...(parallel ? { parallel } : {}), json: values['json'] === true }).catch((err: unknown) => {
          throw err instanceof AutomationError ? new CliError(err.message, 2) : err;
        });
      }

      // What the run's display turns out to be: the window and accessibility probes and the evaluator need it.
      const desktop: { env: Record<string, string>; virtual?: VirtualDisplay } = { env: {} };
      const prepared = await withAutomations(values, async (a, cli) => {
        const automation = mustGet(a, cli, name);
        if (heal && !automation.allowHealing) note(`note: automation "${name}" does not allow healing; --heal-provider is ignored (save it with --allow-healing)`);
        const p = await prepareReplay(cli.store, automation, {
          params,
          // At a terminal the operator can answer "target not found"; a script's run just fails.
          askOperator: process.stdin.isTTY === true && values['json'] !== true,
          probe: (signal) => xdotoolProbe(desktop.env)(signal),
          a11y: { find: (q, signal) => atspiProbe(desktop.env).find(q, signal) },
          verify: (evaluator, signal) => evaluatorVerifier({ ...(desktop.virtual ? { display: desktop.virtual } : {}), env: desktop.env, baseDir: a.dir })(evaluator, signal),
          ...(heal ? { heal: heal.planner } : {}),
          ...(findTimeoutMs ? { findTimeoutMs } : {}),
          options: { ...(approve ? { approve: approve as ApprovalMode } : {}), ...(maxSeconds ? { maxSeconds } : {}) },
        });
        for (const step of p.planner.missingCrops) note(`warning: ${step}: its evidence image is gone; it replays at its recorded point unchecked`);
        return p;
      });
      const threadId = str(values, 'thread');
      return runAgent({
        task: prepared.task,
        choice: { planner: prepared.planner, provider: prepared.provider, model: prepared.model, ...(heal?.secret ? { secret: heal.secret } : {}) },
        options: prepared.options, target, tools: prepared.tools, json: values['json'] === true, values, ...(threadId ? { threadId } : {}),
        onDisplay: (d) => {
          desktop.env = { DISPLAY: d.display, ...(d.env ?? {}) };
          if (d.virtual) desktop.virtual = d.virtual;
        },
      });
    },
  },
  {
    path: ['automations', 'delete'],
    usage: 'automations delete NAME [--db PATH]',
    summary: 'delete an automation, all its versions and its file (its past runs stay)',
    options: { db: { type: 'string' } },
    async run({ values, positionals }) {
      const name = oneName(positionals, this.usage);
      return withAutomations(values, (a, cli) => {
        if (!a.delete(name)) throw new CliError(`no automation "${name}" in ${cli.path}`, 1);
        out(`deleted automation "${name}"`);
        return 0;
      });
    },
  },
];

type Str = (values: OptionValues, name: string) => string | undefined;

/** The model that takes over a step whose target is not found, when the automation allows it. */
async function healerFrom(values: OptionValues, str: Str, usageError: (m: string) => CliError): Promise<{ planner: Planner; secret?: string } | undefined> {
  const provider = str(values, 'heal-provider');
  if (!provider) {
    if (['heal-model', 'heal-base-url', 'heal-api-key'].some((k) => values[k] !== undefined)) throw usageError('--heal-model, --heal-base-url and --heal-api-key go with --heal-provider');
    return undefined;
  }
  try {
    const model = str(values, 'heal-model');
    const baseURL = str(values, 'heal-base-url');
    const apiKey = str(values, 'heal-api-key');
    const choice = await createPlanner({ provider, ...(model ? { model } : {}), ...(baseURL ? { baseURL } : {}), ...(apiKey ? { apiKey } : {}) });
    return { planner: choice.planner, ...(choice.secret ? { secret: choice.secret } : {}) };
  } catch (err) {
    if (err instanceof ProviderError) throw usageError(`--heal-provider: ${err.message}`);
    throw err;
  }
}
