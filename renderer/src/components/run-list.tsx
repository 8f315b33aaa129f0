// A thread's runs, newest first, each with its status badge.
import { memo } from 'react';
import type { Run } from '../../../agents/contract.ts';
import { clock } from '../format.ts';
import { t } from '../i18n/index.ts';
import { href, navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';
import { StatusBadge } from './status-badge.tsx';

const NO_RUNS: Run[] = [];

export function RunList({ threadId, selectedRunId }: { threadId: string; selectedRunId: string | undefined }) {
  const runs = useApp((s) => s.runsByThread[threadId]);
  return (
    <ul className="run-list grow" data-testid="run-list">
      {(runs ?? NO_RUNS).map((run) => <RunItem key={run.id} run={run} selected={run.id === selectedRunId} />)}
      {runs && runs.length === 0 ? <li className="empty">{t('runs.empty')}</li> : null}
      {!runs ? <li className="empty">{t('app.loading')}</li> : null}
    </ul>
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
