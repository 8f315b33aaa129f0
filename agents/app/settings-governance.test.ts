// Governance settings (budgets, private regions, window lists) live in settings.run, so every run
// started from the settings gets them; the settings form, which has no fields for them, must not drop them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsFile } from './settings-file.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dp-gov-settings-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('governance settings', () => {
  it('are saved in settings.run and survive a form save of run without them', () => {
    const file = new SettingsFile(join(dir, 'settings.json'));
    const run = file.get().run;
    file.update({ run: { ...run, budgets: { dayCostUsd: 5, atLimit: 'stop' }, privacy: { windowTitles: ['Online banking'] }, windows: { deny: { classes: ['Thunderbird'] } } } });
    // What the settings form sends: only its own fields.
    file.update({ run: { approve: 'always', maxSteps: 12, maxSeconds: 600 } });
    const saved = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { run: Record<string, unknown> };
    expect(saved.run).toEqual({
      approve: 'always', maxSteps: 12, maxSeconds: 600,
      budgets: { dayCostUsd: 5, atLimit: 'stop' }, privacy: { windowTitles: ['Online banking'] }, windows: { deny: { classes: ['Thunderbird'] } },
    });
    expect(new SettingsFile(join(dir, 'settings.json')).get().run.windows).toEqual({ deny: { classes: ['Thunderbird'] } });
  });

  it('refuse a bad budget', () => {
    const file = new SettingsFile(join(dir, 'settings.json'));
    expect(() => file.update({ run: { ...file.get().run, budgets: { runTokens: -1, atLimit: 'ask' } } })).toThrow(/runTokens|Too small|>0/);
  });
});
