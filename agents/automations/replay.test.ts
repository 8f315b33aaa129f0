// Replaying compiled automations as AgentRuns (real store, a driver over rendered screens): as
// recorded, relocated when the screen moved, by accessibility name or OCR when the look changed,
// waiting for a late target, failing clearly on a missing one, healing, parameters, approvals and
// the evaluator.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DesktopActionInput } from '../desktop/actions.ts';
import { ScriptedPlanner } from '../models/scripted.ts';
import type { RunEvent } from '../run/events.ts';
import type { Store } from '../store/store.ts';
import type { A11yComponent, A11yFinder, A11yQuery } from './a11y.ts';
import { useTempStore } from '../store/testdata/temp-store.ts';
import type { StoredEvent } from '../store/types.ts';
import { AutomationStore } from './automation-store.ts';
import type { Automation, Evidence } from './automation.ts';
import { compileRun, type CompileOptions } from './compile.ts';
import { prepareReplay, startReplay } from './replay.ts';
import type { ReplayPlannerOptions } from './replay-planner.ts';
import { PictureDriver } from './testdata/fake-driver.ts';
import { INVOICE_SCRIPT, runOf, SAVE, ScaledScript } from './testdata/runs.ts';
import { filler, scene } from './testdata/scene.ts';

const tmp = useTempStore();
const MOVE = { x: 140, y: -75 };
let original: Buffer;
let moved: Buffer;
let missing: Buffer;

beforeAll(async () => {
  [original, moved, missing] = await Promise.all([
    scene([...filler(), SAVE]),
    scene([...filler(MOVE), { ...SAVE, x: SAVE.x + MOVE.x, y: SAVE.y + MOVE.y }]),
    scene(filler(MOVE)),
  ]);
});

type Ev = StoredEvent & RunEvent;
const eventsOf = (store: Store, runId: string) => store.readEvents(runId) as Ev[];
const ofType = <T extends RunEvent['type']>(store: Store, runId: string, type: T) => eventsOf(store, runId).filter((e): e is Ev & Extract<RunEvent, { type: T }> => e.type === type);
const inputs = (d: PictureDriver) => d.performed.filter((a) => a.type !== 'wait');

async function saved(store: Store, opts: Partial<CompileOptions> = {}): Promise<Automation> {
  const { run } = await runOf(store, new PictureDriver(original), new ScaledScript(INVOICE_SCRIPT));
  const { automation } = await compileRun(store, run.id, { name: 'send invoice', params: { invoice: 'INV-001' }, ...opts });
  return new AutomationStore(store.db, `${tmp.dir()}/automations`).save(automation);
}

async function replay(store: Store, automation: Automation, screen: Buffer, opts: Omit<ReplayPlannerOptions, 'readBlob'> & { approve?: 'never' | 'always' } = {}) {
  const driver = new PictureDriver(screen);
  const { approve = 'never', ...rest } = opts;
  const { run, planner } = await startReplay({ store, driver }, automation, { findTimeoutMs: 0, params: { invoice: 'INV-002' }, ...rest, options: { approve } });
  return { run, planner, driver, result: await run.finished };
}

