// The selected thread: its title (click to rename), what its runs came to, its runs newest first
// (filtered by status), and the composer that starts the next one.
import { useEffect, useState } from 'react';
import { cost, tokens } from '../format.ts';
import { t } from '../i18n/index.ts';
import { TITLE_MAX } from '../state/threads-slice.ts';
import { useApp } from '../state/use-app.ts';
import { Composer } from './composer.tsx';
import { RunList } from './run-list.tsx';

/** While a run of the thread is live its totals grow with each step: ask again this often. */
const LIVE_TOTALS_MS = 5000;

export function ThreadPane({ threadId, selectedRunId }: { threadId: string | undefined; selectedRunId: string | undefined }) {
  const title = useApp((s) => (threadId ? s.threads?.find((th) => th.id === threadId)?.title : undefined));
  const loaded = useApp((s) => (threadId ? threadId in s.runsByThread : true));
  const loadRuns = useApp((s) => s.loadRuns);

  useEffect(() => {
    if (threadId && !loaded) void loadRuns(threadId);
  }, [threadId, loaded, loadRuns]);

  return (
    <section className="thread-pane" aria-label={title ?? t('threads.home')}>
      <header className="pane-head">
        {threadId ? <ThreadTitle key={threadId} threadId={threadId} title={title} /> : <h2 className="pane-title">{t('threads.home')}</h2>}
        {threadId ? <ThreadTotalsLine threadId={threadId} /> : null}
      </header>
      {threadId ? <RunList key={threadId} threadId={threadId} selectedRunId={selectedRunId} /> : <p className="empty grow">{t('threads.homeHint')}</p>}
      <Composer threadId={threadId} />
    </section>
  );
}

/** The title as a heading; a click (or Enter on it) edits it in place, Enter saves, Escape cancels. */
function ThreadTitle({ threadId, title }: { threadId: string; title: string | undefined }) {
  const rename = useApp((s) => s.renameThread);
  const [editing, setEditing] = useState<string | null>(null);

  const save = async () => {
    if (editing === null) return;
    const next = editing.trim();
    setEditing(null);
    if (next && next !== title) await rename(threadId, next);
  };

  if (editing !== null) {
    return (
      <input
        className="pane-title-input"
        data-testid="thread-title-input"
        aria-label={t('threads.renameLabel')}
        maxLength={TITLE_MAX}
        autoFocus
        value={editing}
        onChange={(e) => setEditing(e.target.value)}
        onBlur={() => void save()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void save();
          if (e.key === 'Escape') setEditing(null);
        }}
      />
    );
  }
  return (
    <h2 className="pane-title">
      <button type="button" className="title-button" data-testid="thread-title-edit" title={t('threads.editTitle')} disabled={title === undefined} onClick={() => setEditing(title ?? '')}>
        {title ?? '…'}
      </button>
    </h2>
  );
}

function ThreadTotalsLine({ threadId }: { threadId: string }) {
  const totals = useApp((s) => s.threadTotals[threadId]);
  const load = useApp((s) => s.loadThreadTotals);
  // Any change to the thread's runs (a new one, a status, an end) brings the totals up to date.
  const runsKey = useApp((s) => (s.runsByThread[threadId] ?? []).map((r) => `${r.id}:${s.runs[r.id]?.status ?? r.status}`).join());
  const live = /:(running|waiting|paused|queued)/.test(runsKey);

  useEffect(() => {
    void load(threadId);
    if (!live) return;
    const timer = setInterval(() => void load(threadId), LIVE_TOTALS_MS);
    return () => clearInterval(timer);
  }, [threadId, runsKey, live, load]);

  if (!totals) return null;
  return (
    <p className="muted small thread-totals" data-testid="thread-totals" aria-label={t('threadTotals.label')} data-steps={totals.steps} data-tokens={totals.tokens}>
      {t('threadTotals.line', { runs: t('threadTotals.runs', { count: totals.runs }), steps: t('runs.steps', { count: totals.steps }), tokens: tokens(totals.tokens) })}
      {totals.costUsd !== null ? ` · $${cost(totals.costUsd)}` : ''}
    </p>
  );
}
