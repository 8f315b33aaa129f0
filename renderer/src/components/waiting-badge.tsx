// Visible from every view: how many runs wait for the operator (an approval or a question), with a
// list to jump to them, the count in the page title (and a notification where allowed), and a link to the Active runs board.
import { useEffect } from 'react';
import { t } from '../i18n/index.ts';
import { href } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';
import { useActiveRuns } from './active-runs.tsx';
import { useWaitingNotifications } from './use-waiting-notifications.ts';

const TITLE = document.title || 'Deskpilot';

export function WaitingBadge({ boardOpen }: { boardOpen: boolean }) {
  const runs = useActiveRuns();
  const loadRecentRuns = useApp((s) => s.loadRecentRuns);
  const waiting = runs.filter((r) => r.status === 'waiting');
  useWaitingNotifications(waiting);
  useEffect(() => {
    void loadRecentRuns();
  }, [loadRecentRuns]);
  useEffect(() => {
    document.title = waiting.length ? `(${waiting.length}) ${t('waiting.title', { count: waiting.length })} · ${TITLE}` : TITLE;
  }, [waiting.length]);
  return (
    <div className="waiting-area">
      <a className={`nav-link${boardOpen ? ' active' : ''}`} data-testid="active-runs-link" href={href({ name: 'active' })}>
        ▦ {t('board.title')} {runs.length ? <span className="count" data-testid="active-count">{runs.length}</span> : null}
      </a>
      {waiting.length ? (
        <details className="waiting-badge" data-testid="waiting-badge" data-count={waiting.length}>
          <summary>{t('waiting.title', { count: waiting.length })}</summary>
          <ul>
            {waiting.map((r) => (
              <li key={r.id}>
                <a href={href({ name: 'run', threadId: r.threadId, runId: r.id })} data-testid="waiting-item">
                  {r.task}
                </a>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
