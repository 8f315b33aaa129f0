// App info (presets, display), the settings as the server shows them, and provider checks. API keys
// are write-only: the UI only ever learns whether a provider has one.
import type { CommandInput, CommandOutput, SettingsView } from '../../../agents/contract.ts';
import { setLanguage } from '../i18n/index.ts';
import type { Deps, Slice } from './store-types.ts';

export type AppInfo = CommandOutput<'app.info'>;
export type SettingsPatch = CommandInput<'settings.update'>;
export type ConnectionTest = CommandOutput<'settings.testConnection'>;
/** An MCP server's Test: its tools, or why it would not start (in the engine's plain words). */
export type McpTestResult = { ok: true; tools: CommandOutput<'mcp.test'>['tools'] } | { ok: false; reason: string };

export interface SettingsSlice {
  info: AppInfo | null;
  /** null until loaded. */
  settings: SettingsView | null;
  /** Each provider's latest test result; 'testing' while one runs. */
  connectionTests: Record<string, ConnectionTest | 'testing'>;
  /** The message of the last failed save, for the settings view. */
  settingsError: string | null;
  /** When the last save succeeded (ms), to show "Saved". */
  savedAt: number | null;
  loadInfo(): Promise<void>;
  loadSettings(): Promise<void>;
  saveSettings(patch: SettingsPatch): Promise<boolean>;
  setKey(providerId: string, apiKey: string | null): Promise<boolean>;
  testConnection(providerId: string): Promise<void>;
  /** Starts a saved MCP server and lists its tools; the result belongs to the form that asked. */
  testMcpServer(id: string): Promise<McpTestResult>;
}

export const createSettingsSlice = ({ transport }: Deps): Slice<SettingsSlice> => (set, get) => {
  const applySettings = (settings: SettingsView) => {
    setLanguage(settings.language);
    set({ settings });
  };
  return {
    info: null,
    settings: null,
    connectionTests: {},
    settingsError: null,
    savedAt: null,
    loadInfo: async () => {
      try {
        set({ info: await transport.call('app.info', {}) });
      } catch (err) {
        if (!get().noteAuthError(err)) get().reportError(err);
      }
    },
    loadSettings: async () => {
      try {
        applySettings(await transport.call('settings.get', {}));
      } catch (err) {
        if (!get().noteAuthError(err)) get().reportError(err);
      }
    },
    saveSettings: async (patch) => {
      try {
        applySettings(await transport.call('settings.update', patch));
        set({ settingsError: null, savedAt: Date.now() });
        return true;
      } catch (err) {
        // Shown beside the Save button (a validation message belongs to the form, not the banner).
        if (!get().noteAuthError(err)) set({ settingsError: err instanceof Error ? err.message : String(err), savedAt: null });
        return false;
      }
    },
    setKey: async (providerId, apiKey) => {
      try {
        const { hasKey } = await transport.call('settings.setKey', { providerId, apiKey });
        set((s) => ({ settings: s.settings && { ...s.settings, providers: s.settings.providers.map((p) => (p.id === providerId ? { ...p, hasKey } : p)) } }));
        return true;
      } catch (err) {
        get().reportError(err);
        return false;
      }
    },
    testMcpServer: async (id) => {
      try {
        return { ok: true, tools: (await transport.call('mcp.test', { id })).tools };
      } catch (err) {
        if (get().noteAuthError(err)) return { ok: false, reason: 'not signed in' };
        return { ok: false, reason: err instanceof Error ? err.message : String(err) };
      }
    },
    testConnection: async (providerId) => {
      set((s) => ({ connectionTests: { ...s.connectionTests, [providerId]: 'testing' } }));
      try {
        const result = await transport.call('settings.testConnection', { providerId });
        set((s) => ({ connectionTests: { ...s.connectionTests, [providerId]: result } }));
      } catch (err) {
        set((s) => {
          const connectionTests = { ...s.connectionTests };
          delete connectionTests[providerId];
          return { connectionTests };
        });
        get().reportError(err);
      }
    },
  };
};
