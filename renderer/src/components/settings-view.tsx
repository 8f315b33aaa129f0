// Settings: providers (from presets), approval mode, limits, screenshots, where runs happen, the
// agent's tools (terminal and files), MCP servers and the UI language. Edits stay in a draft until Save; keys and connection tests act at once.
import { useState, type ReactNode } from 'react';
import type { SettingsView as Settings } from '../../../agents/contract.ts';
import { t } from '../i18n/index.ts';
import type { AppInfo } from '../state/settings-slice.ts';
import { useApp, useAppStore } from '../state/use-app.ts';
import { AppearanceSettings } from './appearance-settings.tsx';
import { GovernanceSettings } from './governance-settings.tsx';
import { McpServersSettings } from './mcp-servers-settings.tsx';
import { ProviderRow } from './provider-row.tsx';
import { APPROVE_MODES, LANGUAGES, RUN_ON, SCREENSHOT_SIZES, providerFromPreset, toDraft, toPatch, type Draft } from './settings-draft.ts';

export function SettingsView() {
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.info);
  return (
    <section className="settings" data-testid="settings-view" aria-label={t('settings.title')}>
      <h2>{t('settings.title')}</h2>
      <AppearanceSettings />
      {settings && info ? <SettingsForm settings={settings} info={info} /> : <p className="empty">{t('app.loading')}</p>}
    </section>
  );
}

