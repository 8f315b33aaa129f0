// Messages interpolate, pick plural forms, and fall back to English for unknown languages.
import { describe, expect, it } from 'vitest';
import { availableLanguages, currentLanguage, setLanguage, t } from './index.ts';

describe('t', () => {
  it('fills parameters and leaves unknown ones visible', () => {
    expect(t('status.thinking', { step: 3 })).toBe('Step 3: waiting for the model…');
    expect(t('status.thinking')).toBe('Step {step}: waiting for the model…');
  });
  it('picks plural forms by count', () => {
    expect(t('runs.steps', { count: 1 })).toBe('1 step');
    expect(t('runs.steps', { count: 2 })).toBe('2 steps');
  });
  it('speaks Simplified Chinese when chosen, with one plural form', () => {
    expect(availableLanguages()).toContain('zh-CN');
    setLanguage('zh-CN');
    expect(t('settings.title')).toBe('设置');
    expect(t('runs.steps', { count: 1 })).toBe('1 步');
    setLanguage('en');
    expect(t('settings.title')).toBe('Settings');
  });
  it('finds English, and falls back to it', () => {
    expect(availableLanguages()).toContain('en');
    setLanguage('xx');
    expect(currentLanguage()).toBe('en');
  });
});
