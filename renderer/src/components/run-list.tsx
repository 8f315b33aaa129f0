// A thread's runs, newest first, each with its status badge; a filter shows only those of one status.
import { memo, useState } from 'react';
import type { Run } from '../../../agents/contract.ts';
import { clock } from '../format.ts';
import { t } from '../i18n/index.ts';
import { href, navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';
import { StatusBadge } from './status-badge.tsx';

const NO_RUNS: Run[] = [];

/** The filter's choices, each the statuses it shows (aborted and interrupted runs count as failed ones). */
const FILTERS = {
  all: undefined,
  running: ['queued', 'running', 'paused'],
  waiting: ['waiting'],
  failed: ['failed', 'aborted', 'interrupted'],
  done: ['done'],
} as const satisfies Record<string, readonly Run['status'][] | undefined>;
type Filter = keyof typeof FILTERS;

export function RunList({ threadId, selectedRunId }: { threadId: string; selectedRunId: string | undefined }) {
  const runs = useApp((s) => s.runsByThread[threadId]);
  // The newest status of each run (the board and live events keep s.runs current).
  const statuses = useApp((s) => s.runs);
  const [filter, setFilter] = useState<Filter>('all');
  const shows: readonly Run['status'][] | undefined = FILTERS[filter];
  const shown = (runs ?? NO_RUNS).filter((r) => !shows || shows.includes(statuses[r.id]?.status ?? r.status));
  return (
    <>
      {runs && runs.length > 0 ? (
        <label className="run-filter">
          <span className="muted small">{t('filter.label')}</span>
          <select data-testid="run-filter" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            {(Object.keys(FILTERS) as Filter[]).map((f) => (
              <option key={f} value={f}>
                {t(`filter.${f}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <ul className="run-list grow" data-testid="run-list">
        {shown.map((run) => <RunItem key={run.id} run={statuses[run.id] ?? run} selected={run.id === selectedRunId} />)}
        {runs && runs.length === 0 ? <li className="empty">{t('runs.empty')}</li> : null}
        {runs && runs.length > 0 && shown.length === 0 ? <li className="empty" data-testid="run-filter-empty">{t('filter.none', { status: t(`filter.${filter}`) })}</li> : null}
        {!runs ? <li className="empty">{t('app.loading')}</li> : null}
      </ul>
    </>
  );
}

const RunItem = memo(function RunItem({ run, selected }: { run: Run; selected: boolean }) {
  return (
    <li
      className={`run-item${selected ? ' selected' : ''}`}
      data-testid="run-item"
      data-run-id={run.id}
      data-status={run.status}
      // A click on the item itself (element.click() from a script) opens the run like its link does.
      onClick={(e) => e.target === e.currentTarget && navigate({ name: 'run', threadId: run.threadId, runId: run.id })}
    >
      <a href={href({ name: 'run', threadId: run.threadId, runId: run.id })} aria-current={selected ? 'page' : undefined}>
        <span className="run-task" title={run.task}>
          {run.task}
        </span>
        <span className="run-meta">
          <StatusBadge status={run.status} />
          <span className="muted">{clock(run.createdAt)}</span>
        </span>
      </a>
    </li>
  );
});
