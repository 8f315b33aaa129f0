// The store: threads, runs, the append-only event log (the source of truth) and blobs, in one SQLite file.
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { monotonicFactory } from 'ulid';
import { eventHash, type ChainRow } from './audit.ts';
import { BlobStore, type BlobExt } from './blobs.ts';
import { openDatabase, type Db } from './db.ts';
import { DiskFullError, DiskReserve, isDiskFull, onFullDisk } from './disk-full.ts';
import { jsonWithCleanStrings, Redactor } from './redact.ts';
import { capSummary, capText, EVENT_STRING_MAX, RUN_TEXT_MAX, TITLE_MAX } from './text-caps.ts';
import {
  ACTIVE_STATUSES,
  isRunStatus,
  isTerminal,
  NotFoundError,
  type EventInput,
  type EventListener,
  type NewRun,
  type Run,
  type RunOutcome,
  type RunStatus,
  type StoredEvent,
  type Thread,
} from './types.ts';

export interface StoreOptions {
  /** Defaults to `<db dir>/blobs`. */
  blobDir?: string;
  /** The clock, for tests; defaults to Date.now. */
  now?: () => number;
  /** Where a throwing subscriber's error goes; by default it is rethrown on a microtask, loud but harmless to the append. */
  onListenerError?: (err: unknown) => void;
  /** A better_sqlite3.node built for Electron's ABI; plain Node uses the installed one. */
  nativeBinding?: string;
  /** Keys in use, redacted from everything stored (more can be added with store.redactor.addSecret). */
  secrets?: readonly string[];
  /** false: keep no space aside beside the database for recording a run's end on a full disk. */
  diskReserve?: false;
}

export const INTERRUPTED_REASON = 'the process stopped while the run was active';

type Row = Record<string, unknown>;
const ACTIVE_SQL = ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ');

/** Unicode-aware case folding for search: SQLite's own LIKE and lower() fold ASCII only. */
const fold = (s: string): string => s.normalize('NFC').toLowerCase();

const toThread = (r: Row): Thread => ({
  id: r['id'] as string,
  title: r['title'] as string,
  createdAt: r['created_at'] as number,
  updatedAt: r['updated_at'] as number,
  // Capped on read too, so a row written before the caps cannot make threads.list huge.
  summary: r['summary'] === null ? null : capSummary(r['summary'] as string),
});

const toRun = (r: Row): Run => ({
  id: r['id'] as string,
  threadId: r['thread_id'] as string,
  task: r['task'] as string,
  status: r['status'] as RunStatus,
  provider: r['provider'] as string,
  model: r['model'] as string | null,
  createdAt: r['created_at'] as number,
  updatedAt: r['updated_at'] as number,
  endedAt: r['ended_at'] as number | null,
  answer: r['answer'] as string | null,
  error: r['error'] as string | null,
  summary: r['summary'] as string | null,
  options: JSON.parse(r['options'] as string) as Record<string, unknown>,
});

const isFkError = (err: unknown): boolean =>
  err instanceof Database.SqliteError && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';

