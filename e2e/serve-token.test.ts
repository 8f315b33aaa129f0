// The access token leaves the address bar: Debian Chromium opens the link `deskpilot serve` printed, the
// server swaps ?token= for an HttpOnly cookie and redirects, and the UI keeps working after a reload.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serve, type Served } from './support/ui-serve.ts';

let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-token-'));
  server = await serve(['--data-dir', dataDir]);
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Every URL in the tab's session history, as Chromium keeps it (Back and Forward lead to these). */
async function historyUrls(): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { entries } = (await cdp.send('Page.getNavigationHistory')) as { entries: { url: string }[] };
  await cdp.detach();
  return entries.map((e) => e.url);
}

const threads = () => page.getByTestId('thread-item');

describe('the serve token after the page loads', () => {
  it('is gone from the address bar and history, unreadable by scripts, and the UI works across a reload', async () => {
    expect(server.url).toContain('?token=');
    const seen: string[] = [];
    page.on('request', (r) => seen.push(r.url()));
    await page.goto(`${server.url}#/settings`);
    await page.getByTestId('settings-view').waitFor();
    expect(page.url()).toBe(`${server.base}/#/settings`);
    const urls = await historyUrls();
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).not.toContain(server.token);
    expect(await page.evaluate(() => location.href)).not.toContain('token');
    // The cookie is HttpOnly: the page's scripts cannot read it, and nothing of the token is left in storage.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }))).not.toContain(server.token);
    const cookies = await page.context().cookies(server.base);
    expect(cookies).toEqual([expect.objectContaining({ name: `deskpilot_token_${new URL(server.base).port}`, value: server.token, httpOnly: true, sameSite: 'Strict', path: '/' })]);

    // Commands (threads.list) and events (threads_changed over the socket) work with the cookie alone.
    await page.evaluate(() => (location.hash = '#/'));
    await server.call('threads.create', { title: 'Before the reload' });
    await expect.poll(() => threads().count(), { timeout: 10_000 }).toBe(1);

    await page.reload();
    expect(page.url()).toBe(`${server.base}/#/`);
    await expect.poll(() => threads().count(), { timeout: 10_000 }).toBe(1);
    expect(await threads().first().textContent()).toContain('Before the reload');
    await server.call('threads.create', { title: 'After the reload' });
    await expect.poll(() => threads().count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('connection-banner').count()).toBe(0);
    expect(await page.getByTestId('token-missing').count()).toBe(0);

    // Only the first navigation carried the token; nothing the page asked for afterwards did.
    const withToken = seen.filter((u) => u.includes(server.token));
    expect(withToken).toEqual([`${server.url}#/settings`.replace(/#.*$/, '')]);
    for (const u of await historyUrls()) expect(u).not.toContain(server.token);
  });

  it('refuses a fresh browser with no cookie and no token', async () => {
    const other = await browser.newContext();
    try {
      const fresh = await other.newPage();
      const res = await fresh.goto(server.base);
      expect(res?.status()).toBe(401);
      const call = await fresh.evaluate(async () => (await fetch('/api/call/threads.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
      expect(call).toBe(401);
    } finally {
      await other.close();
    }
  });
});
