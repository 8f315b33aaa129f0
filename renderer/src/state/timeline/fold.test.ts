// The timeline fold, without React: statuses, steps, approvals, questions, gaps and cost of a bulk load.
import { describe, expect, it } from 'vitest';
import type { LoggedRunEvent } from '../../../../agents/contract.ts';
import { statusLine } from './describe.ts';
import { applyEvent, emptyTimeline, foldEvents } from './fold.ts';
import { STARTED, logOf, longRun, plainStep } from './fixtures.ts';
import type { TimelineState } from './types.ts';

const R = 'run1';

/** Folds events one at a time, as live events arrive, checking it equals the bulk fold. */
function live(events: LoggedRunEvent[]): TimelineState {
  let s: TimelineState = foldEvents(undefined, []);
  for (const e of events) s = applyEvent(s, e);
  const bulk = foldEvents(undefined, events);
  expect(JSON.parse(JSON.stringify(s))).toEqual(JSON.parse(JSON.stringify(bulk)));
  return s;
}

const stepOne = (extra: Parameters<typeof logOf>[1] = []) =>
  logOf(R, [
    STARTED,
    { type: 'step_started', step: 1 },
    { type: 'screenshot_captured', step: 1, ref: 'shot-1', image: { width: 1280, height: 800 }, screen: { width: 2560, height: 1600 }, ms: 35 },
    { type: 'model_requested', step: 1, attempt: 1 },
    ...extra,
  ]);

describe('status line for each phase', () => {
  const cases: [string, LoggedRunEvent[], string][] = [
    ['before any event', [], 'Starting…'],
    ['started', logOf(R, [STARTED]), 'Starting…'],
    ['step started', logOf(R, [STARTED, { type: 'step_started', step: 1 }]), 'Step 1: taking a screenshot…'],
    ['model asked', stepOne(), 'Step 1: waiting for the model…'],
    ['model asked again', stepOne([{ type: 'model_error', step: 1, kind: 'malformed', message: 'no JSON', attempt: 1, willRetry: true }]), 'Step 1: unusable reply (no JSON); asking again…'],
    ['second attempt', stepOne([{ type: 'model_error', step: 1, kind: 'malformed', message: 'x', attempt: 1, willRetry: true }, { type: 'model_requested', step: 1, attempt: 2 }]), 'Step 1: asking the model again (attempt 2)…'],
    ['replied', stepOne([{ type: 'model_responded', step: 1, actions: 1, ms: 10 }]), 'Step 1: reading the model’s reply…'],
    [
      'acting',
      stepOne([{ type: 'model_responded', step: 1, actions: 1, ms: 10 }, { type: 'action_proposed', step: 1, actionId: 'x', action: { type: 'keypress', keys: ['ctrl', 's'] }, screenAction: { type: 'keypress', keys: ['ctrl', 's'] }, risks: [] }]),
      'Step 1: keypress ctrl+s',
    ],
    ['settling', logOf(R, [STARTED, ...plainStep(1).slice(0, 6)]), 'Step 1: waiting for the screen to settle…'],
    ['paused', logOf(R, [STARTED, ...plainStep(1), { type: 'run_paused' }]), 'Paused'],
    ['resumed', logOf(R, [STARTED, ...plainStep(1), { type: 'run_paused' }, { type: 'run_resumed' }]), 'Step 1: waiting for the screen to settle…'],
    ['finished', logOf(R, [STARTED, ...plainStep(1), { type: 'run_finished', answer: '42', steps: 1 }]), 'Finished: 42'],
    ['finished silently', logOf(R, [STARTED, { type: 'run_finished', steps: 0 }]), 'Finished'],
    ['failed', logOf(R, [STARTED, { type: 'run_failed', reason: 'step limit of 1 reached', steps: 1 }]), 'Failed: step limit of 1 reached'],
    ['aborted', logOf(R, [STARTED, { type: 'run_aborted', reason: 'aborted by the operator', steps: 0 }]), 'Aborted: aborted by the operator'],
    ['interrupted', logOf(R, [STARTED, { type: 'run_interrupted', reason: 'the app stopped' }]), 'Interrupted: the app stopped'],
  ];
  it.each(cases)('%s', (_name, events, text) => {
    expect(statusLine(live(events))).toBe(text);
  });
});

