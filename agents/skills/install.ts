// Installing a skill into the user's folder from a folder or a .zip, and writing a new skeleton.
// Everything is checked before anything lands: the skill must be valid, no path may leave its
// folder (absolute names, `..`, symbolic links), and sizes are limited. A zip is listed and
// measured before it is extracted (with the system's `unzip`), then checked again on disk.
import { execFile } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BUILTIN_SKILLS_DIR } from './discovery.ts';
import { nameProblem, parseSkillText, readSkillFolder, SKILL_FILE } from './skill-file.ts';

const run = promisify(execFile);

export const MAX_INSTALL_BYTES = 20 * 1024 * 1024;
export const MAX_INSTALL_FILES = 2000;

/** The skill cannot be installed or created as asked; the message says why and what to do. */
export class SkillInstallError extends Error {
  override name = 'SkillInstallError';
}

export interface Installed {
  name: string;
  dir: string;
  warnings: string[];
}

/** Installs the skill at `source` (a skill folder, a folder holding one, or a .zip of either) into `userDir`. */
export async function installSkill(source: string, userDir: string, opts: { overwrite?: boolean } = {}): Promise<Installed> {
  const src = resolve(source);
  const info = await stat(src).catch(() => undefined);
  if (!info) throw new SkillInstallError(`${src} does not exist: give a skill folder or a .zip file`);
  let work: string | undefined;
  try {
    let folder = src;
    if (info.isFile()) {
      if (!/\.zip$/i.test(src)) throw new SkillInstallError(`${src} is not a folder or a .zip file`);
      work = await mkdtemp(join(tmpdir(), 'skill-install-'));
      folder = await extractZip(src, work);
    }
    const root = await skillRoot(folder);
    const head = parseSkillText((await readSkillFolder(root)).text, { file: join(root, SKILL_FILE) });
    const name = head.frontmatter.name;
    if (!name || nameProblem(name)) throw new SkillInstallError(`the skill's SKILL.md has no valid name: ${problemsText(head.problems)}`);
    const checked = await readSkillFolder(root, name);
    const errors = checked.problems.filter((p) => p.severity === 'error');
    if (errors.length) throw new SkillInstallError(`the skill "${name}" is not valid: ${problemsText(errors)}`);
    await measure(root);

    const warnings = checked.problems.filter((p) => p.severity === 'warning').map((p) => p.message);
    if (await exists(join(BUILTIN_SKILLS_DIR, name, SKILL_FILE))) warnings.push(`it overrides the built-in skill "${name}"`);
    await mkdir(userDir, { recursive: true });
    const dest = join(userDir, name);
    if (await exists(dest)) {
      if (!opts.overwrite) throw new SkillInstallError(`a skill "${name}" is already installed in ${dest}: remove it first, or install again with overwrite`);
      warnings.push(`it replaced the skill installed before in ${dest}`);
    }
    // Copied beside the target first, then moved into place, so a failed copy leaves nothing half-made.
    const staging = await mkdtemp(join(userDir, `.installing-${name}-`));
    try {
      await cp(root, join(staging, name), { recursive: true, verbatimSymlinks: true, errorOnExist: true });
      if (await exists(dest)) await rm(dest, { recursive: true, force: true });
      await rename(join(staging, name), dest);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return { name, dir: dest, warnings };
  } finally {
    if (work) await rm(work, { recursive: true, force: true });
  }
}

const exists = async (p: string) => (await lstat(p).catch(() => undefined)) !== undefined;
const problemsText = (ps: readonly { field?: string | undefined; message: string }[]) => ps.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ') || 'no frontmatter';

/** The folder holding SKILL.md: the folder itself, or its only sub-folder (a zip of the skill's folder). */
async function skillRoot(folder: string): Promise<string> {
  if (await exists(join(folder, SKILL_FILE))) return folder;
  const subs = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== '__MACOSX');
  const withSkill: string[] = [];
  for (const s of subs) if (await exists(join(folder, s.name, SKILL_FILE))) withSkill.push(join(folder, s.name));
  if (withSkill.length === 1) return withSkill[0]!;
  if (withSkill.length > 1) throw new SkillInstallError(`${folder} holds ${withSkill.length} skills: install them one at a time`);
  throw new SkillInstallError(`there is no ${SKILL_FILE} in ${folder} or in a folder directly inside it: a skill is a folder with a ${SKILL_FILE}`);
}

