// Finding skills: the app's built-in `skills/` folder, the user's `<data folder>/skills/`, and extra
// folders from the settings. Precedence: the user's folder, then the extra folders in their order,
// then the built-ins: a skill of the same name from a stronger source overrides the other (the list
// says so). Each can be turned off by name. A broken skill is listed with its problems, not offered.
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasErrors, readSkillFolder, SKILL_FILE, type SkillFrontmatter, type SkillProblem } from './skill-file.ts';

export type SkillSource = 'builtin' | 'user' | 'folder';

/** The repository's (or the packaged app's) built-in skills. */
export const BUILTIN_SKILLS_DIR = fileURLToPath(new URL('../../skills', import.meta.url));
/** Folders below a skills folder that are never skills. */
const SKIP = /^(?:\.|node_modules$)/;

export interface SkillSources {
  /** Built-in skills; BUILTIN_SKILLS_DIR when undefined, none when null. */
  builtinDir?: string | null;
  /** `<data folder>/skills`. */
  userDir?: string;
  /** Extra folders from the settings, each holding skill folders. */
  folders?: readonly string[];
  /** Names turned off in the settings. */
  disabled?: readonly string[];
}

export interface SkillEntry {
  /** The folder name (for a valid skill, also its frontmatter name). */
  name: string;
  dir: string;
  file: string;
  source: SkillSource;
  /** The skills folder it was found in. */
  root: string;
  frontmatter: Partial<SkillFrontmatter>;
  body: string;
  /** The SKILL.md as read (empty when it was refused unread). */
  text: string;
  errors: SkillProblem[];
  warnings: SkillProblem[];
  /** Not turned off in the settings. */
  enabled: boolean;
  /** The folder of a weaker skill of the same name this one overrides. */
  overrides?: string;
  /** The folder of the stronger skill of the same name that overrides this one. */
  overriddenBy?: string;
  /** Valid, enabled and not overridden: the model may be offered it. */
  offered: boolean;
}

export interface SkillCatalog {
  /** Every skill found, strongest source first, then by name. */
  all: SkillEntry[];
  /** The skill a name means (the one not overridden), if any. */
  get(name: string): SkillEntry | undefined;
  /** The skills the model may be offered, by name. */
  offered(): SkillEntry[];
  /** Problems with the sources themselves (a configured folder that does not exist). */
  notes: string[];
}

/** Finds and checks every skill in the sources. Reads run in parallel; nothing here throws for one bad skill. */
export async function discoverSkills(sources: SkillSources): Promise<SkillCatalog> {
  const roots: { dir: string; source: SkillSource }[] = [];
  if (sources.userDir) roots.push({ dir: resolve(sources.userDir), source: 'user' });
  for (const f of sources.folders ?? []) roots.push({ dir: resolve(f), source: 'folder' });
  const builtin = sources.builtinDir === undefined ? BUILTIN_SKILLS_DIR : sources.builtinDir;
  if (builtin) roots.push({ dir: resolve(builtin), source: 'builtin' });

  const notes: string[] = [];
  const found = await Promise.all(roots.map(async (root) => {
    const dirs = await skillDirs(root.dir).catch((e: NodeJS.ErrnoException) => {
      // The user's folder need not exist yet; a configured extra folder should.
      if (!(e.code === 'ENOENT' && root.source === 'user')) notes.push(`cannot read the skills folder ${root.dir}: ${e.code === 'ENOENT' ? 'it does not exist' : e.message}`);
      return [] as string[];
    });
    return Promise.all(dirs.map(async (name) => ({ root, name, read: await readSkillFolder(join(root.dir, name), name) })));
  }));

  const disabled = new Set(sources.disabled ?? []);
  const winners = new Map<string, SkillEntry>();
  const all: SkillEntry[] = [];
  for (const { root, name, read } of found.flat()) {
    const problems = [...read.problems];
    const entry: SkillEntry = {
      name, dir: read.dir, file: read.file, source: root.source, root: root.dir, frontmatter: read.frontmatter, body: read.body, text: read.text,
      errors: [], warnings: [], enabled: !disabled.has(name), offered: false,
    };
    const stronger = winners.get(name);
    if (stronger) {
      entry.overriddenBy = stronger.dir;
      // Two skills of one name in sources of the same rank: the first found is used; say so.
      if (stronger.source === root.source) problems.push({ severity: 'warning', file: read.file, message: `another skill named "${name}" in ${stronger.dir} is used instead: rename one of them` });
      else stronger.overrides ??= read.dir;
    } else winners.set(name, entry);
    entry.errors = problems.filter((p) => p.severity === 'error');
    entry.warnings = problems.filter((p) => p.severity === 'warning');
    entry.offered = entry.enabled && !entry.overriddenBy && !hasErrors(problems);
    all.push(entry);
  }
  return {
    all,
    notes,
    get: (name) => winners.get(name),
    offered: () => [...winners.values()].filter((s) => s.offered).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The folders in a skills folder that may be skills: sub-folders (or links to them), not hidden ones, sorted. */
async function skillDirs(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const dirs: string[] = [];
  for (const e of entries) {
    if (SKIP.test(e.name)) continue;
    if (e.isDirectory()) dirs.push(e.name);
    // A linked skill folder (a checkout kept elsewhere) counts when it leads to a folder.
    else if (e.isSymbolicLink()) {
      const target = await realpath(join(root, e.name)).catch(() => undefined);
      if (target && (await lstat(target).catch(() => undefined))?.isDirectory()) dirs.push(e.name);
    }
  }
  return dirs.sort();
}

/** Whether a folder holds a SKILL.md at its top (used by validate and install to find the skill in an archive). */
export async function isSkillFolder(dir: string): Promise<boolean> {
  return (await lstat(join(dir, SKILL_FILE)).catch(() => undefined))?.isFile() ?? false;
}
