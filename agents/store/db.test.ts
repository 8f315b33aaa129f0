import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, openDatabase, SCHEMA_VERSION, SchemaTooNewError } from './db.ts';
import { useTempStore } from './testdata/temp-store.ts';

const tmp = useTempStore();

const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

describe('openDatabase', () => {
  it('creates the folder and the schema on a fresh file, with the agreed pragmas', () => {
    const db = openDatabase(tmp.dbPath());
    try {
      expect(existsSync(tmp.dbPath())).toBe(true);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(tables(db)).toEqual(['automation_schedules', 'automation_versions', 'automations', 'events', 'inbox', 'runs', 'threads']);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it('re-opens an up-to-date database without touching it', () => {
    openDatabase(tmp.dbPath()).close();
    const db = openDatabase(tmp.dbPath());
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(tables(db)).toEqual(['automation_schedules', 'automation_versions', 'automations', 'events', 'inbox', 'runs', 'threads']);
    } finally {
      db.close();
    }
  });

  it('applies only the pending steps, in order', () => {
    const steps = ['CREATE TABLE a (x INTEGER) STRICT', 'INSERT INTO a VALUES (1)', 'INSERT INTO a VALUES (2)'];
    openDatabase(tmp.dbPath(), { migrations: steps.slice(0, 2) }).close();
    const db = openDatabase(tmp.dbPath(), { migrations: steps });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(3);
      expect(db.prepare('SELECT x FROM a ORDER BY rowid').pluck().all()).toEqual([1, 2]);
    } finally {
      db.close();
    }
  });

  it('rolls back a failing step and keeps the old version', () => {
    openDatabase(tmp.dbPath(), { migrations: ['CREATE TABLE a (x)'] }).close();
    expect(() =>
      openDatabase(tmp.dbPath(), { migrations: ['CREATE TABLE a (x)', 'CREATE TABLE b (y)', 'NOT SQL AT ALL'] }),
    ).toThrow(/syntax error/);
    const db = new Database(tmp.dbPath());
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(tables(db)).toEqual(['a']);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer Deskpilot', () => {
    openDatabase(tmp.dbPath()).close();
    const raw = new Database(tmp.dbPath());
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    let error: unknown;
    try {
      openDatabase(tmp.dbPath());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect((error as Error).message).toMatch(
      new RegExp(`schema version ${MIGRATIONS.length + 1}, but this Deskpilot only knows up to version ${MIGRATIONS.length}`),
    );
  });

  it('rejects malformed options JSON and enforces foreign keys', () => {
    const db = openDatabase(join(tmp.dir(), 'x.db'));
    try {
      expect(() =>
        db.prepare("INSERT INTO runs (id, thread_id, task, status, provider, created_at, updated_at) VALUES ('r', 'nope', 't', 'running', 'p', 0, 0)").run(),
      ).toThrow(/FOREIGN KEY/);
      db.prepare("INSERT INTO threads (id, title, created_at, updated_at) VALUES ('t', 't', 0, 0)").run();
      expect(() =>
        db.prepare("INSERT INTO runs (id, thread_id, task, status, provider, created_at, updated_at, options) VALUES ('r', 't', 't', 'running', 'p', 0, 0, '{oops')").run(),
      ).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});