/** Walks the skill: no symbolic links, at most MAX_INSTALL_FILES files and MAX_INSTALL_BYTES bytes. */
async function measure(root: string): Promise<void> {
  let files = 0;
  let bytes = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      const shown = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) throw new SkillInstallError(`${shown} is a symbolic link: a skill must hold real files only (links could lead outside it)`);
      if (e.isDirectory()) await walk(path, shown);
      else if (e.isFile()) {
        files += 1;
        bytes += (await lstat(path)).size;
        if (files > MAX_INSTALL_FILES) throw new SkillInstallError(`the skill has more than ${MAX_INSTALL_FILES} files: keep only what it needs`);
        if (bytes > MAX_INSTALL_BYTES) throw new SkillInstallError(`the skill is larger than ${MAX_INSTALL_BYTES / 1024 / 1024} MB: keep only what it needs`);
      } else throw new SkillInstallError(`${shown} is not a regular file or folder`);
    }
  };
  await walk(root, '');
}

/** Lists, measures and checks a zip's entries, then extracts it into `into`; returns the folder. */
async function extractZip(zip: string, into: string): Promise<string> {
  const unzip = async (args: string[]) => {
    try {
      return (await run('unzip', args, { maxBuffer: 32 * 1024 * 1024 })).stdout;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new SkillInstallError('installing from a .zip needs the unzip command: install it (apt install unzip), or unpack the zip and install the folder');
      throw new SkillInstallError(`${zip} is not a readable zip file: ${((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n')[0]}`);
    }
  };
  // `unzip -Z -l`: permissions, version, os, size, ..., name; one line per entry between a header and a total.
  const listing = (await unzip(['-Z', '-l', zip])).split('\n');
  let total = 0;
  let count = 0;
  for (const line of listing) {
    const m = /^(\S{7,10})\s+\d+\.\d+\s+\S+\s+(\d+)\s+\S+\s+(?:\d+|-)\s+\S+\s+\S+\s+\S+\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, mode, size, name] = m as unknown as [string, string, string, string];
    count += 1;
    total += Number(size);
    if (mode.startsWith('l')) throw new SkillInstallError(`the zip holds a symbolic link (${name}): a skill must hold real files only`);
    if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || name.split('/').includes('..')) {
      throw new SkillInstallError(`the zip holds a path that leaves its folder (${name}): it is refused`);
    }
  }
  if (count === 0) throw new SkillInstallError(`${zip} is empty or not a zip file`);
  if (count > MAX_INSTALL_FILES) throw new SkillInstallError(`the zip holds ${count} files; the limit is ${MAX_INSTALL_FILES}`);
  if (total > MAX_INSTALL_BYTES) throw new SkillInstallError(`the zip unpacks to ${Math.round(total / 1024 / 1024)} MB; the limit is ${MAX_INSTALL_BYTES / 1024 / 1024} MB`);
  const out = join(into, 'unpacked');
  await mkdir(out);
  // -n never overwrites, -: is not given (so ../ stays refused by unzip too).
  await unzip(['-q', '-n', zip, '-d', out]);
  return out;
}

/** Writes a valid skeleton skill `name` into `userDir` (SKILL.md, scripts/, references/). */
export async function newSkill(userDir: string, name: string, description?: string): Promise<string> {
  const problem = nameProblem(name);
  if (problem) throw new SkillInstallError(problem);
  const dir = join(userDir, name);
  if (await exists(dir)) throw new SkillInstallError(`${dir} already exists: choose another name or edit that skill`);
  const desc = (description ?? '').trim() || `Describe what ${name} does and when to use it: the task words that should make the agent pick it.`;
  if (desc.length > 1024) throw new SkillInstallError(`the description is ${desc.length} characters; the limit is 1024`);
  await mkdir(join(dir, 'scripts'), { recursive: true });
  await mkdir(join(dir, 'references'), { recursive: true });
  await writeFile(join(dir, SKILL_FILE), [
    '---', `name: ${name}`, `description: ${JSON.stringify(desc)}`, '---', `# ${name}`, '',
    '## When to use', 'Say which tasks this is for, and which it is not for.', '',
    '## Steps', `1. Run \`bash "$SKILL/scripts/run.sh"\` with the shell tool ($SKILL is this skill's folder, given by load_skill).`,
    '2. Check its output, then tell the operator what changed.', '',
    'Details that are not always needed go in references/ (read with read_skill_file).', '',
  ].join('\n'));
  await writeFile(join(dir, 'scripts', 'run.sh'), '#!/usr/bin/env bash\n# What this script does, its arguments, and what it prints.\nset -euo pipefail\necho "replace this with the skill\'s work"\n', { mode: 0o755 });
  await writeFile(join(dir, 'references', 'REFERENCE.md'), `# ${name}: reference\n\nLonger notes the agent reads only when it needs them.\n`);
  return dir;
}
