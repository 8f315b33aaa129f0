// The files of a skill's folder: listing them, and resolving a relative path the model gives to a
// file inside the folder. Nothing outside is reachable: absolute paths, `..` and symbolic links are
// refused outright (not resolved and re-checked), so what is checked is what is read.
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isInside } from '../tools/paths.ts';

/** The folders of a skill the model may read from (the spec's optional folders). */
export const READABLE_FOLDERS = ['references', 'assets', 'scripts'] as const;
const MAX_LISTED = 200;
const MAX_DEPTH = 4;

export interface SkillFileInfo {
  /** Relative to the skill's folder, with `/` separators. */
  path: string;
  size: number;
}

/** A path the model asked for that is not a readable file of the skill. */
export class SkillPathError extends Error {
  override name = 'SkillPathError';
}

/** The skill's files (not SKILL.md's folder itself), sorted, at most 200; symbolic links are left out. */
export async function listSkillFiles(dir: string): Promise<{ files: SkillFileInfo[]; more: boolean }> {
  const files: SkillFileInfo[] = [];
  let more = false;
  const walk = async (rel: string, depth: number): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && depth < MAX_DEPTH) await walk(path, depth + 1);
      else if (e.isFile()) {
        if (files.length >= MAX_LISTED) {
          more = true;
          return;
        }
        files.push({ path, size: (await lstat(join(dir, path)).catch(() => undefined))?.size ?? 0 });
      }
    }
  };
  await walk('', 0);
  return { files, more };
}

/**
 * The absolute path of `rel` inside the skill folder `dir`, if it names a regular file under one of
 * `folders`; a SkillPathError saying what to give instead if not.
 */
export async function resolveSkillPath(dir: string, rel: string, folders: readonly string[] = READABLE_FOLDERS): Promise<string> {
  const given = rel.trim();
  const allowed = folders.map((f) => `${f}/`).join(', ');
  if (!given) throw new SkillPathError(`the path is empty: give a file of the skill relative to its folder, under ${allowed}`);
  if (given.includes('\0')) throw new SkillPathError('the path holds a NUL character: give a plain relative path');
  if (given.startsWith('/') || given.startsWith('~') || /^[A-Za-z]:[\\/]/.test(given) || given.includes('\\')) {
    throw new SkillPathError(`"${given}" is not a relative path: give a path inside the skill's folder, like references/REFERENCE.md`);
  }
  const parts = given.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new SkillPathError(`"${given}" goes up with "..": only files inside the skill's folder can be read`);
  if (!folders.includes(parts[0] ?? '') || parts.length < 2) {
    throw new SkillPathError(`"${given}" is not under ${allowed}: the skill's body comes from load_skill, and only files in those folders can be read`);
  }
  // Every step is checked without following links: a link could lead anywhere.
  let path = dir;
  for (const [i, part] of parts.entries()) {
    path = join(path, part);
    const info = await lstat(path).catch(() => undefined);
    if (!info) throw new SkillPathError(`the skill has no file ${parts.slice(0, i + 1).join('/')}: load_skill lists its files`);
    if (info.isSymbolicLink()) throw new SkillPathError(`${parts.slice(0, i + 1).join('/')} is a symbolic link: skills' files are read only when they are real files inside the skill's folder`);
    if (i < parts.length - 1 && !info.isDirectory()) throw new SkillPathError(`${parts.slice(0, i + 1).join('/')} is a file, not a folder`);
    if (i === parts.length - 1 && !info.isFile()) throw new SkillPathError(`${given} is ${info.isDirectory() ? 'a folder' : 'not a regular file'}: give a file; load_skill lists them`);
  }
  // The folder itself may sit behind a link (a linked skill folder): compare real paths.
  const [realDir, realFile] = await Promise.all([realpath(dir), realpath(path)]);
  if (!isInside(realFile, realDir) || realFile === realDir) throw new SkillPathError(`${given} is outside the skill's folder`);
  return realFile.endsWith(sep) ? realFile.slice(0, -1) : realFile;
}
