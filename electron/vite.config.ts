// Builds the Electron shell into dist/electron: main.js (ESM, with the engine in agents/ bundled in
// and npm packages left to node_modules), the input and display workers the engine forks, the
// preload as CommonJS (sandboxed preloads cannot be ES modules), and the control strip's page.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outDir = join(root, 'dist', 'electron');
const agentsDir = join(root, 'agents') + sep;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const packages = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];

/** electron, node builtins and every npm package stay imports: they load from node_modules at run time. */
function external(id: string): boolean {
  if (id === 'electron' || id.startsWith('electron/') || id.startsWith('node:') || builtinModules.includes(id)) return true;
  return packages.some((p) => id === p || id.startsWith(`${p}/`));
}

// The engine forks these by URL (new URL('./nut-worker.ts', import.meta.url)); each is built as its
// own entry and the URL is pointed at the built file, so the bundle never needs agents/ sources.
const workers: Record<string, string> = {
  'nut-worker': join(root, 'agents/desktop/nut-worker.ts'),
  'display-host': join(root, 'agents/desktop/display-host.ts'),
  'hook-worker': join(root, 'agents/automations/hook-worker.ts'),
};

/** Rewrites `new URL('<relative>', import.meta.url)` in agents/ to what it meant before bundling. */
function engineUrls(): Plugin {
  const re = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;
  return {
    name: 'deskpilot:engine-urls',
    transform(code, id) {
      if (!id.startsWith(agentsDir) || !re.test(code)) return null;
      re.lastIndex = 0;
      const out = code.replace(re, (_m, _q: string, rel: string) => {
        const target = resolve(dirname(id), rel);
        const worker = Object.entries(workers).find(([, file]) => file === target)?.[0];
        const built = worker ? `./${worker}.js` : relative(outDir, target).split(sep).join('/');
        return `new URL(${JSON.stringify(built.startsWith('.') ? built : `./${built}`)}, import.meta.url)`;
      });
      // Only string literals change, within their lines: the original line mapping still holds.
      return { code: out, map: null };
    },
  };
}

/** The strip and marker pages are static files next to their script. */
function pageFiles(): Plugin {
  const files = ['strip.html', 'strip.css', 'marker.html', 'marker.css'];
  return {
    name: 'deskpilot:page-files',
    applyToEnvironment: (env) => env.name === 'pages',
    generateBundle() {
      for (const fileName of files) this.emitFile({ type: 'asset', fileName, source: readFileSync(join(root, 'electron/pages', fileName)) });
    },
  };
}

const node = {
  consumer: 'server' as const,
  resolve: { conditions: ['node'], externalConditions: ['node'] },
};

export default defineConfig({
  root,
  publicDir: false,
  logLevel: 'warn',
  plugins: [engineUrls(), pageFiles()],
  builder: {
    async buildApp(builder) {
      for (const env of ['main', 'preload', 'pages']) await builder.build(builder.environments[env]!);
    },
  },
  environments: {
    main: {
      ...node,
      build: {
        outDir,
        emptyOutDir: true,
        target: 'node22',
        ssr: true,
        minify: false,
        sourcemap: true,
        rollupOptions: {
          input: { main: join(root, 'electron/main/main.ts'), ...workers },
          external,
          output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
        },
      },
    },
    preload: {
      ...node,
      build: {
        outDir,
        emptyOutDir: false,
        target: 'chrome130',
        ssr: true,
        minify: false,
        rollupOptions: {
          input: { preload: join(root, 'electron/preload/preload.ts') },
          external: (id) => id === 'electron',
          output: { format: 'cjs', entryFileNames: '[name].cjs'},
        },
      },
    },
    pages: {
      consumer: 'client',
      build: {
        outDir: join(outDir, 'pages'),
        emptyOutDir: false,
        target: 'chrome130',
        minify: false,
        copyPublicDir: false,
        modulePreload: false,
        rollupOptions: {
          input: { strip: join(root, 'electron/pages/strip.ts') },
          output: { format: 'iife', entryFileNames: '[name].js' },
        },
      },
    },
  },
});
