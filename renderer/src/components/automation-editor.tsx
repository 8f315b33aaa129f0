// The step editor: each step with its intent, its action's fields (or JSON) and its evidence (the
// crop it is found by, the word under it, its accessible name); move, delete, make a typed text a
// parameter; parameters with defaults. Save stores a new version; a refused save keeps the draft.
// A new automation (a recorded demonstration) is a draft not saved yet: its edits are kept by the
// caller (the store), and Save makes its first version.
//
// data-testid: automation-editor (data-dirty, data-new), step-edit-row (data-step-id, data-index,
// data-type), step-intent, step-text, step-command, step-find-timeout, step-keys, step-x, step-y, step-json, step-json-error,
// step-json-edit, step-json-apply, step-up, step-down, step-delete, step-make-param, step-param-name, step-param-ok,
// step-param-error, evidence-thumb, evidence-text, evidence-a11y, param-row (data-name),
// param-default, param-remove, automation-save, automation-saved, automation-error.
import { useState } from 'react';
import type { Automation } from '../../../agents/contract.ts';
import { t } from '../i18n/index.ts';
import { useApp, useBlobUrl } from '../state/use-app.ts';
import {
  deleteStep, formatKeys, makeParameter, moveStep, parseKeys, removeParam, setAction, setIntent, setFindTimeout, setParamDefault, toDraft, toolCommand,
  type Draft, type DraftStep, type StepAction,
} from './automation-draft.ts';

type Props =
  | { automation: Automation; savedVersion: number | null; onSaved: (saved: Automation) => void }
  /** A new automation: `recorded` as it came, `edits` the current draft and where its changes go. */
  | { recorded: Draft; edits: { draft: Draft; update: (edit: (d: Draft) => Draft) => void }; onSaved: (saved: Automation) => void };

export function AutomationEditor(props: Props) {
  const save = useApp((s) => s.saveAutomation);
  const isNew = 'recorded' in props;
  const base = isNew ? props.recorded : toDraft(props.automation);
  const [own, setOwn] = useState<Draft>(base);
  const draft = isNew ? props.edits.draft : own;
  const setDraft = isNew ? props.edits.update : setOwn;
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const changed = JSON.stringify(draft) !== JSON.stringify(base);
  // A new automation is unsaved until it is saved, edited or not.
  const dirty = isNew || changed;
  const savedVersion = isNew ? null : props.savedVersion;

  const onSave = async () => {
    setSaving(true);
    setError(null);
    const result = await save(draft);
    setSaving(false);
    // On success the view reloads the automation and this editor starts again from the new version.
    if (result.ok) props.onSaved(result.value);
    else setError(result.message);
  };

  return (
    <section className="editor" data-testid="automation-editor" data-dirty={dirty} data-new={isNew}>
      <h3 className="section-title">{t('editor.steps', { count: draft.steps.length })}</h3>
      <ol className="step-edit-list">
        {draft.steps.map((step, i) => (
          <StepEditRow key={step.id} step={step} index={i} count={draft.steps.length} draft={draft} setDraft={setDraft} />
        ))}
      </ol>
      <h3 className="section-title">{t('editor.params')}</h3>
      {draft.params.length === 0 ? <p className="muted small">{t('editor.noParams')}</p> : null}
      <ul className="param-list">
        {draft.params.map((p) => (
          <li key={p.name} className="param-row" data-testid="param-row" data-name={p.name}>
            <code>{`{{${p.name}}}`}</code>
            <label className="field inline">
              <span>{t('editor.default')}</span>
              <input data-testid="param-default" value={p.default ?? ''} placeholder={t('editor.noDefault')} onChange={(e) => setDraft((d) => setParamDefault(d, p.name, e.target.value === '' ? undefined : e.target.value))} />
            </label>
            <button type="button" className="btn btn-small" data-testid="param-remove" onClick={() => setDraft((d) => removeParam(d, p.name))}>
              {t('editor.removeParam')}
            </button>
          </li>
        ))}
      </ul>
      <div className="editor-foot">
        <button type="button" className="btn btn-primary" data-testid="automation-save" disabled={saving || !dirty} onClick={() => void onSave()}>
          {isNew ? t('editor.saveNew') : t('editor.save')}
        </button>
        {dirty ? <span className="muted small">{isNew ? t('editor.unsaved') : t('editor.dirty')}</span> : null}
        {!isNew && !dirty && savedVersion === props.automation.version ? (
          <span className="ok" data-testid="automation-saved" data-version={savedVersion}>
            {t('editor.saved', { version: savedVersion })}
          </span>
        ) : null}
        {changed ? (
          <button type="button" className="btn btn-small" data-testid="automation-discard" onClick={() => (setDraft(() => base), setError(null))}>
            {t('editor.discard')}
          </button>
        ) : null}
      </div>
      {error ? <p className="field-error" data-testid="automation-error" role="alert">{error}</p> : null}
    </section>
  );
}

