// The combined store's type and what every slice is given: the transport it calls.
import type { StateCreator } from 'zustand';
import type { Transport } from '../transport/types.ts';
import type { AutomationsSlice } from './automations-slice.ts';
import type { ConnectionSlice } from './connection-slice.ts';
import type { RunsSlice } from './runs-slice.ts';
import type { SettingsSlice } from './settings-slice.ts';
import type { SkillsSlice } from './skills-slice.ts';
import type { ThreadsSlice } from './threads-slice.ts';
import type { UiSlice } from './ui-slice.ts';

export type AppState = ConnectionSlice & ThreadsSlice & RunsSlice & SettingsSlice & UiSlice & AutomationsSlice & SkillsSlice;

export type Slice<T> = StateCreator<AppState, [], [], T>;

export interface Deps {
  transport: Transport;
}
