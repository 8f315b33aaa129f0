// Finds the Electron binary without throwing: the `electron` package's index.js throws when the
// binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1), so read its path.txt instead.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(appRoot, 'node_modules', 'electron');

export function electronVersion(): string {
  return (JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The Electron executable, or undefined when none was installed here. */
export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pathFile = join(electronDir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  // Same rule as the package's index.js: an override folder wins, else node_modules/electron/dist.
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override ? join(override, exe || 'electron') : exe ? join(electronDir, 'dist', exe) : undefined;
  return binary && existsSync(binary) ? binary : undefined;
}

export const NO_BINARY = 'no Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)';
