// The banner shown on every view while a demonstration is being recorded: the display, live counts
// of input events and presses, the time since it started; "Stop and review" (asks for a name, then
// opens the draft in the Automations view's step editor) and "Cancel".
//
// data-testid: recording-banner (data-active, data-display, data-events, data-presses, data-pending),
// recording-events, recording-presses, recording-elapsed, recording-lost, recording-stop,
// recording-name, recording-stop-confirm, recording-stop-back, recording-cancel, recording-error.
import { useEffect, useState } from 'react';
import { t } from '../i18n/index.ts';
import { navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';

/** "4:07" or "1:02:09". */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h ? `${h}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}` : `${Math.floor(s / 60)}:${p(s % 60)}`;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function RecordingBanner() {
  const status = useApp((s) => s.recording);
  const pending = useApp((s) => s.recordingPending);
  const load = useApp((s) => s.loadRecording);
  const stop = useApp((s) => s.stopRecording);
  const cancel = useApp((s) => s.cancelRecording);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const active = status?.active === true;
  const now = useNow(active);

  useEffect(() => {
    void load();
  }, [load]);
  // A recording that ended elsewhere (another window, the app closing) closes the name prompt.
  useEffect(() => {
    if (!active && pending === null) setNaming(false);
  }, [active, pending]);

  if (pending === 'stopping') {
    return (
      <div className="banner banner-recording" data-testid="recording-banner" data-active="false" data-pending="stopping" role="status">
        {t('recording.stopping')}
      </div>
    );
  }
  if (!status?.active) return null;

  const onStop = async () => {
    setError(null);
    const result = await stop(name.trim());
    if (!result.ok) return setError(result.message);
    setNaming(false);
    setName('');
    navigate({ name: 'automations' });
  };
  const onCancel = async () => {
    setError(null);
    const result = await cancel();
    if (!result.ok) setError(result.message);
  };

  return (
    <div
      className="banner banner-recording"
      data-testid="recording-banner"
      data-active="true"
      data-display={status.display}
      data-events={status.events}
      data-presses={status.presses}
      data-pending={pending ?? ''}
      role="status"
    >
      <div className="recording-row">
        <span className="recording-dot" aria-hidden="true" />
        <strong>{t('recording.active', { display: status.display ?? '' })}</strong>
        <span data-testid="recording-events">{t('recording.events', { count: status.events })}</span>
        <span data-testid="recording-presses">{t('recording.presses', { count: status.presses })}</span>
        <span className="muted" data-testid="recording-elapsed">
          {elapsed(now - (status.startedAt ?? now))}
        </span>
        <span className="grow" />
        {naming ? null : (
          <button type="button" className="btn btn-small btn-primary" data-testid="recording-stop" onClick={() => setNaming(true)}>
            {t('recording.stop')}
          </button>
        )}
        <button type="button" className="btn btn-small" data-testid="recording-cancel" disabled={pending !== null} onClick={() => void onCancel()}>
          {t('recording.cancel')}
        </button>
      </div>
      {status.error ? (
        <p className="small" data-testid="recording-lost">
          {t('recording.lost', { error: status.error })}
        </p>
      ) : null}
      {naming ? (
        <form className="recording-row" onSubmit={(e) => (e.preventDefault(), void onStop())} noValidate>
          <label className="field inline grow">
            <span>{t('recording.name')}</span>
            <input data-testid="recording-name" value={name} autoFocus placeholder={t('saveAs.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="btn btn-small btn-primary" data-testid="recording-stop-confirm" disabled={pending !== null || !name.trim()}>
            {t('recording.stopConfirm')}
          </button>
          <button type="button" className="btn btn-small" data-testid="recording-stop-back" onClick={() => (setNaming(false), setError(null))}>
            {t('recording.keepRecording')}
          </button>
        </form>
      ) : null}
      {error ? <p className="field-error" data-testid="recording-error" role="alert">{error}</p> : null}
    </div>
  );
}