interface RowProps {
  step: DraftStep;
  index: number;
  count: number;
  draft: Draft;
  setDraft: (fn: (d: Draft) => Draft) => void;
}

function StepEditRow({ step, index, count, draft, setDraft }: RowProps) {
  const [asking, setAsking] = useState(false);
  const [paramName, setParamName] = useState('');
  const [paramError, setParamError] = useState<string | null>(null);
  const update = (action: StepAction) => setDraft((d) => setAction(d, index, action));
  const a = step.action;

  const onMakeParam = () => {
    const r = makeParameter(draft, index, paramName);
    if (!r.ok) {
      setParamError(t(`editor.paramProblem.${r.reason}`, { name: paramName.trim() }));
      return;
    }
    setDraft(() => r.draft);
    setParamError(null);
    setAsking(false);
    setParamName('');
  };

  return (
    <li className="step-edit-row" data-testid="step-edit-row" data-step-id={step.id} data-index={index} data-type={a.type}>
      <div className="step-edit-num">
        {index + 1}
        {step.chained ? <span className="chip" title={t('editor.chainedHint')}>+</span> : null}
      </div>
      <Evidence step={step} />
      <div className="step-edit-main">
        <input className="step-intent" data-testid="step-intent" aria-label={t('editor.intent')} value={step.intent} onChange={(e) => setDraft((d) => setIntent(d, index, e.target.value))} />
        <ActionFields action={a} onChange={update} />
        {step.evidence ? (
          <label className="field inline">
            <span>{t('editor.findTimeout')}</span>
            <input
              type="number" min={0} step={0.5} className="coord" data-testid="step-find-timeout"
              value={step.findTimeoutMs === undefined ? '' : step.findTimeoutMs / 1000}
              onChange={(e) => setDraft((d) => setFindTimeout(d, index, e.target.value.trim() === '' ? undefined : Math.round(Number(e.target.value) * 1000)))}
            />
          </label>
        ) : null}
        {asking ? (
          <div className="card-row">
            <input data-testid="step-param-name" placeholder={t('editor.paramName')} aria-label={t('editor.paramName')} value={paramName} autoFocus onChange={(e) => setParamName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), onMakeParam())} />
            <button type="button" className="btn btn-small btn-primary" data-testid="step-param-ok" onClick={onMakeParam}>
              {t('editor.makeParamOk')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => (setAsking(false), setParamError(null))}>
              {t('automation.cancel')}
            </button>
            {paramError ? <span className="field-error" data-testid="step-param-error">{paramError}</span> : null}
          </div>
        ) : null}
      </div>
      <div className="step-edit-tools">
        <button type="button" className="icon-btn" data-testid="step-up" disabled={index === 0} title={t('editor.up')} aria-label={t('editor.up')} onClick={() => setDraft((d) => moveStep(d, index, -1))}>
          ↑
        </button>
        <button type="button" className="icon-btn" data-testid="step-down" disabled={index === count - 1} title={t('editor.down')} aria-label={t('editor.down')} onClick={() => setDraft((d) => moveStep(d, index, 1))}>
          ↓
        </button>
        <button type="button" className="icon-btn" data-testid="step-delete" title={t('editor.delete')} aria-label={t('editor.delete')} onClick={() => setDraft((d) => deleteStep(d, index))}>
          ✕
        </button>
        {a.type === 'type' && !asking ? (
          <button type="button" className="btn btn-small" data-testid="step-make-param" onClick={() => setAsking(true)}>
            {t('editor.makeParam')}
          </button>
        ) : null}
      </div>
    </li>
  );
}

