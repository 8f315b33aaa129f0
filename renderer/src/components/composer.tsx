// "Describe a task…": starts a run in the selected thread, or in a new thread when none is selected.
import { useState } from 'react';
import { t } from '../i18n/index.ts';
import { navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';

export function Composer({ threadId }: { threadId: string | undefined }) {
  const startRun = useApp((s) => s.startRun);
  const [task, setTask] = useState('');
  const [starting, setStarting] = useState(false);

  const start = async () => {
    const text = task.trim();
    if (!text || starting) return;
    setStarting(true);
    const run = await startRun(text, threadId);
    setStarting(false);
    if (!run) return;
    setTask('');
    // Leave the text field, so the approval keys (Enter, A, R, Esc) answer the new run at once.
    (document.activeElement as HTMLElement | null)?.blur();
    navigate({ name: 'run', threadId: run.threadId, runId: run.id });
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
      <div className="composer-row">
        <span className="muted small">{threadId ? t('composer.continues') : t('composer.hint')}</span>
        <button type="submit" className="btn btn-primary" data-testid="start-run" disabled={!task.trim() || starting}>
          {t('composer.start')}
        </button>
      </div>
    </form>
  );
}