function SettingsForm({ settings, info }: { settings: Settings; info: AppInfo }) {
  const store = useAppStore();
  const save = useApp((s) => s.saveSettings);
  const savedAt = useApp((s) => s.savedAt);
  const error = useApp((s) => s.settingsError);
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [preset, setPreset] = useState(info.presets[0]?.id ?? '');
  const [saving, setSaving] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(toDraft(settings));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const onSave = async (): Promise<boolean> => {
    setSaving(true);
    const ok = await save(toPatch(draft));
    setSaving(false);
    // After a save the store holds the server's view; the draft restarts from it.
    const fresh = store.getState().settings;
    if (ok && fresh) setDraft(toDraft(fresh));
    return ok;
  };

  const addProvider = () => {
    const p = info.presets.find((x) => x.id === preset);
    if (!p) return;
    const provider = providerFromPreset(p, draft.providers.map((x) => x.id));
    setDraft((d) => ({ ...d, providers: [...d.providers, provider], activeProvider: d.activeProvider || provider.id }));
  };

  return (
    <form
      className="settings-form"
      // The server validates (and says what is wrong in its own words); the browser's checks would hide that.
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void onSave();
      }}
    >
      <fieldset>
        <legend>{t('settings.providers')}</legend>
        {draft.providers.map((p, i) => (
          <ProviderRow
            key={p.id}
            provider={p}
            saved={settings.providers.find((s) => s.id === p.id)}
            preset={info.presets.find((x) => x.id === p.preset)}
            active={draft.activeProvider === p.id}
            onChange={(next) => setDraft((d) => ({ ...d, providers: d.providers.map((x, j) => (j === i ? next : x)) }))}
            onActivate={() => set('activeProvider', p.id)}
            onRemove={() => setDraft((d) => ({ ...d, providers: d.providers.filter((_, j) => j !== i), activeProvider: d.activeProvider === p.id ? (d.providers.find((_, j) => j !== i)?.id ?? '') : d.activeProvider }))}
          />
        ))}
        <div className="add-provider">
          <select data-testid="provider-preset" aria-label={t('settings.preset')} value={preset} onChange={(e) => setPreset(e.target.value)}>
            {info.presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <button type="button" className="btn" data-testid="add-provider" onClick={addProvider} disabled={!preset}>
            + {t('settings.addProvider')}
          </button>
        </div>
      </fieldset>

      <fieldset className="grid-fields">
        <legend>{t('settings.runs')}</legend>
        <Field label={t('settings.approve')}>
          <select data-testid="setting-approve" value={draft.approve} onChange={(e) => set('approve', e.target.value as Draft['approve'])}>
            {APPROVE_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`settings.approve.${m}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settings.maxSteps')}>
          <input data-testid="setting-max-steps" type="number" min={1} max={10000} value={draft.maxSteps} onChange={(e) => set('maxSteps', e.target.value)} />
        </Field>
        <Field label={t('settings.maxSeconds')}>
          <input data-testid="setting-max-seconds" type="number" min={1} value={draft.maxSeconds} onChange={(e) => set('maxSeconds', e.target.value)} />
        </Field>
        <Field label={t('settings.screenshotSize')}>
          <select data-testid="setting-screenshot-size" value={draft.screenshotSize} onChange={(e) => set('screenshotSize', e.target.value as Draft['screenshotSize'])}>
            {SCREENSHOT_SIZES.map((s) => (
              <option key={s} value={s}>
                {t(`settings.size.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settings.historyImages')}>
          <input data-testid="setting-history-images" type="number" min={1} max={10} value={draft.historyImages} onChange={(e) => set('historyImages', e.target.value)} />
        </Field>
        <Field label={t('settings.keepDays')}>
          <input data-testid="setting-keep-days" type="number" min={0} max={3650} value={draft.keepScreenshotsDays} onChange={(e) => set('keepScreenshotsDays', e.target.value)} />
        </Field>
        <Field label={t('settings.runOn')}>
          <select data-testid="setting-run-on" value={draft.runOn} onChange={(e) => set('runOn', e.target.value as Draft['runOn'])}>
            {RUN_ON.map((r) => (
              <option key={r} value={r}>
                {t(`settings.runOn.${r}`)}
              </option>
            ))}
          </select>
          {info.display !== null ? (
            <span className="muted small" data-testid="display-fixed">
              {t('settings.displayFixed', { display: info.display })}
            </span>
          ) : null}
        </Field>
        <Field label={t('settings.language')}>
          <select data-testid="setting-language" value={draft.language} onChange={(e) => set('language', e.target.value as Draft['language'])}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`settings.language.${l}`)}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>

      <fieldset className="grid-fields" data-testid="settings-tools">
        <legend>{t('settings.tools')}</legend>
        <label className="checkbox-field">
          <input data-testid="setting-tools-own-screen" type="checkbox" checked={draft.toolsOnOwnScreen} onChange={(e) => set('toolsOnOwnScreen', e.target.checked)} />
          <span>{t('settings.toolsOnOwnScreen')}</span>
        </label>
        <Field label={t('settings.maxCommandSeconds')}>
          <input data-testid="setting-max-command-seconds" type="number" min={1} max={3600} value={draft.maxCommandSeconds} onChange={(e) => set('maxCommandSeconds', e.target.value)} />
        </Field>
        <Field label={t('settings.extraFolders')}>
          <textarea data-testid="setting-extra-folders" rows={3} spellCheck={false} placeholder={t('settings.extraFoldersHint')} value={draft.extraFolders} onChange={(e) => set('extraFolders', e.target.value)} />
        </Field>
        <p className="muted small">{t('settings.toolsNote')}</p>
      </fieldset>

      <GovernanceSettings value={draft.governance} onChange={(next) => set('governance', next)} />

      <fieldset data-testid="settings-mcp-clients">
        <legend>{t('settings.mcpClients')}</legend>
        <label className="checkbox-field">
          <input data-testid="setting-mcp-own-screen" type="checkbox" checked={draft.mcpOwnScreen} onChange={(e) => set('mcpOwnScreen', e.target.checked)} />
          <span>{t('settings.mcpOwnScreen')}</span>
        </label>
        <p className="muted small">{t('settings.mcpOwnScreenNote')}</p>
      </fieldset>

      <McpServersSettings servers={draft.mcpServers} saved={settings.mcpServers ?? []} onChange={(next) => set('mcpServers', next)} onSave={onSave} />

      <div className="settings-actions">
        <button type="submit" className="btn btn-primary" data-testid="settings-save" disabled={saving}>
          {t('settings.save')}
        </button>
        {dirty ? <span className="muted">{t('settings.dirty')}</span> : null}
        {!dirty && savedAt !== null && !error ? (
          <span className="ok" data-testid="settings-saved" role="status">
            ✓ {t('settings.saved')}
          </span>
        ) : null}
        {error ? (
          <span className="field-error" data-testid="settings-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      <p className="muted small">{t('settings.about', { version: info.version, dataDir: info.dataDir })}</p>
    </form>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
    </label>
  );
}
