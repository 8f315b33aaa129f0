// The MCP server form as text boxes (a program with one argument a line, NAME=value and
// `Name: value` lines) and back to the contract's server entry, with plain messages for mistakes.
import type { MessageKey } from '../i18n/index.ts';
import type { McpServer } from './settings-draft.ts';

export interface McpForm {
  /** Kept when editing: the agent knows the server's tools by it. Empty for a new server. */
  id: string;
  name: string;
  kind: 'command' | 'url';
  /** The program on the first line, then one argument a line. */
  command: string;
  env: string;
  url: string;
  headers: string;
  enabled: boolean;
  trusted: boolean;
}

export type FormResult = { ok: true; server: McpServer } | { ok: false; error: MessageKey; params?: Record<string, string | number> };

export const emptyForm = (): McpForm => ({ id: '', name: '', kind: 'command', command: '', env: '', url: '', headers: '', enabled: true, trusted: false });

export function formFromServer(s: McpServer): McpForm {
  return {
    id: s.id,
    name: s.name,
    kind: s.url !== undefined ? 'url' : 'command',
    command: [s.command ?? '', ...(s.args ?? [])].join('\n'),
    env: Object.entries(s.env ?? {}).map(([k, v]) => `${k}=${v}`).join('\n'),
    url: s.url ?? '',
    headers: Object.entries(s.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n'),
    enabled: s.enabled,
    trusted: s.trusted,
  };
}

/** An id from the name the contract accepts (lowercase, digits, dashes, 32 at most), unique among the others. */
export function idFromName(name: string, taken: readonly string[]): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 28).replace(/-+$/, '') || 'server';
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

/** The server's id: the one it has, or one derived from its name. */
export function formId(form: McpForm, taken: readonly string[]): string {
  return form.id || idFromName(form.name, taken);
}

/** Splits `KEY<sep>value` lines (blank lines skipped); the first bad line is reported by number. */
function pairs(text: string, sep: string): Record<string, string> | { badLine: number } | undefined {
  const out: Record<string, string> = {};
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!.trim();
    if (line === '') continue;
    const at = line.indexOf(sep);
    const key = at > 0 ? line.slice(0, at).trim() : '';
    if (key === '' || /\s/.test(key)) return { badLine: i + 1 };
    out[key] = line.slice(at + 1).trim();
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const isBad = (v: unknown): v is { badLine: number } => typeof v === 'object' && v !== null && 'badLine' in v;

export function serverFromForm(form: McpForm, taken: readonly string[]): FormResult {
  const name = form.name.trim();
  if (name === '') return { ok: false, error: 'settings.mcp.needName' };
  const id = formId({ ...form, name }, taken);
  const base = { id, name, enabled: form.enabled, trusted: form.trusted };
  if (form.kind === 'url') {
    const url = form.url.trim();
    if (!/^https?:\/\/\S+$/i.test(url)) return { ok: false, error: 'settings.mcp.needUrl' };
    const headers = pairs(form.headers, ':');
    if (isBad(headers)) return { ok: false, error: 'settings.mcp.badLine', params: { line: headers.badLine, form: 'Name: value' } };
    return { ok: true, server: { ...base, url, headers } };
  }
  // Arguments keep their inner spaces; only blank lines and the line ends are dropped.
  const [command, ...args] = form.command.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (!command) return { ok: false, error: 'settings.mcp.needCommand' };
  const env = pairs(form.env, '=');
  if (isBad(env)) return { ok: false, error: 'settings.mcp.badLine', params: { line: env.badLine, form: 'NAME=value' } };
  return { ok: true, server: { ...base, command, args: args.length > 0 ? args : undefined, env } };
}

/** Same entry whatever the key order (the server's copy comes back in the contract's order). */
export function sameServer(a: McpServer | undefined, b: McpServer | undefined): boolean {
  const canon = (s: McpServer | undefined) => s && JSON.stringify([s.id, s.name, s.command, s.args, s.env, s.url, s.headers, s.enabled, s.trusted]);
  return canon(a) === canon(b);
}
