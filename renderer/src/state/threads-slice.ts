// Threads, newest first, filtered by the search box on the server.
import type { Thread } from '../../../agents/contract.ts';
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
}

export const createThreadsSlice = ({ transport }: Deps): Slice<ThreadsSlice> => (set, get) => {
  // Only the latest list request may land: a slow answer to an older search must not win.
  let latest = 0;
  return {
    threads: null,
    threadSearch: '',
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
        const thread = await transport.call('threads.rename', { threadId, title });
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
