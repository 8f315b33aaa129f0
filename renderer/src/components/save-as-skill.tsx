// "Save as skill" on an automation or an ended run: an optional name and description, then the
// engine writes the skill into your skills folder (its script replays the automation or repeats
// the run's shell commands) and its page opens.
//
// data-testid: save-as-skill, save-skill-form, save-skill-name, save-skill-description, save-skill-submit, save-skill-error.
import { useState } from 'react';
import { t } from '../i18n/index.ts';
import { navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';

export function SaveAsSkill({ from }: { from: { automation: string } | { runId: string } }) {
  const call = useApp((s) => s.skillCommand);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!open) {
    return (
      <button type="button" className="btn btn-small" data-testid="save-as-skill" onClick={() => setOpen(true)}>
        {t('saveSkill.button')}
      </button>
    );
  }
  const onSubmit = async () => {
    setBusy(true);
    setError(null);
    const extra = { ...(name.trim() ? { name: name.trim() } : {}), ...(description.trim() ? { description: description.trim() } : {}) };
    const r = 'automation' in from ? await call('skills.fromAutomation', { automation: from.automation, ...extra }) : await call('skills.fromRun', { runId: from.runId, ...extra });
    setBusy(false);
    if (r.ok) navigate({ name: 'skill', skill: r.value.skill.name });
    else setError(r.message);
  };
  return (
    <form className="card save-as" data-testid="save-skill-form" onSubmit={(e) => (e.preventDefault(), void onSubmit())} noValidate>
      <strong>{t('saveSkill.title')}</strong>
      <label className="field">
        <span>{t('saveSkill.name')}</span>
        <input data-testid="save-skill-name" value={name} placeholder={t('saveSkill.namePlaceholder')} onChange={(e) => setName(e.target.value)} spellCheck={false} />
      </label>
      <label className="field">
        <span>{t('saveSkill.description')}</span>
        <input data-testid="save-skill-description" value={description} placeholder={t('saveSkill.descriptionPlaceholder')} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <div className="card-row">
        <button type="submit" className="btn btn-primary btn-small" data-testid="save-skill-submit" disabled={busy}>{busy ? t('saveSkill.saving') : t('saveSkill.save')}</button>
        <button type="button" className="btn btn-small" onClick={() => setOpen(false)}>{t('saveSkill.cancel')}</button>
      </div>
      {error ? <p className="field-error" role="alert" data-testid="save-skill-error">{error}</p> : null}
    </form>
  );
}
