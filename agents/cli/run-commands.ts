// deskpilot run "TASK": one agent run on a display, streamed as readable lines or JSON events,
// with approvals and questions answered at the terminal (or from piped stdin) and Ctrl+C to abort.
import { setImmediate as nextTick } from 'node:timers/promises';
import type { VirtualDisplay } from '../desktop/display.ts';
import { TargetError, type RunTarget } from '../desktop/targets.ts';
import { createPlanner, PROVIDER_NAMES, ProviderError, type PlannerChoice } from '../models/create-planner.ts';
import type { AdapterName } from '../models/providers.ts';
import type { AgentRun } from '../run/agent-run.ts';
import { startRun, type RunSpec, type ToolChoice } from '../run/start-run.ts';
import { cliSkills } from './skills-commands.ts';
import type { ApprovalMode, RunEvent, RunOptions } from '../run/events.ts';
import { resolveTools } from '../tools/registry.ts';
import { displayTarget } from './display-option.ts';
import { CliError, optionReader, type Command, type OptionValues } from './command.ts';
import { describeProposed, eventJson, formatEvent, type LoggedEvent } from '../run/run-format.ts';
import { openCliStore } from './store-access.ts';
import { OperatorConsole } from './terminal-prompts.ts';
import { Redactor } from '../store/redact.ts';
import { forTerminal } from '../run/terminal-text.ts';

const APPROVE_MODES: readonly ApprovalMode[] = ['always', 'risky', 'never'];
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

const USAGE =
  'run "TASK" --provider PROVIDER [--adapter NAME] [--base-url URL] [--model NAME] [--api-key KEY] [--script FILE] ' +
  '[--computer-tool computer|computer_use_preview] [--images-per-request N] [--no-tool-choice] [--stream] ' +
  '[--display :N | --sandbox] [--tools shell,files | --no-tools] [--mask-text on|off] [--approve always|risky|never] [--max-steps N] [--max-seconds N] [--thread ID] [--json] [--db PATH]';

type Values = OptionValues;

const { usageError, str, positive: positiveNumber } = optionReader(USAGE);


async function plannerFrom(values: Values): Promise<PlannerChoice> {
  const provider = str(values, 'provider');
  if (!provider) throw usageError(`--provider is required: one of ${PROVIDER_NAMES.join(', ')}`);
  const script = str(values, 'script');
  const opt = (name: string, v: unknown) => (v === undefined ? {} : { [name]: v });
  try {
    return await createPlanner({
      provider,
      ...opt('adapter', str(values, 'adapter') as AdapterName | undefined),
      ...opt('baseURL', str(values, 'base-url')),
      ...opt('model', str(values, 'model')),
      ...opt('apiKey', str(values, 'api-key')),
      ...opt('script', script),
      ...opt('computerTool', computerToolFrom(values)),
      ...opt('imagesPerRequest', positiveNumber(values, 'images-per-request', true)),
      ...(values['no-tool-choice'] ? { toolChoice: false } : {}),
      ...(values.stream ? { stream: true } : {}),
    });
  } catch (err) {
    if (err instanceof ProviderError) throw usageError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (script && e.code) throw new CliError(`cannot read the script ${script}: ${e.message}`);
    if (script) throw new CliError(e.message);
    throw err;
  }
}

/** --tools shell,files, --no-tools, or the default for the target. */
function toolChoiceFrom(values: Values): ToolChoice {
  const names = str(values, 'tools');
  if (values['no-tools'] === true) {
    if (names !== undefined) throw usageError('give --tools or --no-tools, not both');
    return 'none';
  }
  if (names === undefined) return 'default';
  const list = names.split(',').map((n) => n.trim()).filter(Boolean);
  if (list.length === 0) throw usageError('--tools needs names, e.g. --tools shell,files (or --no-tools)');
  try {
    resolveTools(list);
  } catch (err) {
    throw usageError((err as Error).message);
  }
  return { names: list };
}

/** --computer-tool computer|computer_use_preview: overrides the Responses adapter's choice by model. */
function computerToolFrom(values: Values): 'computer' | 'computer_use_preview' | undefined {
  const tool = str(values, 'computer-tool');
  if (tool === undefined || tool === 'computer' || tool === 'computer_use_preview') return tool;
  throw usageError(`--computer-tool must be computer or computer_use_preview, not "${tool}"`);
}

