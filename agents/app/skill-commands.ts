// The skills commands of the contract: the Skills view's list (source, on/off, overrides, problems),
// a skill's page (SKILL.md as text and its files), turning one on or off, installing from a folder
// or a zip, writing a new skeleton, and Save as skill from an automation or an ended run. Skills live
// in <data folder>/skills and the settings' folders.
import { join } from 'node:path';
import type { z } from 'zod';
import type { commands, CommandName, CommandOutput, Settings, SkillSummary } from '../contract.ts';
import { discoverSkills, type SkillCatalog, type SkillEntry, type SkillSources } from '../skills/discovery.ts';
import { installSkill, newSkill, SkillInstallError } from '../skills/install.ts';
import { skillFromAutomation, skillFromRun } from '../skills/save-as-skill.ts';
import { DB_FILE_NAME } from '../store/paths.ts';
import type { RunEvent } from '../run/events.ts';
import type { Store } from '../store/store.ts';
import { automationStore } from './automation-runner.ts';
import { listSkillFiles } from '../skills/skill-folder.ts';
import { CommandError } from './command-error.ts';

type SkillCommand = Extract<CommandName, `skills.${string}`>;
type Input<C extends CommandName> = z.output<(typeof commands)[C]['input']>;
export type SkillHandlers = { [C in SkillCommand]: (input: Input<C>) => Promise<CommandOutput<C>> | CommandOutput<C> };

export interface SkillCommandDeps {
  dataDir: string;
  /** The data folder's run database: Save as skill reads automations and runs from it. */
  store?: Store;
  settings: () => Settings;
  updateSettings: (patch: Partial<Omit<Settings, 'version'>>) => void;
  /** The built-in skills folder (tests point it elsewhere); the app's own by default. */
  builtinDir?: string | null;
}

export const userSkillsDir = (dataDir: string) => join(dataDir, 'skills');

/** Where the skills of a data folder come from, with its settings' folders and turned-off names. */
export function skillSources(dataDir: string, settings: Settings, builtinDir?: string | null): SkillSources {
  return { userDir: userSkillsDir(dataDir), folders: settings.skills?.folders ?? [], disabled: settings.skills?.disabled ?? [], ...(builtinDir !== undefined ? { builtinDir } : {}) };
}

export function skillSummary(s: SkillEntry): SkillSummary {
  const fm = s.frontmatter;
  return {
    name: s.name, description: fm.description, source: s.source, dir: s.dir, enabled: s.enabled, offered: s.offered,
    overrides: s.overrides, overriddenBy: s.overriddenBy, license: fm.license, compatibility: fm.compatibility, allowedTools: fm.allowedTools,
    errors: s.errors, warnings: s.warnings,
  };
}

export function skillHandlers(deps: SkillCommandDeps): SkillHandlers {
  const catalog = (): Promise<SkillCatalog> => discoverSkills(skillSources(deps.dataDir, deps.settings(), deps.builtinDir));
  const find = async (name: string, dir?: string): Promise<SkillEntry> => {
    const c = await catalog();
    const s = dir ? c.all.find((e) => e.name === name && e.dir === dir) : (c.get(name) ?? c.all.find((e) => e.name === name));
    if (!s) throw new CommandError('not_found', `no skill "${name}"`);
    return s;
  };
  const needStore = (): Store => {
    if (!deps.store) throw new Error('Save as skill needs the run database: pass store to skillHandlers');
    return deps.store;
  };
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof SkillInstallError) throw new CommandError('bad_input', err.message);
      throw err;
    }
  };

  return {
    'skills.list': async () => {
      const c = await catalog();
      return { skills: c.all.map(skillSummary), notes: c.notes };
    },
    'skills.get': async ({ name, dir }) => {
      const s = await find(name, dir);
      const { files } = await listSkillFiles(s.dir);
      return { skill: skillSummary(s), text: s.text, files };
    },
    'skills.setEnabled': async ({ name, enabled }) => {
      await find(name);
      const current = deps.settings().skills ?? { disabled: [], folders: [] };
      const disabled = new Set(current.disabled);
      if (enabled) disabled.delete(name);
      else disabled.add(name);
      deps.updateSettings({ skills: { ...current, disabled: [...disabled].sort() } });
      return skillSummary(await find(name));
    },
    'skills.install': ({ path, overwrite }) => guard(async () => {
      const done = await installSkill(path, userSkillsDir(deps.dataDir), { overwrite: overwrite ?? false });
      return { skill: skillSummary(await find(done.name)), warnings: done.warnings };
    }),
    'skills.new': ({ name, description }) => guard(async () => {
      await newSkill(userSkillsDir(deps.dataDir), name, description);
      return skillSummary(await find(name));
    }),
    'skills.fromAutomation': ({ automation, name, description, overwrite }) => guard(async () => {
      const found = automationStore(needStore(), deps.dataDir).get(automation);
      if (!found) throw new CommandError('not_found', `no automation "${automation}"`);
      const saved = await skillFromAutomation(found, { userDir: userSkillsDir(deps.dataDir), dbPath: join(deps.dataDir, DB_FILE_NAME), name, description, overwrite });
      return { skill: skillSummary(await find(saved.name, saved.dir)), warnings: saved.warnings };
    }),
    'skills.fromRun': ({ runId, name, description, overwrite }) => guard(async () => {
      const store = needStore();
      const run = store.getRun(runId);
      if (!run) throw new CommandError('not_found', `no run ${runId}`);
      const events = store.readEvents<RunEvent>(runId);
      const saved = await skillFromRun({ runId, task: run.task, status: run.status, events }, { userDir: userSkillsDir(deps.dataDir), name, description, overwrite });
      return { skill: skillSummary(await find(saved.name, saved.dir)), warnings: saved.warnings };
    }),
  };
}
