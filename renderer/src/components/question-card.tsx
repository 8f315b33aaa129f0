// The agent's question (ask_user, or how to go on after a loop) and the answer box.
import { useState } from 'react';
import { t } from '../i18n/index.ts';
import { useApp } from '../state/use-app.ts';

export function QuestionCard({ runId, question }: { runId: string; question: { actionId: string; question: string } }) {
  const answer = useApp((s) => s.answer);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  const send = async () => {
    if (busy) return;
    setBusy(true);
    if (!(await answer(runId, question.actionId, text.trim()))) setBusy(false);
  };

  return (
    <form
      className="card question-card"
      data-testid="question-card"
      data-action-id={question.actionId}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="card-head">
        <strong>{t('question.title')}</strong>
      </div>
      <p className="question-text">{question.question}</p>
      <div className="card-row">
        <input data-testid="answer-input" aria-label={t('question.label')} placeholder={t('question.placeholder')} autoFocus value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="btn btn-primary" data-testid="answer-send" disabled={busy || !text.trim()}>
          {t('question.send')}
        </button>
      </div>
    </form>
  );
}
