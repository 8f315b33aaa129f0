// "Run for each row…" on a replay automation's page: the CSV is read in the page and its text sent
// (at most 512 KB); the server replays once per row as `automations run --rows` does. Progress while
// it goes (Cancel stops it: no more rows start, the one running is aborted), then a table of rows
// (result, run, reason) and the results CSV to download.
//
// data-testid: rows-run, rows-file, rows-target, rows-start, rows-cancel, rows-error, rows-progress (data-done,
// data-total, data-state), rows-result (data-row, data-status, data-run-id), rows-download, rows-path.
import { useEffect, useState } from 'react';
import type { Automation, ReplayTarget, RowBatch } from '../../../agents/contract.ts';
import { downloadText } from '../download.ts';
import { t } from '../i18n/index.ts';
import { href } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';

const MAX_BYTES = 512 * 1024;
const POLL_MS = 1000;

export function RowsRun({ automation }: { automation: Automation }) {
  const start = useApp((s) => s.runRows);
  const poll = useApp((s) => s.rowBatch);
  const cancel = useApp((s) => s.cancelRows);
  const loadHistory = useApp((s) => s.loadAutomationHistory);
  const runOn = useApp((s) => s.settings?.runOn ?? 'sandbox');
  const [file, setFile] = useState<File | null>(null);
  const [target, setTarget] = useState<ReplayTarget>(runOn);
  const [batch, setBatch] = useState<RowBatch | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Cancelling is still going: the row running then is being aborted.
  const running = batch?.state === 'running' || batch?.state === 'cancelling';

  useEffect(() => {
    if (!batch || !running) return;
    const timer = setTimeout(async () => {
      const next = await poll(batch.id);
      if (!next.ok) return setError(next.message);
      setBatch(next.value);
      // The rows' replays ran in another process: their runs join the history once it ends.
      if (next.value.state !== 'running' && next.value.state !== 'cancelling') void loadHistory(automation.name);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [batch, running, poll, loadHistory, automation.name]);

  const onCancel = async () => {
    if (!batch) return;
    const result = await cancel(batch.id);
    if (result.ok) setBatch(result.value);
    else setError(result.message);
  };

  const onStart = async () => {
    setError(null);
    if (!file) return setError(t('rows.noFile'));
    if (file.size > MAX_BYTES) return setError(t('rows.tooBig'));
    const csv = await file.text();
    const result = await start({ name: automation.name, fileName: file.name, csv, target });
    if (result.ok) setBatch(result.value);
    else setError(result.message);
  };

  const failed = batch?.results.filter((r) => r.status === 'failed').length ?? 0;
  return (
    <form className="card panel" data-testid="rows-run" onSubmit={(e) => (e.preventDefault(), void onStart())} noValidate>
      <h3>{t('rows.title')}</h3>
      <p className="muted small">{t('rows.hint', { params: automation.params.map((p) => p.name).join(', ') || '–' })}</p>
      <label className="field">
        <span>{t('rows.file')}</span>
        <input type="file" accept=".csv,text/csv" data-testid="rows-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="field">
        <span>{t('runNow.target')}</span>
        <select data-testid="rows-target" value={target} onChange={(e) => setTarget(e.target.value as ReplayTarget)}>
          <option value="current">{t('schedule.target.current')}</option>
          <option value="sandbox">{t('schedule.target.sandbox')}</option>
        </select>
      </label>
      <div className="card-row">
        <button type="submit" className="btn btn-primary" data-testid="rows-start" disabled={running}>
          ▶ {t('rows.start')}
        </button>
        {running && batch ? (
          <button type="button" className="btn" data-testid="rows-cancel" disabled={batch.state === 'cancelling'} onClick={() => void onCancel()}>
            ■ {t('rows.cancel')}
          </button>
        ) : null}
      </div>
      {error ? <p className="field-error" data-testid="rows-error" role="alert">{error}</p> : null}
      {batch ? (
        <p className="small" data-testid="rows-progress" data-done={batch.done} data-total={batch.total} data-state={batch.state} aria-live="polite">
          {progressText(batch, failed)}
        </p>
      ) : null}
      {batch && !running && batch.results.length ? <RowResults batch={batch} /> : null}
    </form>
  );
}

function RowResults({ batch }: { batch: RowBatch }) {
  const csv = batch.resultsCsv;
  const name = batch.resultsFile?.split(/[\\/]/).pop() ?? 'results.csv';
  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th>{t('rows.row')}</th>
            <th>{t('rows.status')}</th>
            <th>{t('rows.run')}</th>
            <th>{t('rows.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {batch.results.map((r) => (
            <tr key={r.row} data-testid="rows-result" data-row={r.row} data-status={r.status} data-run-id={r.runId}>
              <td>{r.row}</td>
              <td>
                {r.status === 'cancelled' ? (
                  <span className="badge badge-inbox-cancelled">{t('rows.notRun')}</span>
                ) : (
                  <span className={`badge badge-inbox-${r.status}`}>{t(`inbox.status.${r.status}`)}</span>
                )}
              </td>
              <td>{r.runId ? <a href={href({ name: 'runLink', runId: r.runId })}>{t('inbox.openRun')}</a> : '–'}</td>
              <td className="small">{r.reason || '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="card-row">
        {csv ? (
          <button type="button" className="btn btn-small" data-testid="rows-download" onClick={() => downloadText(name, 'text/csv', csv)}>
            {t('rows.download')}
          </button>
        ) : null}
        {batch.resultsFile ? (
          <span className="muted small" data-testid="rows-path">
            {t('rows.savedAt', { path: batch.resultsFile })}
          </span>
        ) : null}
      </div>
    </>
  );
}

/** The batch's state in words: progress while it goes, then how it ended. */
function progressText(batch: RowBatch, failed: number): string {
  switch (batch.state) {
    case 'running':
      return t('rows.progress', { done: batch.done, total: batch.total });
    case 'cancelling':
      return t('rows.cancelling');
    case 'cancelled':
      return t('rows.cancelled', { done: batch.done, total: batch.total });
    case 'failed':
      return t('rows.stopped', { error: batch.error ?? '' });
    case 'done':
      return t('rows.done', { total: batch.results.length, ok: batch.results.length - failed, failed });
  }
}