function Evidence({ step }: { step: DraftStep }) {
  const blobUrl = useBlobUrl();
  const e = step.evidence;
  if (!e) return <div className="evidence evidence-empty muted small">{t('editor.noEvidence')}</div>;
  return (
    <div className="evidence">
      {e.crop ? (
        <div className="evidence-crop">
          <img data-testid="evidence-thumb" src={blobUrl(e.crop)} alt={t('editor.evidenceAlt', { intent: step.intent })} draggable={false} />
          {e.cropOffset ? <span className="evidence-dot" style={{ left: e.cropOffset.x, top: e.cropOffset.y }} aria-hidden="true" /> : null}
        </div>
      ) : null}
      <div className="muted small">{t('editor.point', { x: e.point.x, y: e.point.y })}</div>
      {e.text ? <div className="small" data-testid="evidence-text">{t('editor.ocr', { text: e.text })}</div> : null}
      {e.a11y ? <div className="small" data-testid="evidence-a11y">{t('editor.a11y', { name: e.a11y.name, role: e.a11y.role })}</div> : null}
    </div>
  );
}

/** Fields for typing, keys and points; any action can also be edited as JSON. */
function ActionFields({ action, onChange }: { action: StepAction; onChange: (a: StepAction) => void }) {
  const [json, setJson] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

  if (json !== null) {
    const apply = () => {
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch (err) {
        setJsonError(t('approval.badJson', { message: (err as Error).message }));
        return;
      }
      if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') {
        setJsonError(t('approval.notObject'));
        return;
      }
      // The server checks the action itself when the automation is saved.
      onChange(value as StepAction);
      setJson(null);
      setJsonError(null);
    };
    return (
      <div className="edit-box">
        <textarea data-testid="step-json" rows={3} value={json} onChange={(e) => setJson(e.target.value)} spellCheck={false} />
        <div className="card-row">
          <button type="button" className="btn btn-small btn-primary" data-testid="step-json-apply" onClick={apply}>
            {t('editor.applyJson')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => (setJson(null), setJsonError(null))}>
            {t('automation.cancel')}
          </button>
          {jsonError ? <span className="field-error" data-testid="step-json-error">{jsonError}</span> : null}
        </div>
      </div>
    );
  }

  const jsonButton = (
    <button type="button" className="btn btn-small" data-testid="step-json-edit" onClick={() => setJson(JSON.stringify(action))}>
      {t('editor.editJson')}
    </button>
  );
  const point = 'x' in action && action.x !== undefined && 'y' in action && action.y !== undefined ? action : undefined;
  const command = toolCommand(action);
  return (
    <div className="action-fields">
      <span className="chip">{action.type === 'tool' ? action.name : action.type}</span>
      {action.type === 'tool' && command !== undefined ? (
        <textarea
          className="grow step-text"
          data-testid="step-command"
          aria-label={t('editor.command')}
          rows={Math.min(6, command.split('\n').length)}
          value={command}
          spellCheck={false}
          onChange={(e) => onChange({ ...action, input: { ...action.input, command: e.target.value } })}
        />
      ) : null}
      {action.type === 'type' ? (
        // A textarea keeps a typed newline (Enter), which an <input> would drop.
        <textarea
          className="grow step-text"
          data-testid="step-text"
          aria-label={t('editor.text')}
          rows={Math.min(6, action.text.split('\n').length)}
          value={action.text}
          spellCheck={false}
          onChange={(e) => onChange({ ...action, text: e.target.value })}
        />
      ) : null}
      {action.type === 'keypress' ? <KeysInput keys={action.keys} onChange={(keys) => onChange({ ...action, keys })} /> : null}
      {point ? (
        <>
          <label className="field inline">
            <span>x</span>
            <input type="number" className="coord" data-testid="step-x" value={Number.isNaN(point.x) ? '' : point.x} onChange={(e) => onChange({ ...point, x: num(e.target.value) } as StepAction)} />
          </label>
          <label className="field inline">
            <span>y</span>
            <input type="number" className="coord" data-testid="step-y" value={Number.isNaN(point.y) ? '' : point.y} onChange={(e) => onChange({ ...point, y: num(e.target.value) } as StepAction)} />
          </label>
        </>
      ) : null}
      {action.type !== 'type' && action.type !== 'keypress' && command === undefined && !point ? <code className="action-json">{JSON.stringify(action)}</code> : null}
      {jsonButton}
    </div>
  );
}

/** Keys as typed ("CTRL+S"): the text is kept as it is while the keys are parsed from it. */
function KeysInput({ keys, onChange }: { keys: string | string[]; onChange: (keys: string | string[]) => void }) {
  const [text, setText] = useState(() => formatKeys(keys));
  // Changed elsewhere (the JSON editor): show the new keys.
  if (formatKeys(parseKeys(text)) !== formatKeys(keys)) setText(formatKeys(keys));
  return (
    <input
      data-testid="step-keys"
      aria-label={t('editor.keys')}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseKeys(e.target.value));
      }}
    />
  );
}
