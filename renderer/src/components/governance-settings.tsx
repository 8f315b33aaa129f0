// Settings: what operators govern. Which windows the agent may act in (and asking before a window
// that opened after the run started), which windows are blacked out of screenshots, and the budgets
// of tokens and cost with what happens at a limit. Part of the settings draft, saved with the form.
import type { ReactNode } from 'react';
import { t, type MessageKey } from '../i18n/index.ts';
import { AT_LIMIT, BUDGET_LIMITS, type GovernanceDraft } from './settings-draft.ts';

interface Props {
  value: GovernanceDraft;
  onChange(next: GovernanceDraft): void;
}

// OCR masking of card numbers and keys: unset follows the target (own screen on, sandbox off).
const MASK_VALUES = { ownScreen: undefined, always: true, never: false } as const;
type MaskChoice = keyof typeof MASK_VALUES;
const MASK_CHOICES = Object.keys(MASK_VALUES) as MaskChoice[];
const maskChoice = (v: boolean | undefined): MaskChoice => (v === undefined ? 'ownScreen' : v ? 'always' : 'never');

type ListKey = 'denyClasses' | 'denyTitles' | 'allowClasses' | 'allowTitles' | 'privateClasses' | 'privateTitles';

export function GovernanceSettings({ value, onChange }: Props) {
  const set = <K extends keyof GovernanceDraft>(key: K, v: GovernanceDraft[K]) => onChange({ ...value, [key]: v });
  const list = (key: ListKey, hint: MessageKey) => (
    <Box label={t(`settings.gov.${key}`)}>
      <textarea data-testid={`setting-${key}`} rows={2} spellCheck={false} placeholder={t(hint)} value={value[key]} onChange={(e) => set(key, e.target.value)} />
    </Box>
  );
  return (
    <>
      <fieldset className="grid-fields" data-testid="settings-windows">
        <legend>{t('settings.gov.windows')}</legend>
        <label className="checkbox-field">
          <input data-testid="setting-ask-new-windows" type="checkbox" checked={value.askNew} onChange={(e) => set('askNew', e.target.checked)} />
          <span>{t('settings.gov.askNew')}</span>
        </label>
        {list('denyClasses', 'settings.gov.classHint')}
        {list('denyTitles', 'settings.gov.titleHint')}
        {list('allowClasses', 'settings.gov.classHint')}
        {list('allowTitles', 'settings.gov.titleHint')}
        <p className="muted small">{t('settings.gov.windowsNote')}</p>
      </fieldset>

      <fieldset className="grid-fields" data-testid="settings-privacy">
        <legend>{t('settings.gov.privacy')}</legend>
        {list('privateClasses', 'settings.gov.classHint')}
        {list('privateTitles', 'settings.gov.titleHint')}
        <Box label={t('settings.gov.maskText')}>
          <select data-testid="setting-mask-text" value={maskChoice(value.privacyRest.maskSecretText)} onChange={(e) => set('privacyRest', { ...value.privacyRest, maskSecretText: MASK_VALUES[e.target.value as MaskChoice] })}>
            {MASK_CHOICES.map((c) => (
              <option key={c} value={c}>
                {t(`settings.gov.maskText.${c}`)}
              </option>
            ))}
          </select>
        </Box>
        <p className="muted small">{t('settings.gov.privacyNote')}</p>
        <p className="muted small">{t('settings.gov.maskTextNote')}</p>
      </fieldset>

      <fieldset className="grid-fields" data-testid="settings-budgets">
        <legend>{t('settings.gov.budgets')}</legend>
        {BUDGET_LIMITS.map((k) => (
          <Box key={k} label={t(`settings.gov.${k}`)}>
            <input
              data-testid={`setting-budget-${k}`} type="number" min={0} step={k.endsWith('CostUsd') ? 0.01 : 1000} placeholder={t('settings.gov.noLimit')}
              value={value.limits[k]} onChange={(e) => set('limits', { ...value.limits, [k]: e.target.value })}
            />
          </Box>
        ))}
        <Box label={t('settings.gov.atLimit')}>
          <select data-testid="setting-budget-at-limit" value={value.atLimit} onChange={(e) => set('atLimit', e.target.value as GovernanceDraft['atLimit'])}>
            {AT_LIMIT.map((a) => (
              <option key={a} value={a}>
                {t(`settings.gov.atLimit.${a}`)}
              </option>
            ))}
          </select>
        </Box>
        <p className="muted small">{t('settings.gov.budgetsNote')}</p>
      </fieldset>
    </>
  );
}

function Box({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
    </label>
  );
}
