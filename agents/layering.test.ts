// agents/ is the engine: it must run in plain Node, so it imports no Electron, React or DOM code.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

it('agents/ imports nothing from electron, react, the DOM or the app layers', () => {
  const forbidden = /from\s+['"](electron|react|react-dom|zustand)(\/[^'"]*)?['"]|from\s+['"](\.\.\/)+(electron|renderer)\//;
  const offenders = sources(root)
    .filter((f) => !f.endsWith('layering.test.ts'))
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((line) => forbidden.test(line)).map((line) => `${relative(root, f)}: ${line.trim()}`));
  expect(offenders).toEqual([]);
});

it('renderer/ takes only types from the contract, and nothing else from the engine or Electron', () => {
  const rendererDir = join(root, '..', 'renderer', 'src');
  const files = readdirSync(rendererDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
  expect(files.length).toBeGreaterThan(10);
  const offenders = files.flatMap((f) =>
    readFileSync(f, 'utf8').split('\n')
      .filter((line) => /from\s+['"][^'"]*(agents|electron)\//.test(line) || /from\s+['"]electron['"]/.test(line))
      .filter((line) => !/^\s*import type .* from ['"](\.\.\/)+agents\/contract\.ts['"]/.test(line))
      .map((line) => `${relative(root, f)}: ${line.trim()}`),
  );
  expect(offenders).toEqual([]);
});
