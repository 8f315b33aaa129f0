// The selected thread: its runs, newest first, and the composer that starts the next one.
import { useEffect } from 'react';
import { t } from '../i18n/index.ts';
import { useApp } from '../state/use-app.ts';
import { Composer } from './composer.tsx';
import { RunList } from './run-list.tsx';

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
        <h2 className="pane-title" title={title}>
          {threadId ? (title ?? '…') : t('threads.home')}
        </h2>
      </header>
      {threadId ? <RunList threadId={threadId} selectedRunId={selectedRunId} /> : <p className="empty grow">{t('threads.homeHint')}</p>}
      <Composer threadId={threadId} />
    </section>
  );
}
