// One step of the timeline: thumbnail with targets, the model's thought, each action with its state
// (a tool call with its command and live output), timings, tokens and cost, and errors and operator notes in place.
import { memo } from 'react';
import { clock, cost, duration, tokens } from '../format.ts';
import { t } from '../i18n/index.ts';
import { describeView } from '../state/timeline/describe.ts';
import type { ActionView, Note, Outcome, StepView } from '../state/timeline/types.ts';
import { useBlobUrl } from '../state/use-app.ts';
import { StepThumbnail } from './step-thumbnail.tsx';
import { ToolCall } from './tool-call.tsx';

export const StepRow = memo(function StepRow({ step }: { step: StepView }) {
  const actionMs = step.actions.reduce((sum, a) => sum + (a.ms ?? 0), 0);
  return (
    <article className="step-row" data-testid="step-row" data-step={step.step} data-seq={step.seq} role="listitem">
      <StepThumbnail step={step} />
      <div className="step-main">
        <header className="step-head">
          <strong>{t('step.title', { step: step.step })}</strong>
          <span className="muted">{clock(step.startedAt)}</span>
          {step.modelMs !== undefined ? <span className="chip">{t('step.model', { ms: duration(step.modelMs) })}</span> : null}
          {step.actions.some((a) => a.ms !== undefined) ? <span className="chip">{t('step.actionMs', { ms: duration(actionMs) })}</span> : null}
          {step.inputTokens + step.outputTokens > 0 ? <span className="chip">{t('step.tokens', { input: tokens(step.inputTokens), output: tokens(step.outputTokens) })}</span> : null}
          {step.costUsd !== undefined ? <span className="chip">{t('step.cost', { cost: cost(step.costUsd) })}</span> : null}
          {step.attempts > 1 ? <span className="chip chip-warn">{t('step.attempt', { attempt: step.attempts })}</span> : null}
        </header>
        {step.thought ? <p className="thought">{step.thought}</p> : null}
        {step.modelErrors.map((e) => (
          <p key={e.seq} className="step-error" data-testid="model-error">
            {t('step.modelError', { kind: e.kind, attempt: e.attempt, message: e.message })}
            {e.willRetry ? <span className="muted"> · {t('step.willRetry')}</span> : null}
          </p>
        ))}
        {step.actions.length > 0 ? (
          <ol className="actions">
            {step.actions.map((a) => (
              <ActionItem key={a.actionId} action={a} />
            ))}
          </ol>
        ) : null}
        {step.notes.length > 0 ? (
          <div className="notes-row">
            {step.notes.map((n) => (
              <NoteLine key={n.seq} note={n} />
            ))}
          </div>
        ) : null}
        {step.end ? (
          <p className={`step-end end-${step.end.status}`} data-testid="step-end">
            {endText(step.end)}
          </p>
        ) : null}
      </div>
    </article>
  );
});

function ActionItem({ action: a }: { action: ActionView }) {
  return (
    <li className={`action-item state-${a.state}`} data-testid="action-item" data-action-id={a.actionId} data-state={a.state}>
      <div className="action-line">
        <code className="action-desc">{a.tool ? a.tool.name : describeView(a)}</code>
        <span className={`state-tag state-${a.state}`}>{t(`actionState.${a.state}`)}</span>
        {a.ms !== undefined ? <span className="muted small">{duration(a.ms)}</span> : null}
      </div>
      {a.tool ? <ToolCall action={a} tool={a.tool} /> : null}
      {a.approvalReasons && a.state === 'awaiting_approval' ? <div className="action-note">{t('step.reasons', { reasons: a.approvalReasons.join('; ') })}</div> : null}
      {a.state === 'rejected' ? <div className="action-note warn">{a.rejectReason ? t('step.rejected', { reason: a.rejectReason }) : t('step.rejectedNoReason')}</div> : null}
      {a.edited ? <div className="action-note">{t('step.editedTo')}</div> : null}
      {a.loopRepeats !== undefined ? <div className="action-note warn">{t('step.loop', { repeats: a.loopRepeats })}</div> : null}
      {a.error ? <div className="action-note error">{t('step.failed', { error: a.error })}</div> : null}
      {a.skipReason ? <div className="action-note warn">{t('step.skipped', { reason: a.skipReason })}</div> : null}
      {a.question && a.action.type !== 'ask_user' ? <div className="action-note">{t('step.question', { question: a.question })}</div> : null}
      {a.answer !== undefined ? <div className="action-note">{t('step.answer', { answer: a.answer })}</div> : null}
    </li>
  );
}

function endText(o: Outcome): string {
  if (o.status === 'done') return o.answer ? t('status.finishedWith', { answer: o.answer }) : t('status.finished');
  return t(`status.${o.status}`, { reason: o.reason ?? '' });
}

export function NoteLine({ note }: { note: Note }) {
  const text =
    note.kind === 'user_message' ? t('step.userMessage', { text: note.text })
    : note.kind === 'operator_action' ? t('step.operatorAction', { text: note.text })
    : note.kind === 'mcp_server_failed' ? t('step.mcpServerFailed', { server: note.server ?? '', reason: note.text })
    : note.kind === 'skill_loaded' ? t('timeline.skillLoaded', { name: note.text })
    : note.kind === 'skills_offered' ? t('timeline.skillsOffered', { names: note.text || '-' })
    : note.kind === 'paused' ? t('step.paused')
    : t('step.resumed');
  return (
    <p className={`note note-${note.kind}`} data-testid="note">
      {text} <span className="muted small">{clock(note.at)}</span>
      {note.shot ? <OperatorShot shot={note.shot} /> : null}
    </p>
  );
}

/** The screen after the operator's actions, small, beside the last of them. */
function OperatorShot({ shot }: { shot: NonNullable<Note['shot']> }) {
  const blobUrl = useBlobUrl();
  const { width, height } = shot.image;
  return (
    <img
      className="note-shot" data-testid="operator-shot" data-ref={shot.ref} src={blobUrl(shot.ref)} alt={t('step.operatorShot')}
      loading="lazy" decoding="async" width={width} height={height} draggable={false}
    />
  );
}