/** Every statement the store runs, prepared once per connection. */
function prepareStatements(db: Db) {
  const p = (sql: string) => db.prepare(sql);
  return {
    insertThread: p('INSERT INTO threads (id, title, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING *'),
    getThread: p('SELECT * FROM threads WHERE id = ?'),
    listThreads: p(`SELECT * FROM threads t
      WHERE @q IS NULL OR instr(deskpilot_fold(t.title), @q) > 0
        OR EXISTS (SELECT 1 FROM runs r WHERE r.thread_id = t.id AND instr(deskpilot_fold(r.task), @q) > 0)
      ORDER BY t.updated_at DESC, t.id DESC LIMIT @limit`),
    renameThread: p('UPDATE threads SET title = ?, updated_at = ? WHERE id = ?'),
    setThreadSummary: p('UPDATE threads SET summary = ?, updated_at = ? WHERE id = ?'),
    touchThread: p('UPDATE threads SET updated_at = max(updated_at, ?) WHERE id = ?'),
    deleteThread: p('DELETE FROM threads WHERE id = ?'),
    insertRun: p(`INSERT INTO runs (id, thread_id, task, status, provider, model, created_at, updated_at, options)
      VALUES (@id, @threadId, @task, @status, @provider, @model, @now, @now, @options) RETURNING *`),
    getRun: p('SELECT * FROM runs WHERE id = ?'),
    listRuns: p('SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT ?'),
    listThreadRuns: p('SELECT * FROM runs WHERE thread_id = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
    listModelRuns: p("SELECT * FROM runs WHERE provider = @provider AND substr(model, 1, length(@prefix)) = @prefix ORDER BY created_at DESC, id DESC LIMIT @limit"),
    setRunStatus: p(`UPDATE runs SET status = @status, updated_at = @now,
        ended_at = CASE WHEN @terminal THEN coalesce(ended_at, @now) ELSE NULL END,
        answer = CASE WHEN @setAnswer THEN @answer ELSE answer END,
        error = CASE WHEN @setError THEN @error ELSE error END,
        summary = CASE WHEN @setSummary THEN @summary ELSE summary END
      WHERE id = @id RETURNING *`),
    activeRunIds: p(`SELECT id FROM runs WHERE status IN (${ACTIVE_SQL}) ORDER BY created_at, id`).pluck(),
    // One statement is one implicit transaction: SQLite takes the write lock before it reads max(seq),
    // so two writers (even two processes) can never hand out the same seq.
    // The hash is computed in the same statement, from the seq it allocates and the last event's hash.
    appendEvent: p(`INSERT INTO events (run_id, seq, type, at, data, prev_hash, hash)
      SELECT @runId, n.seq, @type, @at, @data, n.prev, deskpilot_chain(@runId, n.seq, @type, @at, @data, n.prev)
      FROM (SELECT coalesce(max(seq), 0) + 1 AS seq,
        (SELECT hash FROM events WHERE run_id = @runId ORDER BY seq DESC LIMIT 1) AS prev
        FROM events WHERE run_id = @runId) AS n
      RETURNING seq`).pluck(),
    // Budgets (agents/run/budget.ts): tokens and cost the model replies reported, for a thread or since a time.
    usageTotals: p(`SELECT coalesce(sum(coalesce(json_extract(e.data, '$.usage.inputTokens'), 0) + coalesce(json_extract(e.data, '$.usage.outputTokens'), 0)), 0) AS tokens,
        coalesce(sum(coalesce(json_extract(e.data, '$.usage.costUsd'), 0)), 0) AS costUsd
      FROM runs r JOIN events e ON e.run_id = r.id
      WHERE (@threadId IS NULL OR r.thread_id = @threadId) AND (@since IS NULL OR r.updated_at >= @since OR r.status IN (${ACTIVE_SQL}))
        AND e.type = 'model_responded' AND (@since IS NULL OR e.at >= @since)`),
    // A thread's totals for its view: runs, steps begun, tokens, and cost (null when no reply reported one).
    threadTotals: p(`SELECT count(DISTINCT r.id) AS runs, coalesce(sum(e.type = 'step_started'), 0) AS steps,
        coalesce(sum(CASE WHEN e.type = 'model_responded' THEN coalesce(json_extract(e.data, '$.usage.inputTokens'), 0) + coalesce(json_extract(e.data, '$.usage.outputTokens'), 0) END), 0) AS tokens,
        sum(CASE WHEN e.type = 'model_responded' THEN json_extract(e.data, '$.usage.costUsd') END) AS costUsd
      FROM runs r LEFT JOIN events e ON e.run_id = r.id AND e.type IN ('step_started', 'model_responded')
      WHERE r.thread_id = ?`),
    readChain: p('SELECT seq, type, at, data, prev_hash AS prevHash, hash FROM events WHERE run_id = ? ORDER BY seq'),
    readEvents: p('SELECT seq, type, at, data FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    lastSeq: p('SELECT coalesce(max(seq), 0) FROM events WHERE run_id = ?').pluck(),
  };
}

export class Store {
  readonly blobs: BlobStore;
  /** Applied to every text that enters the store: events, run outcomes, summaries, tasks, titles. */
  readonly redactor: Redactor;
  readonly #now: () => number;
  readonly #newId = monotonicFactory();
  readonly #listeners = new Set<EventListener>();
  readonly #onListenerError: (err: unknown) => void;
  readonly #sql: ReturnType<typeof prepareStatements>;
  readonly #reserve: DiskReserve | undefined;

  static open(path: string, opts: StoreOptions = {}): Store {
    if (path === ':memory:' && !opts.blobDir) throw new Error('an in-memory store needs an explicit blobDir');
    return new Store(openDatabase(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}), opts.blobDir ?? join(dirname(path), 'blobs'), opts);
  }

  /** Use Store.open; this is for callers that already hold a migrated database. */
  constructor(
    readonly db: Db,
    blobDir: string,
    opts: StoreOptions = {},
  ) {
    this.blobs = new BlobStore(blobDir);
    this.#now = opts.now ?? Date.now;
    this.redactor = new Redactor(opts.secrets);
    this.#onListenerError = opts.onListenerError ?? ((err) => queueMicrotask(() => { throw err; }));
    db.function('deskpilot_fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? fold(s) : s));
    db.function('deskpilot_chain', { deterministic: true }, (runId: unknown, seq: unknown, type: unknown, at: unknown, data: unknown, prev: unknown) =>
      eventHash(String(runId), Number(seq), String(type), Number(at), String(data), typeof prev === 'string' ? prev : null));
    this.#sql = prepareStatements(db);
    this.#reserve = db.name === ':memory:' || opts.diskReserve === false ? undefined : new DiskReserve(dirname(db.name));
  }

  /** Text as the store keeps it: secrets redacted (before the cut, so no half key escapes), then capped. */
  #clean(text: string, max: number): string {
    return capText(this.redactor.redact(text), max);
  }

  #cleanSummary(summary: string | null | undefined): string | null | undefined {
    return typeof summary === 'string' ? capSummary(this.redactor.redact(summary)) : summary;
  }

  // ---- threads ----

  createThread(title: string): Thread {
    const now = this.#now();
    return toThread(this.#sql.insertThread.get(this.#newId(now), this.#clean(title, TITLE_MAX), now, now) as Row);
  }

  getThread(id: string): Thread | undefined {
    const row = this.#sql.getThread.get(id) as Row | undefined;
    return row && toThread(row);
  }

  /** Newest activity first. `search` matches the title or any run's task, ignoring case. */
  listThreads({ search, limit }: { search?: string; limit?: number } = {}): Thread[] {
    const q = search?.trim() ? fold(search.trim()) : null;
    return (this.#sql.listThreads.all({ q, limit: limit ?? -1 }) as Row[]).map(toThread);
  }

  renameThread(id: string, title: string): void {
    if (this.#sql.renameThread.run(this.#clean(title, TITLE_MAX), this.#now(), id).changes === 0) throw new NotFoundError('thread', id);
  }

  setThreadSummary(id: string, summary: string | null): void {
    if (this.#sql.setThreadSummary.run(this.#cleanSummary(summary), this.#now(), id).changes === 0) throw new NotFoundError('thread', id);
  }

  /** Deletes the thread with its runs and their events. Blobs stay: they are shared by content. */
  deleteThread(id: string): boolean {
    return this.#sql.deleteThread.run(id).changes > 0;
  }

  // ---- runs ----

  /** A new run starts as 'running' and moves its thread to the top of the list. */
  createRun({ threadId, task, provider, model = null, options = {}, status = 'running' }: NewRun): Run {
    const now = this.#now();
    try {
      return this.db.transaction(() => {
        const row = this.#sql.insertRun.get({
          id: this.#newId(now), threadId, task: this.#clean(task, RUN_TEXT_MAX), provider, model, now, options: JSON.stringify(options), status,
        }) as Row;
        this.#sql.touchThread.run(now, threadId);
        return toRun(row);
      })();
    } catch (err) {
      throw isFkError(err) ? new NotFoundError('thread', threadId) : err;
    }
  }

  getRun(id: string): Run | undefined {
    const row = this.#sql.getRun.get(id) as Row | undefined;
    return row && toRun(row);
  }

  /** Newest first, across all threads or within one. */
  listRuns({ threadId, limit }: { threadId?: string; limit?: number } = {}): Run[] {
    const rows = threadId === undefined
      ? this.#sql.listRuns.all(limit ?? -1)
      : this.#sql.listThreadRuns.all(threadId, limit ?? -1);
    return (rows as Row[]).map(toRun);
  }

  /** Runs of one provider whose model starts with `modelPrefix` (an automation's replays: "NAME@v"), newest first. */
  listRunsByModel({ provider, modelPrefix, limit }: { provider: string; modelPrefix: string; limit?: number }): Run[] {
    return (this.#sql.listModelRuns.all({ provider, prefix: modelPrefix, limit: limit ?? -1 }) as Row[]).map(toRun);
  }

  /**
   * Records a run's status (a projection of its events, kept for lists and recovery).
   * Terminal statuses set ended_at (once); going back to an active one clears it.
   */
  setRunStatus(id: string, status: RunStatus, outcome: RunOutcome = {}): Run {
    if (!isRunStatus(status)) throw new Error(`unknown run status ${JSON.stringify(status)}`);
    return this.db.transaction(() => this.#setStatus(id, status, outcome, this.#now()))();
  }

  #setStatus(id: string, status: RunStatus, o: RunOutcome, now: number): Run {
    const row = this.#sql.setRunStatus.get({
      id, status, now, terminal: isTerminal(status) ? 1 : 0,
      setAnswer: o.answer !== undefined ? 1 : 0, answer: typeof o.answer === 'string' ? this.#clean(o.answer, RUN_TEXT_MAX) : null,
      setError: o.error !== undefined ? 1 : 0, error: typeof o.error === 'string' ? this.#clean(o.error, RUN_TEXT_MAX) : null,
      setSummary: o.summary !== undefined ? 1 : 0, summary: this.#cleanSummary(o.summary) ?? null,
    }) as Row | undefined;
    if (!row) throw new NotFoundError('run', id);
    this.#sql.touchThread.run(now, row['thread_id']);
    return toRun(row);
  }

  /**
   * Closes the runs a previous process left active: each becomes 'interrupted' and gets a final
   * `run_interrupted` event. Not done by Store.open on purpose: the app and the CLI call it once at
   * start-up, before they start runs of their own. Returns the ids of the runs it marked.
   */
  recoverInterrupted(): string[] {
    const now = this.#now();
    const appended: StoredEvent[] = [];
    const ids = this.db.transaction(() => {
      const ids = this.#sql.activeRunIds.all() as string[];
      for (const id of ids) {
        this.#setStatus(id, 'interrupted', {}, now);
        appended.push(this.#insertEvent(id, { type: 'run_interrupted', reason: INTERRUPTED_REASON, at: now }, now));
      }
      return ids;
    }).immediate();
    this.#notify(appended);
    return ids;
  }

  // ---- events ----

  /** Appends one event with the run's next seq (gapless, from 1). `at` defaults to now. */
  append<E extends EventInput>(runId: string, event: E): StoredEvent<E> {
    const stored = this.#insertEvent(runId, event, this.#now());
    this.#notify([stored]);
    return stored as StoredEvent<E>;
  }

  /** Appends several events to one run in one transaction: all or none. */
  appendMany<E extends EventInput>(runId: string, events: readonly E[]): StoredEvent<E>[] {
    const now = this.#now();
    const stored = this.db.transaction(() => events.map((e) => this.#insertEvent(runId, e, now))).immediate();
    this.#notify(stored);
    return stored as StoredEvent<E>[];
  }

  #insertEvent(runId: string, event: EventInput, now: number): StoredEvent {
    // runId and seq are the store's to assign; a copied StoredEvent loses its old ones.
    const { type, at = now, runId: _r, seq: _s, ...rest } = event;
    if (typeof type !== 'string' || type === '') throw new Error('an event needs a non-empty string type');
    if (!Number.isSafeInteger(at)) throw new Error(`event ${type}: at must be an integer epoch ms, got ${String(at)}`);
    // Every string in the event, however deep, is redacted and capped on its way into the log.
    const data = jsonWithCleanStrings(rest, (s) => this.#clean(s, EVENT_STRING_MAX));
    let seq: number;
    try {
      seq = this.#sql.appendEvent.get({ runId, type, at, data }) as number;
    } catch (err) {
      if (isDiskFull(err)) throw new DiskFullError(this.dbFolder, { cause: err });
      throw isFkError(err) ? new NotFoundError('run', runId) : err;
    }
    return { ...(JSON.parse(data) as object), runId, seq, at, type };
  }

  /** Events with seq > afterSeq, in order; `limit` pages through long runs. */
  // Typed by the caller: the log holds what its one writer appended (the run's event union).
  readEvents<E extends EventInput = EventInput>(runId: string, afterSeq = 0, limit?: number): StoredEvent<E>[] {
    const rows = this.#sql.readEvents.all(runId, afterSeq, limit ?? -1) as Row[];
    return rows.map((r) => {
      const event: object = { ...(JSON.parse(r['data'] as string) as object), runId, seq: r['seq'] as number, at: r['at'] as number, type: r['type'] as string };
      return event as StoredEvent<E>;
    });
  }

  /** Tokens and cost (USD) the model replies of a thread's runs, or of all runs since a time, reported. */
  usageTotals({ threadId, since }: { threadId?: string; since?: number }): { tokens: number; costUsd: number } {
    return this.#sql.usageTotals.get({ threadId: threadId ?? null, since: since ?? null }) as { tokens: number; costUsd: number };
  }

  /** What a thread's runs came to: how many, steps begun, tokens, and cost in USD (null when no reply reported a cost). */
  threadTotals(threadId: string): { runs: number; steps: number; tokens: number; costUsd: number | null } {
    return this.#sql.threadTotals.get(threadId) as { runs: number; steps: number; tokens: number; costUsd: number | null };
  }

  /** The run's events exactly as stored, with their hashes: what `runs verify` and exports check. */
  readChain(runId: string): ChainRow[] {
    return this.#sql.readChain.all(runId) as ChainRow[];
  }

  /** The run's highest seq, 0 when it has no events. */
  lastSeq(runId: string): number {
    return this.#sql.lastSeq.get(runId) as number;
  }

  /** Called synchronously after each committed append, in this process only. */
  subscribe<E extends EventInput = EventInput>(listener: EventListener<E>): () => void {
    const l = listener as EventListener;
    this.#listeners.add(l);
    return () => void this.#listeners.delete(l);
  }

  #notify(events: readonly StoredEvent[]): void {
    for (const e of events) {
      for (const l of [...this.#listeners]) {
        try {
          l(e);
        } catch (err) {
          this.#onListenerError(err);
        }
      }
    }
  }

  // ---- blobs ----

  putBlob(data: Uint8Array, ext: BlobExt): string {
    return onFullDisk(this.blobs.dir, () => this.blobs.put(data, ext));
  }

  /** Frees the space kept aside beside the database, so the end of a run can be recorded on a full disk. */
  releaseDiskReserve(): boolean {
    return this.#reserve?.release() ?? false;
  }

  /** The folder of the database file (where a full disk stops the log). */
  get dbFolder(): string {
    return this.db.name === ':memory:' ? this.blobs.dir : dirname(this.db.name);
  }

  blobPath(ref: string): string {
    return this.blobs.path(ref);
  }

  readBlob(ref: string): Buffer {
    return this.blobs.read(ref);
  }

  close(): void {
    this.#listeners.clear();
    if (this.db.open) this.db.close();
  }
}