describe('steps', () => {
  it('collects thought, actions, timings, tokens and cost per step and in total', () => {
    const s = live(logOf(R, [STARTED, ...plainStep(1), ...plainStep(2), { type: 'run_finished', answer: 'ok', steps: 2 }]));
    expect(s.steps).toHaveLength(2);
    const [one] = s.steps;
    expect(one).toMatchObject({ step: 1, thought: 'thinking about step 1', modelMs: 900, inputTokens: 1000, outputTokens: 50, costUsd: 0.01, proposedCount: 1 });
    expect(one!.shot).toEqual({ ref: 'shot-1', image: { width: 1280, height: 800 }, screen: { width: 2560, height: 1600 }, ms: 40 });
    expect(one!.actions[0]).toMatchObject({ actionId: 'a1', state: 'performed', ms: 30 });
    expect(one!.notes.map((n) => n.text)).toEqual(['note 1']);
    expect(s.totals).toEqual({ steps: 2, actions: 2, inputTokens: 2000, outputTokens: 100, costUsd: 0.02, modelMs: 1800, actionMs: 60 });
    expect(s.status).toBe('done');
    expect(s.outcome).toMatchObject({ status: 'done', answer: 'ok', steps: 2 });
    expect(s.steps[1]!.end).toMatchObject({ status: 'done', answer: 'ok' });
    expect(s.steps[0]!.end).toBeUndefined();
    expect(s.latestShot).toMatchObject({ ref: 'shot-2', step: 2 });
    expect(s.started).toMatchObject({ task: 'open the editor', provider: 'mock', model: 'mock-model' });
  });

  it('cost stays unknown when no reply reports one', () => {
    const s = live(stepOne([{ type: 'model_responded', step: 1, actions: 1, ms: 5, usage: { inputTokens: 3, outputTokens: 4 } }]));
    expect(s.totals.costUsd).toBeUndefined();
    expect(s.steps[0]!.costUsd).toBeUndefined();
    expect(s.totals.inputTokens).toBe(3);
  });

  it('keeps model errors in their step, and the step row seq follows the last event folded into it', () => {
    const events = stepOne([
      { type: 'model_error', step: 1, kind: 'malformed', message: 'bad', attempt: 1, willRetry: true },
      { type: 'model_requested', step: 1, attempt: 2 },
      { type: 'model_error', step: 1, kind: 'api', message: '500', attempt: 2, willRetry: false },
      { type: 'run_failed', reason: 'model error: 500', steps: 1 },
    ]);
    const s = live(events);
    expect(s.steps[0]!.modelErrors.map((e) => [e.kind, e.willRetry])).toEqual([['malformed', true], ['api', false]]);
    expect(s.steps[0]!.attempts).toBe(2);
    expect(s.steps[0]!.seq).toBe(events.at(-1)!.seq);
    expect(s.status).toBe('failed');
    expect(statusLine(s)).toBe('Failed: model error: 500');
  });

  it('shows action_failed and action_skipped in place', () => {
    const s = live(stepOne([
      { type: 'model_responded', step: 1, actions: 2, ms: 5 },
      { type: 'action_proposed', step: 1, actionId: 'f', action: { type: 'click', x: 1, y: 1, button: 'left' }, screenAction: { type: 'click', x: 2, y: 2, button: 'left' }, risks: [] },
      { type: 'action_failed', actionId: 'f', error: 'display lost' },
      { type: 'action_proposed', step: 1, actionId: 'k', action: { type: 'type', text: 'x' }, screenAction: { type: 'type', text: 'x' }, risks: [] },
      { type: 'loop_detected', step: 1, actionId: 'k', repeats: 3 },
      { type: 'action_skipped', actionId: 'k', reason: 'loop' },
    ]));
    expect(s.steps[0]!.actions.map((a) => [a.actionId, a.state, a.error ?? a.skipReason])).toEqual([['f', 'failed', 'display lost'], ['k', 'skipped', 'loop']]);
    expect(s.steps[0]!.actions[1]!.loopRepeats).toBe(3);
  });

  it('a screenshot action counts as performed at once', () => {
    const s = live(stepOne([{ type: 'action_proposed', step: 1, actionId: 's', action: { type: 'screenshot' }, risks: [] }]));
    expect(s.steps[0]!.actions[0]!.state).toBe('performed');
    expect(s.clickPoint).toBeUndefined();
  });
});

