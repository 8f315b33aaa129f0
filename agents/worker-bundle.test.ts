// Workers forked from TypeScript run as a cached esbuild bundle: it runs, finds files next to its
// sources, is reused while its inputs are unchanged and rebuilt when one changes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'dp-worker-bundle-'));
const bundles = new Set<string>();
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const b of bundles) for (const f of [b, b.replace(/\.mjs$/, '.inputs.json')]) rmSync(f, { force: true });
});

writeFileSync(join(dir, 'greeting.txt'), 'hello from beside the source');
writeFileSync(join(dir, 'words.ts'), "export const shout = (s: string): string => s.toUpperCase();\n");
writeFileSync(
  join(dir, 'worker.ts'),
  [
    "import { readFileSync } from 'node:fs';",
    "import { shout } from './words.ts';",
    "const text: string = readFileSync(new URL('./greeting.txt', import.meta.url), 'utf8');",
    'process.stdout.write(shout(text));',
  ].join('\n'),
);

/** A fresh copy of the module, as a new process would load it (no bundle remembered in memory). */
async function bundleOf(path: string): Promise<string | undefined> {
  vi.resetModules();
  const bundle = await (await import('./worker-bundle.ts')).workerBundle(path);
  if (bundle) bundles.add(bundle);
  return bundle;
}

describe('workerBundle', () => {
  it('runs under plain node and reads a file next to its source', async () => {
    const bundle = (await bundleOf(join(dir, 'worker.ts')))!;
    expect(bundle).toMatch(/node_modules\/\.cache\/deskpilot-workers\/worker-[0-9a-f]+\.mjs$/);
    expect(execFileSync(process.execPath, [bundle], { encoding: 'utf8' })).toBe('HELLO FROM BESIDE THE SOURCE');
  });

  it('is reused while the inputs are unchanged, and rebuilt when an imported file changes', async () => {
    const first = (await bundleOf(join(dir, 'worker.ts')))!;
    const builtAt = statSync(first).mtimeMs;
    await bundleOf(join(dir, 'worker.ts'));
    expect(statSync(first).mtimeMs).toBe(builtAt);

    writeFileSync(join(dir, 'words.ts'), "export const shout = (s: string): string => `${s.toUpperCase()}!`;\n");
    const past = new Date(Date.now() - 60_000); // an edit finished before the build starts
    utimesSync(join(dir, 'words.ts'), past, past);
    const again = (await bundleOf(join(dir, 'worker.ts')))!;
    expect(again).toBe(first);
    expect(execFileSync(process.execPath, [again], { encoding: 'utf8' })).toBe('HELLO FROM BESIDE THE SOURCE!');
  });

  it('gives nothing for a source that does not build, so the caller falls back to tsx', async () => {
    writeFileSync(join(dir, 'broken.ts'), "import { nothing } from './missing.ts';\nnothing();\n");
    expect(await bundleOf(join(dir, 'broken.ts'))).toBeUndefined();
  });
});