function runOptionsFrom(values: Values): Partial<RunOptions> {
  const approve = str(values, 'approve');
  if (approve !== undefined && !(APPROVE_MODES as readonly string[]).includes(approve)) throw usageError(`--approve must be ${APPROVE_MODES.join(', ')}, not "${approve}"`);
  const maxSteps = positiveNumber(values, 'max-steps', true);
  const maxSeconds = positiveNumber(values, 'max-seconds', false);
  const maskText = str(values, 'mask-text');
  if (maskText !== undefined && maskText !== 'on' && maskText !== 'off') throw usageError(`--mask-text must be on or off, not "${maskText}"`);
  return {
    ...(approve ? { approve: approve as ApprovalMode } : {}),
    // OCR'd card numbers and keys: on by default on a display, off in a sandbox.
    ...(maskText ? { privacy: { maskSecretText: maskText === 'on' } } : {}),
    ...(maxSteps ? { maxSteps } : {}),
    ...(maxSeconds ? { maxSeconds } : {}),
  };
}

export const runCommands: Command[] = [
  {
    path: ['run'],
    usage: 'run "TASK" --provider PROVIDER [options]',
    summary: 'run the agent on a task on a display, streaming its steps; answer approvals at the prompt; Ctrl+C aborts (options: see README)',
    options: {
      provider: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' }, 'api-key': { type: 'string' }, script: { type: 'string' },
      display: { type: 'string' }, sandbox: { type: 'boolean' }, approve: { type: 'string' }, 'max-steps': { type: 'string' }, 'max-seconds': { type: 'string' },
      thread: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' }, tools: { type: 'string' }, 'no-tools': { type: 'boolean' }, 'mask-text': { type: 'string' },
      adapter: { type: 'string' }, 'computer-tool': { type: 'string' }, 'images-per-request': { type: 'string' }, 'no-tool-choice': { type: 'boolean' }, stream: { type: 'boolean' },
    },
    async run({ values, positionals }) {
      const task = positionals.join(' ').trim();
      if (!task) throw usageError('give the task, e.g. deskpilot run "open the Downloads folder" --provider scripted --script steps.json');
      const choice = await plannerFrom(values);
      const options = runOptionsFrom(values);
      const target = displayTarget(values, USAGE);
      const threadId = str(values, 'thread');
      return runAgent({ task, choice, options, target, tools: toolChoiceFrom(values), json: values['json'] === true, ...(threadId ? { threadId } : {}), values, skills: await cliSkills(values) });
    },
  },
];

export interface RunArgs {
  task: string;
  choice: Pick<PlannerChoice, 'planner' | 'provider' | 'model' | 'secret'>;
  options: Partial<RunOptions>;
  target: RunTarget;
  /** The tools the model may call; by default on in a sandbox, off on a display. */
  tools?: ToolChoice;
  json: boolean;
  threadId?: string;
  values: Values;
  /** Told the display once it is known, before the run starts (automations probe its windows). */
  onDisplay?: (d: { display: string; env?: Record<string, string>; virtual?: VirtualDisplay }) => void;
  /** Skills offered to the model (the data folder's, as the app offers them). */
  skills?: RunSpec['skills'];
}

