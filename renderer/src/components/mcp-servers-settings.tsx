// Settings: the MCP servers whose tools the agent may use. A list (how each starts, on/off, trusted),
// a small form to add or edit one, and Test, which starts a saved server and lists its tools.
import { useState } from 'react';
import { t } from '../i18n/index.ts';
import type { McpTestResult } from '../state/settings-slice.ts';
import { useApp } from '../state/use-app.ts';
import { emptyForm, formFromServer, formId, sameServer, serverFromForm, type McpForm } from './mcp-server-form.ts';
import type { McpServer } from './settings-draft.ts';

interface Props {
  servers: McpServer[];
  /** As saved: Test starts the saved entry, so a changed one is saved first. */
  saved: McpServer[];
  onChange(next: McpServer[]): void;
  /** Saves the whole form; false when the server refused it (its message shows by Save). */
  onSave(): Promise<boolean>;
}

export function McpServersSettings({ servers, saved, onChange, onSave }: Props) {
  const testServer = useApp((s) => s.testMcpServer);
  // index being edited, 'new' for the add form, null when closed.
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [tests, setTests] = useState<Record<string, McpTestResult | 'testing'>>({});

  const update = (i: number, server: McpServer) => onChange(servers.map((s, j) => (j === i ? server : s)));
  const isSaved = (s: McpServer) => sameServer(saved.find((x) => x.id === s.id), s);

  const test = async (server: McpServer) => {
    setTests((r) => ({ ...r, [server.id]: 'testing' }));
    if (!isSaved(server) && !(await onSave())) {
      setTests(({ [server.id]: _, ...rest }) => rest);
      return;
    }
    const result = await testServer(server.id);
    setTests((r) => ({ ...r, [server.id]: result }));
  };

  return (
    <fieldset data-testid="settings-mcp">
      <legend>{t('settings.mcp')}</legend>
      <p className="muted small">{t('settings.mcp.intro')}</p>
      {servers.length === 0 ? <p className="muted">{t('settings.mcp.empty')}</p> : null}
      <ul className="mcp-servers">
        {servers.map((s, i) =>
          editing === i ? (
            <li key={s.id}>
              <ServerForm
                initial={formFromServer(s)}
                taken={servers.filter((_, j) => j !== i).map((x) => x.id)}
                onDone={(next) => {
                  update(i, next);
                  setEditing(null);
                }}
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <li key={s.id} className="mcp-server" data-testid="mcp-server" data-id={s.id}>
              <div className="mcp-server-line">
                <strong>{s.name}</strong> <span className="muted small" data-testid="mcp-server-start">{startsBy(s)}</span>
              </div>
              <div className="mcp-server-line">
                <label className="checkbox-field">
                  <input type="checkbox" data-testid="mcp-server-enabled" checked={s.enabled} onChange={(e) => update(i, { ...s, enabled: e.target.checked })} />
                  <span>{t('settings.mcp.on')}</span>
                </label>
                <label className="checkbox-field" title={t('settings.mcp.trustedHint')}>
                  <input type="checkbox" data-testid="mcp-server-trusted" checked={s.trusted} onChange={(e) => update(i, { ...s, trusted: e.target.checked })} />
                  <span>{t('settings.mcp.trusted')}</span>
                </label>
                <button type="button" className="btn btn-small" data-testid="mcp-server-test" disabled={tests[s.id] === 'testing'} onClick={() => void test(s)}>
                  {isSaved(s) ? t('settings.mcp.test') : t('settings.mcp.saveAndTest')}
                </button>
                <button type="button" className="btn btn-small" data-testid="mcp-server-edit" onClick={() => setEditing(i)}>
                  {t('settings.mcp.edit')}
                </button>
                <button type="button" className="btn btn-small" data-testid="mcp-server-remove" onClick={() => onChange(servers.filter((_, j) => j !== i))}>
                  {t('settings.mcp.remove')}
                </button>
              </div>
              <TestResult result={tests[s.id]} />
            </li>
          ),
        )}
      </ul>
      {editing === 'new' ? (
        <ServerForm
          initial={emptyForm()}
          taken={servers.map((x) => x.id)}
          onDone={(next) => {
            onChange([...servers, next]);
            setEditing(null);
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button type="button" className="btn" data-testid="mcp-add" onClick={() => setEditing('new')} disabled={editing !== null}>
          + {t('settings.mcp.add')}
        </button>
      )}
      <p className="muted small">{t('settings.mcp.trustedHint')}</p>
    </fieldset>
  );
}

function startsBy(s: McpServer): string {
  const how = s.url !== undefined ? t('settings.mcp.byUrl', { url: s.url }) : t('settings.mcp.byCommand', { command: [s.command ?? '', ...(s.args ?? [])].join(' ') });
  return s.enabled ? how : `${how} · ${t('settings.mcp.off')}`;
}

function TestResult({ result }: { result: McpTestResult | 'testing' | undefined }) {
  if (result === undefined) return null;
  if (result === 'testing') return <p className="muted small" role="status">{t('settings.mcp.testing')}</p>;
  if (!result.ok)
    return (
      <p className="field-error" data-testid="mcp-test-failed" role="alert">
        ✗ {result.reason}
      </p>
    );
  if (result.tools.length === 0) return <p className="muted small" data-testid="mcp-test-tools">{t('settings.mcp.noTools')}</p>;
  return (
    <div data-testid="mcp-test-tools">
      <p className="ok small">✓ {t('settings.mcp.tools', { count: result.tools.length })}</p>
      <ul className="mcp-tools small">
        {result.tools.map((tool) => (
          <li key={tool.name} data-testid="mcp-tool" data-name={tool.name} data-read-only={tool.readOnly}>
            <code>{tool.name}</code>
            {tool.readOnly ? <span className="chip small"> {t('settings.mcp.readOnly')}</span> : null}
            {tool.description ? <span className="muted"> — {tool.description}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ServerForm({ initial, taken, onDone, onCancel }: { initial: McpForm; taken: string[]; onDone(s: McpServer): void; onCancel(): void }) {
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof McpForm>(key: K, value: McpForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const done = () => {
    const result = serverFromForm(form, taken);
    if (result.ok) onDone(result.server);
    else setError(t(result.error, result.params));
  };
  return (
    <div className="mcp-form grid-fields" data-testid="mcp-form">
      <label className="field">
        <span className="field-label">{t('settings.mcp.name')}</span>
        <input data-testid="mcp-name" value={form.name} onChange={(e) => set('name', e.target.value)} />
        {form.name.trim() ? <span className="muted small">{t('settings.mcp.idNote', { id: formId(form, taken) })}</span> : null}
      </label>
      <label className="field">
        <span className="field-label">{t('settings.mcp.kind')}</span>
        <select data-testid="mcp-kind" value={form.kind} onChange={(e) => set('kind', e.target.value as McpForm['kind'])}>
          <option value="command">{t('settings.mcp.kind.command')}</option>
          <option value="url">{t('settings.mcp.kind.url')}</option>
        </select>
      </label>
      {form.kind === 'command' ? (
        <>
          <label className="field">
            <span className="field-label">{t('settings.mcp.command')}</span>
            <textarea data-testid="mcp-command" rows={3} spellCheck={false} value={form.command} onChange={(e) => set('command', e.target.value)} />
            <span className="muted small">{t('settings.mcp.commandHint')}</span>
          </label>
          <label className="field">
            <span className="field-label">{t('settings.mcp.env')}</span>
            <textarea data-testid="mcp-env" rows={2} spellCheck={false} placeholder={t('settings.mcp.envHint')} value={form.env} onChange={(e) => set('env', e.target.value)} />
          </label>
        </>
      ) : (
        <>
          <label className="field">
            <span className="field-label">{t('settings.mcp.url')}</span>
            <input data-testid="mcp-url" type="url" spellCheck={false} value={form.url} onChange={(e) => set('url', e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">{t('settings.mcp.headers')}</span>
            <textarea data-testid="mcp-headers" rows={2} spellCheck={false} placeholder={t('settings.mcp.headersHint')} value={form.headers} onChange={(e) => set('headers', e.target.value)} />
          </label>
        </>
      )}
      <p className="muted small" data-testid="mcp-variable-note">{t('settings.mcp.variableNote')}</p>
      <div className="mcp-form-actions">
        <button type="button" className="btn btn-primary btn-small" data-testid="mcp-done" onClick={done}>
          {t('settings.mcp.done')}
        </button>
        <button type="button" className="btn btn-small" data-testid="mcp-cancel" onClick={onCancel}>
          {t('settings.mcp.cancel')}
        </button>
        {error ? (
          <span className="field-error" data-testid="mcp-form-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
    </div>
  );
}
