// Builds the renderer into dist/renderer with relative paths, so Electron (file/custom scheme) and
// `deskpilot serve` (served at /) load the same files; nothing is fetched from outside.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The CSP allows no inline scripts: keep every script an external file.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
