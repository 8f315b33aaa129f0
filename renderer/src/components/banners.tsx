// The connection banner (while the event socket reconnects) and failed commands' messages.
import { t } from '../i18n/index.ts';
import { useApp } from '../state/use-app.ts';

export function ConnectionBanner() {
  const connection = useApp((s) => s.connection);
  const everOpened = useApp((s) => s.everOpened);
  // The first connect is usually instant: only a drop (or a failed first try) is worth a banner.
  if (connection.state === 'open' || (!everOpened && connection.state === 'connecting')) return null;
  return (
    <div className="banner banner-connection" data-testid="connection-banner" role="status" data-state={connection.state}>
      {everOpened ? t('connection.reconnecting') : t('connection.connecting')}
    </div>
  );
}

export function ErrorBanner() {
  const errors = useApp((s) => s.errors);
  const dismiss = useApp((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <div className="banner banner-error" data-testid="error-banner" role="alert">
      {errors.map((e) => (
        <div key={e.id} className="error-line" data-code={e.code}>
          <span className="error-message">{e.message}</span>
          <button type="button" className="link" onClick={() => dismiss(e.id)} aria-label={t('error.dismiss')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
