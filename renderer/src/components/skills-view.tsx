// The Skills view (#/skills): every skill found (built-in, yours, a settings folder) with its source,
// an on/off switch, what it overrides, and its validation problems (file, field, what to fix);
// Install from a folder or .zip (a path on the machine running the engine) and New skill. A skill's
// page (#/skills/NAME) shows its SKILL.md as plain text in a <pre>: a skill comes from anyone, so its
// text is never interpreted as HTML.
//
// data-testid: skills-view, skill-row (data-name, data-source, data-enabled, data-valid), skill-link,
// skill-toggle, skill-overrides, skill-error, skill-warning, skills-notes, skill-install-path,
// skill-install-overwrite, skill-install, skill-new-name, skill-new-description, skill-new,
// skills-form-error, skills-form-done, skill-page, skill-text, skill-file, skill-dir.
import { useCallback, useEffect, useState } from 'react';
import type { CommandOutput, SkillSummary } from '../../../agents/contract.ts';
import { t } from '../i18n/index.ts';
import { href, navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';

type Listing = CommandOutput<'skills.list'>;
type Problem = SkillSummary['errors'][number];

const sourceLabel = (s: SkillSummary) => (s.source === 'builtin' ? t('skills.builtin') : s.source === 'user' ? t('skills.yours') : t('skills.folder'));

function ProblemLine({ p, kind }: { p: Problem; kind: 'error' | 'warning' }) {
  return (
    <li className={kind === 'error' ? 'field-error' : 'muted'} data-testid={`skill-${kind}`}>
      {p.field ? <code>{p.field}</code> : null} {p.message} <span className="muted">({p.file})</span>
    </li>
  );
}

export function SkillsView() {
  const call = useApp((s) => s.skillCommand);
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [newName, setNewName] = useState('');
  const [newDescription, setNewDescription] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const r = await call('skills.list', {});
    if (r.ok) setListing(r.value);
    else setError(r.message);
  }, [call]);
  useEffect(() => {
    void load();
  }, [load]);

  const toggle = async (s: SkillSummary, enabled: boolean) => {
    // Shown at once; the list read back afterwards says what the engine kept.
    setListing((l) => l && { ...l, skills: l.skills.map((x) => (x.dir === s.dir ? { ...x, enabled } : x)) });
    const r = await call('skills.setEnabled', { name: s.name, enabled });
    if (!r.ok) setError(r.message);
    await load();
  };
  const act = async (fn: () => Promise<{ ok: true; name: string; warnings: string[] } | { ok: false; message: string }>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await fn();
    setBusy(false);
    if (r.ok) setDone([t('skills.done', { name: r.name }), ...r.warnings].join(' '));
    else setError(r.message);
    await load();
  };
  const install = () => act(async () => {
    const r = await call('skills.install', { path: path.trim(), ...(overwrite ? { overwrite } : {}) });
    return r.ok ? { ok: true, name: r.value.skill.name, warnings: r.value.warnings } : r;
  });
  const create = () => act(async () => {
    const r = await call('skills.new', { name: newName.trim(), ...(newDescription.trim() ? { description: newDescription.trim() } : {}) });
    return r.ok ? { ok: true, name: r.value.name, warnings: [] } : r;
  });

  return (
    <section className="page" data-testid="skills-view" aria-label={t('skills.title')}>
      <div className="page-head">
        <h2>{t('skills.title')}</h2>
      </div>
      <p className="muted">{t('skills.hint')}</p>
      <form className="card" onSubmit={(e) => (e.preventDefault(), void install())}>
        <strong>{t('skills.install')}</strong>
        <label className="field">
          <span>{t('skills.installPath')}</span>
          <input data-testid="skill-install-path" value={path} placeholder="/home/me/Downloads/my-skill.zip" onChange={(e) => setPath(e.target.value)} spellCheck={false} />
        </label>
        <label className="checkbox-field">
          <input type="checkbox" data-testid="skill-install-overwrite" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
          {t('skills.overwrite')}
        </label>
        <button type="submit" className="btn btn-small" data-testid="skill-install" disabled={busy || !path.trim()}>{t('skills.installButton')}</button>
      </form>
      <form className="card" onSubmit={(e) => (e.preventDefault(), void create())}>
        <strong>{t('skills.new')}</strong>
        <label className="field">
          <span>{t('skills.newName')}</span>
          <input data-testid="skill-new-name" value={newName} placeholder="export-invoices" onChange={(e) => setNewName(e.target.value)} spellCheck={false} />
        </label>
        <label className="field">
          <span>{t('skills.newDescription')}</span>
          <input data-testid="skill-new-description" value={newDescription} onChange={(e) => setNewDescription(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-small" data-testid="skill-new" disabled={busy || !newName.trim()}>{t('skills.newButton')}</button>
      </form>
      {error ? <p className="field-error" role="alert" data-testid="skills-form-error">{error}</p> : null}
      {done ? <p className="muted" data-testid="skills-form-done">{done}</p> : null}
      {listing?.notes.length ? <ul className="muted" data-testid="skills-notes">{listing.notes.map((n) => <li key={n}>{n}</li>)}</ul> : null}
      {listing === null ? (
        <p className="empty">{t('app.loading')}</p>
      ) : listing.skills.length === 0 ? (
        <p className="empty">{t('skills.empty')}</p>
      ) : (
        <ul className="skill-list" style={{ listStyle: 'none', padding: 0 }}>
          {listing.skills.map((s) => (
            <li key={s.dir} className="card" data-testid="skill-row" data-name={s.name} data-source={s.source} data-enabled={String(s.enabled)} data-valid={String(s.errors.length === 0)}>
              <div className="card-row">
                <label className="checkbox-field">
                  <input type="checkbox" data-testid="skill-toggle" aria-label={t('skills.toggle', { name: s.name })} checked={s.enabled} disabled={s.errors.length > 0} onChange={(e) => void toggle(s, e.target.checked)} />
                </label>
                <a data-testid="skill-link" href={href({ name: 'skill', skill: s.name })}><strong>{s.name}</strong></a>
                <span className="badge">{sourceLabel(s)}</span>
                {s.overrides ? <span className="badge" data-testid="skill-overrides">{t('skills.overrides')}</span> : null}
                {s.overriddenBy ? <span className="badge">{t('skills.overridden')}</span> : null}
                {s.errors.length ? <span className="badge badge-failed">{t('skills.invalid')}</span> : null}
              </div>
              {s.description ? <p className="muted">{s.description}</p> : null}
              {s.errors.length || s.warnings.length ? (
                <ul>
                  {s.errors.map((p, i) => <ProblemLine key={`e${i}`} p={p} kind="error" />)}
                  {s.warnings.map((p, i) => <ProblemLine key={`w${i}`} p={p} kind="warning" />)}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function SkillPage({ name }: { name: string }) {
  const call = useApp((s) => s.skillCommand);
  const [page, setPage] = useState<CommandOutput<'skills.get'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('skills.get', { name }).then((r) => (r.ok ? setPage(r.value) : setError(r.message)));
  }, [call, name]);

  return (
    <section className="page" data-testid="skill-page" aria-label={name}>
      <div className="page-head">
        <a href={href({ name: 'skills' })} onClick={(e) => (e.preventDefault(), navigate({ name: 'skills' }))}>← {t('skills.title')}</a>
        <h2>{name}</h2>
      </div>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      {page === null && !error ? <p className="empty">{t('app.loading')}</p> : null}
      {page ? (
        <>
          <p className="muted">
            <span className="badge">{sourceLabel(page.skill)}</span> <code data-testid="skill-dir">{page.skill.dir}</code>
          </p>
          {page.skill.allowedTools ? <p className="muted">{t('skills.allowedTools', { tools: page.skill.allowedTools.join(' ') })}</p> : null}
          {page.skill.errors.length ? <ul>{page.skill.errors.map((p, i) => <ProblemLine key={i} p={p} kind="error" />)}</ul> : null}
          <h3>{t('skills.files')}</h3>
          <ul>{page.files.map((f) => <li key={f.path} data-testid="skill-file"><code>{f.path}</code> <span className="muted">{f.size} B</span></li>)}</ul>
          <h3>SKILL.md</h3>
          {/* Plain text: React escapes it, so HTML in a skill is shown, never run. */}
          <pre className="skill-text" data-testid="skill-text" style={{ whiteSpace: 'pre-wrap' }}>{page.text}</pre>
        </>
      ) : null}
    </section>
  );
}
