// The scheduler on a real SQLite store and real croner timers (second-resolution schedules).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempStore } from '../store/testdata/temp-store.ts';
import { AUTOMATION_FORMAT } from './automation.ts';
import { AutomationStore } from './automation-store.ts';
import { ScheduleStore } from './schedule-store.ts';
import { missedSince, OverlapError, Scheduler, type FireResult } from './scheduler.ts';

const tmp = useTempStore();
let scheduler: Scheduler | undefined;
afterEach(async () => scheduler?.stop());

function setup(now: () => number = Date.now) {
  const store = tmp.open();
  const automations = new AutomationStore(store.db, join(tmp.dir(), 'automations'));
  automations.save({ format: AUTOMATION_FORMAT, name: 'nightly', params: [], allowHealing: false, steps: [{ id: 's1', intent: 'type x', action: { type: 'type', text: 'x' } }] });
  return { store, schedules: new ScheduleStore(store.db, now) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ScheduleStore', () => {
  it('refuses a bad cron expression or an unknown automation, saying what to do', () => {
    const { schedules } = setup();
    expect(() => schedules.set('nightly', 'every day')).toThrow(/not a usable cron expression.*Example/);
    expect(() => schedules.set('ghost', '0 9 * * *')).toThrow(/no automation named "ghost"/);
    expect(schedules.set('nightly', '0 9 * * 1-5', { runMissed: true })).toMatchObject({ cron: '0 9 * * 1-5', runMissed: true, target: 'sandbox' });
    expect(schedules.remove('nightly')).toBe(true);
    expect(schedules.list()).toEqual([]);
  });
});

describe('Scheduler', () => {
  it('fires on its cron schedule and puts each result in the inbox', async () => {
    const { schedules } = setup();
    schedules.set('nightly', '* * * * * *');
    const fired: string[] = [];
    scheduler = new Scheduler({ schedules, fire: async (s, trigger) => (fired.push(`${s.name}:${trigger}`), { runId: 'R1', status: 'succeeded', summary: 'replayed 1 step' }) });
    scheduler.start();
    await expect.poll(() => schedules.inbox().length, { timeout: 4000 }).toBeGreaterThan(0);
    expect(fired[0]).toBe('nightly:schedule');
    expect(schedules.inbox()[0]).toMatchObject({ automation: 'nightly', runId: 'R1', status: 'succeeded', trigger: 'schedule', readAt: null });
  });

  it('a schedule removed, even by another process, fires no more at once (not at the next sync)', async () => {
    const { schedules } = setup();
    schedules.set('nightly', '* * * * * *');
    const fired: string[] = [];
    scheduler = new Scheduler({ schedules, pollMs: 60_000, fire: async (s) => (fired.push(s.name), { status: 'succeeded', summary: 'ok' }) });
    scheduler.start();
    await expect.poll(() => fired.length, { timeout: 4000 }).toBeGreaterThan(0);
    schedules.remove('nightly');
    const count = fired.length;
    await sleep(2200); // two ticks of the old cron
    expect(fired.length).toBe(count);
  });

  it('never runs one automation twice at once', async () => {
    const { schedules } = setup();
    schedules.set('nightly', '* * * * * *');
    let active = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    scheduler = new Scheduler({
      schedules,
      fire: async (): Promise<FireResult> => {
        most = Math.max(most, ++active);
        await gate;
        active--;
        return { status: 'failed', summary: 'target not found' };
      },
    });
    scheduler.start();
    await expect.poll(() => scheduler!.isRunning('nightly'), { timeout: 3000 }).toBe(true);
    await expect(scheduler.runNow('nightly')).rejects.toBeInstanceOf(OverlapError);
    await sleep(2200); // two more ticks while the first run is still going
    release();
    await expect.poll(() => schedules.inbox().length).toBe(1);
    expect(most).toBe(1);
    expect(schedules.inbox()[0]).toMatchObject({ status: 'failed', summary: 'target not found' });
  });

  it('runs a schedule missed while the app was closed once at start-up, only if asked to', async () => {
    let now = Date.parse('2026-11-20T08:00:00Z');
    const { schedules } = setup(() => now);
    schedules.set('nightly', '0 9 * * *', { runMissed: true }); // watched until 08:00
    now = Date.parse('2026-11-21T12:00:00Z'); // two 09:00s were missed
    expect(missedSince(schedules.get('nightly')!, now)).toBe(true);
    const triggers: string[] = [];
    scheduler = new Scheduler({ schedules, now: () => now, fire: async (_s, t) => (triggers.push(t), { status: 'succeeded', summary: 'ok' }) });
    scheduler.start();
    await expect.poll(() => schedules.inbox().length).toBe(1);
    expect(triggers).toEqual(['missed']);
    await scheduler.stop();

    // Started again soon after: nothing was missed since.
    now += 60_000;
    scheduler = new Scheduler({ schedules, now: () => now, fire: async (_s, t) => (triggers.push(t), { status: 'succeeded', summary: 'ok' }) });
    scheduler.start();
    await sleep(100);
    expect(triggers).toEqual(['missed']);
  });

  it('does not run a missed schedule when the user did not ask for it', async () => {
    const { schedules } = setup();
    schedules.set('nightly', '0 9 * * *', { runMissed: false });
    const later = Date.now() + 3 * 86_400_000;
    const fired: string[] = [];
    scheduler = new Scheduler({ schedules, now: () => later, fire: async (_s, t) => (fired.push(t), { status: 'succeeded', summary: 'ok' }) });
    scheduler.start();
    await sleep(100);
    expect(fired).toEqual([]);
  });
});
