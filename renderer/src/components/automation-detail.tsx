// One automation (#/automations/NAME): run now with parameter values, its schedule, the step
// editor (automation-editor.tsx), "Run for each row…" (rows-run.tsx) and its replays. An agent task
// (a prompt automation) shows its task and settings instead of steps.
//
// data-testid: automation-detail (data-name, data-version), automation-version, automation-delete,
// run-now-param (data-name), run-now-target, run-now, run-now-error, schedule-current,
// schedule-cron, schedule-run-missed, schedule-target, schedule-save, schedule-remove,
// schedule-error, history-item (data-run-id, data-status), prompt-settings, prompt-task, prompt-tools,
// prompt-skills, prompt-where, prompt-limit, prompt-budget.
import { useEffect, useState } from 'react';
import type { Automation, ReplayTarget, Run } from '../../../agents/contract.ts';
import { clock } from '../format.ts';
import { t } from '../i18n/index.ts';
import { href, navigate } from '../navigate.ts';
import type { AutomationDetail as Detail } from '../state/automations-slice.ts';
import { useApp } from '../state/use-app.ts';
import { AutomationEditor } from './automation-editor.tsx';
import { SaveAsSkill } from './save-as-skill.tsx';
import { initialValues } from './automation-draft.ts';
import { RowsRun } from './rows-run.tsx';
import { StatusBadge } from './status-badge.tsx';

const NO_RUNS: Run[] = [];

export function AutomationDetailView({ name }: { name: string }) {
  const detail = useApp((s) => s.automationDetails[name]);
  const missing = useApp((s) => s.missingAutomations[name] === true);
  const load = useApp((s) => s.loadAutomation);
  const loadHistory = useApp((s) => s.loadAutomationHistory);
  const remove = useApp((s) => s.deleteAutomation);
  const [confirming, setConfirming] = useState(false);
  // "saved vN" outlives the editor, which starts again from each new version.
  const [savedVersion, setSavedVersion] = useState<number | null>(null);

  useEffect(() => {
    void load(name);
    void loadHistory(name);
  }, [name, load, loadHistory]);

  if (missing) {
    return (
      <section className="page" data-testid="automation-detail" data-name={name} data-missing="true">
        <p className="empty">{t('automation.notFound', { name })}</p>
        <a href={href({ name: 'automations' })}>{t('automation.back')}</a>
      </section>
    );
  }
  if (!detail) return <section className="page" data-testid="automation-detail" data-name={name} aria-busy="true"><p className="empty">{t('app.loading')}</p></section>;
  const a = detail.automation;

  const onDelete = async () => {
    if (await remove(name)) navigate({ name: 'automations' });
  };

  return (
    <section className="page" data-testid="automation-detail" data-name={name} data-version={a.version} aria-label={name}>
      <p>
        <a className="muted" href={href({ name: 'automations' })}>
          ← {t('automations.title')}
        </a>
      </p>
      <div className="page-head">
        <h2>{a.name}</h2>
        <span className="badge" data-testid="automation-version">
          v{a.version}
        </span>
        <span className="muted small">{t('automation.versions', { list: detail.versions.map((v) => `v${v.version}`).join(', ') })}</span>
        <span className="grow" />
        {a.prompt ? null : <SaveAsSkill key={a.name} from={{ automation: a.name }} />}
        {confirming ? (
          <span className="confirm">
            <button type="button" className="btn btn-small btn-danger" data-testid="automation-delete-confirm" onClick={onDelete}>
              {t('automation.deleteConfirm')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
              {t('automation.cancel')}
            </button>
          </span>
        ) : (
          <button type="button" className="btn btn-small btn-danger" data-testid="automation-delete" onClick={() => setConfirming(true)}>
            {t('automation.delete')}
          </button>
        )}
      </div>
      {a.description ? <p className="muted">{a.description}</p> : null}
      {a.source ? <p className="muted small">{t('automation.source', { task: a.source.task })}</p> : null}
      {a.prompt ? <PromptSettings automation={a} /> : null}
      <div className="panels">
        <RunNow key={`run-${a.version}`} detail={detail} />
        <ScheduleForm key={`schedule-${a.version}-${detail.schedule?.cron ?? ''}`} detail={detail} />
        {a.prompt ? null : <RowsRun key={`rows-${a.name}`} automation={a} />}
      </div>
      {a.prompt ? null : <AutomationEditor key={`${a.name}@${a.version}`} automation={a} savedVersion={savedVersion} onSaved={(saved) => setSavedVersion(saved.version)} />}
      <History name={name} />
    </section>
  );
}

function RunNow({ detail }: { detail: Detail }) {
  const run = useApp((s) => s.runAutomation);
  const runOn = useApp((s) => s.settings?.runOn ?? 'current');
  const a = detail.automation;
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(a.params));
  const [target, setTarget] = useState<ReplayTarget>(runOn);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onRun = async () => {
    setBusy(true);
    setError(null);
    const result = await run(a.name, values, target);
    setBusy(false);
    if (result.ok) navigate({ name: 'run', threadId: result.value.threadId, runId: result.value.id });
    else setError(result.message);
  };

  return (
    <form className="card panel" onSubmit={(e) => (e.preventDefault(), void onRun())} noValidate>
      <h3>{t('runNow.title')}</h3>
      {a.params.map((p) => (
        <label key={p.name} className="field">
          <span>{p.name}</span>
          <input data-testid="run-now-param" data-name={p.name} value={values[p.name] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [p.name]: e.target.value }))} />
        </label>
      ))}
      {/* An agent task runs where its settings say. */}
      {a.prompt ? null : <TargetSelect testId="run-now-target" value={target} onChange={setTarget} />}
      <div className="card-row">
        <button type="submit" className="btn btn-primary" data-testid="run-now" disabled={busy}>
          ▶ {t('runNow.run')}
        </button>
        <span className="muted small">{t(a.prompt ? 'agentTask.runHint' : 'runNow.hint')}</span>
      </div>
      {error ? <p className="field-error" data-testid="run-now-error" role="alert">{error}</p> : null}
    </form>
  );
}

