// Schedules of automations and the inbox of their results, in the run database. The CLI writes
// schedules; the running app (or `deskpilot serve`) reads them and fires them.
import { Cron } from 'croner';
import { ulid } from 'ulid';
import type { Db } from '../store/db.ts';
import { AutomationError } from './automation.ts';

export type ScheduleTarget = 'sandbox' | 'display';
export type InboxStatus = 'succeeded' | 'failed' | 'needs_attention';
export type Trigger = 'schedule' | 'missed' | 'manual';

export interface Schedule {
  name: string;
  cron: string;
  /** A run missed while nothing was running fires once at the next start. */
  runMissed: boolean;
  target: ScheduleTarget;
  createdAt: number;
  /** Until when the schedule was being watched: missed runs are counted from here. */
  lastCheckedAt: number;
}

export interface InboxItem {
  id: string;
  automation: string;
  runId: string | null;
  status: InboxStatus;
  trigger: Trigger;
  summary: string;
  /** A prompt automation's answer, as the agent gave it. */
  answer: string | null;
  createdAt: number;
  readAt: number | null;
  /** Archived items are out of the default list; a run with nothing to report is archived at once. */
  archivedAt: number | null;
}

/** all: not archived; unread: not read and not archived; attention: needs attention or failed, not archived; archived. */
export type InboxFilter = 'all' | 'unread' | 'attention' | 'archived';

type ScheduleRow = { name: string; cron: string; run_missed: number; target: ScheduleTarget; created_at: number; last_checked_at: number };
type InboxRow = {
  id: string; automation: string; run_id: string | null; status: InboxStatus; trigger: Trigger; summary: string; answer: string | null; created_at: number; read_at: number | null; archived_at: number | null;
};

const toSchedule = (r: ScheduleRow): Schedule => ({ name: r.name, cron: r.cron, runMissed: r.run_missed === 1, target: r.target, createdAt: r.created_at, lastCheckedAt: r.last_checked_at });
const toItem = (r: InboxRow): InboxItem => ({
  id: r.id, automation: r.automation, runId: r.run_id, status: r.status, trigger: r.trigger, summary: r.summary, answer: r.answer, createdAt: r.created_at, readAt: r.read_at, archivedAt: r.archived_at,
});

/** Checks a cron expression (5 fields, or 6 with seconds) and says what is wrong with it. */
export function checkCron(expr: string): string {
  try {
    const next = new Cron(expr, { paused: true }).nextRun();
    if (!next) throw new Error('it never fires');
  } catch (err) {
    throw new AutomationError(`"${expr}" is not a usable cron expression: ${(err as Error).message}. Example: "0 9 * * 1-5" (weekdays at 9:00)`);
  }
  return expr.trim();
}

export class ScheduleStore {
  readonly #sql;

  constructor(db: Db, private readonly now: () => number = Date.now) {
    const p = (sql: string) => db.prepare(sql);
    this.#sql = {
      list: p('SELECT * FROM automation_schedules ORDER BY name'),
      get: p('SELECT * FROM automation_schedules WHERE name = ?'),
      exists: p('SELECT 1 FROM automations WHERE name = ?').pluck(),
      upsert: p(`INSERT INTO automation_schedules (name, cron, run_missed, target, created_at, last_checked_at) VALUES (@name, @cron, @runMissed, @target, @now, @now)
        ON CONFLICT (name) DO UPDATE SET cron = excluded.cron, run_missed = excluded.run_missed, target = excluded.target, last_checked_at = excluded.last_checked_at`),
      remove: p('DELETE FROM automation_schedules WHERE name = ?'),
      touch: p('UPDATE automation_schedules SET last_checked_at = ? WHERE name = ?'),
      addItem: p(`INSERT INTO inbox (id, automation, run_id, status, trigger, summary, answer, created_at, read_at, archived_at)
        VALUES (@id, @automation, @runId, @status, @trigger, @summary, @answer, @createdAt, NULL, @archivedAt)`),
      items: p(`SELECT * FROM inbox WHERE CASE @filter
          WHEN 'archived' THEN archived_at IS NOT NULL
          WHEN 'unread' THEN archived_at IS NULL AND read_at IS NULL
          WHEN 'attention' THEN archived_at IS NULL AND status != 'succeeded'
          ELSE archived_at IS NULL END
        ORDER BY created_at DESC, id DESC LIMIT @limit`),
      runIds: p('SELECT DISTINCT r.id FROM runs r JOIN inbox i ON i.run_id = r.id WHERE i.automation = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?').pluck(),
      read: p('UPDATE inbox SET read_at = CASE WHEN @read THEN coalesce(read_at, @now) ELSE NULL END WHERE id = @id'),
      archive: p('UPDATE inbox SET archived_at = CASE WHEN @archived THEN coalesce(archived_at, @now) ELSE NULL END WHERE id = @id'),
    };
  }

  list(): Schedule[] {
    return (this.#sql.list.all() as ScheduleRow[]).map(toSchedule);
  }

  get(name: string): Schedule | undefined {
    const r = this.#sql.get.get(name) as ScheduleRow | undefined;
    return r && toSchedule(r);
  }

  set(name: string, cron: string, opts: { runMissed?: boolean; target?: ScheduleTarget } = {}): Schedule {
    if (!this.#sql.exists.get(name)) throw new AutomationError(`no automation named "${name}": see deskpilot automations list`);
    this.#sql.upsert.run({ name, cron: checkCron(cron), runMissed: opts.runMissed ? 1 : 0, target: opts.target ?? 'sandbox', now: this.now() });
    return this.get(name)!;
  }

  remove(name: string): boolean {
    return this.#sql.remove.run(name).changes > 0;
  }

  touch(name: string, at = this.now()): void {
    this.#sql.touch.run(at, name);
  }

  /** Records a result; `archived` files it away at once (a run with nothing to report). */
  addItem(item: Omit<InboxItem, 'id' | 'createdAt' | 'readAt' | 'archivedAt' | 'answer'> & { answer?: string | null; archived?: boolean }): InboxItem {
    const { archived, ...rest } = item;
    const now = this.now();
    const full = { ...rest, answer: rest.answer ?? null, id: ulid(), createdAt: now, archivedAt: archived ? now : null };
    this.#sql.addItem.run(full);
    return { ...full, readAt: null };
  }

  inbox({ limit = 100, filter = 'all' }: { limit?: number; filter?: InboxFilter } = {}): InboxItem[] {
    return (this.#sql.items.all({ limit, filter }) as InboxRow[]).map(toItem);
  }

  /** The runs the inbox records for an automation that are still kept, newest first (archived items too). */
  runIds(automation: string, limit = -1): string[] {
    return this.#sql.runIds.all(automation, limit) as string[];
  }

  /** Marks an item read (or unread again); false when there is no such item. */
  markRead(id: string, read = true): boolean {
    return this.#sql.read.run({ id, read: read ? 1 : 0, now: this.now() }).changes > 0;
  }

  /** Archives an item (or brings it back); false when there is no such item. */
  archive(id: string, archived = true): boolean {
    return this.#sql.archive.run({ id, archived: archived ? 1 : 0, now: this.now() }).changes > 0;
  }
}
