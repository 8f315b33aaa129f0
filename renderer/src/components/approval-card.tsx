// An action waiting for the operator: approve, reject (with an optional reason), or edit the
// action as JSON in screen pixels before it is performed. A tool call shows its command (or input)
// whole, and "Edit" edits the call's input, which then runs as edited.
import { useState, type RefObject } from 'react';
import type { CommandInput } from '../../../agents/contract.ts';
import { t } from '../i18n/index.ts';
import { describeView } from '../state/timeline/describe.ts';
import type { ActionView } from '../state/timeline/types.ts';
import { useApp } from '../state/use-app.ts';
import { toolCallText } from './tool-call.tsx';
import { parseToolEdit, toolInputText } from './tool-edit.ts';

type EditedAction = Extract<CommandInput<'approvals.decide'>['decision'], { decision: 'edit' }>['action'];

interface Props {
  runId: string;
  actionId: string;
  action: ActionView | undefined;
  reasonRef: RefObject<HTMLInputElement | null> | undefined;
}

export function rejection(reason: string | undefined): { decision: 'reject'; reason?: string } {
  const text = reason?.trim();
  return text ? { decision: 'reject', reason: text } : { decision: 'reject' };
}

/** The edit box's text as an action object, or the reason it is not one. */
export function parseEdit(text: string): { action: EditedAction } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: t('approval.badJson', { message: (err as Error).message }) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { type?: unknown }).type !== 'string') return { error: t('approval.notObject') };
  return { action: value as EditedAction };
}

export function ApprovalCard({ runId, actionId, action, reasonRef }: Props) {
  const decide = useApp((s) => s.decide);
  const [reason, setReason] = useState('');
  const [json, setJson] = useState<string | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (decision: CommandInput<'approvals.decide'>['decision']) => {
    if (busy) return;
    setBusy(true);
    const ok = await decide(runId, actionId, decision);
    if (!ok) setBusy(false);
  };

  const tool = action?.action.type === 'tool' ? action.action : undefined;
  const sendEdit = () => {
    if (tool) {
      const parsed = parseToolEdit(json ?? '');
      if ('error' in parsed) return setEditError(parsed.error);
      setEditError(null);
      return void send({ decision: 'edit_tool', input: parsed.input });
    }
    const parsed = parseEdit(json ?? '');
    if ('error' in parsed) return setEditError(parsed.error);
    setEditError(null);
    void send({ decision: 'edit', action: parsed.action });
  };
  const editText = () => (tool ? toolInputText(tool.input) : JSON.stringify(action?.screenAction ?? action?.action ?? {}, null, 2));

  const reasons = action?.approvalReasons ?? action?.risks ?? [];
  return (
    <div className="card approval-card" data-testid="approval-card" data-action-id={actionId} role="group" aria-label={t('approval.title')}>
      <div className="card-head">
        <strong>{tool ? t('approval.toolTitle') : t('approval.title')}</strong>
        <code className="action-desc" data-testid="approval-action">
          {tool ? tool.name : action ? describeView(action, Infinity) : actionId}
        </code>
        <span className="muted small">{t('approval.keys')}</span>
      </div>
      {tool ? (
        <pre className="approval-command" data-testid="approval-command">
          {toolCallText(tool)}
        </pre>
      ) : null}
      {reasons.length > 0 ? (
        <ul className="reasons">
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <div className="card-row">
        <button type="button" className="btn btn-primary" data-testid="approve" disabled={busy} onClick={() => send({ decision: 'approve' })}>
          {t('approval.approve')}
        </button>
        <input
          ref={reasonRef}
          data-testid="reject-reason"
          aria-label={t('approval.rejectReason')}
          placeholder={t('approval.rejectReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void send(rejection(reason));
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
        />
        <button type="button" className="btn btn-danger" data-testid="reject" disabled={busy} onClick={() => send(rejection(reason))}>
          {t('approval.reject')}
        </button>
        <button
          type="button"
          className="btn"
          data-testid="edit-action"
          disabled={busy}
          aria-expanded={json !== null}
          onClick={() => setJson(json === null ? editText() : null)}
        >
          {t('approval.edit')}
        </button>
      </div>
      {json !== null ? (
        <div className="edit-box">
          <label className="small muted" htmlFor={`edit-${actionId}`}>
            {tool ? t('approval.editToolLabel') : t('approval.editLabel')}
          </label>
          <textarea id={`edit-${actionId}`} data-testid="edit-json" rows={tool ? 4 : 5} spellCheck={false} value={json} onChange={(e) => setJson(e.target.value)} />
          {editError ? (
            <p className="field-error" data-testid="edit-error" role="alert">
              {editError}
            </p>
          ) : null}
          <div className="card-row">
            <button type="button" className="btn btn-primary" data-testid="edit-send" disabled={busy} onClick={sendEdit}>
              {tool ? t('approval.editToolSend') : t('approval.editSend')}
            </button>
            <button type="button" className="btn" onClick={() => setJson(null)}>
              {t('approval.editCancel')}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
