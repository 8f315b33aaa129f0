// The agent's question (ask_user, or how to go on after a loop) and the answer box: set apart from the
// steer box below by its heading, colour and place (first in the controls), so an answer is never sent as a steer.
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
      aria-label={t('question.waiting')}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="card-head">
        <strong className="question-waiting" data-testid="question-waiting">
          ? {t('question.waiting')}
        </strong>
      </div>
      <p className="question-text">{question.question}</p>
      <div className="card-row">
        <input data-testid="answer-input" aria-label={t('question.label')} placeholder={t('question.placeholder')} autoFocus value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="btn btn-question" data-testid="answer-send" disabled={busy || !text.trim()}>
          {t('question.sendAnswer')}
        </button>
      </div>
      <p className="muted small">{t('question.hint')}</p>
    </form>
  );
}
