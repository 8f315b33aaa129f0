// "Save as automation" on an ended run: a name and optional parameters (name=text the run typed),
// compiled on the server from the actions the run performed; then the new automation opens.
//
// data-testid: save-as-automation, save-as-form, save-as-name, save-as-params, save-as-overwrite,
// save-as-submit, save-as-error.
import { useState } from 'react';
import { t } from '../i18n/index.ts';
import { navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';
import { parseParamLines } from './automation-draft.ts';

export function SaveAsAutomation({ runId }: { runId: string }) {
  const saveFromRun = useApp((s) => s.saveRunAsAutomation);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [params, setParams] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!open) {
    return (
      <button type="button" className="btn btn-small" data-testid="save-as-automation" onClick={() => setOpen(true)}>
        {t('saveAs.button')}
      </button>
    );
  }

  const onSubmit = async () => {
    const parsed = parseParamLines(params);
    if (!parsed.ok) {
      setError(t('saveAs.badParam', { line: parsed.line }));
      return;
    }
    setBusy(true);
    setError(null);
    const result = await saveFromRun({ runId, name: name.trim(), params: parsed.params, ...(overwrite ? { overwrite } : {}) });
    setBusy(false);
    if (result.ok) navigate({ name: 'automation', automation: result.value.automation.name });
    else setError(result.message);
  };

  return (
    <form className="card save-as" data-testid="save-as-form" onSubmit={(e) => (e.preventDefault(), void onSubmit())} noValidate>
      <strong>{t('saveAs.title')}</strong>
      <label className="field">
        <span>{t('saveAs.name')}</span>
        <input data-testid="save-as-name" value={name} autoFocus placeholder={t('saveAs.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('saveAs.params')}</span>
        <textarea data-testid="save-as-params" rows={2} value={params} placeholder="invoice=INV-001" onChange={(e) => setParams(e.target.value)} spellCheck={false} />
      </label>
      <label className="checkbox-field">
        <input type="checkbox" data-testid="save-as-overwrite" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
        {t('saveAs.overwrite')}
      </label>
      <div className="card-row">
        <button type="submit" className="btn btn-primary btn-small" data-testid="save-as-submit" disabled={busy || !name.trim()}>
          {busy ? t('saveAs.saving') : t('saveAs.save')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => (setOpen(false), setError(null))}>
          {t('automation.cancel')}
        </button>
      </div>
      {error ? <p className="field-error" data-testid="save-as-error" role="alert">{error}</p> : null}
    </form>
  );
}
