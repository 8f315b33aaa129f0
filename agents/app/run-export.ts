// A run exported as one file a person can keep or send: JSON (events + screenshots as data URLs)
// or a self-contained HTML report that opens anywhere, offline.
import type { Run } from '../contract.ts';
import type { LoggedRunEvent, RunEvent } from '../run/events.ts';
import { formatEvent, localTime, runHeader, stepsOf } from '../run/run-format.ts';
import { isDeepStrictEqual } from 'node:util';
import { verifyChain, type ChainRow, type ChainVerdict } from '../store/audit.ts';
import { isBlobRef } from '../store/blobs.ts';
import { isTerminal } from '../store/types.ts';
import type { Store } from '../store/store.ts';

const MIME: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', jpg: 'image/jpeg', webp: 'image/webp' };

export interface ExportedFile {
  filename: string;
  mime: string;
  content: string;
}

function screenshots(store: Store, events: LoggedRunEvent[]): Map<string, string> {
  const urls = new Map<string, string>();
  for (const e of events) {
    if ((e.type !== 'screenshot_captured' && e.type !== 'operator_screenshot') || !isBlobRef(e.ref) || urls.has(e.ref)) continue;
    const ref = e.ref;
    const ext = ref.slice(ref.lastIndexOf('.') + 1);
    try {
      urls.set(ref, `data:${MIME[ext] ?? 'application/octet-stream'};base64,${store.readBlob(ref).toString('base64')}`);
    } catch {
      // Deleted by the retention setting: the report says so where the image would be.
    }
  }
  return urls;
}

export function exportRun(store: Store, run: Run, format: 'json' | 'html'): ExportedFile {
  const events = store.readEvents<RunEvent>(run.id);
  const shots = screenshots(store, events);
  const base = `deskpilot-run-${run.id}`;
  if (format === 'json') {
    // The chain as stored (exact text and hashes), so the file can be verified on its own and its head compared with the database's.
    const chain = store.readChain(run.id);
    const audit = { verdict: verifyChain(run.id, chain, isTerminal(run.status)), chain };
    const content = JSON.stringify({ format: 'deskpilot-run', version: 1, run, events, screenshots: Object.fromEntries(shots), audit }, null, 1);
    return { filename: `${base}.json`, mime: 'application/json', content };
  }
  return { filename: `${base}.html`, mime: 'text/html', content: htmlReport(run, events, shots) };
}

/** Checks an exported run: its chain holds, and every event shown is the one the chain covers. */
export function verifyExport(file: unknown): { runId: string; verdict: ChainVerdict } {
  const f = (typeof file === 'object' && file !== null ? file : {}) as { format?: unknown; run?: { id?: unknown; status?: unknown }; events?: unknown; audit?: { chain?: unknown } };
  const runId = typeof f.run?.id === 'string' ? f.run.id : '(unknown run)';
  if (f.format !== 'deskpilot-run' || !Array.isArray(f.events)) throw new Error('this is not a Deskpilot JSON run export');
  const rows = Array.isArray(f.audit?.chain) ? (f.audit.chain as ChainRow[]) : [];
  if (rows.length === 0) return { runId, verdict: { status: 'not_chained', events: f.events.length } };
  const ended = typeof f.run?.status === 'string' && ['done', 'failed', 'aborted', 'interrupted'].includes(f.run.status);
  const verdict = verifyChain(runId, rows, ended);
  if (verdict.status === 'broken') return { runId, verdict };
  const events = f.events as Record<string, unknown>[];
  for (let i = 0; i < Math.max(rows.length, events.length); i++) {
    const row = rows[i];
    const e = events[i];
    if (!row || !e) return { runId, verdict: { status: 'broken', events: rows.length, seq: i + 1, problem: 'the export lists a different number of events than its chain' } };
    const { runId: _r, seq, at, type, ...data } = e;
    if (seq !== row.seq || at !== row.at || type !== row.type || !isDeepStrictEqual(data, JSON.parse(row.data))) {
      return { runId, verdict: { status: 'broken', events: rows.length, seq: row.seq, problem: 'the event shown differs from the one its hash covers' } };
    }
  }
  return { runId, verdict };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function htmlReport(run: Run, events: LoggedRunEvent[], shots: Map<string, string>): string {
  const header = runHeader(run, stepsOf(events)).map((l) => `<div>${escape(l)}</div>`).join('\n');
  const body: string[] = [];
  for (const e of events) {
    if (e.type === 'step_started') body.push(`<h2>Step ${e.step} <small>${escape(localTime(e.at))}</small></h2>`);
    if (e.type === 'screenshot_captured') {
      const url = shots.get(e.ref);
      body.push(url ? `<img alt="screen at step ${e.step}" src="${url}" width="${e.image.width}" height="${e.image.height}">` : `<p class="gone">screenshot ${escape(e.ref)} was deleted</p>`);
    }
    if (e.type === 'operator_screenshot') {
      const url = shots.get(e.ref);
      body.push(url ? `<img alt="screen after the operator's actions" src="${url}" width="${e.image.width}" height="${e.image.height}">` : `<p class="gone">screenshot ${escape(e.ref)} was deleted</p>`);
    }
    const lines = formatEvent(e).filter((l) => e.type !== 'step_started' || !/^step \d+$/.test(l));
    if (lines.length) body.push(`<pre class="${escape(e.type)}">${escape(lines.join('\n'))}</pre>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Deskpilot run ${escape(run.id)}: ${escape(run.task.slice(0, 80))}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d2330}
header{background:#f3f5f9;border-radius:8px;padding:1em;font-family:ui-monospace,monospace;white-space:pre-wrap}
img{max-width:100%;height:auto;border:1px solid #ccd;border-radius:4px}
pre{white-space:pre-wrap;margin:.3em 0}.model_error,.action_failed,.run_failed{color:#b00020}
h2{border-top:1px solid #dde;padding-top:.6em;margin-top:1.4em}h2 small{color:#667;font-weight:normal}.gone{color:#667}
</style></head><body>
<h1>Deskpilot run</h1>
<header>${header}</header>
${body.join('\n')}
<footer><p>Exported ${escape(localTime(Date.now()))}; ${events.length} events.</p></footer>
</body></html>
`;
}
