// The store against a fake transport: initial load, live events, holes in seq, reconnects.
import { describe, expect, it } from 'vitest';
import type { AppEvent, CommandName, LoggedRunEvent, Run } from '../../../agents/contract.ts';
import { CommandError, type ConnectionStatus, type Transport } from '../transport/types.ts';
import { createAppStore } from './store.ts';
import { STARTED, logOf, plainStep } from './timeline/fixtures.ts';

const RUN: Run = {
  id: 'r1', threadId: 't1', task: 'open the editor', status: 'running', provider: 'mock', model: null, createdAt: 1, updatedAt: 1,
  endedAt: null, answer: null, error: null, summary: null, options: {},
};

/** A transport whose server holds one run's log; calls resolve when release() is called, if held. */
function fakeTransport(log: LoggedRunEvent[]) {
  const listeners = new Set<(e: AppEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const calls: { command: CommandName; input: unknown }[] = [];
  let hold: (() => void)[] | null = null;
  const answer = (command: CommandName, input: Record<string, unknown>): unknown => {
    switch (command) {
      case 'threads.list':
        return [{ id: 't1', title: 'T', createdAt: 1, updatedAt: 1, summary: null }];
      case 'runs.get':
        return RUN;
      case 'runs.list':
        return [RUN];
      case 'runs.events': {
        const events = log.filter((e) => e.seq > Number(input['afterSeq'] ?? 0));
        return { events, lastSeq: log.at(-1)?.seq ?? 0 };
      }
      case 'runs.steer':
        throw new CommandError('conflict', 'the run has ended');
      default:
        return {};
    }
  };
  const transport: Transport = {
    kind: 'http',
    async call(command, input) {
      calls.push({ command, input });
      if (hold) await new Promise<void>((r) => hold!.push(r));
      return answer(command, input as Record<string, unknown>) as never;
    },
    onEvent: (cb) => (listeners.add(cb), () => listeners.delete(cb)),
    blobUrl: (ref) => ref,
    status: () => ({ state: 'open' }),
    onStatus: (cb) => (statusListeners.add(cb), () => statusListeners.delete(cb)),
  };
  return {
    transport,
    calls,
    push: (event: LoggedRunEvent) => listeners.forEach((l) => l({ kind: 'run_event', event })),
    status: (s: ConnectionStatus) => statusListeners.forEach((l) => l(s)),
    holdCalls: () => void (hold = []),
    release: () => {
      const waiting = hold ?? [];
      hold = null;
      waiting.forEach((r) => r());
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const full = logOf('r1', [STARTED, ...plainStep(1), ...plainStep(2), ...plainStep(3)]);

describe('runs slice', () => {
  it('opens a run from its log and applies live events after it', async () => {
    const log = full.slice(0, 10);
    const fake = fakeTransport(log);
    const store = createAppStore(fake.transport, '#/');
    await store.getState().openRun('r1');
    expect(store.getState().timelines['r1']!.lastSeq).toBe(10);
    expect(store.getState().runs['r1']).toEqual(RUN);
    fake.push(full[10]!);
    expect(store.getState().timelines['r1']!.lastSeq).toBe(11);
    fake.push(full[10]!); // a duplicate changes nothing
    expect(store.getState().timelines['r1']!.lastSeq).toBe(11);
  });

  it('fetches from lastSeq on a hole in seq', async () => {
    const log = full.slice(0, 8);
    const fake = fakeTransport(log);
    const store = createAppStore(fake.transport, '#/');
    await store.getState().openRun('r1');
    log.push(...full.slice(8, 12));
    fake.push(full[11]!); // seq 12 after 8: 9..11 were missed
    await tick();
    const events = fake.calls.filter((c) => c.command === 'runs.events').map((c) => c.input);
    expect(events.at(-1)).toEqual({ runId: 'r1', afterSeq: 8 });
    expect(store.getState().timelines['r1']!.lastSeq).toBe(12);
    expect(store.getState().timelines['r1']!.gap).toBe(false);
  });

  it('keeps live events that arrive while the log loads, and folds them after it', async () => {
    const log = full.slice(0, 10);
    const fake = fakeTransport(log);
    const store = createAppStore(fake.transport, '#/');
    await tick();
    fake.holdCalls();
    const opened = store.getState().openRun('r1');
    fake.push(full[10]!);
    fake.push(full[11]!);
    fake.release();
    await opened;
    await tick();
    expect(store.getState().timelines['r1']!.lastSeq).toBe(12);
  });

  it('on reconnect fetches what each open run missed, and the lists again', async () => {
    const log = full.slice(0, 10);
    const fake = fakeTransport(log);
    const store = createAppStore(fake.transport, '#/');
    await store.getState().openRun('r1');
    await store.getState().loadRuns('t1');
    fake.status({ state: 'closed', message: 'gone' });
    expect(store.getState().connection.state).toBe('closed');
    log.push(...full.slice(10));
    fake.calls.length = 0;
    fake.status({ state: 'open' });
    await tick();
    expect(fake.calls.map((c) => c.command).sort()).toEqual(['runs.events', 'runs.list', 'threads.list']);
    expect(fake.calls.find((c) => c.command === 'runs.events')!.input).toEqual({ runId: 'r1', afterSeq: 10 });
    expect(store.getState().timelines['r1']!.lastSeq).toBe(full.length);
  });

  it('shows a failed command in the error list', async () => {
    const fake = fakeTransport(full);
    const store = createAppStore(fake.transport, '#/');
    expect(await store.getState().steerRun('r1', 'hi')).toBe(false);
    expect(store.getState().errors.map((e) => [e.code, e.message])).toEqual([['conflict', 'the run has ended']]);
  });

  it('run_updated keeps the thread list newest first', async () => {
    const fake = fakeTransport(full);
    const store = createAppStore(fake.transport, '#/');
    await store.getState().loadRuns('t1');
    store.getState().onAppEvent({ kind: 'run_updated', run: { ...RUN, id: 'r2', createdAt: 5 } });
    store.getState().onAppEvent({ kind: 'run_updated', run: { ...RUN, status: 'done' } });
    expect(store.getState().runsByThread['t1']!.map((r) => [r.id, r.status])).toEqual([['r2', 'running'], ['r1', 'done']]);
  });
});

describe('threads slice', () => {
  it('keeps the newest thread totals when an older answer arrives after it', async () => {
    const base = fakeTransport(full).transport;
    const answers: ((v: unknown) => void)[] = [];
    const transport: Transport = {
      ...base,
      call: ((command, input) => (command === 'threads.totals' ? new Promise<unknown>((resolve) => answers.push(resolve)) : base.call(command, input))) as Transport['call'],
    };
    const store = createAppStore(transport, '#/');
    const older = store.getState().loadThreadTotals('t1');
    const newer = store.getState().loadThreadTotals('t1');
    answers[1]!({ runs: 2, steps: 2, tokens: 3120, costUsd: null });
    answers[0]!({ runs: 2, steps: 2, tokens: 1560, costUsd: null });
    await Promise.all([older, newer]);
    expect(store.getState().threadTotals['t1']?.tokens).toBe(3120);
  });
});
