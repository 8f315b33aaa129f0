// A worker forked from TypeScript sources runs as one plain-JS bundle built by esbuild, not under
// tsx: a child that loads tsx carries its loader thread and esbuild's service (about 30 MB of memory
// and a few hundred ms of CPU each), and every sandbox forks two. Bundles are cached in
// node_modules/.cache and reused while none of their inputs changed.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Esbuild = typeof import('esbuild');
type Plugin = import('esbuild').Plugin;

/** Bumped when the build options change, so older bundles are not reused. */
const FORMAT = 1;
const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = resolve(root, 'node_modules/.cache/deskpilot-workers');
const built = new Map<string, Promise<string | undefined>>();

interface Inputs {
  format: number;
  esbuild: string;
  /** Each input's absolute path, mtime and size when the bundle was built. */
  files: [string, number, number][];
}

/** The bundled worker's path, built now if its cache is missing or stale; undefined when it cannot be built. */
export function workerBundle(modulePath: string): Promise<string | undefined> {
  let bundle = built.get(modulePath);
  if (!bundle) {
    bundle = bundleOnce(modulePath);
    built.set(modulePath, bundle);
  }
  return bundle;
}

async function bundleOnce(modulePath: string): Promise<string | undefined> {
  try {
    const esbuild = createRequire(import.meta.url)('esbuild') as Esbuild;
    const key = `${basename(modulePath).replace(/\.[mc]?ts$/, '')}-${createHash('sha256').update(modulePath).digest('hex').slice(0, 10)}`;
    const out = resolve(cacheDir, `${key}.mjs`);
    const inputsFile = resolve(cacheDir, `${key}.inputs.json`);
    if (!fresh(inputsFile, esbuild.version)) await build(esbuild, modulePath, out, inputsFile);
    return out;
  } catch {
    return undefined; // tsx runs the sources as before
  }
}

function fresh(inputsFile: string, esbuildVersion: string): boolean {
  try {
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as Inputs;
    if (inputs.format !== FORMAT || inputs.esbuild !== esbuildVersion) return false;
    return inputs.files.every(([file, mtime, size]) => {
      const s = statSync(file);
      return s.mtimeMs === mtime && s.size === size;
    });
  } catch {
    return false;
  }
}

async function build(esbuild: Esbuild, modulePath: string, out: string, inputsFile: string): Promise<void> {
  const startedAt = Date.now();
  mkdirSync(cacheDir, { recursive: true });
  // Written beside the final file and renamed over it: processes building at once never read half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  const result = await esbuild.build({
    entryPoints: [modulePath], outfile: tmp, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', metafile: true, logLevel: 'silent', absWorkingDir: root, plugins: [sourceUrls],
    banner: { js: '// Built from the TypeScript sources by agents/worker-bundle.ts; do not edit.' },
  });
  renameSync(tmp, out);
  const files = Object.keys(result.metafile.inputs).map((f): [string, number, number] => {
    const s = statSync(resolve(root, f));
    return [resolve(root, f), s.mtimeMs, s.size];
  });
  // An input edited while the build ran may not be in it: use this bundle once, but do not keep it.
  if (files.some(([, mtime]) => mtime >= startedAt)) return;
  const inputs: Inputs = { format: FORMAT, esbuild: esbuild.version, files };
  writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(inputs));
  renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
}

const RELATIVE_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/** A URL made relative to import.meta.url in a source meant the source's own folder, not the cache's. */
const sourceUrls: Plugin = {
  name: 'deskpilot-source-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const code = readFileSync(args.path, 'utf8');
      const contents = code.replace(RELATIVE_URL, (_m, _q: string, rel: string) => `new URL(${JSON.stringify(pathToFileURL(resolve(dirname(args.path), rel)).href)})`);
      return { contents, loader: 'ts' };
    });
  },
};
