// The sandbox's Chromium as OSWorld's Chrome getters see it: tabs over the DevTools HTTP endpoint,
// page content and text picked from it over Playwright's CDP connection, bookmarks from the profile.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseActiveTab } from './chrome-html-parse.ts';
import type { ChromeGetterName } from './task-schema.ts';

interface Target {
  type: string;
  url: string;
  title: string;
  id: string;
}

async function targets(port: number, signal?: AbortSignal): Promise<Target[]> {
  const r = await fetch(`http://127.0.0.1:${port}/json/list`, signal ? { signal } : {});
  if (!r.ok) throw new Error(`Chromium's DevTools answered HTTP ${r.status}`);
  return ((await r.json()) as Target[]).filter((t) => t.type === 'page');
}

export async function devtoolsUp(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
}

export async function waitForDevtools(port: number, signal?: AbortSignal, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await devtoolsUp(port))) {
    if (Date.now() - started > timeoutMs) throw new Error(`Chromium's DevTools port ${port} did not answer within ${timeoutMs / 1000} s (is google-chrome running?)`);
    await sleep(200, undefined, signal ? { signal } : undefined);
  }
}

/** Closes the tabs showing these URLs (chrome_close_tabs). */
export async function closeTabs(port: number, urls: string[], signal?: AbortSignal): Promise<void> {
  const same = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '');
  for (const t of await targets(port, signal)) {
    if (urls.some((u) => same(u, t.url))) await fetch(`http://127.0.0.1:${port}/json/close/${t.id}`, signal ? { signal } : {});
  }
}

/** The page the user is on: DevTools lists pages most recently active first. */
async function activeTab(port: number, signal?: AbortSignal): Promise<Target | undefined> {
  return (await targets(port, signal))[0];
}

/** Runs `use` on the browser's pages (in tab order) over Playwright's CDP connection. */
async function withPages<T>(port: number, use: (pages: import('playwright-core').Page[]) => Promise<T>): Promise<T> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 10_000 });
  try {
    return await use(browser.contexts().flatMap((c) => c.pages()));
  } finally {
    // Leaves Chromium running: close() on a connected browser only drops the connection.
    await browser.close().catch(() => undefined);
  }
}

/** The active page's HTML (the DevTools HTTP list has no content). */
const pageContent = (port: number, url: string): Promise<string> =>
  withPages(port, async (pages) => {
    const page = pages.find((p) => p.url() === url) ?? pages[0];
    return page ? page.content() : '';
  });

const unquote = (u: string) => {
  try {
    return decodeURI(u).replace(/\/$/, '');
  } catch {
    return u.replace(/\/$/, '');
  }
};

/** A Chrome getter's value, as OSWorld's: tabs as {title, url}, the active tab with its content, bookmarks' roots. */
export async function chromeValue(name: ChromeGetterName, port: number | undefined, home: string, signal?: AbortSignal, params: Record<string, unknown> = {}): Promise<unknown> {
  if (name === 'enable_do_not_track') {
    // OSWorld reads the profile's Preferences: "true" or "false" as text.
    const text = await readFile(join(home, '.config', 'google-chrome', 'Default', 'Preferences'), 'utf8').catch(() => '{}');
    return String((JSON.parse(text) as { enable_do_not_track?: boolean }).enable_do_not_track === true);
  }
  if (name === 'bookmarks') {
    const text = await readFile(join(home, '.config', 'google-chrome', 'Default', 'Bookmarks'), 'utf8').catch(() => undefined);
    // No bookmarks file yet means no bookmarks (OSWorld gives an empty value).
    return text ? (JSON.parse(text) as { roots?: unknown }).roots ?? {} : {};
  }
  if (!port || !(await devtoolsUp(port))) return { missing: `Chromium's DevTools port ${port ?? '(none)'} (Chrome is not running)` };
  // Tabs in the order they were opened, as OSWorld lists them (the DevTools list is most recent first).
  if (name === 'open_tabs_info') return withPages(port, (pages) => Promise.all(pages.map(async (p) => ({ title: await p.title(), url: p.url() }))));
  const tab = await activeTab(port, signal);
  if (!tab) return { missing: 'an open Chrome tab' };
  if (name === 'active_url_from_accessTree') return tab.url;
  if (name === 'active_tab_html_parse') {
    return withPages(port, async (pages) => {
      // The tab showing the active URL (percent-encoding and a trailing slash aside), once loaded.
      const page = pages.find((p) => unquote(p.url()) === unquote(tab.url));
      if (!page) return {};
      await page.waitForLoadState('load', { timeout: 15_000 }).catch(() => undefined);
      return parseActiveTab(page, params);
    });
  }
  return { title: tab.title, url: tab.url, content: await pageContent(port, tab.url) };
}
