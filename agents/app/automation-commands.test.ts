// The automation commands on a real AppService (real SQLite, real JSON files): "Save as automation"
// from a real run, the step editor's saves as versions, schedules, history, delete, and errors.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PictureDriver } from '../automations/testdata/fake-driver.ts';
import { INVOICE_SCRIPT, runOf, SAVE, ScaledScript } from '../automations/testdata/runs.ts';
import { filler, scene } from '../automations/testdata/scene.ts';
import { commands, type AppEvent, type Automation, type CommandName } from '../contract.ts';
import type { AppService } from './app-service.ts';
import { CommandError } from './command-error.ts';
import { openTestService } from './test-service.ts';

let service: AppService;
let screen: Buffer;
afterEach(async () => service?.close());
beforeAll(async () => {
  screen = await scene([...filler(), SAVE]);
});

const failure = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CommandError);
  return (err as CommandError).failure.error;
};

/** Calls a command and checks its answer against the contract's output schema. */
async function call<C extends CommandName>(command: C, input: unknown) {
  const out = await service.call(command, input);
  return commands[command].output.parse(out) as ReturnType<(typeof commands)[C]['output']['parse']>;
}

/** A real run (AgentRun + scripted planner + a driver over a rendered screen) that ended done. */
async function finishedRun() {
  const { run, result } = await runOf(service.store, new PictureDriver(screen), new ScaledScript(INVOICE_SCRIPT));
  expect(result.status).toBe('done');
  return run.id;
}

async function openWithEvents() {
  service = await openTestService();
  const seen: AppEvent['kind'][] = [];
  service.onEvent((e) => seen.push(e.kind));
  return seen;
}

const dataDir = async () => ((await service.call('app.info', {})) as { dataDir: string }).dataDir;