describe('approvals and questions', () => {
  const proposed = stepOne([
    { type: 'model_responded', step: 1, actions: 1, ms: 5 },
    { type: 'action_proposed', step: 1, actionId: 'c', action: { type: 'click', x: 206, y: 115, button: 'left' }, screenAction: { type: 'click', x: 412, y: 230, button: 'left' }, risks: ['clicks "Delete"'] },
    { type: 'approval_requested', actionId: 'c', reasons: ['clicks "Delete"'] },
  ]);
  const more = (events: Parameters<typeof logOf>[1]) => [...proposed, ...logOf(R, events, { seq: proposed.length + 1, at: 1_800_000_000_000 })];

  it('a pending approval makes the run wait, and says what for', () => {
    const s = live(proposed);
    expect(s.pendingApprovals).toEqual(['c']);
    expect(s.status).toBe('waiting');
    expect(statusLine(s)).toBe('Waiting for your approval: click (412, 230)');
    expect(s.steps[0]!.actions[0]).toMatchObject({ state: 'awaiting_approval', approvalReasons: ['clicks "Delete"'] });
  });

  it('marks the proposed click in image pixels until it is performed', () => {
    expect(live(proposed).clickPoint).toEqual({ actionId: 'c', step: 1, x: 206, y: 115, image: { width: 1280, height: 800 } });
    const s = live(more([{ type: 'approval_decided', actionId: 'c', decision: 'approve' }]));
    expect(s.clickPoint?.actionId).toBe('c');
    expect(s.steps[0]!.actions[0]!.state).toBe('approved');
    expect(s.status).toBe('running');
    expect(live(more([{ type: 'approval_decided', actionId: 'c', decision: 'approve' }, { type: 'action_performed', actionId: 'c', ms: 12 }])).clickPoint).toBeUndefined();
  });

  it('a rejection clears the approval and the marker and keeps the reason', () => {
    const s = live(more([{ type: 'approval_decided', actionId: 'c', decision: 'reject', reason: 'wrong button' }]));
    expect(s.pendingApprovals).toEqual([]);
    expect(s.clickPoint).toBeUndefined();
    expect(s.steps[0]!.actions[0]).toMatchObject({ state: 'rejected', rejectReason: 'wrong button' });
  });

  it('an edit replaces the screen action and moves the marker to it, in image pixels', () => {
    const s = live(more([{ type: 'approval_decided', actionId: 'c', decision: 'edit', action: { type: 'click', x: 1000, y: 500, button: 'left' } }]));
    expect(s.steps[0]!.actions[0]).toMatchObject({ state: 'edited', edited: true, screenAction: { x: 1000, y: 500 } });
    expect(s.clickPoint).toMatchObject({ x: 500, y: 250 });
  });

  it('paused while waiting shows paused, and waiting again after resume', () => {
    expect(live(more([{ type: 'run_paused' }])).status).toBe('paused');
    expect(live(more([{ type: 'run_paused' }, { type: 'run_resumed' }])).status).toBe('waiting');
  });

  it('an abort while waiting leaves nothing pending and the action not performed', () => {
    const s = live(more([{ type: 'run_aborted', reason: 'aborted by the operator', steps: 1 }]));
    expect(s.pendingApprovals).toEqual([]);
    expect(s.clickPoint).toBeUndefined();
    expect(s.steps[0]!.actions[0]!.state).toBe('cancelled');
    expect(s.status).toBe('aborted');
  });

  it('a question is pending until answered', () => {
    const asked = stepOne([
      { type: 'model_responded', step: 1, actions: 1, ms: 5 },
      { type: 'action_proposed', step: 1, actionId: 'q', action: { type: 'ask_user', question: 'Which file?' }, risks: [] },
      { type: 'question_asked', actionId: 'q', question: 'Which file?' },
    ]);
    const s = live(asked);
    expect(s.pendingQuestion).toEqual({ actionId: 'q', question: 'Which file?', step: 1 });
    expect(s.status).toBe('waiting');
    expect(statusLine(s)).toBe('Waiting for your answer: Which file?');
    // Paused with the question open, and resumed: the line still says the agent waits for the answer.
    const paused = live([...asked, ...logOf(R, [{ type: 'run_paused' }], { seq: asked.length + 1, at: 0 })]);
    expect(statusLine(paused)).toBe('Paused. The agent is waiting for your answer: Which file?');
    const resumed = live([...asked, ...logOf(R, [{ type: 'run_paused' }, { type: 'run_resumed' }], { seq: asked.length + 1, at: 0 })]);
    expect(statusLine(resumed)).toBe('Waiting for your answer: Which file?');
    const answered = live([...asked, ...logOf(R, [{ type: 'question_answered', actionId: 'q', answer: 'a.txt' }], { seq: asked.length + 1, at: 0 })]);
    expect(answered.pendingQuestion).toBeUndefined();
    expect(answered.steps[0]!.actions[0]).toMatchObject({ state: 'answered', answer: 'a.txt' });
    expect(answered.status).toBe('running');
  });
});

