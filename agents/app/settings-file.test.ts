import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsError, SettingsFile } from './settings-file.ts';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'dp-settings-')), 'settings.json');

describe('SettingsFile', () => {
  it('starts from the defaults and writes only on update', () => {
    const path = fresh();
    const s = new SettingsFile(path);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(existsSync(path)).toBe(false);
    s.update({ historyImages: 5, run: { approve: 'always', maxSteps: 10, maxSeconds: 60 } });
    expect(new SettingsFile(path).get()).toMatchObject({ historyImages: 5, run: { approve: 'always', maxSteps: 10 } });
  });

  it('refuses an invalid update and keeps the file as it was', () => {
    const path = fresh();
    const s = new SettingsFile(path);
    s.update({ historyImages: 4 });
    const before = readFileSync(path, 'utf8');
    expect(() => s.update({ historyImages: 99 })).toThrow(SettingsError);
    expect(() => s.update({ activeProvider: 'nobody' })).toThrow(/active provider "nobody"/);
    expect(() => s.update({ providers: [...DEFAULT_SETTINGS.providers, ...DEFAULT_SETTINGS.providers] })).toThrow(/two providers/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(s.get().historyImages).toBe(4);
  });

  it.each([
    ['not JSON', '{"version": 1, '],
    ['the wrong shape', JSON.stringify({ version: 1, providers: 'many' })],
  ])('sets a corrupt file (%s) aside, uses the defaults and says so', (_what, text) => {
    const path = fresh();
    writeFileSync(path, text);
    const s = new SettingsFile(path);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.warnings[0]).toMatch(/settings file was unusable .* kept as .*settings\.json\.corrupt-\d+/);
    const dir = join(path, '..');
    const aside = readdirSync(dir).find((f) => f.startsWith('settings.json.corrupt-'))!;
    expect(readFileSync(join(dir, aside), 'utf8')).toBe(text);
  });
});

describe('settings written by older versions', () => {
  it('a file without the tools section loads with the tools defaults, the rest kept, and saves them', () => {
    const path = fresh();
    const old = { ...DEFAULT_SETTINGS, historyImages: 7 } as Partial<typeof DEFAULT_SETTINGS>;
    delete old.tools;
    delete old.skills;
    writeFileSync(path, JSON.stringify(old));
    const s = new SettingsFile(path);
    expect(s.warnings).toEqual([]);
    expect(s.get().tools).toEqual({ onOwnScreen: false, extraFolders: [], maxCommandSeconds: 600 });
    expect(s.get().historyImages).toBe(7);
    s.update({ historyImages: 2 });
    expect(JSON.parse(readFileSync(path, 'utf8')).tools).toEqual({ onOwnScreen: false, extraFolders: [], maxCommandSeconds: 600 });
  });

  it('a tools section missing a field gets that field from the defaults; a bad one is still refused', () => {
    const path = fresh();
    writeFileSync(path, JSON.stringify({ ...DEFAULT_SETTINGS, tools: { onOwnScreen: true } }));
    expect(new SettingsFile(path).get().tools).toEqual({ onOwnScreen: true, extraFolders: [], maxCommandSeconds: 600 });
    const bad = fresh();
    writeFileSync(bad, JSON.stringify({ ...DEFAULT_SETTINGS, tools: { onOwnScreen: true, maxCommandSeconds: 99999 } }));
    const s = new SettingsFile(bad);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.warnings[0]).toMatch(/unusable/);
  });

  it('updates the tools section within its limits', () => {
    const s = new SettingsFile(fresh());
    s.update({ tools: { onOwnScreen: true, extraFolders: ['/srv/shared'], maxCommandSeconds: 3600 } });
    expect(s.get().tools).toEqual({ onOwnScreen: true, extraFolders: ['/srv/shared'], maxCommandSeconds: 3600 });
    expect(() => s.update({ tools: { onOwnScreen: true, extraFolders: [], maxCommandSeconds: 0 } })).toThrow(SettingsError);
    expect(() => s.update({ tools: { onOwnScreen: true, extraFolders: [''], maxCommandSeconds: 10 } })).toThrow(SettingsError);
  });
});
