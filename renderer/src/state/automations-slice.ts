// Automations: the list, the inbox, each opened automation (current version, versions, schedule)
// and its replays. `automations_changed` refetches what is loaded; replays' rows arrive as run_updated.
// Also a demonstration being recorded (its live status) and the unsaved draft it became, kept here
// so that neither a re-render nor a visit to another view loses the draft's edits.
import type { AutomationSummary, CommandInput, CommandOutput, InboxEntry, RecordingStatus, ReplayTarget, RowBatch, Run, ScheduleView } from '../../../agents/contract.ts';
import type { Deps, Slice } from './store-types.ts';

export type AutomationDetail = CommandOutput<'automations.get'>;
export type AutomationDraft = CommandInput<'automations.save'>['automation'];
export type SavedFromRun = CommandOutput<'automations.fromRun'>;
/** An automation as recorded: everything but a version, since it is not saved yet. */
export type NewAutomation = CommandOutput<'recordings.stop'>['automation'];

/** A command's answer, or the server's message saying what is wrong (shown beside the form). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** A recorded demonstration not saved yet: the draft as recorded, the operator's edits, what the server warned. */
export interface RecordedDraft {
  recorded: NewAutomation;
  draft: NewAutomation;
  warnings: string[];
  /** Tells one recording's draft from the next (the editor starts again for a new one). */
  id: number;
}

export interface AutomationsSlice {
  /** null until the first list arrives. */
  automations: AutomationSummary[] | null;
  inbox: InboxEntry[] | null;
  /** Which inbox items are listed: all not archived (the default), unread, needing attention, or archived. */
  inboxFilter: InboxFilter;
  setInboxFilter(filter: InboxFilter): Promise<void>;
  /** Marks an inbox item read or unread, archived or back. */
  markInboxItem(id: string, change: { read?: boolean; archived?: boolean }): Promise<void>;
  automationDetails: Record<string, AutomationDetail>;
  /** Automations that could not be found (automations.get said not_found). */
  missingAutomations: Record<string, true>;
  automationHistory: Record<string, Run[]>;
  loadAutomations(): Promise<void>;
  loadAutomation(name: string): Promise<void>;
  loadAutomationHistory(name: string): Promise<void>;
  saveAutomation(draft: AutomationDraft): Promise<Outcome<AutomationDetail['automation']>>;
  saveRunAsAutomation(input: CommandInput<'automations.fromRun'>): Promise<Outcome<SavedFromRun>>;
  deleteAutomation(name: string): Promise<boolean>;
  runAutomation(name: string, params: Record<string, string>, target: ReplayTarget): Promise<Outcome<Run>>;
  /** "New agent task": a prompt automation with the Settings' provider. */
  createAgentTask(input: CommandInput<'automations.createPrompt'>): Promise<Outcome<AutomationDetail['automation']>>;
  /** "Run for each row": starts the batch; rowBatch polls it. */
  runRows(input: CommandInput<'automations.runRows'>): Promise<Outcome<RowBatch>>;
  rowBatch(batchId: string): Promise<Outcome<RowBatch>>;
  /** Cancel: rows not started are not run, the one running is aborted. */
  cancelRows(batchId: string): Promise<Outcome<RowBatch>>;
  scheduleAutomation(name: string, cron: string, runMissed: boolean, target: ReplayTarget): Promise<Outcome<ScheduleView>>;
  unscheduleAutomation(name: string): Promise<Outcome<true>>;
  /** Refetches whatever automation data is loaded. */
  onAutomationsChanged(): void;
  /** A run's row changed: kept in its automation's history when it is a replay of one that is loaded. */
  noteAutomationRun(run: Run): void;

  /** null until the status is first loaded. */
  recording: RecordingStatus | null;
  /** A recording command in flight: stopping takes a while (each step's evidence is gathered). */
  recordingPending: 'starting' | 'stopping' | 'cancelling' | null;
  recordedDraft: RecordedDraft | null;
  loadRecording(): Promise<void>;
  startRecording(): Promise<Outcome<true>>;
  /** Stops, and keeps the draft it returns for the step editor. */
  stopRecording(name: string): Promise<Outcome<RecordedDraft>>;
  cancelRecording(): Promise<Outcome<true>>;
  onRecordingChanged(status: RecordingStatus): void;
  editRecordedDraft(edit: (draft: NewAutomation) => NewAutomation): void;
  dropRecordedDraft(): void;
}

export type InboxFilter = NonNullable<CommandInput<'inbox.list'>['filter']>;

const REPLAY_PROVIDER = 'automation';
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The automation a replay run belongs to: its model is "NAME@vN". */
export function replayOf(run: Pick<Run, 'provider' | 'model'>): string | undefined {
  if (run.provider !== REPLAY_PROVIDER || !run.model) return undefined;
  const at = run.model.lastIndexOf('@v');
  return at > 0 ? run.model.slice(0, at) : undefined;
}

const IDLE: RecordingStatus = { active: false, events: 0, presses: 0 };
let nextDraftId = 1;

