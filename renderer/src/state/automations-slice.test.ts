// The automations slice against a fake transport: refetch on automations_changed, replays' rows in
// the history, and a refused save's message kept for the form.
import { describe, expect, it } from 'vitest';
import type { AppEvent, CommandName, Run } from '../../../agents/contract.ts';
import { CommandError, type Transport } from '../transport/types.ts';
import { replayOf } from './automations-slice.ts';
import { createAppStore } from './store.ts';

const run = (id: string, model: string, createdAt: number): Run => ({
  id, threadId: 't', task: 'replay', status: 'running', provider: 'automation', model, createdAt, updatedAt: createdAt,
  endedAt: null, answer: null, error: null, summary: null, options: {},
});

function fake() {
  const calls: CommandName[] = [];
  const listeners = new Set<(e: AppEvent) => void>();
  const transport: Transport = {
    kind: 'http',
    async call(command, input) {
      calls.push(command);
      switch (command) {
        case 'automations.list':
          return [] as never;
        case 'inbox.list':
          return [] as never;
        case 'automations.history':
          return [run('r1', `${(input as { name: string }).name}@v1`, 1)] as never;
        case 'automations.save':
          throw new CommandError('bad_input', 'automation "x": steps use {{who}} but params does not declare it');
        default:
          return [] as never;
      }
    },
    onEvent: (cb) => (listeners.add(cb), () => listeners.delete(cb)),
    blobUrl: (ref) => ref,
    status: () => ({ state: 'open' }),
    onStatus: () => () => undefined,
  };
  return { transport, calls, push: (e: AppEvent) => listeners.forEach((l) => l(e)) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('automations slice', () => {
  it('refetches the list only once it was loaded, and keeps replays in their history', async () => {
    const f = fake();
    const store = createAppStore(f.transport, '#/automations');
    f.push({ kind: 'automations_changed' });
    await tick();
    expect(f.calls).not.toContain('automations.list');
    await store.getState().loadAutomations();
    await store.getState().loadAutomationHistory('report');
    f.calls.length = 0;
    f.push({ kind: 'automations_changed' });
    await tick();
    expect(f.calls.sort()).toEqual(['automations.list', 'inbox.list']);

    f.push({ kind: 'run_updated', run: run('r2', 'report@v2', 5) });
    f.push({ kind: 'run_updated', run: run('r3', 'report 2@v1', 6) });
    f.push({ kind: 'run_updated', run: { ...run('r1', 'report@v1', 1), status: 'done' } });
    expect(store.getState().automationHistory['report']!.map((r) => [r.id, r.status])).toEqual([['r2', 'running'], ['r1', 'done']]);
    // An agent run (a prompt automation's) is no replay: updated where a history lists it, never added.
    const agent = { ...run('a1', 'gpt-x', 7), provider: 'openai' };
    f.push({ kind: 'run_updated', run: agent });
    expect(store.getState().automationHistory['report']!.map((r) => r.id)).toEqual(['r2', 'r1']);
    store.setState((s) => ({ automationHistory: { ...s.automationHistory, ask: [agent] } }));
    f.push({ kind: 'run_updated', run: { ...agent, status: 'done' } });
    expect(store.getState().automationHistory['ask']!.map((r) => [r.id, r.status])).toEqual([['a1', 'done']]);
  });

  it("returns a refused save's message instead of putting it in the banner", async () => {
    const f = fake();
    const store = createAppStore(f.transport, '#/');
    const draft = { format: 'deskpilot-automation' as const, name: 'x', params: [], allowHealing: false, steps: [{ id: 's1', intent: 'type', action: { type: 'type' as const, text: '{{who}}' } }] };
    expect(await store.getState().saveAutomation(draft)).toEqual({ ok: false, message: 'automation "x": steps use {{who}} but params does not declare it' });
    expect(store.getState().errors).toEqual([]);
  });

  it('tells which automation a replay belongs to', () => {
    expect(replayOf({ provider: 'automation', model: 'send invoice@v12' })).toBe('send invoice');
    expect(replayOf({ provider: 'openai', model: 'x@v1' })).toBeUndefined();
    expect(replayOf({ provider: 'automation', model: null })).toBeUndefined();
  });
});

describe('recording a demonstration', () => {
  const draft = { format: 'deskpilot-automation' as const, name: 'demo', params: [], allowHealing: false, steps: [{ id: 's1', intent: 'type "x"', action: { type: 'type' as const, text: 'x' } }] };

  function recorder(failStop?: string) {
    const f = fake();
    const call = f.transport.call.bind(f.transport);
    f.transport.call = (async (command: CommandName, input: unknown) => {
      if (command === 'recordings.status') return { active: false, events: 0, presses: 0 };
      if (command === 'recordings.start') return { display: ':9', startedAt: 100 };
      if (command === 'recordings.stop') {
        if (failStop) throw new CommandError('bad_input', failStop);
        return { automation: draft, warnings: ['left out the last 1 step'] };
      }
      if (command === 'recordings.cancel') return { ok: true };
      return call(command as never, input as never);
    }) as typeof f.transport.call;
    return f;
  }

  it('follows the live status, keeps live counts that came before the start answer, and keeps the stopped draft with its edits', async () => {
    const f = recorder();
    const store = createAppStore(f.transport, '#/automations');
    await store.getState().loadRecording();
    expect(store.getState().recording).toEqual({ active: false, events: 0, presses: 0 });
    f.push({ kind: 'recording_changed', status: { active: true, display: ':9', startedAt: 100, events: 7, presses: 2 } });
    expect(await store.getState().startRecording()).toEqual({ ok: true, value: true });
    expect(store.getState().recording).toMatchObject({ events: 7, presses: 2 });
    expect(store.getState().recordingPending).toBeNull();

    const stopped = await store.getState().stopRecording('demo');
    expect(stopped.ok).toBe(true);
    expect(store.getState().recording?.active).toBe(false);
    expect(store.getState().recordedDraft).toMatchObject({ recorded: draft, draft, warnings: ['left out the last 1 step'] });
    store.getState().editRecordedDraft((d) => ({ ...d, steps: [{ ...d.steps[0]!, action: { type: 'type', text: 'y' } }] }));
    expect(store.getState().recordedDraft!.draft.steps[0]!.action).toEqual({ type: 'type', text: 'y' });
    expect(store.getState().recordedDraft!.recorded).toEqual(draft);
    // Other events (a list refetch) leave the draft alone.
    f.push({ kind: 'automations_changed' });
    expect(store.getState().recordedDraft!.draft.steps[0]!.action).toEqual({ type: 'type', text: 'y' });
    store.getState().dropRecordedDraft();
    expect(store.getState().recordedDraft).toBeNull();
  });

  it("returns a refused stop's message for the prompt, and keeps recording", async () => {
    const f = recorder('"Bad/Name" is not a valid automation name');
    const store = createAppStore(f.transport, '#/automations');
    await store.getState().startRecording();
    expect(await store.getState().stopRecording('Bad/Name')).toEqual({ ok: false, message: '"Bad/Name" is not a valid automation name' });
    expect(store.getState().recording?.active).toBe(true);
    expect(store.getState().recordedDraft).toBeNull();
    expect(store.getState().errors).toEqual([]);
  });
});
