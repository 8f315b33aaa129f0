// Compiling real runs (AgentRun + a scripted planner + a driver over rendered screens, a real SQLite
// store) into automations: performed actions only, edits applied, evidence from scaled screenshots.
import { rmSync } from 'node:fs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScriptedPlanner } from '../models/scripted.ts';
import type { ApprovalDecision } from '../run/events.ts';
import { useTempStore } from '../store/testdata/temp-store.ts';
import { compileRun } from './compile.ts';
import { throughLens } from './evidence.ts';
import { boxAround, decodeGray } from './gray.ts';
import { scoreAt, template } from './match.ts';
import { PictureDriver } from './testdata/fake-driver.ts';
import { INVOICE_SCRIPT, runOf, SAVE, ScaledScript } from './testdata/runs.ts';
import { filler, scene } from './testdata/scene.ts';

const tmp = useTempStore();
let screen: Buffer;

beforeAll(async () => {
  screen = await scene([...filler(), SAVE]);
});

describe('compileRun', () => {
  it('keeps performed actions in screen pixels, chains a batch, and parameterizes typed values', async () => {
    const store = tmp.open();
    const { run, result } = await runOf(store, new PictureDriver(screen), new ScaledScript(INVOICE_SCRIPT));
    expect(result.status).toBe('done');
    const { automation, warnings } = await compileRun(store, run.id, { name: 'send invoice', params: { invoice: 'INV-001' } });
    expect(warnings).toEqual([]);
    expect(automation).toMatchObject({
      name: 'send invoice', params: [{ name: 'invoice' }], allowHealing: false, source: { runId: run.id, task: 'send the invoice' }, screen: { width: 1280, height: 800 },
    });
    expect(automation.steps.map((s) => [s.id, s.intent, s.action, s.chained])).toEqual([
      ['s1', "click 'Save'", { type: 'click', x: 545, y: 415, button: 'left' }, undefined],
      ['s2', 'type "{{invoice}} for ACME"', { type: 'type', text: '{{invoice}} for ACME' }, undefined],
      ['s3', 'press CTRL+S', { type: 'keypress', keys: ['CTRL', 'S'] }, true],
    ]);
    const ev = automation.steps[0]!.evidence!;
    expect(ev).toMatchObject({ point: { x: 545, y: 415 }, cropOffset: { x: 48, y: 24 }, text: 'Save' });
    expect(Math.abs(ev.textOffset!.x) + Math.abs(ev.textOffset!.y)).toBeLessThan(12);
    expect(automation.steps[1]!.evidence).toBeUndefined();

    // The crop was cut from a 1024x640 capture scaled back to screen pixels: the real screen seen
    // through the same scaling matches it, the sharp one less well.
    expect(ev.scale).toBe(0.8);
    const png = store.readBlob(ev.crop!);
    expect(await sharp(png).metadata()).toMatchObject({ width: 96, height: 48, format: 'png' });
    const full = await decodeGray(screen);
    const box = boxAround(ev.point, { width: 96, height: 48 }, full);
    const t = template(await decodeGray(png));
    expect(scoreAt(await throughLens(full, 0.8), t, box.left, box.top)).toBeGreaterThan(0.99);
    expect(scoreAt(full, t, box.left, box.top)).toBeLessThan(0.9);
  });

  it('drops rejected and failed actions, and takes an edited action as performed', async () => {
    const store = tmp.open();
    const driver = new PictureDriver(screen);
    driver.onPerform = (a) => {
      if (a.type === 'keypress') throw new Error('key table broken');
    };
    const script = [
      { actions: [{ type: 'click', x: 436, y: 332, button: 'left' }] },
      { actions: [{ type: 'click', x: 80, y: 80, button: 'left' }] },
      { actions: [{ type: 'type', text: 'rejected text' }] },
      { actions: [{ type: 'keypress', keys: ['CTRL', 'S'] }, { type: 'type', text: 'after a failure' }] },
      { actions: [{ type: 'done' }] },
    ];
    const decisions: ApprovalDecision[] = [
      { decision: 'approve' },
      { decision: 'edit', action: { type: 'click', x: 200, y: 300, button: 'left' } },
      { decision: 'reject', reason: 'no' },
      { decision: 'approve' },
    ];
    const { run, result } = await runOf(store, driver, new ScaledScript(script), { approve: 'always' }, (n) => decisions[n - 1]!);
    expect(result.status).toBe('done');
    const { automation } = await compileRun(store, run.id, { name: 'edited', ocr: false });
    expect(automation.steps.map((s) => s.action)).toEqual([
      { type: 'click', x: 545, y: 415, button: 'left' },
      { type: 'click', x: 200, y: 300, button: 'left' },
    ]);
    expect(automation.steps[1]!.evidence).toMatchObject({ point: { x: 200, y: 300 }, cropOffset: { x: 48, y: 24 } });
    expect(automation.steps[1]!.evidence!.text).toBeUndefined();
  });

  it('refuses a run that is unknown, active or did nothing; warns about one that failed', async () => {
    const store = tmp.open();
    await expect(compileRun(store, 'nope', { name: 'x' })).rejects.toThrow(/no run nope/);
    const active = store.createRun({ threadId: store.createThread('t').id, task: 't', provider: 'p' });
    await expect(compileRun(store, active.id, { name: 'x' })).rejects.toThrow(/still running: save it as an automation once it has ended/);
    const { run } = await runOf(store, new PictureDriver(screen), new ScriptedPlanner([{ actions: [{ type: 'done' }] }]));
    await expect(compileRun(store, run.id, { name: 'x' })).rejects.toThrow(/performed no actions/);
    const failed = await runOf(store, new PictureDriver(screen), new ScriptedPlanner([{ actions: [{ type: 'type', text: 'x' }] }]));
    expect(failed.result.status).toBe('failed');
    const { warnings, automation } = await compileRun(store, failed.run.id, { name: 'x' });
    expect(automation.steps).toHaveLength(1);
    expect(warnings[0]).toMatch(/ended failed .*only the actions it performed were kept/);
  });

  it('compiles without evidence when the screenshot file is gone', async () => {
    const store = tmp.open();
    const { run } = await runOf(store, new PictureDriver(screen), new ScaledScript(INVOICE_SCRIPT));
    const shot = store.readEvents(run.id).find((e) => e.type === 'screenshot_captured')!;
    rmSync(store.blobPath(shot['ref'] as string));
    const { automation, warnings } = await compileRun(store, run.id, { name: 'x' });
    expect(automation.steps[0]!.evidence).toBeUndefined();
    expect(automation.steps[0]!.intent).toBe('click at (545, 415)');
    expect(warnings[0]).toMatch(/step 1: the run's screenshot of step 1 is gone/);
  });
});