export const createAutomationsSlice = ({ transport }: Deps): Slice<AutomationsSlice> => (set, get) => {
  // A form's failure stays beside the form; an expired token still goes to the token page.
  const outcome = async <T>(fn: () => Promise<T>): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await fn() };
    } catch (err) {
      get().noteAuthError(err);
      return { ok: false, message: messageOf(err) };
    }
  };
  const quietly = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      if (!get().noteAuthError(err)) get().reportError(err);
    }
  };
  const refreshInbox = async () => {
    const filter = get().inboxFilter;
    const inbox = await transport.call('inbox.list', { limit: 50, filter });
    // A slower answer for a filter left meanwhile must not replace the one chosen now.
    if (get().inboxFilter === filter) set({ inbox });
  };
  /** A recording command, with the pending flag set while it runs. */
  const recordingCall = async <T>(pending: AutomationsSlice['recordingPending'], fn: () => Promise<T>): Promise<Outcome<T>> => {
    set({ recordingPending: pending });
    try {
      return await outcome(fn);
    } finally {
      set({ recordingPending: null });
    }
  };

  return {
    automations: null,
    inbox: null,
    inboxFilter: 'all',
    automationDetails: {},
    missingAutomations: {},
    automationHistory: {},

    loadAutomations: () => quietly(async () => {
      const [automations, inbox] = await Promise.all([transport.call('automations.list', {}), transport.call('inbox.list', { limit: 50, filter: get().inboxFilter })]);
      set({ automations, inbox });
    }),

    setInboxFilter: (filter) => quietly(async () => {
      set({ inboxFilter: filter });
      await refreshInbox();
    }),

    markInboxItem: (id, change) => quietly(async () => {
      await transport.call('inbox.mark', { id, ...change });
      await refreshInbox();
    }),

    loadAutomation: async (name) => {
      try {
        const detail = await transport.call('automations.get', { name });
        set((s) => {
          const missingAutomations = { ...s.missingAutomations };
          delete missingAutomations[name];
          return { automationDetails: { ...s.automationDetails, [name]: detail }, missingAutomations };
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'not_found') {
          set((s) => {
            const automationDetails = { ...s.automationDetails };
            delete automationDetails[name];
            return { automationDetails, missingAutomations: { ...s.missingAutomations, [name]: true } };
          });
        } else if (!get().noteAuthError(err)) get().reportError(err);
      }
    },

    loadAutomationHistory: (name) => quietly(async () => {
      const runs = await transport.call('automations.history', { name, limit: 100 });
      set((s) => ({ automationHistory: { ...s.automationHistory, [name]: runs } }));
    }),

    saveAutomation: async (draft) => {
      const result = await outcome(() => transport.call('automations.save', { automation: draft }));
      if (result.ok) await get().loadAutomation(draft.name);
      return result;
    },

    saveRunAsAutomation: (input) => outcome(() => transport.call('automations.fromRun', input)),

    deleteAutomation: async (name) => {
      try {
        await transport.call('automations.delete', { name });
        set((s) => ({ automations: s.automations?.filter((a) => a.name !== name) ?? null }));
        return true;
      } catch (err) {
        get().reportError(err);
        return false;
      }
    },

    runAutomation: async (name, params, target) => {
      const result = await outcome(() => transport.call('automations.run', { name, params, target }));
      if (result.ok) get().noteAutomationRun(result.value);
      return result;
    },

    createAgentTask: async (input) => {
      const result = await outcome(() => transport.call('automations.createPrompt', input));
      if (result.ok) await get().loadAutomation(input.name);
      return result;
    },

    runRows: (input) => outcome(() => transport.call('automations.runRows', input)),

    rowBatch: (batchId) => outcome(() => transport.call('automations.rowBatch', { batchId })),

    cancelRows: (batchId) => outcome(() => transport.call('automations.cancelRows', { batchId })),

    scheduleAutomation: async (name, cron, runMissed, target) => {
      const result = await outcome(() => transport.call('automations.schedule', { name, cron, runMissed, target }));
      if (result.ok) void get().loadAutomation(name);
      return result;
    },

    unscheduleAutomation: async (name) => {
      const result = await outcome(async () => {
        await transport.call('automations.unschedule', { name });
        return true as const;
      });
      if (result.ok) void get().loadAutomation(name);
      return result;
    },

    onAutomationsChanged: () => {
      const s = get();
      if (s.automations !== null) void s.loadAutomations();
      for (const name of Object.keys(s.automationDetails)) void s.loadAutomation(name);
    },

    noteAutomationRun: (run) => {
      // A prompt automation's run is no replay: it is kept up to date where a loaded history lists it.
      const name = replayOf(run) ?? Object.keys(get().automationHistory).find((n) => get().automationHistory[n]!.some((r) => r.id === run.id));
      const list = name === undefined ? undefined : get().automationHistory[name];
      if (name === undefined || !list) return;
      const known = list.some((r) => r.id === run.id);
      const next = known ? list.map((r) => (r.id === run.id ? run : r)) : [run, ...list].sort((a, b) => b.createdAt - a.createdAt);
      set((s) => ({ automationHistory: { ...s.automationHistory, [name]: next } }));
    },

    recording: null,
    recordingPending: null,
    recordedDraft: null,

    loadRecording: () => quietly(async () => {
      set({ recording: await transport.call('recordings.status', {}) });
    }),

    startRecording: () => recordingCall('starting', async () => {
      const { display, startedAt } = await transport.call('recordings.start', {});
      // The live status may have arrived first, with counts already.
      set((s) => (s.recording?.active && s.recording.startedAt === startedAt ? {} : { recording: { active: true, display, startedAt, events: 0, presses: 0 } }));
      return true as const;
    }),

    stopRecording: (name) => recordingCall('stopping', async () => {
      const { automation, warnings } = await transport.call('recordings.stop', { name });
      const recorded: RecordedDraft = { recorded: automation, draft: automation, warnings, id: nextDraftId++ };
      set({ recording: IDLE, recordedDraft: recorded });
      return recorded;
    }),

    cancelRecording: () => recordingCall('cancelling', async () => {
      await transport.call('recordings.cancel', {});
      set({ recording: IDLE });
      return true as const;
    }),

    onRecordingChanged: (status) => set({ recording: status }),

    editRecordedDraft: (edit) => set((s) => (s.recordedDraft ? { recordedDraft: { ...s.recordedDraft, draft: edit(s.recordedDraft.draft) } } : {})),

    dropRecordedDraft: () => set({ recordedDraft: null }),
  };
};
