// The renderer's only door to the engine: exactly call(command, input) and onEvent(callback).
// Bundled to CommonJS because sandboxed preloads cannot be ES modules and may require only 'electron'.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppEvent, CommandFailure } from '../../agents/contract.ts';

type Reply = { ok: true; value: unknown } | ({ ok: false } & CommandFailure);

/** contextBridge copies only an Error's message, so the code rides in it: "bad_input: describe the task". */
function failure(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

const api = {
  async call(command: unknown, input: unknown): Promise<unknown> {
    if (typeof command !== 'string') throw failure('unknown_command', 'a command name must be a string');
    const reply = (await ipcRenderer.invoke('deskpilot:call', command, input)) as Reply | undefined;
    if (reply?.ok === true) return reply.value;
    throw failure(reply?.error.code ?? 'failed', reply?.error.message ?? 'no reply from the app');
  },
  onEvent(callback: (event: AppEvent) => void): () => void {
    if (typeof callback !== 'function') throw new TypeError('onEvent needs a function');
    const listener = (_e: IpcRendererEvent, event: AppEvent) => callback(event);
    ipcRenderer.on('deskpilot:event', listener);
    return () => void ipcRenderer.removeListener('deskpilot:event', listener);
  },
};

contextBridge.exposeInMainWorld('deskpilot', api);