describe('automation commands', () => {
  it('saves a run as an automation with a parameter, and refuses a taken name unless told to overwrite', async () => {
    const seen = await openWithEvents();
    const runId = await finishedRun();
    const { automation, warnings } = await call('automations.fromRun', { runId, name: 'send invoice', params: { invoice: 'INV-001' } });
    expect(warnings).toEqual([]);
    expect(automation).toMatchObject({ name: 'send invoice', version: 1, params: [{ name: 'invoice' }], source: { runId } });
    expect(automation.steps.map((s) => s.action.type)).toEqual(['click', 'type', 'keypress']);
    expect(automation.steps[0]!.evidence?.crop).toMatch(/\.png$/);
    expect(service.blobPath(automation.steps[0]!.evidence!.crop!)).toBeTruthy();
    expect(automation.steps[1]!.action).toEqual({ type: 'type', text: '{{invoice}} for ACME' });
    expect(seen).toContain('automations_changed');

    expect(await failure(service.call('automations.fromRun', { runId, name: 'send invoice' }))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/exists already/) });
    const again = await call('automations.fromRun', { runId, name: 'send invoice', overwrite: true });
    expect(again.automation.version).toBe(2);
    expect(again.automation.params).toEqual([]);

    expect(await failure(service.call('automations.fromRun', { runId: 'nope', name: 'x' }))).toMatchObject({ code: 'not_found' });
    expect(await failure(service.call('automations.fromRun', { runId, name: 'Bad/Name' }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/not a valid automation name/) });
    expect(await failure(service.call('automations.fromRun', { runId, name: 'y', params: { who: 'never typed' } }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/the run never typed "never typed"/) });
  });

  it('saves edits as new versions (file included), keeps the old ones, and says what is wrong with a bad edit', async () => {
    await openWithEvents();
    const runId = await finishedRun();
    const { automation: v1 } = await call('automations.fromRun', { runId, name: 'invoice', params: { invoice: 'INV-001' } });
    const { version: _v, ...draft } = v1;
    // The editor: drop the keypress, swap the other two, change the click, give the param a default.
    const edited: Omit<Automation, 'version'> = {
      ...draft,
      params: [{ name: 'invoice', default: 'INV-001' }],
      steps: [draft.steps[1]!, { ...draft.steps[0]!, action: { type: 'click', x: 10, y: 20, button: 'left' } }],
    };
    const v2 = await call('automations.save', { automation: edited });
    expect(v2.version).toBe(2);
    const file = JSON.parse(readFileSync(join(await dataDir(), 'automations', 'invoice.json'), 'utf8')) as Automation;
    expect(file.version).toBe(2);
    expect(file.steps.map((s) => s.action)).toEqual([{ type: 'type', text: '{{invoice}} for ACME' }, { type: 'click', x: 10, y: 20, button: 'left' }]);

    const got = await call('automations.get', { name: 'invoice' });
    expect(got.automation.version).toBe(2);
    expect(got.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(got.schedule).toBeNull();
    expect((await call('automations.get', { name: 'invoice', version: 1 })).automation.steps).toHaveLength(3);
    expect(await failure(service.call('automations.get', { name: 'invoice', version: 7 }))).toMatchObject({ code: 'not_found', message: 'automation "invoice" has no version 7 (it has 1, 2)' });
    expect(await failure(service.call('automations.get', { name: 'ghost' }))).toMatchObject({ code: 'not_found' });

    // Bad edits: the message says what is wrong, and nothing is saved.
    const undeclared = { ...edited, params: [] };
    expect(await failure(service.call('automations.save', { automation: undeclared }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/\{\{invoice\}\} but params does not declare it/) });
    expect(await failure(service.call('automations.save', { automation: { ...edited, steps: [] } }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/at least one step/) });
    expect(await failure(service.call('automations.save', { automation: { ...edited, steps: [{ ...edited.steps[1]!, action: { type: 'click', x: -5, y: 1, button: 'left' } }] } }))).toMatchObject({ code: 'bad_input' });
    expect(await failure(service.call('automations.save', { automation: { ...edited, version: 9 } }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/version/) });
    expect((await call('automations.get', { name: 'invoice' })).automation.version).toBe(2);

    const list = await call('automations.list', {});
    expect(list).toEqual([expect.objectContaining({ name: 'invoice', version: 2, steps: 2, params: ['invoice'], schedule: null })]);
    expect(list[0]!.last).toBeUndefined();
  });

  it('schedules with a checked cron, shows the schedule, and unschedules', async () => {
    const seen = await openWithEvents();
    const runId = await finishedRun();
    await call('automations.fromRun', { runId, name: 'nightly' });
    const bad = await failure(service.call('automations.schedule', { name: 'nightly', cron: '61 * * * *' }));
    expect(bad).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/^"61 \* \* \* \*" is not a usable cron expression: .+\. Example/) });
    expect(await failure(service.call('automations.schedule', { name: 'ghost', cron: '0 9 * * *' }))).toMatchObject({ code: 'not_found' });

    const before = seen.length;
    const s = await call('automations.schedule', { name: 'nightly', cron: '0 3 * * *', runMissed: true, target: 'current' });
    expect(s).toMatchObject({ cron: '0 3 * * *', runMissed: true, target: 'current' });
    expect(new Date(s.nextRun!).getHours()).toBe(3);
    expect(s.nextRun!).toBeGreaterThan(Date.now());
    expect(seen.slice(before)).toContain('automations_changed');
    expect((await call('automations.list', {}))[0]!.schedule).toMatchObject({ cron: '0 3 * * *', target: 'current' });
    expect((await call('automations.get', { name: 'nightly' })).schedule).toMatchObject({ runMissed: true });
    expect((await call('automations.schedule', { name: 'nightly', cron: '*/5 * * * *' })).target).toBe('sandbox');

    await call('automations.unschedule', { name: 'nightly' });
    expect((await call('automations.list', {}))[0]!.schedule).toBeNull();
    expect(await failure(service.call('automations.unschedule', { name: 'nightly' }))).toMatchObject({ code: 'not_found' });
  });

  it("lists an automation's replays (any version, not another automation's), and its latest inbox result", async () => {
    await openWithEvents();
    const runId = await finishedRun();
    await call('automations.fromRun', { runId, name: 'report' });
    const store = service.store;
    const thread = store.createThread('replays');
    const mine = [
      store.createRun({ threadId: thread.id, task: 'replay v1', provider: 'automation', model: 'report@v1' }),
      store.createRun({ threadId: thread.id, task: 'replay v2', provider: 'automation', model: 'report@v2' }),
    ];
    store.createRun({ threadId: thread.id, task: 'other', provider: 'automation', model: 'report 2@v1' });
    store.createRun({ threadId: thread.id, task: 'model run', provider: 'openai', model: 'report@v1' });
    const history = await call('automations.history', { name: 'report' });
    expect(history.map((r) => r.task)).toEqual(['replay v2', 'replay v1']);
    expect(history.map((r) => r.id)).toEqual([mine[1]!.id, mine[0]!.id]);
    expect(await call('automations.history', { name: 'nothing' })).toEqual([]);

    // What the scheduler records after a replay.
    const db = store.db;
    db.prepare("INSERT INTO inbox (id, automation, run_id, status, trigger, summary, created_at) VALUES ('a', 'report', ?, 'failed', 'schedule', 'target not there', 1)").run(mine[0]!.id);
    db.prepare("INSERT INTO inbox (id, automation, run_id, status, trigger, summary, created_at) VALUES ('b', 'report', ?, 'succeeded', 'manual', 'replayed 3 steps', 2)").run(mine[1]!.id);
    expect((await call('automations.list', {}))[0]!.last).toEqual({ status: 'succeeded', runId: mine[1]!.id, summary: 'replayed 3 steps', createdAt: 2 });
    expect((await call('inbox.list', {})).map((i) => [i.automation, i.status, i.trigger])).toEqual([['report', 'succeeded', 'manual'], ['report', 'failed', 'schedule']]);
    expect(await call('inbox.list', { limit: 1 })).toHaveLength(1);
  });

  it("lists a prompt automation's agent runs (their own provider and model) by the inbox items that record them", async () => {
    await openWithEvents();
    const store = service.store;
    const thread = store.createThread('Count the invoices');
    const first = store.createRun({ threadId: thread.id, task: 'Count the invoices', provider: 'openai', model: 'gpt-x' });
    const unrecorded = store.createRun({ threadId: thread.id, task: 'Count the invoices', provider: 'openai', model: 'gpt-x' });
    const second = store.createRun({ threadId: thread.id, task: 'Count the invoices', provider: 'openai', model: 'gpt-x' });
    const gone = store.createRun({ threadId: thread.id, task: 'Count the invoices', provider: 'openai', model: 'gpt-x' });
    store.setRunStatus(first.id, 'done', { answer: 'NOTHING' });
    store.setRunStatus(second.id, 'failed', { error: 'budget of $0.50 reached' });
    const add = store.db.prepare('INSERT INTO inbox (id, automation, run_id, status, trigger, summary, created_at, archived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    // Nothing to report is archived at once: its run is still in the history.
    add.run('i1', 'invoices', first.id, 'succeeded', 'schedule', 'nothing to report', 1, 1);
    add.run('i2', 'invoices', second.id, 'failed', 'manual', 'budget of $0.50 reached', 2, null);
    add.run('i3', 'invoices', null, 'failed', 'schedule', 'could not run: no key', 3, null);
    add.run('i4', 'invoices', gone.id, 'succeeded', 'manual', 'done', 4, null);
    add.run('i5', 'other', unrecorded.id, 'succeeded', 'manual', 'done', 5, null);
    store.db.prepare('DELETE FROM runs WHERE id = ?').run(gone.id);

    const history = await call('automations.history', { name: 'invoices' });
    expect(history.map((r) => [r.id, r.status])).toEqual([[second.id, 'failed'], [first.id, 'done']]);
    expect(history[0]).toMatchObject({ threadId: thread.id, error: 'budget of $0.50 reached' });
    expect((await call('automations.history', { name: 'invoices', limit: 1 })).map((r) => r.id)).toEqual([second.id]);
    expect((await call('automations.history', { name: 'other' })).map((r) => r.id)).toEqual([unrecorded.id]);
  });

  it('refuses run now for a missing automation, a missing parameter, or no screen, and records nothing', async () => {
    await openWithEvents();
    const runId = await finishedRun();
    await call('automations.fromRun', { runId, name: 'needs param', params: { invoice: 'INV-001' } });
    expect(await failure(service.call('automations.run', { name: 'ghost' }))).toMatchObject({ code: 'not_found' });
    expect(await failure(service.call('automations.run', { name: 'needs param' }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/needs --param invoice=VALUE/) });
    expect(await failure(service.call('automations.run', { name: 'needs param', params: { nope: 'x' } }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/has no parameter "nope"/) });
    // The test service has no DISPLAY.
    expect(await failure(service.call('automations.run', { name: 'needs param', params: { invoice: 'INV-9' }, target: 'current' }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/DISPLAY is not set/) });
    expect(await call('inbox.list', {})).toEqual([]);
    expect(await call('automations.history', { name: 'needs param' })).toEqual([]);
  });

  it('deletes an automation with its versions, schedule and file; its runs stay', async () => {
    const seen = await openWithEvents();
    const runId = await finishedRun();
    await call('automations.fromRun', { runId, name: 'gone soon' });
    await call('automations.schedule', { name: 'gone soon', cron: '0 9 * * 1-5' });
    const file = join(await dataDir(), 'automations', 'gone soon.json');
    expect(existsSync(file)).toBe(true);
    const before = seen.filter((k) => k === 'automations_changed').length;
    expect(await call('automations.delete', { name: 'gone soon' })).toEqual({ ok: true });
    expect(seen.filter((k) => k === 'automations_changed').length).toBe(before + 1);
    expect(existsSync(file)).toBe(false);
    expect(await call('automations.list', {})).toEqual([]);
    expect(await failure(service.call('automations.get', { name: 'gone soon' }))).toMatchObject({ code: 'not_found' });
    expect(await failure(service.call('automations.unschedule', { name: 'gone soon' }))).toMatchObject({ code: 'not_found' });
    expect(await failure(service.call('automations.delete', { name: 'gone soon' }))).toMatchObject({ code: 'not_found' });
    expect(service.store.getRun(runId)?.status).toBe('done');
  });
});