/** An agent task's task and settings, as saved. */
function PromptSettings({ automation }: { automation: Automation }) {
  const p = automation.prompt!;
  const providers = useApp((s) => s.settings?.providers);
  const provider = providers?.find((c) => c.id === p.provider.id)?.label ?? p.provider.id;
  const onOff = (on: boolean) => t(on ? 'agentTask.on' : 'agentTask.off');
  return (
    <section className="card panel" data-testid="prompt-settings" aria-label={t('agentTask.settings')}>
      <h3>{t('agentTask.settings')}</h3>
      <p className="prompt-task" data-testid="prompt-task">
        {p.task}
      </p>
      <dl className="small">
        <dt>{t('agentTask.provider')}</dt>
        <dd>{provider}</dd>
        <dt>{t('agentTask.toolsShort')}</dt>
        <dd data-testid="prompt-tools">{onOff(p.tools)}</dd>
        <dt>{t('agentTask.skillsShort')}</dt>
        <dd data-testid="prompt-skills">{onOff(p.skills)}</dd>
        <dt>{t('agentTask.where')}</dt>
        <dd data-testid="prompt-where">{p.target === 'sandbox' ? t('schedule.target.sandbox') : t('agentTask.screen', { display: p.target })}</dd>
        <dt>{t('agentTask.limit')}</dt>
        <dd data-testid="prompt-limit">{p.maxSeconds ? t('agentTask.limitValue', { minutes: Math.round(p.maxSeconds / 6) / 10 }) : t('agentTask.settingsLimit')}</dd>
        <dt>{t('agentTask.budgetShort')}</dt>
        <dd data-testid="prompt-budget">{p.budgetUsd ? `$${p.budgetUsd}` : t('agentTask.noBudget')}</dd>
      </dl>
    </section>
  );
}

