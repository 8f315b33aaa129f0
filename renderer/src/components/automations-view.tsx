// The Automations view: saved automations (steps, schedule, last result) and the inbox of replay
// results; #/automations/NAME opens one automation (automation-detail.tsx). "Record a demonstration"
// starts recording (recording-banner.tsx shows it); the draft it stops with opens here, in the step
// editor, as a new automation that is saved only by its Save.
//
// "New agent task" (new-agent-task.tsx) makes a prompt automation; an inbox item shows its answer.
//
// data-testid: automations-view, inbox-answer, automation-row (data-name, data-version), automation-link,
// automation-steps, automation-schedule, automation-last (data-status), inbox-item (data-status,
// data-run-id, data-automation, data-unread, data-archived), inbox-filter (data-filter), inbox-mark-read, inbox-archive, inbox-run-link, record-start, record-error, recorded-draft
// (data-name), recorded-warning, recorded-discard.
import { useEffect, useState } from 'react';
import type { AutomationSummary, InboxEntry } from '../../../agents/contract.ts';
import { clock } from '../format.ts';
import { t } from '../i18n/index.ts';
import { href, navigate } from '../navigate.ts';
import type { InboxFilter } from '../state/automations-slice.ts';
import { useApp } from '../state/use-app.ts';
import { AutomationEditor } from './automation-editor.tsx';
import { NewAgentTaskButton, NewAgentTaskForm } from './new-agent-task.tsx';

