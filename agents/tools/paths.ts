// Where a path given by the model really leads, and whether the tools may go there. Paths are
// checked after `..` and symlinks are resolved, and the tools then use the resolved path, so what
// was checked is what is opened.
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ToolInputError, type ToolContext } from './tool.ts';

/** `~` and `~/x` become the context's HOME; other paths are left as they are. */
export function expandHome(path: string, env: Record<string, string>): string {
  if (path === '~' || path.startsWith('~/')) return join(env['HOME'] ?? homedir(), path.slice(1));
  return path;
}

/** An absolute path: `~` expanded, relative to the context's working folder, `..` resolved. */
export function absolutePath(path: string, ctx: Pick<ToolContext, 'cwd' | 'env'>): string {
  return resolve(ctx.cwd, expandHome(path, ctx.env));
}

/** The real path: symlinks resolved in the deepest part that exists, the rest (not yet created) appended. */
export async function realPathOf(abs: string): Promise<string> {
  const rest: string[] = [];
  let dir = abs;
  for (;;) {
    try {
      const real = await realpath(dir);
      return rest.length ? join(real, ...rest.reverse()) : real;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const parent = dirname(dir);
      if (parent === dir) return abs;
      rest.push(basename(dir));
      dir = parent;
    }
  }
}

export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path of `path` if it lies inside one of the context's roots; a ToolInputError naming the roots if not. */
export async function resolveInRoots(path: string, ctx: Pick<ToolContext, 'cwd' | 'env' | 'roots'>): Promise<string> {
  if (!path) throw new ToolInputError('the path is empty: give a file or folder path');
  const abs = absolutePath(path, ctx);
  const real = await realPathOf(abs);
  const roots = await Promise.all(ctx.roots.map((r) => realPathOf(resolve(r))));
  if (roots.some((root) => isInside(real, root))) return real;
  const through = real !== abs ? ` (it leads to ${real} through a symbolic link)` : '';
  const allowed = ctx.roots.length ? ctx.roots.join(', ') : 'none: this run has no folders for the file tools';
  throw new ToolInputError(`${abs} is outside the folders the file tools may use${through}. Allowed: ${allowed}. Use a path inside one of them.`);
}
