// "Describe a task…": starts a run in the selected thread, or in a new thread when none is selected.
// Each thread keeps its own draft; a start never blocks the next one nor wipes text typed meanwhile.
import { useEffect, useState } from 'react';
import { t } from '../i18n/index.ts';
import { navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';
import { planStarts, type StartChoice } from './start-many.ts';
import { StartOptions } from './start-options.tsx';

/** Drafts by thread ('' = a new thread), kept while the page is open. */
const drafts = new Map<string, string>();

export function Composer({ threadId }: { threadId: string | undefined }) {
  const startRun = useApp((s) => s.startRun);
  const key = threadId ?? '';
  const [task, setTaskState] = useState(drafts.get(key) ?? '');
  const [choice, setChoice] = useState<StartChoice>({ copies: 1, perLine: false, runOn: undefined });
  const [pending, setPending] = useState(0);
  const setTask = (text: string) => {
    drafts.set(key, text);
    setTaskState(text);
  };
  // Another thread's composer: its own draft.
  useEffect(() => setTaskState(drafts.get(key) ?? ''), [key]);

  const start = async () => {
    const text = task.trim();
    if (!text) return;
    const plan = planStarts(text, choice);
    const from = window.location.hash;
    // Cleared at once: text typed while the run starts is the next task, not wiped afterwards.
    setTask('');
    setPending((n) => n + 1);
    const runs = await Promise.all(plan.map((p) => startRun(p.task, p.newThread ? undefined : threadId, p.runOn)));
    setPending((n) => n - 1);
    const started = runs.filter((r) => r !== undefined);
    // Nothing started: the task comes back (unless something new was typed), never lost silently.
    if (started.length === 0 && !drafts.get(key)) setTask(text);
    if (started.length === 0) return;
    // Leave the text field, so the approval keys (Enter, A, R, Esc) answer the new run at once.
    (document.activeElement as HTMLElement | null)?.blur();
    if (plan.length > 1) navigate({ name: 'active' });
    // Only if the operator is still where they started it and has not begun the next task.
    else if (window.location.hash === from && !drafts.get(key)) navigate({ name: 'run', threadId: started[0]!.threadId, runId: started[0]!.id });
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <textarea
        data-testid="task-input"
        aria-label={t('composer.label')}
        placeholder={t('composer.placeholder')}
        id="task-input"
        rows={3}
        value={task}
        onChange={(e) => setTask(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void start();
          }
        }}
      />
      <StartOptions choice={choice} onChange={setChoice} />
      <div className="composer-row">
        <span className="muted small">{threadId ? t('composer.continues') : t('composer.hint')}</span>
        <button type="submit" className="btn btn-primary" data-testid="start-run" data-pending={pending} disabled={!task.trim()}>
          {t('composer.start')}
        </button>
      </div>
    </form>
  );
}
