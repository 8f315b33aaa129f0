// The event socket's state. When it opens again after a drop, everything shown is fetched again,
// since events sent while it was down were lost.
import { CommandError, type ConnectionStatus } from '../transport/types.ts';
import type { Deps, Slice } from './store-types.ts';

export interface ConnectionSlice {
  connection: ConnectionStatus;
  /** The socket has been open at least once: a later drop is a reconnect, not a first connect. */
  everOpened: boolean;
  /** The server refused the access token. */
  authFailed: boolean;
  setConnection(status: ConnectionStatus): void;
  /** Re-fetches lists and every open run's missed events. */
  resync(): void;
  /** Marks the token refused when an error says so; true when it did. */
  noteAuthError(err: unknown): boolean;
}

export const createConnectionSlice = ({ transport }: Deps): Slice<ConnectionSlice> => (set, get) => ({
  connection: transport.status(),
  everOpened: transport.status().state === 'open',
  authFailed: false,
  setConnection: (status) => {
    const { connection, everOpened } = get();
    set({ connection: status, everOpened: everOpened || status.state === 'open' });
    // Also on the first open: events sent between the first fetches and the socket opening were missed.
    if (status.state === 'open' && connection.state !== 'open') get().resync();
  },
  resync: () => {
    const s = get();
    void s.loadThreads();
    for (const threadId of Object.keys(s.runsByThread)) void s.loadRuns(threadId);
    for (const runId of Object.keys(s.timelines)) void s.syncRun(runId);
    s.onAutomationsChanged();
    if (s.recording !== null) void s.loadRecording();
    for (const name of Object.keys(s.automationHistory)) void s.loadAutomationHistory(name);
  },
  noteAuthError: (err) => {
    const refused = err instanceof CommandError && err.code === 'unauthorized';
    if (refused) set({ authFailed: true });
    return refused;
  },
});