/** Runs a planner on a display with the terminal as operator; `deskpilot automations run` reuses it. */
export async function runAgent({ task, choice, options, target, tools, json, threadId, values, onDisplay, skills }: RunArgs): Promise<number> {
  // Events come redacted from the store; this catches the key in lines that never went through it,
  // whole occurrences of a real key only (never a placeholder), so --json stays exact.
  const redactor = new Redactor([choice.secret]);
  const out = (line: string) => process.stdout.write(`${redactor.redactKeys(line)}\n`);
  const note = (line: string) => process.stderr.write(`${forTerminal(redactor.redact(line))}\n`);
  process.stdout.on('error', () => undefined); // a closed pipe (| head) must not crash the run

  const cli = openCliStore(values, { runsAgents: true });
  cli.store.redactor.addSecret(choice.secret);
  const cleanups: (() => unknown)[] = [() => cli.close()];
  let run: AgentRun | undefined;
  let signalled: NodeJS.Signals | undefined;
  const interrupt = (sig: NodeJS.Signals) => {
    if (signalled) {
      note(`deskpilot: ${sig} again: quitting without waiting for the run to close`);
      process.exit(SIGNAL_EXIT[sig] ?? 1);
    }
    signalled = sig;
    const name = sig === 'SIGINT' ? 'Ctrl+C' : sig;
    note(`${name}: aborting the run (${name} again to quit at once)`);
    run?.control.abort(`aborted by the operator (${name})`);
  };
  const onSigint = () => interrupt('SIGINT');
  const onSigterm = () => interrupt('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  cleanups.push(() => {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  });

  const operator = new OperatorConsole({
    input: process.stdin,
    output: process.stderr,
    interactive: !json && process.stdin.isTTY === true,
    onInterrupt: onSigint,
    onSteer: (text) => {
      try {
        run?.control.steer(text);
      } catch (err) {
        note(`  not sent: ${(err as Error).message}`);
      }
    },
  });
  cleanups.push(() => operator.close());

  try {
    if (cli.recovered.length > 0) note(`marked ${cli.recovered.length} run(s) left active by a stopped process as interrupted: ${cli.recovered.join(', ')}`);
    if (threadId && !cli.store.getThread(threadId)) throw new CliError(`no thread ${threadId} in ${cli.path}`);

    // The CLI's sandbox starts empty (no terminal): scripts and tests launch what they need.
    const runTarget: RunTarget = target.kind === 'sandbox' ? { ...target, launch: target.launch ?? [] } : target;
    if (signalled) return SIGNAL_EXIT[signalled] ?? 1;
    // Take the terminal before the run starts: in raw mode Ctrl+C reaches us as a key, not as a
    // signal to the whole process group (which would also kill the input worker mid-action).
    const takeTerminal = () => {
      if (!json && process.stdin.isTTY) operator.open();
    };
    const { store } = cli;
    const { run: started, closed } = await startRun(
      runTarget,
      { store, planner: choice.planner, provider: choice.provider, model: choice.model, task, threadId, options, tools, skills },
      {
        onDisplay: (d) => {
          if (d.sandboxed) note(`sandbox display ${d.display} (HOME=${d.env?.['HOME']}); it stops when the run ends`);
          onDisplay?.(d);
          takeTerminal();
        },
      },
    ).catch((err: unknown) => {
      if (signalled || !(err instanceof TargetError)) throw err;
      const hint = target.kind === 'sandbox' ? '' : '\n(to run on a fresh virtual display instead, use --sandbox)';
      throw new CliError(`${err.message}${hint}`, target.kind === 'sandbox' ? 1 : 2);
    });
    cleanups.push(() => {
      started.control.abort('the command stopped');
      return closed;
    });
    run = started;
    if (!json) note(`run ${started.id} (thread ${started.threadId}) in ${cli.path}`);

    const descriptions = new Map<string, string>();
    let lastSeq = 0;
    const onEvent = (e: LoggedEvent) => {
      if (e.runId !== started.id || e.seq <= lastSeq) return;
      lastSeq = e.seq;
      try {
        if (json) out(eventJson(e));
        else for (const line of formatEvent(e)) out(line);
        react(e);
      } catch (err) {
        note(`deskpilot: could not show event ${e.seq} (${e.type}): ${(err as Error).message}`);
      }
    };
    const react = (e: LoggedEvent) => {
      const signal = started.control.signal;
      if (e.type === 'action_proposed') descriptions.set(e.actionId, describeProposed(e.action, e.screenAction));
      if (e.type === 'approval_requested') {
        void operator.approve(descriptions.get(e.actionId) ?? 'this action', signal).then(
          (decision) => settle(() => started.control.decide(e.actionId, decision)),
          () => undefined, // the run was aborted while asking
        );
      }
      if (e.type === 'question_asked') {
        void operator.answer(e.question, signal).then((answer) => settle(() => started.control.answer(e.actionId, answer)), () => undefined);
      }
    };
    const unsubscribe = store.subscribe<RunEvent>(onEvent);
    cleanups.push(unsubscribe);
    // Anything appended before we subscribed (nothing today: the loop's first append is after an await).
    for (const e of store.readEvents<RunEvent>(started.id)) onEvent(e);
    if (signalled) started.control.abort(`aborted by the operator (${signalled === 'SIGINT' ? 'Ctrl+C' : signalled})`);

    const result = await started.finished;
    if (!json && result.status !== 'done') note(`details: deskpilot runs show ${result.runId}${values['db'] ? ` --db ${cli.path}` : ''}`);
    if (result.status === 'done') return 0;
    if (result.status === 'aborted' && signalled) return SIGNAL_EXIT[signalled] ?? 1;
    return 1;
  } catch (err) {
    if (signalled) {
      note(`deskpilot: stopped while starting: ${(err as Error).message}`);
      return SIGNAL_EXIT[signalled] ?? 1;
    }
    throw err;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        note(`deskpilot: while cleaning up: ${(err as Error).message}`);
      }
    }
  }
}

/** Applies an operator's reply once the loop is waiting for it; a run that ended meanwhile ignores it. */
async function settle(apply: () => void): Promise<void> {
  await nextTick();
  try {
    apply();
  } catch {
    // ControlError: the run was aborted or timed out while the operator was answering.
  }
}
