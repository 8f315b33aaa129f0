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
    expect(patch.run).toEqual({ approve: 'risky', maxSteps: 50, maxSeconds: 1800 });
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

  it('makes provider ids that match the contract and do not collide', () => {
    expect(newProviderId('openai', ['openai'])).toBe('openai-2');
    expect(newProviderId('LM Studio!', [])).toBe('lm-studio');
    expect(newProviderId('custom', ['custom', 'custom-2'])).toBe('custom-3');
    expect(newProviderId('---', [])).toMatch(/^[a-z0-9][a-z0-9-]{0,39}$/);
  });
});
