// Fires scheduled automations with croner: never two runs of one automation at once, a missed run
// fired once at start-up when the schedule asks for it, and every result in the inbox.
import { Cron } from 'croner';
import type { InboxItem, InboxStatus, Schedule, ScheduleStore, Trigger } from './schedule-store.ts';

export interface FireResult {
  runId?: string;
  status: InboxStatus;
  summary: string;
  /** A prompt automation's answer. */
  answer?: string;
  /** Nothing to report: the item goes straight to the archive. */
  archived?: boolean;
}

export interface SchedulerOptions {
  schedules: ScheduleStore;
  /** Runs the automation to its end (a replay on the schedule's target) and says how it went. */
  fire: (schedule: Schedule, trigger: Trigger) => Promise<FireResult>;
  onInbox?: (item: InboxItem) => void;
  /** How often schedules written by other processes (the CLI) are picked up. */
  pollMs?: number;
  now?: () => number;
}

export class OverlapError extends Error {
  override name = 'OverlapError';
}

export class Scheduler {
  private readonly jobs = new Map<string, { cron: string; job: Cron }>();
  private readonly running = new Map<string, Promise<InboxItem>>();
  private poll: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: SchedulerOptions) {}

  /** Starts the jobs and fires, once each, the runs missed while nothing was watching. */
  start(): void {
    const now = this.now();
    for (const s of this.opts.schedules.list()) {
      const missed = s.runMissed && missedSince(s, now);
      this.opts.schedules.touch(s.name, now);
      if (missed) void this.fire(s.name, 'missed').catch(() => undefined);
    }
    this.sync();
    this.poll = setInterval(() => this.sync(), this.opts.pollMs ?? 5000);
    this.poll.unref();
  }

  /** Runs an automation now; refused while a run of it is going. */
  runNow(name: string): Promise<InboxItem> {
    return this.fire(name, 'manual');
  }

  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    for (const { job } of this.jobs.values()) job.stop();
    this.jobs.clear();
    await Promise.allSettled(this.running.values());
  }

  /** Matches the jobs to the stored schedules, and records that they are being watched. */
  private sync(): void {
    if (this.stopped) return;
    const wanted = new Map(this.opts.schedules.list().map((s) => [s.name, s]));
    for (const [name, j] of this.jobs) {
      if (wanted.get(name)?.cron !== j.cron) {
        j.job.stop();
        this.jobs.delete(name);
      }
    }
    const now = this.now();
    for (const s of wanted.values()) {
      this.opts.schedules.touch(s.name, now);
      if (this.jobs.has(s.name)) continue;
      const job = new Cron(s.cron, () => {
        // A schedule removed or changed (here or by another process) stops firing now, not at the next sync.
        if (this.opts.schedules.get(s.name)?.cron !== s.cron) return this.sync();
        void this.fire(s.name, 'schedule').catch(() => undefined);
      });
      this.jobs.set(s.name, { cron: s.cron, job });
    }
  }

  private fire(name: string, trigger: Trigger): Promise<InboxItem> {
    if (this.running.has(name)) return Promise.reject(new OverlapError(`automation "${name}" is already running: two runs of one automation never overlap`));
    const schedule = this.opts.schedules.get(name) ?? { name, cron: '', runMissed: false, target: 'sandbox' as const, createdAt: 0, lastCheckedAt: 0 };
    const done = (async () => {
      let result: FireResult;
      try {
        result = await this.opts.fire(schedule, trigger);
      } catch (err) {
        result = { status: 'failed', summary: `could not run: ${(err as Error).message}` };
      }
      this.opts.schedules.touch(name, this.now());
      const item = this.opts.schedules.addItem({
        automation: name, runId: result.runId ?? null, status: result.status, trigger, summary: result.summary, answer: result.answer ?? null, archived: result.archived === true,
      });
      this.opts.onInbox?.(item);
      return item;
    })().finally(() => this.running.delete(name));
    this.running.set(name, done);
    return done;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

/** True when the schedule should have fired between the last time it was watched and now. */
export function missedSince(s: Pick<Schedule, 'cron' | 'lastCheckedAt'>, now: number): boolean {
  const next = new Cron(s.cron, { paused: true }).nextRun(new Date(s.lastCheckedAt));
  return next !== null && next.getTime() <= now;
}
