// Save as skill: an automation, or the shell steps of a finished run, written as an Agent Skills
// folder in the user's skills folder. SKILL.md says when to use it and what it does; scripts/run.sh
// replays it (the automation through the deskpilot CLI found by its recorded absolute path, the
// run's commands in order), so the agent can call a recorded chore as one shell step.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { toolIntent, type Automation } from '../automations/automation.ts';
import type { RunEvent } from '../run/events.ts';
import { SkillInstallError } from './install.ts';
import { MAX_DESCRIPTION, nameProblem, readSkillFolder, SKILL_FILE, suggestName } from './skill-file.ts';

/** The repository's (or packaged app's) CLI entry, run with node by the written scripts. */
export const DESKPILOT_CLI = fileURLToPath(new URL('../../bin/deskpilot.js', import.meta.url));

export interface SaveAsSkillOptions {
  /** `<data folder>/skills`. */
  userDir: string;
  name?: string;
  description?: string;
  /** Replace a skill of the same name in the user's folder. */
  overwrite?: boolean;
}

export interface AutomationSkillOptions extends SaveAsSkillOptions {
  /** The run database that holds the automation (passed to the CLI as --db). */
  dbPath: string;
  /** Absolute path of bin/deskpilot.js (DESKPILOT_CLI by default). */
  cliPath?: string;
  /** The node binary the script falls back on when `node` is not on PATH. */
  nodePath?: string;
}

export interface SavedSkill {
  name: string;
  dir: string;
  warnings: string[];
}

/** A shell command as the run performed it, with its working folder when one was given. */
export interface ShellStep {
  command: string;
  cwd?: string;
}

/** The run a skill is made from: its task and the events that say what it did. */
export interface RunForSkill {
  runId: string;
  task: string;
  status: string;
  events: readonly RunEvent[];
}

