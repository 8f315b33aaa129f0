// Opens the SQLite database and brings its schema up to date with versioned migrations.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Schema steps, applied in order; step i brings PRAGMA user_version from i to i + 1.
 * Never edit a step that has shipped: append a new one.
 * runs.status is checked in TypeScript (RUN_STATUSES), not by a CHECK, so adding a status
 * needs no table rebuild.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE threads (
    id         TEXT PRIMARY KEY NOT NULL,
    title      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    summary    TEXT
  ) STRICT;
  CREATE INDEX threads_by_updated ON threads (updated_at DESC, id DESC);

  CREATE TABLE runs (
    id         TEXT PRIMARY KEY NOT NULL,
    thread_id  TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    task       TEXT NOT NULL,
    status     TEXT NOT NULL,
    provider   TEXT NOT NULL,
    model      TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    ended_at   INTEGER,
    answer     TEXT,
    error      TEXT,
    summary    TEXT,
    options    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options))
  ) STRICT;
  CREATE INDEX runs_by_thread ON runs (thread_id, created_at DESC, id DESC);
  CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC);
  CREATE INDEX runs_active ON runs (status) WHERE status IN ('running', 'paused', 'waiting');

  CREATE TABLE events (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    type   TEXT NOT NULL,
    at     INTEGER NOT NULL,
    data   TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) STRICT, WITHOUT ROWID;
  `,
  // 2: automations (agents/automations/automation-store.ts): the current version and every saved one.
  `
  CREATE TABLE automations (
    name       TEXT PRIMARY KEY NOT NULL,
    version    INTEGER NOT NULL,
    json       TEXT NOT NULL CHECK (json_valid(json)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE automation_versions (
    name       TEXT NOT NULL REFERENCES automations (name) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    json       TEXT NOT NULL CHECK (json_valid(json)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (name, version)
  ) STRICT, WITHOUT ROWID;
  `,
  // 3: schedules of automations, and the inbox of their results (agents/automations/schedule-store.ts).
  `
  CREATE TABLE automation_schedules (
    name            TEXT PRIMARY KEY NOT NULL REFERENCES automations (name) ON DELETE CASCADE,
    cron            TEXT NOT NULL,
    run_missed      INTEGER NOT NULL,
    target          TEXT NOT NULL CHECK (target IN ('sandbox', 'display')),
    created_at      INTEGER NOT NULL,
    last_checked_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE inbox (
    id          TEXT PRIMARY KEY NOT NULL,
    automation  TEXT NOT NULL,
    run_id      TEXT,
    status      TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'needs_attention')),
    trigger     TEXT NOT NULL CHECK (trigger IN ('schedule', 'missed', 'manual')),
    summary     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
  ) STRICT;
  CREATE INDEX inbox_by_time ON inbox (created_at DESC);
  `,
  // 4: the audit trail (agents/store/audit.ts): each event's hash and the one before it; older events keep NULL.
  `
  ALTER TABLE events ADD COLUMN prev_hash TEXT;
  ALTER TABLE events ADD COLUMN hash TEXT;
  `,
  // 5: an inbox item's answer (a prompt automation's) and when it was archived (agents/automations/schedule-store.ts).
  `
  ALTER TABLE inbox ADD COLUMN answer TEXT;
  ALTER TABLE inbox ADD COLUMN archived_at INTEGER;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaTooNewError extends Error {
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${path} has schema version ${found}, but this Deskpilot only knows up to version ${supported}. ` +
        `It was written by a newer Deskpilot: update Deskpilot, or set DESKPILOT_HOME to use another folder.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

export interface OpenOptions {
  /** For tests of upgrades; defaults to MIGRATIONS. */
  migrations?: readonly string[];
  /** How long a writer waits for another connection's lock, in ms. */
  busyTimeoutMs?: number;
  /** A better_sqlite3.node built for another runtime's ABI (Electron's). */
  nativeBinding?: string;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL loses nothing when the process crashes or is killed (-9), only maybe the last commits on power loss.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path, opts.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies the pending steps in one IMMEDIATE transaction, so two processes opening at once cannot both migrate. */
export function migrate(db: Db, path: string, migrations: readonly string[]): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) throw new SchemaTooNewError(path, current, migrations.length);
    for (let v = current; v < migrations.length; v++) db.exec(migrations[v]!);
    if (current !== migrations.length) db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
