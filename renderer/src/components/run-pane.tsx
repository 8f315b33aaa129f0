// The run view: header with the status line, the live screen, the timeline, and the controls bar.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { t } from '../i18n/index.ts';
import { isEnded } from '../state/timeline/fold.ts';
import { useApp } from '../state/use-app.ts';
import { ControlBar } from './control-bar.tsx';
import { LiveScreen } from './live-screen.tsx';
import { LiveView } from './live-view.tsx';
import { RunHeader } from './run-header.tsx';
import { Timeline } from './timeline.tsx';

export function RunPane({ runId }: { threadId: string | undefined; runId: string | undefined }) {
  if (!runId) {
    return (
      <section className="run-pane run-pane-empty">
        <p className="empty">{t('runs.select')}</p>
      </section>
    );
  }
  return <RunView key={runId} runId={runId} />;
}

function RunView({ runId }: { runId: string }) {
  const openRun = useApp((s) => s.openRun);
  const { tl, run, missing } = useApp(useShallow((s) => ({ tl: s.timelines[runId], run: s.runs[runId], missing: s.missingRuns[runId] === true })));

  // undefined until the app's info has loaded; null when this app drives no screen of its own.
  const ownDisplay = useApp((s) => (s.info ? (s.info.ownDisplay ?? null) : undefined));

  useEffect(() => {
    void openRun(runId);
  }, [runId, openRun]);

  if (missing) {
    return (
      <section className="run-pane run-pane-empty" data-testid="run-view" data-run-id={runId} data-status="missing">
        <p className="empty">{t('run.notFound')}</p>
      </section>
    );
  }
  const status = tl?.status ?? run?.status ?? 'running';
  const ended = isEnded(status);
  // A display other than the one this app drives is the run's own sandbox: it can be watched live.
  const sandboxed = ownDisplay !== undefined && tl?.started !== undefined && tl.started.display !== ownDisplay;
  return (
    <section className="run-pane" data-testid="run-view" data-run-id={runId} data-status={status} aria-busy={tl === undefined}>
      <RunHeader runId={runId} run={run} tl={tl} status={status} />
      <div className="run-body">
        {sandboxed && !ended ? <LiveView runId={runId} paused={status === 'paused'} /> : <LiveScreen shot={tl?.latestShot} clickPoint={tl?.clickPoint} />}
        <Timeline steps={tl?.steps} notes={tl?.notes} live={!ended} />
      </div>
      <ControlBar runId={runId} tl={tl} ended={ended} />
    </section>
  );
}
