// The settings draft round-trips to a patch, and new provider ids are valid and unique.
import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../agents/contract.ts';
import { newProviderId, toDraft, toPatch } from './settings-draft.ts';

const view: SettingsView = {
  version: 1,
  providers: [{ id: 'openai', preset: 'openai', label: 'OpenAI', adapter: 'openai-responses', baseURL: '', model: 'computer-use-preview', hasKey: true, keyFromEnv: 'OPENAI_API_KEY' }],
  activeProvider: 'openai',
  run: { approve: 'risky', maxSteps: 50, maxSeconds: 1800 },
  screenshotSize: 'auto',
  historyImages: 3,
  keepScreenshotsDays: 30,
  runOn: 'sandbox',
  language: 'en',
  tools: { onOwnScreen: false, extraFolders: ['/srv/a', '/srv/b'], maxCommandSeconds: 600 },
};

describe('settings draft', () => {
  it('drops key state and turns typed numbers back into numbers', () => {
    const patch = toPatch(toDraft(view));
    expect(patch.providers).toEqual([{ id: 'openai', preset: 'openai', label: 'OpenAI', adapter: 'openai-responses', baseURL: '', model: 'computer-use-preview' }]);
    expect(patch.run).toMatchObject({ approve: 'risky', maxSteps: 50, maxSeconds: 1800 });
    expect(patch.historyImages).toBe(3);
    expect(toPatch({ ...toDraft(view), maxSteps: '' }).run?.maxSteps).toBeNaN();
  });

  it('keeps the tools section: folders one a line, blank lines dropped, seconds as a number', () => {
    const draft = toDraft(view);
    expect(draft.extraFolders).toBe('/srv/a\n/srv/b');
    expect(toPatch(draft).tools).toEqual({ onOwnScreen: false, extraFolders: ['/srv/a', '/srv/b'], maxCommandSeconds: 600 });
    expect(toPatch({ ...draft, toolsOnOwnScreen: true, extraFolders: ' /x \n\n/y\n', maxCommandSeconds: '30' }).tools).toEqual({ onOwnScreen: true, extraFolders: ['/x', '/y'], maxCommandSeconds: 30 });
    expect(toPatch({ ...draft, maxCommandSeconds: '' }).tools?.maxCommandSeconds).toBeNaN();
  });

  it('lets MCP clients act on the own screen only when ticked (off for files without the setting)', () => {
    expect(toDraft(view).mcpOwnScreen).toBe(false);
    expect(toPatch(toDraft(view)).mcpOwnScreen).toBe(false);
    expect(toPatch({ ...toDraft(view), mcpOwnScreen: true }).mcpOwnScreen).toBe(true);
    expect(toDraft({ ...view, mcpOwnScreen: true }).mcpOwnScreen).toBe(true);
  });

  it('keeps what operators govern: window lists, the new-window switch, private windows, budgets', () => {
    // Nothing set: the switch is on, the lists and limits empty; saved as whole objects with no lists.
    const empty = toDraft(view).governance;
    expect(empty).toMatchObject({ askNew: true, denyClasses: '', allowTitles: '', privateClasses: '', atLimit: 'ask' });
    expect(JSON.parse(JSON.stringify(toPatch(toDraft(view)).run))).toEqual({
      approve: 'risky', maxSteps: 50, maxSeconds: 1800, windows: { askNew: true }, privacy: {}, budgets: { atLimit: 'ask' },
    });

    const run = {
      ...view.run,
      windows: { deny: { classes: ['Thunderbird'] }, allow: { titles: ['Invoices', 'Calc'] }, askNew: false },
      privacy: { windowTitles: ['Online banking'], areas: [{ x: 0, y: 0, width: 10, height: 10 }], maskSecretText: false },
      budgets: { runTokens: 50_000, dayCostUsd: 2.5, atLimit: 'stop' as const },
    };
    const draft = toDraft({ ...view, run });
    expect(draft.governance).toMatchObject({ denyClasses: 'Thunderbird', allowTitles: 'Invoices\nCalc', askNew: false, privateTitles: 'Online banking', atLimit: 'stop' });
    expect(draft.governance.limits).toMatchObject({ runTokens: '50000', dayCostUsd: '2.5', threadTokens: '' });
    // Round trip: what the form does not edit (areas, OCR masking) is kept as saved.
    expect(JSON.parse(JSON.stringify(toPatch(draft).run))).toEqual(run);

    // Edited: lists one a line (blanks dropped), a cleared list gone, a limit typed, a bad one NaN for the server to name.
    const g = { ...draft.governance, denyClasses: ' keepassxc \n\nsignal\n', allowTitles: '', askNew: true, limits: { ...draft.governance.limits, threadTokens: '9000', runTokens: '' } };
    const patch = toPatch({ ...draft, governance: g }).run!;
    expect(patch.windows).toEqual({ deny: { classes: ['keepassxc', 'signal'], titles: undefined }, allow: undefined, askNew: true });
    expect(patch.budgets).toEqual({ threadTokens: 9000, dayCostUsd: 2.5, atLimit: 'stop' });
    expect(toPatch({ ...draft, governance: { ...g, limits: { ...g.limits, dayTokens: 'lots' } } }).run!.budgets!.dayTokens).toBeNaN();
  });

  it('makes provider ids that match the contract and do not collide', () => {
    expect(newProviderId('openai', ['openai'])).toBe('openai-2');
    expect(newProviderId('LM Studio!', [])).toBe('lm-studio');
    expect(newProviderId('custom', ['custom', 'custom-2'])).toBe('custom-3');
    expect(newProviderId('---', [])).toMatch(/^[a-z0-9][a-z0-9-]{0,39}$/);
  });
});
