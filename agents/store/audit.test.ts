// The hash chain on a real SQLite file: `deskpilot runs verify` passes, then names the wrong seq after
// one byte of an event is changed, a row deleted or two swapped (edited with better-sqlite3 directly,
// as an attacker with the file would); old databases verify as "not chained".
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRun, verifyExport } from '../app/run-export.ts';
import { verifyChain } from './audit.ts';
import { MIGRATIONS } from './db.ts';
import { Store } from './store.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let dbPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-audit-'));
  dbPath = join(dir, 'runs.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A finished run of six events, written through the store's own append path. */
function seedRun(store: Store): string {
  const thread = store.createThread('audit');
  const run = store.createRun({ threadId: thread.id, task: 'rename the invoices', provider: 'scripted' });
  store.append(run.id, { type: 'run_started', task: 'rename the invoices', secret: 'Bearer sk-abcdefghijklmnopqrstuvwx1234' });
  store.appendMany(run.id, [{ type: 'step_started', step: 1 }, { type: 'model_responded', step: 1, actions: 1, ms: 5 }]);
  store.append(run.id, { type: 'approval_decided', actionId: 'a1', decision: 'approve', by: { kind: 'remote', address: '10.0.0.7' } });
  store.append(run.id, { type: 'action_performed', actionId: 'a1', ms: 3 });
  store.setRunStatus(run.id, 'done');
  store.append(run.id, { type: 'run_finished', answer: 'renamed 3 files', steps: 1 });
  return run.id;
}

function verify(...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, ['bin/deskpilot.js', 'runs', 'verify', ...args, '--db', dbPath], { cwd: root, encoding: 'utf8', timeout: 80_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const raw = () => new Database(dbPath);

/** The same check in-process (the CLI's own path is covered above; these spare the slow spawns). */
function check(runId: string) {
  const store = Store.open(dbPath);
  try {
    const run = store.getRun(runId)!;
    return verifyChain(runId, store.readChain(runId), run.status === 'done');
  } finally {
    store.close();
  }
}

describe('hash-chained event log', { timeout: 90_000 }, () => {
  it('chains each event to the one before, over the redacted text as stored', () => {
    const store = Store.open(dbPath);
    const runId = seedRun(store);
    const chain = store.readChain(runId);
    expect(chain).toHaveLength(6);
    expect(chain[0]!.prevHash).toBeNull();
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.prevHash).toBe(chain[i - 1]!.hash);
    expect(chain[0]!.data).not.toContain('sk-abcdefghijklmnop');
    expect(verifyChain(runId, chain, true)).toMatchObject({ status: 'intact', events: 6, head: chain[5]!.hash });
    store.close();
  });

  it('runs verify passes, then names the seq after one byte changes, a row is deleted, or two are swapped', () => {
    const store = Store.open(dbPath);
    const runId = seedRun(store);
    const other = seedRun(store);
    store.close();
    const ok = verify(runId);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('intact (6 events');

    // One byte of event 4's data: "10.0.0.7" becomes "10.0.0.8".
    const db = raw();
    const data = db.prepare('SELECT data FROM events WHERE run_id = ? AND seq = 4').pluck().get(runId) as string;
    db.prepare('UPDATE events SET data = ? WHERE run_id = ? AND seq = 4').run(data.replace('10.0.0.7', '10.0.0.8'), runId);
    db.close();
    const changed = verify(runId);
    expect(changed.code).toBe(1);
    expect(changed.out).toMatch(/BROKEN at seq 4 .*changed/);

    // The other run still verifies; --all reports both and fails.
    expect(verify(other).code).toBe(0);
    const all = verify('--all');
    expect(all.code).toBe(1);
    expect(all.out).toContain('2 run(s) checked, 1 broken');

    // A deleted event in the middle.
    const db2 = raw();
    db2.prepare('DELETE FROM events WHERE run_id = ? AND seq = 3').run(other);
    db2.close();
    const deleted = verify(other);
    expect(deleted.code).toBe(1);
    expect(deleted.out).toMatch(/BROKEN at seq 4 .*seq 3 is missing/);
  });

  it('names two swapped events, a recomputed-seq deletion and a cut-off tail', () => {
    const store = Store.open(dbPath);
    const swapped = seedRun(store);
    const renumbered = seedRun(store);
    const cut = seedRun(store);
    store.close();
    const db = raw();
    // Swap the content of seq 2 and 3 (hashes travel with their rows, seqs stay).
    db.transaction(() => {
      const get = db.prepare('SELECT type, at, data, prev_hash, hash FROM events WHERE run_id = ? AND seq = ?');
      const put = db.prepare('UPDATE events SET type = @type, at = @at, data = @data, prev_hash = @prev_hash, hash = @hash WHERE run_id = @run AND seq = @seq');
      const a = get.get(swapped, 2) as Record<string, unknown>;
      const b = get.get(swapped, 3) as Record<string, unknown>;
      put.run({ ...b, run: swapped, seq: 2 });
      put.run({ ...a, run: swapped, seq: 3 });
    })();
    // Delete seq 2 and renumber the rest so the seqs stay gapless.
    db.prepare('DELETE FROM events WHERE run_id = ? AND seq = 2').run(renumbered);
    for (let s = 3; s <= 6; s++) db.prepare('UPDATE events SET seq = ? WHERE run_id = ? AND seq = ?').run(s - 1, renumbered, s);
    // Remove the last event of a finished run.
    db.prepare('DELETE FROM events WHERE run_id = ? AND seq = 6').run(cut);
    db.close();
    expect(check(swapped)).toMatchObject({ status: 'broken', seq: 2 });
    expect(check(renumbered)).toMatchObject({ status: 'broken', seq: 2 });
    const c = check(cut);
    expect(c).toMatchObject({ status: 'broken', seq: 6 });
    expect(c.status === 'broken' && c.problem).toContain('without a final event');
  });

  it('an old database (events without hashes) verifies as "not chained", and runs appended after the upgrade are chained', () => {
    const old = new Database(dbPath);
    old.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.slice(0, 3)) old.exec(m);
    old.pragma('user_version = 3');
    old.prepare("INSERT INTO threads VALUES ('t1', 'old', 1, 1, NULL)").run();
    old.prepare("INSERT INTO runs (id, thread_id, task, status, provider, created_at, updated_at) VALUES ('r1', 't1', 'old task', 'done', 'scripted', 1, 1)").run();
    old.prepare("INSERT INTO events VALUES ('r1', 1, 'run_started', 1, '{}'), ('r1', 2, 'run_finished', 2, '{\"steps\":0}')").run();
    old.close();
    const store = Store.open(dbPath);
    const fresh = seedRun(store);
    store.close();
    expect(check('r1')).toEqual({ status: 'not_chained', events: 2 });
    expect(check(fresh)).toMatchObject({ status: 'intact', events: 6 });
  });

  it('an export carries the chain and verifies on its own; an edited export does not', () => {
    const store = Store.open(dbPath);
    const runId = seedRun(store);
    const exported = exportRun(store, store.getRun(runId)!, 'json');
    store.close();
    const file = JSON.parse(exported.content) as { audit: { verdict: { status: string }; chain: unknown[] }; events: Record<string, unknown>[] };
    expect(file.audit.verdict.status).toBe('intact');
    expect(file.audit.chain).toHaveLength(6);
    expect(verifyExport(file).verdict.status).toBe('intact');
    const path = join(dir, 'export.json');
    writeFileSync(path, exported.content);
    expect(execFileSync(process.execPath, ['bin/deskpilot.js', 'runs', 'verify', '--file', path], { cwd: root, encoding: 'utf8' })).toContain('intact');
    file.events[5]!['answer'] = 'renamed 4 files';
    expect(verifyExport(file).verdict).toMatchObject({ status: 'broken', seq: 6 });
  });
});
