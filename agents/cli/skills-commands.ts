// deskpilot skills list | show NAME | validate PATH | install PATH_OR_ZIP | new NAME | from-automation NAME |
// from-run RUN_ID: the skills of a
// data folder (built-in, <data folder>/skills, the settings' folders), checked as the app checks them.
import { basename, dirname, join, resolve } from 'node:path';
import { skillSources, skillSummary, userSkillsDir } from '../app/skill-commands.ts';
import { SettingsFile } from '../app/settings-file.ts';
import { forTerminal, jsonForTerminal } from '../run/terminal-text.ts';
import { discoverSkills, isSkillFolder, type SkillEntry } from '../skills/discovery.ts';
import { installSkill, newSkill, SkillInstallError } from '../skills/install.ts';
import { skillFromAutomation, skillFromRun, type SavedSkill } from '../skills/save-as-skill.ts';
import { listSkillFiles } from '../skills/skill-folder.ts';
import type { RunEvent } from '../run/events.ts';
import { readSkillFolder, type SkillProblem } from '../skills/skill-file.ts';
import { defaultDataDir } from '../store/paths.ts';
import type { RunSpec } from '../run/start-run.ts';
import { CliError, optionReader, type Command, type OptionValues } from './command.ts';
import { dbPathFrom, openCliStore } from './store-access.ts';
import { withAutomations } from './automations-commands.ts';

// Skill files come from anyone: what they say is printed without escape sequences.
const out = (line: string) => process.stdout.write(`${forTerminal(line)}\n`);
const dataDirOpt = { 'data-dir': { type: 'string' as const } };

function dataDirOf(values: OptionValues, usage: string): string {
  return resolve(optionReader(usage).str(values, 'data-dir') ?? defaultDataDir());
}

async function catalogOf(dataDir: string) {
  const settings = new SettingsFile(join(dataDir, 'settings.json'));
  for (const w of settings.warnings) process.stderr.write(`deskpilot: ${forTerminal(w)}\n`);
  return discoverSkills(skillSources(dataDir, settings.get()));
}

/** The skills `deskpilot run` offers: those of the data folder beside the run database (--db or the default). */
export async function cliSkills(values: OptionValues): Promise<RunSpec['skills']> {
  const catalog = await catalogOf(dirname(dbPathFrom(values)));
  return { catalog };
}

const problemLine = (p: SkillProblem) => `  ${p.severity}: ${p.field ? `${p.field}: ` : ''}${p.message} (${p.file})`;

function status(s: SkillEntry): string {
  if (s.errors.length) return 'error';
  if (s.overriddenBy) return 'overridden';
  return s.enabled ? 'on' : 'off';
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SkillInstallError) throw new CliError(err.message, 1);
    throw err;
  }
}

const LIST_USAGE = 'skills list [--json] [--data-dir DIR]';
const SHOW_USAGE = 'skills show NAME [--json] [--data-dir DIR]';
const VALIDATE_USAGE = 'skills validate PATH [--json]';
const INSTALL_USAGE = 'skills install PATH_OR_ZIP [--overwrite] [--data-dir DIR]';
const NEW_USAGE = 'skills new NAME [--description TEXT] [--data-dir DIR]';
const FROM_AUTOMATION_USAGE = 'skills from-automation AUTOMATION [--name SKILL] [--description TEXT] [--overwrite] [--db PATH]';
const FROM_RUN_USAGE = 'skills from-run RUN_ID [--name SKILL] [--description TEXT] [--overwrite] [--db PATH]';
const saveOpts = { name: { type: 'string' as const }, description: { type: 'string' as const }, overwrite: { type: 'boolean' as const }, db: { type: 'string' as const } };

/** Save as skill's options, the skill landing in the skills folder beside the database. */
function saveOptions(values: OptionValues, usage: string) {
  const { str } = optionReader(usage);
  return { userDir: userSkillsDir(dirname(dbPathFrom(values))), name: str(values, 'name'), description: str(values, 'description'), overwrite: values['overwrite'] === true };
}