describe('seq order', () => {
  const events = logOf(R, [STARTED, ...plainStep(1), ...plainStep(2)]);

  it('ignores duplicates and keeps the same state object', () => {
    const s = foldEvents(undefined, events);
    expect(foldEvents(s, events.slice(3, 6))).toBe(s);
    expect(applyEvent(s, events[2]!)).toBe(s);
  });

  it('stops at a gap, reports it, and resumes once the missing events come', () => {
    const head = foldEvents(undefined, events.slice(0, 5));
    const gapped = applyEvent(head, events[7]!);
    expect(gapped.gap).toBe(true);
    expect(gapped.lastSeq).toBe(5);
    const bulk = foldEvents(undefined, [...events.slice(0, 5), ...events.slice(7)]);
    expect(bulk.gap).toBe(true);
    expect(bulk.lastSeq).toBe(5);
    const healed = foldEvents(gapped, events.slice(4));
    expect(healed.gap).toBe(false);
    expect(JSON.stringify(healed)).toBe(JSON.stringify(foldEvents(undefined, events)));
  });

  it('leaves rows it did not touch as the same objects', () => {
    const s = foldEvents(undefined, events.slice(0, -1));
    const next = applyEvent(s, events.at(-1)!);
    expect(next.steps[0]).toBe(s.steps[0]);
    expect(next.steps[1]).not.toBe(s.steps[1]);
    expect(next.steps[1]!.seq).toBe(events.at(-1)!.seq);
  });

  it('never mutates the state it is given', () => {
    const s = foldEvents(undefined, events.slice(0, 6));
    const before = JSON.stringify(s);
    foldEvents(s, events);
    expect(JSON.stringify(s)).toBe(before);
    expect(JSON.stringify(emptyTimeline())).toBe(JSON.stringify(foldEvents(undefined, [])));
  });
});

describe('a long run', () => {
  it('folds 1,000 steps in linear time', () => {
    const events = longRun(R, 1000);
    foldEvents(undefined, events); // warm up the JIT
    const t0 = performance.now();
    const s = foldEvents(undefined, events);
    const ms = performance.now() - t0;
    expect(s.steps).toHaveLength(1000);
    expect(s.lastSeq).toBe(events.length);
    expect(ms).toBeLessThan(100);
  });
});