export function AutomationsView() {
  const automations = useApp((s) => s.automations);
  const inbox = useApp((s) => s.inbox);
  const filter = useApp((s) => s.inboxFilter);
  const load = useApp((s) => s.loadAutomations);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="page" data-testid="automations-view" aria-label={t('automations.title')}>
      <div className="page-head">
        <h2>{t('automations.title')}</h2>
        <span className="grow" />
        <NewAgentTaskButton open={creating} onOpen={() => setCreating(true)} />
        <RecordButton />
      </div>
      <p className="muted">{t('automations.hint')}</p>
      {creating ? <NewAgentTaskForm onClose={() => setCreating(false)} /> : null}
      <RecordedDraftEditor />
      {automations === null ? (
        <p className="empty">{t('app.loading')}</p>
      ) : automations.length === 0 ? (
        <p className="empty">{t('automations.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('automations.name')}</th>
              <th>{t('automations.steps')}</th>
              <th>{t('automations.params')}</th>
              <th>{t('automations.schedule')}</th>
              <th>{t('automations.last')}</th>
            </tr>
          </thead>
          <tbody>
            {automations.map((a) => <AutomationRow key={a.name} a={a} />)}
          </tbody>
        </table>
      )}
      <div className="page-head">
        <h3 className="section-title">{t('inbox.title')}</h3>
        <span className="grow" />
        <InboxFilters />
      </div>
      {inbox === null ? null : inbox.length === 0 ? <p className="empty">{t(filter === 'all' ? 'inbox.empty' : 'inbox.emptyFiltered')}</p> : (
        <ul className="inbox">
          {inbox.map((item) => <InboxRow key={item.id} item={item} />)}
        </ul>
      )}
    </section>
  );
}

function AutomationRow({ a }: { a: AutomationSummary }) {
  return (
    <tr data-testid="automation-row" data-name={a.name} data-version={a.version}>
      <td>
        <a className="strong-link" data-testid="automation-link" href={href({ name: 'automation', automation: a.name })}>
          {a.name}
        </a>{' '}
        <span className="muted">v{a.version}</span>
        {a.description ? <div className="muted small">{a.description}</div> : null}
      </td>
      <td data-testid="automation-steps">{a.steps || <span className="muted">{t('agentTask.kind')}</span>}</td>
      <td>{a.params.join(', ') || '–'}</td>
      <td data-testid="automation-schedule">
        {a.schedule ? (
          <>
            <code>{a.schedule.cron}</code>
            <div className="muted small">
              {t(`schedule.target.${a.schedule.target}`)}
              {a.schedule.nextRun ? ` · ${t('schedule.next', { at: clock(a.schedule.nextRun) })}` : ''}
            </div>
          </>
        ) : (
          '–'
        )}
      </td>
      <td data-testid="automation-last" data-status={a.last?.status}>
        {a.last ? <ResultLink status={a.last.status} runId={a.last.runId} at={a.last.createdAt} /> : '–'}
      </td>
    </tr>
  );
}

function ResultLink({ status, runId, at }: { status: InboxEntry['status']; runId: string | null; at: number }) {
  const label = <span className={`badge badge-inbox-${status}`}>{t(`inbox.status.${status}`)}</span>;
  return (
    <span>
      {runId ? <a href={href({ name: 'runLink', runId })}>{label}</a> : label} <span className="muted small">{clock(at)}</span>
    </span>
  );
}

const INBOX_FILTERS: InboxFilter[] = ['all', 'unread', 'attention', 'archived'];

function InboxFilters() {
  const filter = useApp((s) => s.inboxFilter);
  const choose = useApp((s) => s.setInboxFilter);
  return (
    <div className="segmented" role="group" aria-label={t('inbox.filterLabel')}>
      {INBOX_FILTERS.map((f) => (
        <button key={f} type="button" className={`btn btn-small${f === filter ? ' active' : ''}`} aria-pressed={f === filter} data-testid="inbox-filter" data-filter={f} onClick={() => void choose(f)}>
          {t(`inbox.filter.${f}`)}
        </button>
      ))}
    </div>
  );
}

function InboxRow({ item }: { item: InboxEntry }) {
  const mark = useApp((s) => s.markInboxItem);
  const unread = item.readAt === null;
  const archived = item.archivedAt !== null;
  return (
    <li className={`inbox-item${unread ? ' unread' : ''}`} data-testid="inbox-item" data-status={item.status} data-run-id={item.runId ?? ''} data-automation={item.automation} data-unread={unread} data-archived={archived}>
      {unread ? <span className="badge badge-new">{t('inbox.unread')}</span> : null}
      <span className={`badge badge-inbox-${item.status}`}>{t(`inbox.status.${item.status}`)}</span>
      <a href={href({ name: 'automation', automation: item.automation })}>{item.automation}</a>
      <span className="muted small">
        {t(`inbox.trigger.${item.trigger}`)} · {clock(item.createdAt)}
      </span>
      <span className="inbox-summary">{item.summary}</span>
      {item.answer && item.answer !== item.summary ? (
        <p className="inbox-answer small" data-testid="inbox-answer">
          {item.answer}
        </p>
      ) : null}
      {item.runId ? (
        <a className="btn btn-small" data-testid="inbox-run-link" href={href({ name: 'runLink', runId: item.runId })} onClick={() => void (unread && mark(item.id, { read: true }))}>
          {t('inbox.openRun')}
        </a>
      ) : null}
      <button type="button" className="btn btn-small" data-testid="inbox-mark-read" onClick={() => void mark(item.id, { read: unread })}>
        {t(unread ? 'inbox.markRead' : 'inbox.markUnread')}
      </button>
      <button type="button" className="btn btn-small" data-testid="inbox-archive" onClick={() => void mark(item.id, { archived: !archived })}>
        {t(archived ? 'inbox.unarchive' : 'inbox.archive')}
      </button>
    </li>
  );
}

function RecordButton() {
  const recording = useApp((s) => s.recording?.active === true);
  const pending = useApp((s) => s.recordingPending);
  const start = useApp((s) => s.startRecording);
  const [error, setError] = useState<string | null>(null);

  const onStart = async () => {
    setError(null);
    const result = await start();
    if (!result.ok) setError(result.message);
  };

  return (
    <>
      <button type="button" className="btn btn-primary" data-testid="record-start" title={t('recording.startHint')} disabled={recording || pending !== null} onClick={() => void onStart()}>
        ● {pending === 'starting' ? t('recording.starting') : t('recording.start')}
      </button>
      {error ? <p className="field-error" data-testid="record-error" role="alert">{error}</p> : null}
    </>
  );
}

/** The draft a recording stopped with: the step editor on it until it is saved (then it opens as vN) or discarded. */
function RecordedDraftEditor() {
  const recorded = useApp((s) => s.recordedDraft);
  const edit = useApp((s) => s.editRecordedDraft);
  const drop = useApp((s) => s.dropRecordedDraft);
  if (!recorded) return null;
  const name = recorded.recorded.name;

  return (
    <section className="recorded-draft" data-testid="recorded-draft" data-name={name} aria-label={t('recording.draftTitle', { name })}>
      <div className="page-head">
        <h3>{t('recording.draftTitle', { name })}</h3>
        <span className="grow" />
        <button type="button" className="btn btn-small btn-danger" data-testid="recorded-discard" onClick={drop}>
          {t('recording.discard')}
        </button>
      </div>
      <p className="muted small">{t('recording.draftHint')}</p>
      {recorded.warnings.length ? (
        <ul className="warning-list small">
          {recorded.warnings.map((w) => (
            <li key={w} data-testid="recorded-warning">
              {w}
            </li>
          ))}
        </ul>
      ) : null}
      <AutomationEditor
        key={recorded.id}
        recorded={recorded.recorded}
        edits={{ draft: recorded.draft, update: edit }}
        onSaved={(saved) => {
          drop();
          navigate({ name: 'automation', automation: saved.name });
        }}
      />
    </section>
  );
}