function saved(done: SavedSkill): number {
  out(`wrote skill ${done.name} in ${done.dir}`);
  out(`the agent runs it with: bash ${join(done.dir, 'scripts', 'run.sh')}`);
  for (const w of done.warnings) out(`note: ${w}`);
  return 0;
}

export const skillsCommands: Command[] = [
  {
    path: ['skills', 'list'], usage: LIST_USAGE, summary: 'list the skills (built-in, yours, extra folders): on/off, overrides, problems',
    options: { ...dataDirOpt, json: { type: 'boolean' } },
    async run({ values }) {
      const catalog = await catalogOf(dataDirOf(values, LIST_USAGE));
      if (values['json']) {
        process.stdout.write(`${jsonForTerminal(JSON.stringify({ skills: catalog.all.map(skillSummary), notes: catalog.notes }))}\n`);
        return 0;
      }
      for (const n of catalog.notes) out(`note: ${n}`);
      if (catalog.all.length === 0) out('no skills found');
      for (const s of catalog.all) {
        const extra = s.overrides ? ` (overrides ${s.overrides})` : s.overriddenBy ? ` (overridden by ${s.overriddenBy})` : '';
        out(`${s.name.padEnd(24)} ${status(s).padEnd(10)} ${s.source.padEnd(7)} ${(s.frontmatter.description ?? '').replace(/\s+/g, ' ').slice(0, 80)}${extra}`);
        for (const p of [...s.errors, ...s.warnings]) out(problemLine(p));
      }
      return 0;
    },
  },
  {
    path: ['skills', 'show'], usage: SHOW_USAGE, summary: "print a skill's SKILL.md, folder and files",
    options: { ...dataDirOpt, json: { type: 'boolean' } },
    async run({ values, positionals }) {
      const name = positionals[0];
      if (!name || positionals.length > 1) throw new CliError(`give one skill name\nUsage: deskpilot ${SHOW_USAGE}`);
      const catalog = await catalogOf(dataDirOf(values, SHOW_USAGE));
      const s = catalog.get(name);
      if (!s) throw new CliError(`no skill "${name}"; see deskpilot skills list`, 1);
      const { files } = await listSkillFiles(s.dir);
      if (values['json']) {
        process.stdout.write(`${jsonForTerminal(JSON.stringify({ skill: skillSummary(s), text: s.text, files }))}\n`);
        return 0;
      }
      out(`${s.name} (${s.source}, ${status(s)}) in ${s.dir}`);
      if (s.frontmatter.allowedTools) out(`allowed tools while active: ${s.frontmatter.allowedTools.join(' ')}`);
      out(`files: ${files.map((f) => f.path).join(', ')}`);
      for (const p of [...s.errors, ...s.warnings]) out(problemLine(p));
      out('');
      out(s.text);
      return 0;
    },
  },
  {
    path: ['skills', 'validate'], usage: VALIDATE_USAGE, summary: 'check a skill folder (or a folder of skills) against the Agent Skills format; exit 1 on errors',
    options: { json: { type: 'boolean' } },
    async run({ values, positionals }) {
      const path = positionals[0];
      if (!path || positionals.length > 1) throw new CliError(`give one folder\nUsage: deskpilot ${VALIDATE_USAGE}`);
      const dir = resolve(path);
      // A skill folder, or a folder holding skill folders.
      const results = (await isSkillFolder(dir))
        ? [{ name: basename(dir), problems: (await readSkillFolder(dir)).problems }]
        : (await discoverSkills({ builtinDir: null, folders: [dir] })).all.map((s) => ({ name: s.name, problems: [...s.errors, ...s.warnings] }));
      if (results.length === 0) throw new CliError(`${dir} holds no SKILL.md and no skill folders`, 1);
      const failed = results.filter((r) => r.problems.some((p) => p.severity === 'error'));
      if (values['json']) process.stdout.write(`${jsonForTerminal(JSON.stringify(results))}\n`);
      else {
        for (const r of results) {
          out(`${r.name}: ${r.problems.some((p) => p.severity === 'error') ? 'invalid' : 'valid'}`);
          for (const p of r.problems) out(problemLine(p));
        }
      }
      return failed.length ? 1 : 0;
    },
  },
  {
    path: ['skills', 'install'], usage: INSTALL_USAGE, summary: "install a skill folder or .zip into your skills folder (checked, size-limited)",
    options: { ...dataDirOpt, overwrite: { type: 'boolean' } },
    async run({ values, positionals }) {
      const path = positionals[0];
      if (!path || positionals.length > 1) throw new CliError(`give one folder or .zip\nUsage: deskpilot ${INSTALL_USAGE}`);
      const done = await guard(() => installSkill(path, userSkillsDir(dataDirOf(values, INSTALL_USAGE)), { overwrite: values['overwrite'] === true }));
      out(`installed ${done.name} in ${done.dir}`);
      for (const w of done.warnings) out(`note: ${w}`);
      return 0;
    },
  },
  {
    path: ['skills', 'new'], usage: NEW_USAGE, summary: 'write a valid skeleton skill (SKILL.md, scripts/, references/) into your skills folder',
    options: { ...dataDirOpt, description: { type: 'string' } },
    async run({ values, positionals }) {
      const name = positionals[0];
      if (!name || positionals.length > 1) throw new CliError(`give one name (lowercase letters, digits and hyphens)\nUsage: deskpilot ${NEW_USAGE}`);
      const description = optionReader(NEW_USAGE).str(values, 'description');
      const dir = await guard(() => newSkill(userSkillsDir(dataDirOf(values, NEW_USAGE)), name, description));
      out(`wrote ${join(dir, 'SKILL.md')}: edit its description and steps, then check it with deskpilot skills validate ${dir}`);
      return 0;
    },
  },
  {
    path: ['skills', 'from-automation'], usage: FROM_AUTOMATION_USAGE, summary: 'save an automation as a skill in your skills folder: its script replays it with deskpilot automations run',
    options: saveOpts,
    async run({ values, positionals }) {
      const name = positionals.join(' ').trim();
      if (!name) throw new CliError(`give the automation's name (deskpilot automations list shows them)\nUsage: deskpilot ${FROM_AUTOMATION_USAGE}`);
      const opts = saveOptions(values, FROM_AUTOMATION_USAGE);
      const automation = await withAutomations(values, (a, cli) => {
        const found = a.get(name);
        if (!found) throw new CliError(`no automation "${name}" in ${cli.path} (deskpilot automations list shows them)`, 1);
        return found;
      });
      return saved(await guard(() => skillFromAutomation(automation, { ...opts, dbPath: dbPathFrom(values) })));
    },
  },
  {
    path: ['skills', 'from-run'], usage: FROM_RUN_USAGE, summary: "save the shell commands of a finished run as a skill in your skills folder",
    options: saveOpts,
    async run({ values, positionals }) {
      const runId = positionals[0];
      if (!runId || positionals.length > 1) throw new CliError(`give one run id (deskpilot runs list shows them)\nUsage: deskpilot ${FROM_RUN_USAGE}`);
      const opts = saveOptions(values, FROM_RUN_USAGE);
      const cli = openCliStore(values);
      let input: Parameters<typeof skillFromRun>[0];
      try {
        const run = cli.store.getRun(runId);
        if (!run) throw new CliError(`no run ${runId} in ${cli.path}`, 1);
        input = { runId, task: run.task, status: run.status, events: cli.store.readEvents<RunEvent>(runId) };
      } finally {
        cli.close();
      }
      return saved(await guard(() => skillFromRun(input, opts)));
    },
  },
];
