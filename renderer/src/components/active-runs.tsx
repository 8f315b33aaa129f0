// The Active runs board: a tile per active or queued run (its screen, task, status, step, time,
// tokens and cost, what waits for the operator) with its own Pause / Abort, and Pause all / Abort all.
import { memo, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Run } from '../../../agents/contract.ts';
import { cost, duration, tokens } from '../format.ts';
import { t } from '../i18n/index.ts';
import { href } from '../navigate.ts';
import { Composer } from './composer.tsx';
import { useApp } from '../state/use-app.ts';
import { LiveScreen } from './live-screen.tsx';
import { StatusBadge } from './status-badge.tsx';

const ACTIVE = new Set<Run['status']>(['queued', 'running', 'paused', 'waiting']);

/** Active and queued runs, oldest first (the order they were started in). */
export function useActiveRuns(): Run[] {
  return useApp(useShallow((s) => Object.values(s.runs).filter((r) => ACTIVE.has(r.status)).sort((a, b) => a.createdAt - b.createdAt)));
}

/** A clock that ticks every second while mounted, for elapsed times. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function ActiveRuns() {
  const runs = useActiveRuns();
  const loadRecentRuns = useApp((s) => s.loadRecentRuns);
  const controlAll = useApp((s) => s.controlAll);
  const now = useNow();
  useEffect(() => {
    void loadRecentRuns();
  }, [loadRecentRuns]);
  const live = runs.filter((r) => r.status !== 'queued').length;
  return (
    <section className="active-runs" data-testid="active-runs" aria-label={t('board.title')}>
      <header className="board-head">
        <h2>{t('board.title')}</h2>
        <span className="muted" data-testid="board-counts">
          {t('board.counts', { running: live, queued: runs.length - live })}
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" data-testid="pause-all" disabled={live === 0} onClick={() => void controlAll('pause')}>
          {t('board.pauseAll')}
        </button>
        <button type="button" className="btn btn-small btn-danger" data-testid="abort-all" disabled={runs.length === 0} onClick={() => void controlAll('abort')}>
          {t('board.abortAll')}
        </button>
      </header>
      {/* A new task from here goes to a new thread (or several, with "start many"). */}
      <Composer threadId={undefined} />
      {runs.length === 0 ? <p className="empty">{t('board.empty')}</p> : null}
      <div className="board-grid">
        {runs.map((run) => (
          <RunTile key={run.id} run={run} now={now} />
        ))}
      </div>
    </section>
  );
}

const RunTile = memo(function RunTile({ run, now }: { run: Run; now: number }) {
  const tl = useApp((s) => s.timelines[run.id]);
  const openRun = useApp((s) => s.openRun);
  const controlRun = useApp((s) => s.controlRun);
  // Live runs are followed (their log folded and kept current); a queued one has no log yet worth it.
  useEffect(() => {
    if (run.status !== 'queued') void openRun(run.id);
  }, [run.id, run.status, openRun]);
  const status = run.status === 'queued' ? 'queued' : (tl?.status ?? run.status);
  const totals = tl?.totals;
  const waitingFor = tl?.pendingQuestion ? t('board.question', { text: tl.pendingQuestion.question }) : tl?.pendingApprovals.length ? t('board.approval') : undefined;
  return (
    <article className={`run-tile${waitingFor ? ' run-tile-waiting' : ''}`} data-testid="run-tile" data-run-id={run.id} data-status={status}>
      <a className="tile-screen" href={href({ name: 'run', threadId: run.threadId, runId: run.id })} aria-label={t('board.open')}>
        {run.status === 'queued' ? <p className="empty">{t('board.queuedScreen')}</p> : <LiveScreen shot={tl?.latestShot} clickPoint={tl?.clickPoint} />}
      </a>
      <div className="tile-body">
        <div className="tile-line">
          <StatusBadge status={status} testId="tile-status" />
          <a className="tile-task" href={href({ name: 'run', threadId: run.threadId, runId: run.id })} title={run.task}>
            {run.task}
          </a>
        </div>
        {waitingFor ? (
          <a className="tile-waiting" data-testid="tile-waiting" href={href({ name: 'run', threadId: run.threadId, runId: run.id })}>
            {waitingFor}
          </a>
        ) : null}
        <div className="tile-facts muted small">
          <span data-testid="tile-step">{t('board.step', { step: totals?.steps ?? 0 })}</span>
          <span>{duration(now - run.createdAt)}</span>
          <span>{t('board.tokens', { tokens: tokens((totals?.inputTokens ?? 0) + (totals?.outputTokens ?? 0)) })}</span>
          {totals?.costUsd !== undefined ? <span>${cost(totals.costUsd)}</span> : null}
        </div>
        <div className="tile-actions">
          {status === 'paused' ? (
            <button type="button" className="btn btn-small" data-testid="tile-resume" onClick={() => void controlRun(run.id, 'resume')}>
              {t('board.resume')}
            </button>
          ) : (
            <button type="button" className="btn btn-small" data-testid="tile-pause" disabled={status === 'queued'} onClick={() => void controlRun(run.id, 'pause')}>
              {t('board.pause')}
            </button>
          )}
          <button type="button" className="btn btn-small btn-danger" data-testid="tile-abort" onClick={() => void controlRun(run.id, 'abort')}>
            {t('board.abort')}
          </button>
        </div>
      </div>
    </article>
  );
});
