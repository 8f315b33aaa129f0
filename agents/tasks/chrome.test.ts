// The Chrome getters that read the profile (no browser needed): bookmarks and Do Not Track.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromeValue } from './chrome.ts';

const home = mkdtempSync(join(tmpdir(), 'deskpilot-chrome-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

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