/** Quotes text for bash: single quotes, with each ' written as '\''. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return [...flat].length > max ? `${[...flat].slice(0, max - 1).join('')}…` : flat;
};

function skillName(given: string | undefined, fallback: string): string {
  const name = (given ?? '').trim() || suggestName(fallback) || 'saved-chore';
  const problem = nameProblem(name);
  if (problem) throw new SkillInstallError(problem);
  return name;
}

function skillDescription(given: string | undefined, made: string): string {
  const d = (given ?? '').trim() || made;
  if ([...d].length > MAX_DESCRIPTION) throw new SkillInstallError(`the description is ${[...d].length} characters; the limit is ${MAX_DESCRIPTION}: shorten it`);
  return d;
}

/** Writes SKILL.md and scripts/run.sh into a fresh folder, checks it, then moves it into place. */
async function writeSkill(userDir: string, name: string, skillMd: string, script: string, overwrite: boolean): Promise<SavedSkill> {
  const dir = join(userDir, name);
  if (existsSync(dir) && !overwrite) throw new SkillInstallError(`you already have a skill "${name}" (${dir}): choose another name or replace it`);
  await mkdir(userDir, { recursive: true });
  // Written beside its final place, so the move is a rename on one file system.
  const work = await mkdtemp(join(userDir, `.save-${name}-`));
  try {
    await mkdir(join(work, 'scripts'));
    await writeFile(join(work, SKILL_FILE), skillMd);
    await writeFile(join(work, 'scripts', 'run.sh'), script);
    await chmod(join(work, 'scripts', 'run.sh'), 0o755);
    const checked = await readSkillFolder(work, name);
    const errors = checked.problems.filter((p) => p.severity === 'error');
    if (errors.length) throw new SkillInstallError(`the skill written for "${name}" is not valid: ${errors.map((e) => e.message).join('; ')}`);
    if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
    await rename(work, dir);
    return { name, dir, warnings: checked.problems.filter((p) => p.severity === 'warning').map((p) => p.message) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const frontmatter = (fields: Record<string, unknown>) => `---\n${stringify(fields, { lineWidth: 0 }).trimEnd()}\n---\n`;

function describeStep(step: Automation['steps'][number]): string {
  return step.action.type === 'tool' ? toolIntent(step.action, 200) : oneLine(step.intent, 200);
}

/** A skill whose script replays `automation` with `deskpilot automations run`. */
export async function skillFromAutomation(automation: Automation, opts: AutomationSkillOptions): Promise<SavedSkill> {
  if (automation.prompt) throw new SkillInstallError(`"${automation.name}" is a prompt automation (the agent does it with a model): only automations with steps can be saved as a skill`);
  const name = skillName(opts.name, automation.name);
  const what = automation.description?.trim() || automation.source?.task.trim() || `the steps recorded as "${automation.name}"`;
  const paramNote = automation.params.length ? ` Parameters: ${automation.params.map((p) => p.name).join(', ')}.` : '';
  const description = skillDescription(opts.description, oneLine(
    `Replays the saved Deskpilot automation "${automation.name}" (${automation.steps.length} steps, no model needed): ${oneLine(what, 600)}. Use it when the task is this chore.${paramNote}`, MAX_DESCRIPTION));
  const dir = join(opts.userDir, name);
  const cli = opts.cliPath ?? DESKPILOT_CLI;
  const params = automation.params.map((p) => `- \`${p.name}\`${p.default !== undefined ? ` (default: ${JSON.stringify(p.default)})` : ' (required)'}`);
  const usage = `bash ${shellQuote(join(dir, 'scripts', 'run.sh'))}${automation.params.map((p) => ` ${p.name}=VALUE`).join('')}`;

  const skillMd = frontmatter({
    name, description,
    metadata: { 'deskpilot-source': 'automation', 'deskpilot-automation': automation.name, 'deskpilot-automation-version': String(automation.version) },
  }) + [
    `# ${name}`, '',
    `Replays the Deskpilot automation "${automation.name}" (version ${automation.version}) on the current display, without a model.`,
    automation.source ? `It was recorded from a run whose task was: ${oneLine(automation.source.task, 500)}` : '', '',
    '## When to use', `When the task is ${oneLine(what, 500)}. If the screen is not as it was when it was recorded, a step may not find its target: the script then fails and says which step.`, '',
    '## How', 'Run its script with the shell tool:', '', '```', usage, '```', '',
    automation.params.length ? 'Parameters (give each as name=value):' : 'It takes no parameters.', ...params, '',
    'It prints each replayed step and exits 0 when the replay is done (non-zero if it failed; `deskpilot runs show RUN_ID` has the details).',
    'Risky replayed actions need approval as in any run (with nobody to ask, the replay stops there and says why); DESKPILOT_APPROVE=always asks for every one.', '',
    '## Steps it performs', ...automation.steps.map((s, i) => `${i + 1}. ${describeStep(s)}`), '',
  ].join('\n');

  const known = automation.params.map((p) => p.name);
  const script = [
    '#!/usr/bin/env bash',
    `# Replays the Deskpilot automation ${JSON.stringify(automation.name)} (written by Save as skill).`,
    `# Usage: run.sh${automation.params.map((p) => ` ${p.name}=VALUE`).join('')}`,
    'set -euo pipefail',
    `DESKPILOT_CLI=${shellQuote(cli)}`,
    `DESKPILOT_DB=${shellQuote(opts.dbPath)}`,
    // The node on PATH first; the one that wrote the skill when there is none.
    `NODE="\${DESKPILOT_NODE:-$(command -v node || echo ${shellQuote(opts.nodePath ?? process.execPath)})}"`,
    'args=()',
    'for a in "$@"; do',
    '  case "$a" in',
    ...(known.length ? [`    ${known.map((k) => `${k}=*`).join('|')}) args+=(--param "$a") ;;`] : []),
    `    *) echo "run.sh: unknown argument \\"$a\\": give ${known.length ? `parameters as name=value (${known.join(', ')})` : 'no arguments'}" >&2; exit 2 ;;`,
    '  esac',
    'done',
    // Without a display (a plain terminal) the replay gets a fresh virtual one.
    'target=(--sandbox)',
    'if [ -n "${DISPLAY:-}" ]; then target=(--display "$DISPLAY"); fi',
    `exec "$NODE" "$DESKPILOT_CLI" automations run ${shellQuote(automation.name)} --db "$DESKPILOT_DB" --approve "\${DESKPILOT_APPROVE:-risky}" "\${target[@]}" \${args[@]+"\${args[@]}"}`,
    '',
  ].join('\n');
  return writeSkill(opts.userDir, name, skillMd, script, opts.overwrite ?? false);
}

/** The shell commands a run performed, in order (failed ones left out, with a warning each). */
export function shellStepsOf(run: RunForSkill): { steps: ShellStep[]; warnings: string[] } {
  const failed = new Set<string>();
  for (const e of run.events) if (e.type === 'tool_finished' && e.isError) failed.add(e.actionId);
  const steps: ShellStep[] = [];
  const warnings: string[] = [];
  for (const e of run.events) {
    if (e.type !== 'tool_called' || e.name !== 'shell') continue;
    const { command, cwd } = e.input;
    if (typeof command !== 'string') continue;
    if (failed.has(e.actionId)) {
      warnings.push(`left out a command that failed in the run: ${oneLine(command, 120)}`);
      continue;
    }
    steps.push({ command, ...(typeof cwd === 'string' && cwd.trim() ? { cwd } : {}) });
  }
  return { steps, warnings };
}

/** A folder for `cd` in bash: ~ and relative paths are the home folder's, as the shell tool reads them. */
function cdTarget(cwd: string): string {
  if (cwd === '~') return '"$HOME"';
  if (cwd.startsWith('~/')) return `"$HOME"/${shellQuote(cwd.slice(2))}`;
  if (cwd.startsWith('/')) return shellQuote(cwd);
  return `"$HOME"/${shellQuote(cwd)}`;
}

/** A skill whose script repeats the shell commands of an ended run, in order. */
export async function skillFromRun(run: RunForSkill, opts: SaveAsSkillOptions): Promise<SavedSkill> {
  if (run.status !== 'done') throw new SkillInstallError(`run ${run.runId} ended ${run.status}: only a run that finished (done) can be saved as a skill`);
  const { steps, warnings } = shellStepsOf(run);
  if (steps.length === 0) throw new SkillInstallError(`run ${run.runId} ran no shell commands: save it as an automation instead, then save that as a skill`);
  const name = skillName(opts.name, oneLine(run.task, 48));
  const description = skillDescription(opts.description, oneLine(
    `Repeats the ${steps.length} shell command(s) of a Deskpilot run that did: ${oneLine(run.task, 700)}. Use it when the task is this chore again.`, MAX_DESCRIPTION));
  const dir = join(opts.userDir, name);
  const skillMd = frontmatter({ name, description, metadata: { 'deskpilot-source': 'run', 'deskpilot-run': run.runId } }) + [
    `# ${name}`, '', `Repeats the shell commands of Deskpilot run ${run.runId}, whose task was: ${oneLine(run.task, 500)}`, '',
    '## When to use', `When the task is the same chore again. It takes no parameters: the commands run exactly as they did.`, '',
    '## How', 'Run its script with the shell tool:', '', '```', `bash ${shellQuote(join(dir, 'scripts', 'run.sh'))}`, '```', '',
    'It stops at the first command that fails (its exit code is the script\'s).', '',
    '## Commands it runs', ...steps.map((s, i) => `${i + 1}. \`${oneLine(s.command, 200).replace(/`/g, "'")}\`${s.cwd ? ` (in ${s.cwd})` : ''}`), '',
  ].join('\n');
  const script = [
    '#!/usr/bin/env bash',
    `# Repeats the shell commands of Deskpilot run ${run.runId} (written by Save as skill).`,
    '# Usage: run.sh (no arguments)',
    'set -euo pipefail',
    'if [ "$#" -gt 0 ]; then echo "run.sh takes no arguments" >&2; exit 2; fi',
    ...steps.flatMap((s, i) => [
      `echo ${shellQuote(`# ${i + 1}/${steps.length}: ${oneLine(s.command, 100)}`)} >&2`,
      // Each in its own bash from the home folder, as the shell tool ran it.
      `(cd ${s.cwd ? cdTarget(s.cwd) : '"$HOME"'} && bash -c ${shellQuote(s.command)})`,
    ]),
    '',
  ].join('\n');
  const saved = await writeSkill(opts.userDir, name, skillMd, script, opts.overwrite ?? false);
  return { ...saved, warnings: [...warnings, ...saved.warnings] };
}