describe('replaying an automation', () => {
  it('replays as recorded with a new parameter value, as a run of provider "automation"', async () => {
    const store = tmp.open();
    const automation = await saved(store);
    const { run, driver, result } = await replay(store, automation, original);
    expect(result).toMatchObject({ status: 'done', answer: 'replayed 3 steps (3 as recorded)', steps: 3 });
    expect(driver.performed).toEqual([
      { type: 'click', x: 545, y: 415, button: 'left' },
      { type: 'type', text: 'INV-002 for ACME' },
      { type: 'keypress', keys: ['CTRL', 'S'] },
    ]);
    expect(store.getRun(run.id)).toMatchObject({ provider: 'automation', model: 'send invoice@v1', task: 'replay automation "send invoice" v1 with invoice="INV-002"' });
    const thoughts = ofType(store, run.id, 'model_responded').map((e) => e.thought);
    expect(thoughts[0]).toMatch(/^step 1\/3 click 'Save': replayed at \(545, 415\) \(match (0\.9\d|1\.00)\)$/);
    expect(thoughts[1]).toBe('step 2/3 type "{{invoice}} for ACME": replayed; step 3/3 press CTRL+S: replayed');
    expect(ofType(store, run.id, 'model_responded').every((e) => e.usage === undefined)).toBe(true);
  });

  it('relocates a target whose window moved, by template match, and says so', async () => {
    const store = tmp.open();
    const { run, driver, result } = await replay(store, await saved(store), moved);
    expect(result.status).toBe('done');
    expect(result.answer).toBe('replayed 3 steps (2 as recorded, 1 relocated)');
    expect(driver.performed[0]).toEqual({ type: 'click', x: 545 + MOVE.x, y: 415 + MOVE.y, button: 'left' });
    const thought = ofType(store, run.id, 'model_responded')[0]!.thought!;
    expect(thought).toMatch(/^step 1\/3 click 'Save': relocated by template match \((0\.9\d|1\.00)\), moved \(\+140, -75\)$/);
    const proposed = ofType(store, run.id, 'action_proposed')[0]!;
    expect(proposed.raw).toMatchObject({ replay: { step: 's1', index: 1, how: 'relocated:template', from: { x: 545, y: 415 }, to: { x: 685, y: 340 } } });
    expect(proposed.screenAction).toEqual({ type: 'click', x: 685, y: 340, button: 'left' });
  });

  it('stops on a missing target with a reason naming the step, after looking again for a while, typing nothing', async () => {
    const store = tmp.open();
    const { run, driver, result } = await replay(store, await saved(store), missing, { findTimeoutMs: 300, retryMs: 50 });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/step 1\/3 click 'Save': target not found on screen \(best template match 0\.\d\d < 0\.8; OCR found no 'Save'\)/);
    expect(inputs(driver)).toEqual([]);
    const waits = driver.performed.filter((a) => a.type === 'wait');
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(ofType(store, run.id, 'model_responded')[0]!.thought).toMatch(/^step 1\/3 click 'Save': not found yet \(best template match 0\.\d\d < 0\.8\); looking again in 51 ms \(attempt 2\)$/);
    expect(store.getRun(run.id)!.status).toBe('failed');
  });

  it("waits as long as a step's own find timeout says, over the replay's default", { timeout: 30_000 }, async () => {
    const store = tmp.open();
    const automation = await saved(store);
    const slow = { ...automation, steps: automation.steps.map((s, i) => (i === 0 ? { ...s, findTimeoutMs: 300 } : s)) };
    const { driver, result } = await replay(store, slow, missing, { findTimeoutMs: 0, retryMs: 50, ocr: false });
    expect(result.status).toBe('failed');
    expect(driver.performed.filter((a) => a.type === 'wait').length).toBeGreaterThanOrEqual(2);
    const none = await replay(store, automation, missing, { findTimeoutMs: 0, retryMs: 50, ocr: false });
    expect(none.driver.performed.filter((a) => a.type === 'wait')).toEqual([]);
  });

  it('asks the operator about a missing target when one is watching: a point they give is used, "skip" leaves the step out, "stop" stops', async () => {
    const answered = async (answers: string[]) => {
      const store = tmp.open();
      const driver = new PictureDriver(missing);
      const { run } = await startReplay({ store, driver }, await saved(store), { findTimeoutMs: 0, ocr: false, askOperator: true, params: { invoice: 'INV-002' }, options: { approve: 'never' } });
      const questions: string[] = [];
      const unsubscribe = store.subscribe((e) => {
        const ev = e as unknown as Ev;
        if (ev.type !== 'question_asked') return;
        questions.push(ev.question);
        setImmediate(() => run.control.answer(ev.actionId, answers.shift() ?? 'stop'));
      });
      const result = await run.finished;
      unsubscribe();
      return { result, questions, inputs: inputs(driver) };
    };

    const pointed = await answered(['what?', '600, 420']);
    expect(pointed.questions[0]).toMatch(/^step 1\/3 click 'Save': target not found on screen \(.*\)\. Answer "retry" once it is on screen, "x,y"/);
    expect(pointed.questions[1]).toMatch(/^Did not understand "what\?"/);
    expect(pointed.result.status).toBe('done');
    expect(pointed.inputs[0]).toEqual({ type: 'click', x: 600, y: 420, button: 'left' });

    const skipped = await answered(['skip']);
    expect(skipped.result.status).toBe('done');
    expect(skipped.inputs.map((a) => a.type)).toEqual(['type', 'keypress']);

    const stopped = await answered(['stop']);
    expect(stopped.result).toMatchObject({ status: 'failed', reason: "the replay stopped: step 1/3 click 'Save': target not found, and the operator stopped the replay" });
    expect(stopped.inputs).toEqual([]);
  });

  it('waits for a target that appears late', async () => {
    const store = tmp.open();
    const automation = await saved(store);
    const driver = new PictureDriver(missing);
    let waits = 0;
    driver.onPerform = (a: DesktopActionInput) => {
      if (a.type === 'wait' && ++waits === 2) driver.scene = moved;
    };
    const { run } = await startReplay({ store, driver }, automation, { params: { invoice: 'X' }, findTimeoutMs: 5000, retryMs: 10, options: { approve: 'never' } });
    const result = await run.finished;
    expect(result.status).toBe('done');
    expect(waits).toBe(2);
    expect(inputs(driver)[0]).toEqual({ type: 'click', x: 685, y: 340, button: 'left' });
  });

  it('never acts on a weak match alone: another button in its place fails the step, typing nothing; the name found there confirms it', async () => {
    const store = tmp.open();
    const automation = await saved(store);
    // A button of the same frame but another word where Save was: a weak match (about 0.75), nothing else.
    const quit = await scene([...filler(), { ...SAVE, text: 'Quit' }]);
    const refused = await replay(store, automation, quit, { ocr: false });
    expect(refused.result.status).toBe('failed');
    expect(refused.result.reason).toMatch(/step 1\/3 click 'Save': target not found on screen \(best template match 0\.[67]\d < 0\.8\)/);
    expect(inputs(refused.driver)).toEqual([]);
    // Its accessible name says the button there is still Save (drawn another way): the weak match is used, as confirmed.
    const named = withA11y(automation, { name: 'Save', role: 'push button' });
    const finder = fakeFinder([{ name: 'Save', role: 'push button', box: { left: 500, top: 400, width: 90, height: 30 } }]);
    const confirmed = await replay(store, named, quit, { ocr: false, a11y: finder });
    expect(confirmed.result.status, confirmed.result.reason).toBe('done');
    expect(inputs(confirmed.driver)[0]).toEqual({ type: 'click', x: 545, y: 415, button: 'left' });
    expect(ofType(store, confirmed.run.id, 'model_responded')[0]!.thought).toMatch(/^step 1\/3 click 'Save': replayed at \(545, 415\) \(weak match 0\.[67]\d, confirmed by its accessibility name\)$/);
  });

  it('finds a target whose look changed by its word (OCR)', async () => {
    const store = tmp.open();
    const target = { text: 'Invoices', x: 300, y: 300 };
    const script = [{ actions: [{ type: 'click', x: 272, y: 236, button: 'left' }] }, { actions: [{ type: 'done' }] }];
    const { run } = await runOf(store, new PictureDriver(await scene([...filler(), target])), new ScaledScript(script));
    const { automation } = await compileRun(store, run.id, { name: 'open invoices' });
    const saved = new AutomationStore(store.db, `${tmp.dir()}/automations`).save(automation);
    expect(saved.steps[0]!.evidence!.text).toBe('Invoices');
    // The word now sits on a dark framed bar in another place: its crop no longer matches.
    const changed = await scene([...filler(MOVE), { text: 'Invoices', x: 800, y: 600, button: true }]);
    const replayed = await replay(store, saved, changed, { params: {} });
    expect(replayed.result.status, replayed.result.reason).toBe('done');
    const thought = ofType(store, replayed.run.id, 'model_responded')[0]!.thought!;
    expect(thought).toMatch(/relocated by OCR of 'Invoices'/);
    const click = replayed.driver.performed[0] as { x: number; y: number };
    expect(Math.abs(click.x - 845)).toBeLessThan(40);
    expect(Math.abs(click.y - 615)).toBeLessThan(10);
  });

  it('finds a target the screen no longer shows as it was by its accessibility name, before OCR', async () => {
    const store = tmp.open();
    const automation = withA11y(await saved(store), { name: 'Save', role: 'push button', offset: { x: 3, y: -2 } });
    // The button is now a component elsewhere, drawn differently: neither its crop nor its word is on the screen.
    const finder = fakeFinder([{ name: 'Save', role: 'push button', box: { left: 900, top: 600, width: 90, height: 30 } }]);
    const { run, driver, result, planner } = await replay(store, automation, missing, { a11y: finder });
    expect(result, result.reason).toMatchObject({ status: 'done', answer: 'replayed 3 steps (2 as recorded, 1 relocated)' });
    expect(finder.asked).toEqual([{ name: 'Save', role: 'push button' }]);
    expect(inputs(driver)[0]).toEqual({ type: 'click', x: 948, y: 613, button: 'left' });
    const thought = ofType(store, run.id, 'model_responded')[0]!.thought!;
    expect(thought).toBe("step 1/3 click 'Save': relocated by accessibility name push button 'Save', moved (+403, +198)");
    expect(ofType(store, run.id, 'action_proposed')[0]!.raw).toMatchObject({ replay: { how: 'relocated:a11y', from: { x: 545, y: 415 }, to: { x: 948, y: 613 } } });
    expect(planner.counts).toMatchObject({ relocated: 1 });
  });

  it('takes the nearest of several components with the name, and is not asked when the crop matches', async () => {
    const store = tmp.open();
    const automation = withA11y(await saved(store), { name: 'Save', role: 'push button' });
    const finder = fakeFinder([
      { name: 'Save', role: 'push button', box: { left: 1100, top: 700, width: 90, height: 30 } },
      { name: 'Save', role: 'push button', box: { left: 560, top: 440, width: 90, height: 30 } },
    ]);
    const moved = await replay(store, automation, missing, { a11y: finder });
    expect(moved.result.status, moved.result.reason).toBe('done');
    expect(inputs(moved.driver)[0]).toEqual({ type: 'click', x: 605, y: 455, button: 'left' });
    expect(ofType(store, moved.run.id, 'model_responded')[0]!.thought).toMatch(/; 2 components are push button 'Save', took the nearest to where it was$/);
    const asked = finder.asked.length;
    const asRecorded = await replay(store, automation, original, { a11y: finder });
    expect(asRecorded.result.answer).toBe('replayed 3 steps (3 as recorded)');
    expect(finder.asked.length).toBe(asked);
  });

  it('fails naming the accessibility name, then the word, when neither is found', async () => {
    const store = tmp.open();
    const automation = withA11y(await saved(store), { name: 'Save', role: 'push button' });
    const { result, driver } = await replay(store, automation, missing, { a11y: fakeFinder([], '1 application did not answer') });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/step 1\/3 click 'Save': target not found on screen \(best template match 0\.\d\d < 0\.8; no accessible push button 'Save' \(1 application did not answer\); OCR found no 'Save'\)/);
    expect(inputs(driver)).toEqual([]);
    // A finder that throws leaves the step to OCR, with the error in the reason.
    const broken: A11yFinder = { find: async () => { throw new Error('bus exploded'); } };
    const again = await replay(store, automation, missing, { a11y: broken });
    expect(again.result.reason).toMatch(/looking up accessible push button 'Save' failed: bus exploded; OCR found no 'Save'/);
  });

  it('hands a step it cannot find to the model when healing is allowed, then goes on replaying', async () => {
    const store = tmp.open();
    const automation = await saved(store, { allowHealing: true });
    const healer = new ScriptedPlanner([{ thought: 'The Save button is gone; the menu has it.', actions: [{ type: 'click', x: 20, y: 10, button: 'left' }] }, { actions: [{ type: 'done' }] }]);
    const { run, driver, result } = await replay(store, automation, missing, { heal: healer });
    expect(result).toMatchObject({ status: 'done', answer: 'replayed 3 steps (2 as recorded, 1 healed)' });
    expect(inputs(driver)).toEqual([{ type: 'click', x: 20, y: 10, button: 'left' }, { type: 'type', text: 'INV-002 for ACME' }, { type: 'keypress', keys: ['CTRL', 'S'] }]);
    const thought = ofType(store, run.id, 'model_responded')[0]!.thought!;
    expect(thought).toMatch(/^step 1\/3 click 'Save': target not found on screen .*; healing step 1\/3 click 'Save' with the model: The Save button is gone/);
    expect(ofType(store, run.id, 'action_proposed')[0]!.raw).toMatchObject({ replay: { how: 'healed' } });
  });

  it('says a missing parameter before any run starts', async () => {
    const store = tmp.open();
    const automation = await saved(store);
    await expect(prepareReplay(store, automation, {})).rejects.toThrow('automation "send invoice" needs --param invoice=VALUE');
    await expect(prepareReplay(store, automation, { params: { invoice: 'x', other: 'y' } })).rejects.toThrow(/no parameter "other"/);
    expect(store.listRuns().filter((r) => r.provider === 'automation')).toEqual([]);
  });

  it('goes through the same approvals: a rejected step stops the replay', async () => {
    const store = tmp.open();
    const automation = await saved(store);
    const driver = new PictureDriver(original);
    const { run } = await startReplay({ store, driver }, automation, { params: { invoice: 'INV-9' }, options: { approve: 'always' } });
    let n = 0;
    store.subscribe((e) => {
      if (e.runId !== run.id || e.type !== 'approval_requested') return;
      const decision = ++n === 1 ? { decision: 'approve' as const } : { decision: 'reject' as const, reason: 'not today' };
      setTimeout(() => run.control.decide(e['actionId'] as string, decision), 1);
    });
    const result = await run.finished;
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('step 2/3 type "{{invoice}} for ACME" was not performed (not today); the replay stopped there');
    expect(inputs(driver)).toEqual([{ type: 'click', x: 545, y: 415, button: 'left' }]);
  });

  it('reports the evaluator verdict: verified, or a failed run', async () => {
    const store = tmp.open();
    const evaluator = { func: 'exact_match', result: { type: 'rule', rules: 'a' }, expected: { type: 'rule', rules: 'a' } };
    const automation = await saved(store, { evaluator });
    const ok = await replay(store, automation, original, { verify: async () => ({ verified: true, detail: 'the evaluator scored 1' }) });
    expect(ok.result.answer).toBe('replayed 3 steps (3 as recorded); verified: the evaluator scored 1');
    const bad = await replay(store, automation, original, { verify: async () => ({ verified: false, detail: 'scored 0.00: the file differs' }) });
    expect(bad.result.status).toBe('failed');
    expect(bad.result.reason).toContain('replayed 3 steps (3 as recorded), but the evaluator did not verify the result: scored 0.00: the file differs');
  });
});

/** The automation with accessibility evidence on its first (pointer) step. */
function withA11y(a: Automation, a11y: NonNullable<Evidence['a11y']>): Automation {
  return { ...a, steps: a.steps.map((st, i) => (i === 0 ? { ...st, evidence: { ...st.evidence!, a11y } } : st)) };
}

function fakeFinder(components: A11yComponent[], reason?: string): A11yFinder & { asked: A11yQuery[] } {
  const asked: A11yQuery[] = [];
  return {
    asked,
    find: async (q) => {
      asked.push(q);
      const found = components.filter((c) => c.name === q.name && c.role === q.role);
      return reason ? { components: found, reason } : { components: found };
    },
  };
}
