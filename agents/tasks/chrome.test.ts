// The Chrome getters: those that read the profile (bookmarks, Do Not Track) without a browser, and
// active_tab_html_parse on a page a real Chromium shows.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromeValue, waitForDevtools } from './chrome.ts';
import { CHROMIUM_FLAGS } from './machine.ts';
import { METRICS } from './metrics.ts';
import { parseTask, TaskFormatError } from './task-schema.ts';
import { unsupportedParts } from './task-support.ts';

const home = mkdtempSync(join(tmpdir(), 'deskpilot-chrome-'));
// Chromium's helper processes may still be writing the profile a moment after the browser exits.
afterAll(() => rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

describe('Chrome getters from the profile', () => {
  it('enable_do_not_track is "false" until the preference is set, then "true"', async () => {
    expect(await chromeValue('enable_do_not_track', undefined, home)).toBe('false');
    mkdirSync(join(home, '.config', 'google-chrome', 'Default'), { recursive: true });
    writeFileSync(join(home, '.config', 'google-chrome', 'Default', 'Preferences'), JSON.stringify({ enable_do_not_track: true }));
    expect(await chromeValue('enable_do_not_track', undefined, home)).toBe('true');
  });

  it('bookmarks gives the roots, empty without a file', async () => {
    expect(await chromeValue('bookmarks', undefined, join(home, 'nobody'))).toEqual({});
    writeFileSync(join(home, '.config', 'google-chrome', 'Default', 'Bookmarks'), JSON.stringify({ roots: { bookmark_bar: { children: [{ name: 'A', url: 'https://a.test/' }] } } }));
    expect(await chromeValue('bookmarks', undefined, home)).toEqual({ bookmark_bar: { children: [{ name: 'A', url: 'https://a.test/' }] } });
  });

  it('tab getters say Chrome is not running when its port does not answer', async () => {
    expect(await chromeValue('open_tabs_info', 1, home)).toEqual({ missing: "Chromium's DevTools port 1 (Chrome is not running)" });
  });
});

describe('active_tab_html_parse', () => {
  const page = `<!doctype html><title>Flights</title><div class="price">$12</div><div class="price">$15</div>
    <span class="title">Cheap flights</span><label>From <input id="from" value="SEA"></label><p id="total">Total: 27</p>
    <ul><li class="stop">Nonstop</li><li class="stop">1 stop</li></ul>`;
  let server: Server;
  let chrome: ChildProcess;
  let port = 0;
  let url = '';

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/flights?from=SEA`;
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    chrome = spawn('/usr/bin/chromium', ['--headless=new', ...CHROMIUM_FLAGS, `--remote-debugging-port=${port}`, `--user-data-dir=${join(home, 'profile')}`, url], { stdio: 'ignore', detached: true });
    await waitForDevtools(port, undefined, 60_000);
    // The page is the active tab once DevTools lists it.
    for (const started = Date.now(); (await chromeValue('active_url_from_accessTree', port, home)) !== url; ) {
      if (Date.now() - started > 30_000) throw new Error(`Chromium did not open ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 90_000);

  afterAll(async () => {
    // Chromium writes its profile until it exits: wait, so the folder can be removed.
    // The whole process group, so no helper process outlives the browser and writes on.
    if (chrome && chrome.exitCode === null) {
      const exited = new Promise((resolve) => chrome.once('exit', resolve));
      try {
        process.kill(-chrome.pid!, 'SIGTERM');
      } catch {
        chrome.kill(); // the group is already gone
      }
      await exited;
    }
    await new Promise((resolve) => server?.close(resolve));
  });

  const parse = (params: Record<string, unknown>) => chromeValue('active_tab_html_parse', port, home, undefined, params);

  it('picks text by class (by order and first), XPath, input value and label, under the task\'s keys', async () => {
    expect(await parse({ category: 'class', class_multiObject: { price: { 0: 'outbound', 1: 'return', 5: 'absent' } }, class_singleObject: { title: 'title' } })).toEqual({ outbound: '$12', return: '$15', title: 'Cheap flights' });
    expect(await parse({ category: 'xpath', xpathObject: { '//*[@id="total"]': 'total', '//*[@id="none"]': 'none' } })).toEqual({ total: 'Total: 27' });
    expect(await parse({ category: 'input', inputObject: { '//*[@id="from"]': 'from' } })).toEqual({ from: 'SEA' });
    expect(await parse({ category: 'label', labelObject: { 'Cheap flights': 'heading' } })).toEqual({ heading: 'Cheap flights' });
    expect(await parse({ category: 'class&url', class_multiObject: { stop: ['Nonstop'] }, url_include_expected: ['from=SEA', 'to=NYC'] })).toEqual({ nonstop: true, is_other_exist: true, 'from=sea': true, 'to=nyc': false });
  }, 60_000);

  it('scores 1 with check_direct_json_object against the right values and 0 against others', async () => {
    const value = await parse({ category: 'class', class_multiObject: { price: { 0: 'outbound' } }, class_singleObject: { title: 'title' } });
    const metric = METRICS['check_direct_json_object']!;
    const ctx = { run: { status: 'done' as const } };
    expect((await metric(value, { expected: { outbound: '$12', title: 'Cheap flights' } }, {}, ctx)).score).toBe(1);
    expect(await metric(value, { expected: { outbound: '$15', title: 'Cheap flights' } }, {}, ctx)).toEqual({ score: 0, detail: 'outbound is "$12", expected "$15"' });
  }, 60_000);

  it('is a supported getter, and a category OSWorld does not have is a task error', () => {
    const task = (category: string) => ({ id: 'h', instruction: 'x', evaluator: { func: 'check_direct_json_object', result: { type: 'active_tab_html_parse', category }, expected: { type: 'rule', rules: { expected: {} } } } });
    expect(unsupportedParts(parseTask(task('class')))).toEqual([]);
    expect(() => parseTask(task('css'))).toThrow(TaskFormatError);
  });
});
