// One zustand store built from slices, wired to the transport's events and connection state.
// Plain TypeScript (no React), so the slices can be tested in node.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Transport } from '../transport/types.ts';
import { createAutomationsSlice } from './automations-slice.ts';
import { createConnectionSlice } from './connection-slice.ts';
import { createRunsSlice } from './runs-slice.ts';
import { createSettingsSlice } from './settings-slice.ts';
import { createSkillsSlice } from './skills-slice.ts';
import type { AppState } from './store-types.ts';
import { createThreadsSlice } from './threads-slice.ts';
import { createUiSlice } from './ui-slice.ts';

export type AppStore = StoreApi<AppState>;

export function createAppStore(transport: Transport, initialHash: string): AppStore {
  const deps = { transport };
  const store = createStore<AppState>()((...a) => ({
    ...createConnectionSlice(deps)(...a),
    ...createThreadsSlice(deps)(...a),
    ...createRunsSlice(deps)(...a),
    ...createSettingsSlice(deps)(...a),
    ...createUiSlice(initialHash)(...a),
    ...createAutomationsSlice(deps)(...a),
    ...createSkillsSlice(deps)(...a),
  }));
  transport.onEvent((e) => store.getState().onAppEvent(e));
  transport.onStatus((s) => store.getState().setConnection(s));
  const s = store.getState();
  void s.loadInfo();
  void s.loadSettings();
  void s.loadThreads();
  return store;
}

export type { AppState };
