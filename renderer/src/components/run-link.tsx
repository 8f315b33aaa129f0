// #/runs/:runId (from the inbox): finds the run's thread, then shows the run in its thread.
import { useEffect } from 'react';
import { t } from '../i18n/index.ts';
import { formatRoute } from '../state/route.ts';
import { useApp } from '../state/use-app.ts';

export function RunLink({ runId }: { runId: string }) {
  const run = useApp((s) => s.runs[runId]);
  const missing = useApp((s) => s.missingRuns[runId] === true);
  const openRun = useApp((s) => s.openRun);

  useEffect(() => {
    void openRun(runId);
  }, [runId, openRun]);
  useEffect(() => {
    // Replace, so Back goes to where the link was, not to this hop.
    if (run) window.location.replace(formatRoute({ name: 'run', threadId: run.threadId, runId }));
  }, [run, runId]);

  return <p className="empty">{missing ? t('run.notFound') : t('app.loading')}</p>;
}
