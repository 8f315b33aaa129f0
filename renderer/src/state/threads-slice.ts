// Threads, newest first, filtered by the search box on the server; each open thread's totals.
import type { CommandOutput, Thread } from '../../../agents/contract.ts';
import { CommandError } from '../transport/types.ts';
import type { Deps, Slice } from './store-types.ts';

export interface ThreadsSlice {
  /** null until the first list arrives. */
  threads: Thread[] | null;
  threadSearch: string;
  loadThreads(): Promise<void>;
  setThreadSearch(search: string): void;
  createThread(title: string): Promise<Thread | undefined>;
  renameThread(threadId: string, title: string): Promise<boolean>;
  deleteThread(threadId: string): Promise<boolean>;
  /** Runs, steps, tokens and cost of a thread, as the engine adds them up; fetched when its view asks. */
  threadTotals: Record<string, ThreadTotals>;
  loadThreadTotals(threadId: string): Promise<void>;
}

export type ThreadTotals = CommandOutput<'threads.totals'>;

/** The longest title the contract takes (threads.rename). */
export const TITLE_MAX = 200;

export const createThreadsSlice = ({ transport }: Deps): Slice<ThreadsSlice> => (set, get) => {
  // Only the latest list request may land: a slow answer to an older search must not win.
  let latest = 0;
  // Likewise per thread for totals: an answer read before a run's last events must not land after a newer one.
  const latestTotals = new Map<string, number>();
  return {
    threads: null,
    threadSearch: '',
    threadTotals: {},
    loadThreadTotals: async (threadId) => {
      const ticket = (latestTotals.get(threadId) ?? 0) + 1;
      latestTotals.set(threadId, ticket);
      try {
        const totals = await transport.call('threads.totals', { threadId });
        if (latestTotals.get(threadId) === ticket) set((s) => ({ threadTotals: { ...s.threadTotals, [threadId]: totals } }));
      } catch (err) {
        // A thread deleted meanwhile has no totals; anything else is worth showing.
        if (!get().noteAuthError(err) && !(err instanceof CommandError && err.code === 'not_found')) get().reportError(err);
      }
    },
    loadThreads: async () => {
      const ticket = ++latest;
      const search = get().threadSearch.trim();
      try {
        const threads = await transport.call('threads.list', search ? { search } : {});
        if (ticket === latest) set({ threads });
      } catch (err) {
        if (!get().noteAuthError(err)) get().reportError(err);
      }
    },
    setThreadSearch: (threadSearch) => {
      set({ threadSearch });
      void get().loadThreads();
    },
    createThread: async (title) => {
      try {
        const thread = await transport.call('threads.create', { title });
        set((s) => ({ threads: s.threads && !s.threads.some((t) => t.id === thread.id) ? [thread, ...s.threads] : s.threads }));
        return thread;
      } catch (err) {
        get().reportError(err);
        return undefined;
      }
    },
    renameThread: async (threadId, title) => {
      try {
        const thread = await transport.call('threads.rename', { threadId, title: title.trim().slice(0, TITLE_MAX) });
        set((s) => ({ threads: s.threads?.map((t) => (t.id === thread.id ? thread : t)) ?? null }));
        return true;
      } catch (err) {
        get().reportError(err);
        return false;
      }
    },
    deleteThread: async (threadId) => {
      try {
        await transport.call('threads.delete', { threadId });
        set((s) => ({ threads: s.threads?.filter((t) => t.id !== threadId) ?? null }));
        get().forgetThread(threadId);
        return true;
      } catch (err) {
        get().reportError(err);
        return false;
      }
    },
  };
};
