// Runs per thread, and for each open run its timeline: the fold of its event log, kept current by
// live events. A hole in seq, or a reconnect, fetches `runs.events` from the last seq seen; live
// events that arrive during a fetch wait in a buffer and are folded after it.
import type { AppEvent, CommandInput, CommandOutput, LoggedRunEvent, Run } from '../../../agents/contract.ts';
import { applyEvent, foldEvents } from './timeline/fold.ts';
import type { TimelineState } from './timeline/types.ts';
import type { Deps, Slice } from './store-types.ts';

type Decision = CommandInput<'approvals.decide'>['decision'];
type Export = CommandOutput<'runs.export'>;

export interface RunsSlice {
  /** Runs by id: every run seen in a list, an update or opened directly. */
  runs: Record<string, Run>;
  /** Each loaded thread's runs, newest first. */
  runsByThread: Record<string, Run[]>;
  /** Timelines of the runs opened recently; the open run's is undefined while it loads. */
  timelines: Record<string, TimelineState>;
  /** Runs that could not be found (runs.get said not_found). */
  missingRuns: Record<string, true>;
  loadRuns(threadId: string): Promise<void>;
  /** Loads a run and its log, and keeps its timeline current from now on. */
  openRun(runId: string): Promise<void>;
  /** Fetches the events after the timeline's lastSeq (all of them the first time). */
  syncRun(runId: string): Promise<void>;
  onAppEvent(event: AppEvent): void;
  forgetThread(threadId: string): void;
  startRun(task: string, threadId?: string, runOn?: 'current' | 'sandbox'): Promise<Run | undefined>;
  controlRun(runId: string, action: 'pause' | 'resume' | 'abort'): Promise<boolean>;
  /** Pause, resume or abort every active run (queued ones are only aborted). */
  controlAll(action: 'pause' | 'resume' | 'abort'): Promise<boolean>;
  /** Fetches the newest runs of every thread, so the board and the waiting badge know the active ones. */
  loadRecentRuns(): Promise<void>;
  steerRun(runId: string, text: string): Promise<boolean>;
  /** Pauses a sandboxed run and gives the live view named `viewer` its mouse and keyboard; handBack resumes it. */
  takeOver(runId: string, viewer: string): Promise<boolean>;
  handBack(runId: string): Promise<boolean>;
  /** The live view's socket for this viewer where the transport has no socket of its own (Electron); undefined when there is none. */
  liveViewUrl(runId: string, viewer: string): Promise<string | undefined>;
  decide(runId: string, actionId: string, decision: Decision): Promise<boolean>;
  answer(runId: string, actionId: string, answer: string): Promise<boolean>;
  exportRun(runId: string, format: 'json' | 'html'): Promise<Export | undefined>;
}

/** Timelines kept in memory; older ones are dropped and fetched again when reopened. */
const KEEP_TIMELINES = 6;
/** Fetches in a row that still leave a hole before giving up (a server bug, not a race). */
const MAX_REFETCH = 5;

function upsert(list: Run[], run: Run): Run[] {
  const i = list.findIndex((r) => r.id === run.id);
  const next = i >= 0 ? list.map((r) => (r.id === run.id ? run : r)) : [run, ...list];
  return i >= 0 ? next : next.sort((a, b) => b.createdAt - a.createdAt);
}

