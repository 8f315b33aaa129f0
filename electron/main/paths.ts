// Where the built pieces sit, found from this bundle's own place (dist/electron/main.js), so the
// same paths hold in a checkout and inside a packaged app.asar.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export const appRoot = join(here, '..', '..');
export const preloadPath = join(here, 'preload.cjs');
export const rendererIndex = join(appRoot, 'dist', 'renderer', 'index.html');

export type PageName = 'strip' | 'marker';
export const pagePath = (name: PageName): string => join(here, 'pages', `${name}.html`);

/** The file: URL a page is shown at, without query or hash: what the IPC sender check compares. */
export const pageUrl = (file: string): string => pathToFileURL(file).href;
