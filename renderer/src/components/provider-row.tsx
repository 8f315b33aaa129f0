// One configured provider: label, adapter, base URL and model (saved with the form); the API key
// (write-only, set at once); make active; remove; and "Test connection" with each check's result.
import { useState } from 'react';
import type { ProviderConfig, SettingsView } from '../../../agents/contract.ts';
import { t } from '../i18n/index.ts';
import type { AppInfo } from '../state/settings-slice.ts';
import { useApp } from '../state/use-app.ts';
import { ADAPTERS } from './settings-draft.ts';

interface Props {
  provider: ProviderConfig;
  /** The server's copy, when this provider has been saved. */
  saved: SettingsView['providers'][number] | undefined;
  preset: AppInfo['presets'][number] | undefined;
  active: boolean;
  onChange(next: ProviderConfig): void;
  onActivate(): void;
  onRemove(): void;
}

export function ProviderRow({ provider: p, saved, preset, active, onChange, onActivate, onRemove }: Props) {
  const setKey = useApp((s) => s.setKey);
  const testConnection = useApp((s) => s.testConnection);
  const test = useApp((s) => s.connectionTests[p.id]);
  const [key, setKeyText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const edit = <K extends keyof ProviderConfig>(k: K, v: ProviderConfig[K]) => onChange({ ...p, [k]: v });
  const id = (field: string) => `provider-${p.id}-${field}`;

  const keyState = saved?.hasKey ? t('settings.keySet') : saved?.keyFromEnv ? t('settings.keyFromEnv', { env: saved.keyFromEnv }) : t('settings.noKey');

  return (
    <div className={`provider-row${active ? ' active' : ''}`} data-testid="provider-row" data-provider-id={p.id} data-active={active}>
      <div className="provider-head">
        <input className="provider-label-input" data-testid="provider-label" aria-label={t('settings.label')} value={p.label} onChange={(e) => edit('label', e.target.value)} />
        <code className="muted small">{p.id}</code>
        {active ? (
          <span className="badge badge-running">{t('settings.active')}</span>
        ) : (
          <button type="button" className="btn btn-small" data-testid="provider-activate" onClick={onActivate}>
            {t('settings.activate')}
          </button>
        )}
        <span className="grow" />
        {confirming ? (
          <>
            <button type="button" className="btn btn-small btn-danger" data-testid="provider-remove-confirm" onClick={onRemove}>
              {t('settings.remove')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
              {t('approval.editCancel')}
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-small" data-testid="provider-remove" onClick={() => setConfirming(true)}>
            {t('settings.remove')}
          </button>
        )}
      </div>
      {preset?.notes ? <p className="muted small">{preset.notes}</p> : null}
      <div className="provider-fields">
        <label className="field" htmlFor={id('adapter')}>
          <span className="field-label">{t('settings.adapter')}</span>
          <select id={id('adapter')} data-testid="provider-adapter" value={p.adapter} onChange={(e) => edit('adapter', e.target.value as ProviderConfig['adapter'])}>
            {ADAPTERS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="field wide" htmlFor={id('url')}>
          <span className="field-label">{t('settings.baseUrl')}</span>
          <input id={id('url')} data-testid="provider-base-url" type="url" placeholder="https://…/v1" value={p.baseURL} onChange={(e) => edit('baseURL', e.target.value)} />
        </label>
        <label className="field" htmlFor={id('model')}>
          <span className="field-label">{t('settings.model')}</span>
          <input id={id('model')} data-testid="provider-model" value={p.model} onChange={(e) => edit('model', e.target.value)} />
        </label>
        {p.adapter === 'openai-responses' ? (
          <label className="field" htmlFor={id('computer-tool')}>
            <span className="field-label">{t('settings.computerTool')}</span>
            <select id={id('computer-tool')} data-testid="provider-computer-tool" value={p.computerTool ?? 'auto'} onChange={(e) => edit('computerTool', e.target.value as NonNullable<ProviderConfig['computerTool']>)}>
              <option value="auto">{t('settings.computerToolAuto')}</option>
              <option value="computer">{t('settings.computerToolGa')}</option>
              <option value="computer_use_preview">{t('settings.computerToolPreview')}</option>
            </select>
          </label>
        ) : null}
      </div>
      <div className="provider-key">
        <span className="field-label">{t('settings.apiKey')}</span>
        <span className={`key-state${saved?.hasKey || saved?.keyFromEnv ? ' ok' : ''}`} data-testid="provider-has-key" data-has-key={saved?.hasKey ?? false}>
          {keyState}
        </span>
        <input
          data-testid="provider-key"
          type="password"
          autoComplete="off"
          aria-label={t('settings.apiKey')}
          placeholder={t('settings.keyPlaceholder')}
          disabled={!saved}
          value={key}
          onChange={(e) => setKeyText(e.target.value)}
        />
        <button
          type="button"
          className="btn btn-small"
          data-testid="provider-key-save"
          disabled={!saved || !key}
          onClick={async () => {
            if (await setKey(p.id, key)) setKeyText('');
          }}
        >
          {t('settings.saveKey')}
        </button>
        <button type="button" className="btn btn-small" data-testid="provider-key-clear" disabled={!saved?.hasKey} onClick={() => setKey(p.id, null)}>
          {t('settings.clearKey')}
        </button>
        <span className="grow" />
        <button type="button" className="btn btn-small" data-testid="test-connection" disabled={!saved || test === 'testing'} onClick={() => testConnection(p.id)}>
          {test === 'testing' ? t('settings.testing') : t('settings.test')}
        </button>
      </div>
      {!saved ? <p className="muted small">{t('settings.unsaved')}</p> : null}
      {test && test !== 'testing' ? <CheckVerdict test={test} /> : null}
      {test && test !== 'testing' ? (
        <ul className="checks" data-testid="check-results" data-ok={test.ok}>
          {test.results.map((r) => (
            <li key={r.check} className={`check check-${r.status}`} data-testid="check-result" data-check={r.check} data-status={r.status}>
              <span className="check-status">{t(r.status === 'ok' ? 'settings.checkOk' : r.status === 'failed' ? 'settings.checkFailed' : 'settings.checkSkipped')}</span>
              <span className="check-name">{r.check}</span>
              <span className="muted">{r.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** One verdict after the checks: it works with Deskpilot, or the first thing to fix. */
function CheckVerdict({ test }: { test: { ok: boolean; results: { check: string; status: string; detail: string }[] } }) {
  const failed = test.results.find((r) => r.status === 'failed');
  return (
    <p className={`check-verdict ${test.ok ? 'check-ok' : 'check-failed'}`} data-testid="check-verdict" data-ok={test.ok}>
      {test.ok || !failed ? t('settings.verdictOk') : t('settings.verdictFix', { check: failed.check, detail: failed.detail })}
    </p>
  );
}