export const createRunsSlice = ({ transport }: Deps): Slice<RunsSlice> => (set, get) => {
  const inflight = new Map<string, { again: boolean; buffer: LoggedRunEvent[] }>();
  /** Open runs, most recent last: only these get timelines. */
  let wanted: string[] = [];

  // A command whose failure is shown in the banner; true when it succeeded.
  const attempt = async (fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (err) {
      get().reportError(err);
      return false;
    }
  };

  const noteRun = (run: Run) => {
    const known = run.id in get().runs;
    set((s) => {
      const list = s.runsByThread[run.threadId];
      return { runs: { ...s.runs, [run.id]: run }, runsByThread: list ? { ...s.runsByThread, [run.threadId]: upsert(list, run) } : s.runsByThread };
    });
    // A new run may have created its thread or moved it to the top.
    if (!known && get().threads) void get().loadThreads();
  };

  const onRunEvent = (e: LoggedRunEvent) => {
    const job = inflight.get(e.runId);
    if (job) {
      job.buffer.push(e);
      return;
    }
    const tl = get().timelines[e.runId];
    if (!tl) return;
    const next = applyEvent(tl, e);
    if (next.gap) {
      void get().syncRun(e.runId);
      return;
    }
    if (next !== tl) set((s) => ({ timelines: { ...s.timelines, [e.runId]: next } }));
  };

  return {
    runs: {},
    runsByThread: {},
    timelines: {},
    missingRuns: {},

    loadRuns: async (threadId) => {
      try {
        const list = await transport.call('runs.list', { threadId });
        set((s) => ({ runsByThread: { ...s.runsByThread, [threadId]: list }, runs: { ...s.runs, ...Object.fromEntries(list.map((r) => [r.id, r])) } }));
      } catch (err) {
        if (!get().noteAuthError(err)) get().reportError(err);
      }
    },

    openRun: async (runId) => {
      wanted = [...wanted.filter((id) => id !== runId), runId];
      const dropped = wanted.slice(0, -KEEP_TIMELINES);
      wanted = wanted.slice(-KEEP_TIMELINES);
      if (dropped.length) {
        set((s) => {
          const timelines = { ...s.timelines };
          for (const id of dropped) delete timelines[id];
          return { timelines };
        });
      }
      const tasks: Promise<unknown>[] = [get().syncRun(runId)];
      if (!get().runs[runId]) {
        tasks.push(
          transport.call('runs.get', { runId }).then(noteRun, (err: unknown) => {
            if ((err as { code?: string }).code === 'not_found') set((s) => ({ missingRuns: { ...s.missingRuns, [runId]: true } }));
            else get().reportError(err);
          }),
        );
      }
      await Promise.all(tasks);
    },

    syncRun: async (runId) => {
      const running = inflight.get(runId);
      if (running) {
        running.again = true;
        return;
      }
      const job = { again: true, buffer: [] as LoggedRunEvent[] };
      inflight.set(runId, job);
      try {
        for (let round = 0; job.again && round < MAX_REFETCH; round++) {
          job.again = false;
          const afterSeq = get().timelines[runId]?.lastSeq ?? 0;
          const { events } = await transport.call('runs.events', { runId, afterSeq });
          if (!wanted.includes(runId)) return;
          const buffered = job.buffer.splice(0);
          let tl = foldEvents(get().timelines[runId], events);
          if (!tl.gap && buffered.length > 0) tl = foldEvents(tl, buffered);
          if (tl.gap) job.again = true;
          set((s) => ({ timelines: { ...s.timelines, [runId]: tl } }));
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'not_found') set((s) => ({ missingRuns: { ...s.missingRuns, [runId]: true } }));
        else if (!get().noteAuthError(err)) get().reportError(err);
      } finally {
        inflight.delete(runId);
      }
    },

    onAppEvent: (event) => {
      if (event.kind === 'run_event') onRunEvent(event.event);
      else if (event.kind === 'run_updated') {
        noteRun(event.run);
        get().noteAutomationRun(event.run);
      } else if (event.kind === 'threads_changed') void get().loadThreads();
      else if (event.kind === 'automations_changed') get().onAutomationsChanged();
      else if (event.kind === 'recording_changed') get().onRecordingChanged(event.status);
    },

    forgetThread: (threadId) => {
      set((s) => {
        const runsByThread = { ...s.runsByThread };
        delete runsByThread[threadId];
        return { runsByThread };
      });
    },

    startRun: async (task, threadId, runOn) => {
      try {
        const run = await transport.call('runs.start', { task, ...(threadId ? { threadId } : {}), ...(runOn ? { runOn } : {}) });
        noteRun(run);
        if (!get().runsByThread[run.threadId]) void get().loadRuns(run.threadId);
        return run;
      } catch (err) {
        get().reportError(err);
        return undefined;
      }
    },

    controlRun: (runId, action) => attempt(() => transport.call('runs.control', { runId, action })),
    controlAll: (action) => attempt(() => transport.call('runs.controlAll', { action })),
    loadRecentRuns: async () => {
      try {
        const list = await transport.call('runs.list', { limit: 200 });
        set((s) => ({ runs: { ...s.runs, ...Object.fromEntries(list.map((r) => [r.id, r])) } }));
      } catch (err) {
        if (!get().noteAuthError(err)) get().reportError(err);
      }
    },
    steerRun: (runId, text) => attempt(() => transport.call('runs.steer', { runId, text })),
    takeOver: (runId, viewer) => attempt(() => transport.call('runs.takeover', { runId, viewer })),
    handBack: (runId) => attempt(() => transport.call('runs.handback', { runId })),
    liveViewUrl: async (runId, viewer) => {
      try {
        return (await transport.call('runs.liveView', { runId, viewer })).url;
      } catch (err) {
        get().reportError(err);
        return undefined;
      }
    },
    decide: (runId, actionId, decision) => attempt(() => transport.call('approvals.decide', { runId, actionId, decision })),
    answer: (runId, actionId, answer) => attempt(() => transport.call('questions.answer', { runId, actionId, answer })),

    exportRun: async (runId, format) => {
      try {
        return await transport.call('runs.export', { runId, format });
      } catch (err) {
        get().reportError(err);
        return undefined;
      }
    },
  };
};
