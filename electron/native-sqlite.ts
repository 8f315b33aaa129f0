// better-sqlite3 compiled for Node (what the CLI loads) does not load in Electron, whose ABI differs.
// For `npm start` a second copy is built for Electron once, beside the project, and handed to the
// main process; packaged apps do not need this (electron-builder rebuilds native modules).
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { appRoot } from './electron-binary.ts';

export function electronSqlitePath(electronVersion: string): string {
  return join(appRoot, '.deskpilot', 'electron-native', electronVersion, 'better_sqlite3.node');
}

/** Returns the Electron build of better_sqlite3.node, compiling it first if needed (about 1.5 min). */
export function ensureElectronSqlite(electronVersion: string, log: (line: string) => void = console.log): string {
  const target = electronSqlitePath(electronVersion);
  if (existsSync(target)) return target;
  log(`Building better-sqlite3 for Electron ${electronVersion} (needed once; about 1.5 minutes)...`);
  const work = mkdtempSync(join(tmpdir(), 'deskpilot-sqlite-'));
  try {
    const pkg = join(work, 'better-sqlite3');
    // A copy, so the Node build in node_modules that the CLI uses stays as it is.
    cpSync(join(appRoot, 'node_modules', 'better-sqlite3'), pkg, { recursive: true, filter: (src) => !src.includes(`${sep}better-sqlite3${sep}build`) });
    const env = { ...process.env };
    // A nodedir set for Node's own headers would make node-gyp build against them, not Electron's.
    for (const key of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete env[key];
    const gyp = join(appRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const args = [gyp, 'rebuild', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron', '--jobs=max'];
    const result = spawnSync(process.execPath, args, { cwd: pkg, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const built = join(pkg, 'build', 'Release', 'better_sqlite3.node');
    if (result.status !== 0 || !existsSync(built)) {
      // node-gyp ends with its command line and versions; the cause is in the lines before.
      const lines = (result.stderr || result.error?.message || '').trim().split('\n').filter((l) => !/^gyp (info|http)|ERR! (System|command|cwd|node -v|node-gyp -v|not ok|stack\s+at )|^\((node:|Use `)/.test(l));
      const tail = lines.slice(0, 12).join('\n');
      throw new Error(`node-gyp could not build better-sqlite3 for Electron ${electronVersion}:\n${tail}`);
    }
    mkdirSync(dirname(target), { recursive: true });
    // Copy beside, then rename: a half-written file must never pass for a build.
    copyFileSync(built, `${target}.tmp`);
    renameSync(`${target}.tmp`, target);
    log(`Built ${target}`);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
