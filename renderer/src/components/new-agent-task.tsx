// "New agent task" on the Automations view: a prompt automation made from the page. Its provider is
// the one chosen in Settings (the server fills it in; the page never sends a key or an address).
//
// data-testid: agent-task-new, agent-task-form, agent-task-name, agent-task-task, agent-task-tools,
// agent-task-skills, agent-task-target, agent-task-minutes, agent-task-budget, agent-task-create,
// agent-task-error.
import { useState } from 'react';
import type { ReplayTarget } from '../../../agents/contract.ts';
import { t } from '../i18n/index.ts';
import { navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';

export function NewAgentTaskButton({ open, onOpen }: { open: boolean; onOpen: () => void }) {
  return (
    <button type="button" className="btn" data-testid="agent-task-new" disabled={open} onClick={onOpen}>
      ＋ {t('agentTask.new')}
    </button>
  );
}

export function NewAgentTaskForm({ onClose }: { onClose: () => void }) {
  const create = useApp((s) => s.createAgentTask);
  const settings = useApp((s) => s.settings);
  const [name, setName] = useState('');
  const [task, setTask] = useState('');
  const [tools, setTools] = useState(true);
  const [skills, setSkills] = useState(false);
  const [target, setTarget] = useState<ReplayTarget>('sandbox');
  const [minutes, setMinutes] = useState('10');
  const [budget, setBudget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const provider = settings?.providers.find((p) => p.id === settings.activeProvider);

  const onCreate = async () => {
    setError(null);
    const m = minutes.trim() === '' ? undefined : Number(minutes);
    if (m !== undefined && !(Number.isInteger(m) && m > 0)) return setError(t('agentTask.badMinutes'));
    const b = budget.trim() === '' ? undefined : Number(budget);
    if (b !== undefined && !(Number.isFinite(b) && b > 0)) return setError(t('agentTask.badBudget'));
    setBusy(true);
    const result = await create({ name: name.trim(), task, tools, skills, target, ...(m ? { maxSeconds: m * 60 } : {}), ...(b ? { budgetUsd: b } : {}) });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    onClose();
    navigate({ name: 'automation', automation: result.value.name });
  };

  return (
    <form className="card panel" data-testid="agent-task-form" aria-label={t('agentTask.new')} onSubmit={(e) => (e.preventDefault(), void onCreate())} noValidate>
      <h3>{t('agentTask.new')}</h3>
      <p className="muted small">{t('agentTask.hint')}</p>
      <label className="field">
        <span>{t('agentTask.name')}</span>
        <input data-testid="agent-task-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="daily report" />
      </label>
      <label className="field">
        <span>{t('agentTask.task')}</span>
        <textarea data-testid="agent-task-task" rows={4} value={task} onChange={(e) => setTask(e.target.value)} />
      </label>
      <label className="checkbox-field">
        <input type="checkbox" data-testid="agent-task-tools" checked={tools} onChange={(e) => setTools(e.target.checked)} />
        {t('agentTask.tools')}
      </label>
      <label className="checkbox-field">
        <input type="checkbox" data-testid="agent-task-skills" checked={skills} onChange={(e) => setSkills(e.target.checked)} />
        {t('agentTask.skills')}
      </label>
      <label className="field">
        <span>{t('agentTask.where')}</span>
        <select data-testid="agent-task-target" value={target} onChange={(e) => setTarget(e.target.value as ReplayTarget)}>
          <option value="sandbox">{t('schedule.target.sandbox')}</option>
          <option value="current">{t('schedule.target.current')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('agentTask.minutes')}</span>
        <input data-testid="agent-task-minutes" inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('agentTask.budget')}</span>
        <input data-testid="agent-task-budget" inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} />
      </label>
      {provider ? <p className="muted small">{t('agentTask.provider')}: {provider.label}</p> : null}
      <div className="card-row">
        <button type="submit" className="btn btn-primary" data-testid="agent-task-create" disabled={busy}>
          {t('agentTask.create')}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          {t('agentTask.cancel')}
        </button>
      </div>
      {error ? <p className="field-error" data-testid="agent-task-error" role="alert">{error}</p> : null}
    </form>
  );
}
