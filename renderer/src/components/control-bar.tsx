// Controls always in reach at the bottom of the run view: the question box first, approval cards,
// pause/resume, abort, and the steer box (labelled apart, so it is never mistaken for the answer).
import { useRef, useState } from 'react';
import { t } from '../i18n/index.ts';
import { findAction } from '../state/timeline/describe.ts';
import type { TimelineState } from '../state/timeline/types.ts';
import { useApp } from '../state/use-app.ts';
import { ApprovalCard, rejection } from './approval-card.tsx';
import { QuestionCard } from './question-card.tsx';
import { useApprovalKeys } from './use-approval-keys.ts';

interface Props {
  runId: string;
  tl: TimelineState | undefined;
  ended: boolean;
}

export function ControlBar({ runId, tl, ended }: Props) {
  const controlRun = useApp((s) => s.controlRun);
  const steerRun = useApp((s) => s.steerRun);
  const decide = useApp((s) => s.decide);
  const [message, setMessage] = useState('');
  const [sending, setSending] = useState(false);
  const rejectRef = useRef<HTMLInputElement>(null);
  const paused = tl?.paused ?? false;
  const disabled = ended || !tl;

  const approvals = (tl?.pendingApprovals ?? []).map((id) => ({ id, action: tl ? findAction(tl, id) : undefined }));
  const first = approvals[0];
  // A key held or pressed twice must not send a second decision for the same action.
  const decided = useRef<string | undefined>(undefined);
  const decideByKey = (decision: Parameters<typeof decide>[2]) => {
    if (!first || decided.current === first.id) return;
    decided.current = first.id;
    void decide(runId, first.id, decision).then((ok) => {
      if (!ok) decided.current = undefined;
    });
  };
  useApprovalKeys(first?.id, {
    approve: () => decideByKey({ decision: 'approve' }),
    reject: () => decideByKey(rejection(rejectRef.current?.value)),
    focusReason: () => rejectRef.current?.focus(),
  });

  const steer = async () => {
    const text = message.trim();
    if (!text || sending) return;
    setSending(true);
    const ok = await steerRun(runId, text);
    setSending(false);
    if (ok) setMessage('');
  };

  return (
    <footer className="control-bar" data-testid="control-bar">
      {tl?.pendingQuestion ? <QuestionCard key={tl.pendingQuestion.actionId} runId={runId} question={tl.pendingQuestion} /> : null}
      {approvals.map(({ id, action }, i) => (
        <ApprovalCard key={id} runId={runId} actionId={id} action={action} reasonRef={i === 0 ? rejectRef : undefined} />
      ))}
      <div className="control-row">
        {paused ? (
          <button type="button" className="btn" data-testid="resume" disabled={disabled} onClick={() => controlRun(runId, 'resume')}>
            ▶ {t('controls.resume')}
          </button>
        ) : (
          <button type="button" className="btn" data-testid="pause" disabled={disabled} onClick={() => controlRun(runId, 'pause')}>
            ❚❚ {t('controls.pause')}
          </button>
        )}
        <button type="button" className="btn btn-danger" data-testid="abort" disabled={disabled} onClick={() => controlRun(runId, 'abort')}>
          ■ {t('controls.abort')}
        </button>
        <form
          className="steer"
          onSubmit={(e) => {
            e.preventDefault();
            void steer();
          }}
        >
          <label className="steer-label" htmlFor={`steer-${runId}`}>
            {t('controls.steer')}
          </label>
          <input
            id={`steer-${runId}`}
            data-testid="steer-input"
            aria-label={t('controls.steerLabel')}
            placeholder={tl?.pendingQuestion ? t('controls.steerWhileAsked') : t('controls.steerPlaceholder')}
            value={message}
            disabled={disabled}
            onChange={(e) => setMessage(e.target.value)}
          />
          <button type="submit" className="btn" data-testid="steer-send" disabled={disabled || !message.trim() || sending}>
            {t('controls.send')}
          </button>
        </form>
      </div>
    </footer>
  );
}
