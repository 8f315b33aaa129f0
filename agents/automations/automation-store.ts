// Automations in SQLite (current version + history) and as readable JSON files in
// <dataDir>/automations/<name>.json, which mirror the current version.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.ts';
import { assertName, AutomationError, parseAutomation, type Automation, type AutomationInput } from './automation.ts';

export interface AutomationSummary {
  name: string;
  version: number;
  description?: string;
  steps: number;
  params: string[];
  createdAt: number;
  updatedAt: number;
}

type Row = { name: string; version: number; json: string; created_at: number; updated_at: number };

export class AutomationStore {
  readonly #sql;

  /** `db` is the Store's (migrated) database; `dir` is where the JSON files go. */
  constructor(readonly db: Db, readonly dir: string, private readonly now: () => number = Date.now) {
    const p = (sql: string) => db.prepare(sql);
    this.#sql = {
      list: p('SELECT * FROM automations ORDER BY updated_at DESC, name'),
      get: p('SELECT * FROM automations WHERE name = ?'),
      getVersion: p('SELECT json FROM automation_versions WHERE name = ? AND version = ?').pluck(),
      versions: p('SELECT version, created_at FROM automation_versions WHERE name = ? ORDER BY version'),
      upsert: p(`INSERT INTO automations (name, version, json, created_at, updated_at) VALUES (@name, @version, @json, @now, @now)
        ON CONFLICT (name) DO UPDATE SET version = excluded.version, json = excluded.json, updated_at = excluded.updated_at`),
      insertVersion: p('INSERT INTO automation_versions (name, version, json, created_at) VALUES (@name, @version, @json, @now)'),
      delete: p('DELETE FROM automations WHERE name = ?'),
    };
  }

  list(): AutomationSummary[] {
    return (this.#sql.list.all() as Row[]).map((r) => {
      const a = JSON.parse(r.json) as Automation;
      return {
        name: r.name, version: r.version, steps: a.steps.length, params: a.params.map((p) => p.name), createdAt: r.created_at, updatedAt: r.updated_at,
        ...(a.description ? { description: a.description } : {}),
      };
    });
  }

  /** The current version, or an older one; undefined when there is no such automation or version. */
  get(name: string, version?: number): Automation | undefined {
    if (version !== undefined) {
      const json = this.#sql.getVersion.get(name, version) as string | undefined;
      return json === undefined ? undefined : parseAutomation(json, `automation "${name}" v${version}`);
    }
    const row = this.#sql.get.get(name) as Row | undefined;
    return row && parseAutomation(row.json, `automation "${name}"`);
  }

  versions(name: string): { version: number; createdAt: number }[] {
    return (this.#sql.versions.all(name) as { version: number; created_at: number }[]).map((r) => ({ version: r.version, createdAt: r.created_at }));
  }

  /** Saves a new version (1 for a new name, else the current + 1) and rewrites its JSON file. */
  save(input: Omit<AutomationInput, 'version'>): Automation {
    assertName(input.name);
    const now = this.now();
    const saved = this.db.transaction(() => {
      const current = this.#sql.get.get(input.name) as Row | undefined;
      const automation = parseAutomation({ ...input, version: (current?.version ?? 0) + 1 }, `automation "${input.name}"`);
      const json = JSON.stringify(automation);
      this.#sql.upsert.run({ name: automation.name, version: automation.version, json, now });
      this.#sql.insertVersion.run({ name: automation.name, version: automation.version, json, now });
      return automation;
    }).immediate();
    this.#writeFile(saved);
    return saved;
  }

  /** Removes the automation, its history and its file. */
  delete(name: string): boolean {
    const deleted = this.#sql.delete.run(name).changes > 0;
    rmSync(this.filePath(name), { force: true });
    return deleted;
  }

  filePath(name: string): string {
    return join(this.dir, `${assertName(name)}.json`);
  }

  // Write beside, then rename: a reader never sees half a file.
  #writeFile(automation: Automation): void {
    const path = this.filePath(automation.name);
    const tmp = join(this.dir, `.${automation.name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, `${JSON.stringify(automation, null, 2)}\n`);
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw new AutomationError(`saved automation "${automation.name}" v${automation.version} in the database, but could not write ${path}: ${(err as Error).message}`);
    }
  }
}