function ScheduleForm({ detail }: { detail: Detail }) {
  const schedule = useApp((s) => s.scheduleAutomation);
  const unschedule = useApp((s) => s.unscheduleAutomation);
  const current = detail.schedule;
  const [cron, setCron] = useState(current?.cron ?? '');
  const [runMissed, setRunMissed] = useState(current?.runMissed ?? false);
  const [target, setTarget] = useState<ReplayTarget>(current?.target ?? 'sandbox');
  const [error, setError] = useState<string | null>(null);
  const name = detail.automation.name;

  const onSave = async () => {
    setError(null);
    const result = await schedule(name, cron, runMissed, target);
    if (!result.ok) setError(result.message);
  };
  const onRemove = async () => {
    setError(null);
    const result = await unschedule(name);
    if (!result.ok) setError(result.message);
  };

  return (
    <form className="card panel" onSubmit={(e) => (e.preventDefault(), void onSave())} noValidate>
      <h3>{t('schedule.title')}</h3>
      <p className="small" data-testid="schedule-current" data-cron={current?.cron ?? ''}>
        {current ? t('schedule.current', { cron: current.cron, next: current.nextRun ? clock(current.nextRun) : '–' }) : t('schedule.none')}
      </p>
      <label className="field">
        <span>{t('schedule.cron')}</span>
        <input data-testid="schedule-cron" value={cron} placeholder="0 9 * * 1-5" onChange={(e) => setCron(e.target.value)} spellCheck={false} />
      </label>
      <label className="checkbox-field">
        <input type="checkbox" data-testid="schedule-run-missed" checked={runMissed} onChange={(e) => setRunMissed(e.target.checked)} />
        {t('schedule.runMissed')}
      </label>
      {detail.automation.prompt ? null : <TargetSelect testId="schedule-target" value={target} onChange={setTarget} />}
      <div className="card-row">
        <button type="submit" className="btn btn-primary" data-testid="schedule-save">
          {t('schedule.save')}
        </button>
        {current ? (
          <button type="button" className="btn" data-testid="schedule-remove" onClick={() => void onRemove()}>
            {t('schedule.remove')}
          </button>
        ) : null}
      </div>
      {error ? <p className="field-error" data-testid="schedule-error" role="alert">{error}</p> : null}
    </form>
  );
}

function TargetSelect({ testId, value, onChange }: { testId: string; value: ReplayTarget; onChange: (v: ReplayTarget) => void }) {
  return (
    <label className="field">
      <span>{t('runNow.target')}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value as ReplayTarget)}>
        <option value="current">{t('schedule.target.current')}</option>
        <option value="sandbox">{t('schedule.target.sandbox')}</option>
      </select>
    </label>
  );
}

function History({ name }: { name: string }) {
  const runs = useApp((s) => s.automationHistory[name]);
  return (
    <section className="history">
      <h3 className="section-title">{t('history.title')}</h3>
      <ul className="run-list">
        {(runs ?? NO_RUNS).map((run) => (
          <li key={run.id} className="run-item" data-testid="history-item" data-run-id={run.id} data-status={run.status}>
            <a href={href({ name: 'run', threadId: run.threadId, runId: run.id })}>
              <span className="run-task" title={run.task}>
                {run.task}
              </span>
              <span className="run-meta">
                <StatusBadge status={run.status} />
                <span className="muted">{clock(run.createdAt)}</span>
                {run.answer || run.error ? <span className="muted">{run.answer ?? run.error}</span> : null}
              </span>
            </a>
          </li>
        ))}
        {runs && runs.length === 0 ? <li className="empty">{t('history.empty')}</li> : null}
        {!runs ? <li className="empty">{t('app.loading')}</li> : null}
      </ul>
    </section>
  );
}
