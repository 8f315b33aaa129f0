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
};

describe('settings draft', () => {
  it('drops key state and turns typed numbers back into numbers', () => {
    const patch = toPatch(toDraft(view));
    expect(patch.providers).toEqual([{ id: 'openai', preset: 'openai', label: 'OpenAI', adapter: 'openai-responses', baseURL: '', model: 'computer-use-preview' }]);
    expect(patch.run).toEqual({ approve: 'risky', maxSteps: 50, maxSeconds: 1800 });
    expect(patch.historyImages).toBe(3);
    expect(toPatch({ ...toDraft(view), maxSteps: '' }).run?.maxSteps).toBeNaN();
  });

  it('makes provider ids that match the contract and do not collide', () => {
    expect(newProviderId('openai', ['openai'])).toBe('openai-2');
    expect(newProviderId('LM Studio!', [])).toBe('lm-studio');
    expect(newProviderId('custom', ['custom', 'custom-2'])).toBe('custom-3');
    expect(newProviderId('---', [])).toMatch(/^[a-z0-9][a-z0-9-]{0,39}$/);
  });
});
