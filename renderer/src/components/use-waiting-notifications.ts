// A desktop notification when a run starts waiting for the operator (an approval or a question) while
// this page is hidden: only when turned on in the settings and allowed by the browser. The page title
// says it too (waiting-badge.tsx), notifications or not.
import { useEffect, useRef } from 'react';
import type { Run } from '../../../agents/contract.ts';
import { t } from '../i18n/index.ts';
import { href } from '../navigate.ts';
import { notificationsAllowed, notificationsWanted } from '../preferences.ts';
import { useAppStore } from '../state/use-app.ts';

export function useWaitingNotifications(waiting: Run[]): void {
  const store = useAppStore();
  const seen = useRef(new Set<string>());
  useEffect(() => {
    const now = new Set(waiting.map((r) => r.id));
    const fresh = waiting.filter((r) => !seen.current.has(r.id));
    // A run that stops waiting and waits again later is new again.
    seen.current = now;
    if (fresh.length === 0 || !document.hidden || !notificationsWanted() || !notificationsAllowed()) return;
    for (const run of fresh) {
      const tl = store.getState().timelines[run.id];
      const title = tl?.pendingQuestion ? t('notify.question') : tl?.pendingApprovals.length ? t('notify.approval') : t('notify.waiting');
      const note = new Notification(title, { body: tl?.pendingQuestion?.question ?? run.task, tag: `deskpilot-${run.id}` });
      note.onclick = () => {
        window.focus();
        window.location.hash = href({ name: 'run', threadId: run.threadId, runId: run.id });
        note.close();
      };
    }
  }, [waiting, store]);
}
