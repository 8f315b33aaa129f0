// Inside Electron: the preload's window.deskpilot (call + onEvent) over IPC, always connected.
import type { DeskpilotApi } from '../../../agents/contract.ts';
import { CommandError, isCommandFailure, type ConnectionStatus, type Transport } from './types.ts';

declare global {
  interface Window {
    deskpilot?: DeskpilotApi;
  }
}

const OPEN: ConnectionStatus = { state: 'open' };

export function electronTransport(api: DeskpilotApi): Transport {
  return {
    kind: 'ipc',
    async call(command, input) {
      try {
        return await api.call(command, input);
      } catch (err) {
        throw toCommandError(err);
      }
    },
    onEvent: (callback) => api.onEvent(callback),
    blobUrl: (ref) => `deskpilot-blob://blobs/${ref}`,
    status: () => OPEN,
    onStatus: () => () => {},
  };
}

const CODES = ['bad_input', 'not_found', 'conflict', 'failed', 'unknown_command'] as const;

/** contextBridge keeps only an Error's message, so the preload puts the code in it: "bad_input: describe the task". */
function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  if (isCommandFailure(err)) return new CommandError(err.error.code, err.error.message);
  const message = (err instanceof Error ? err.message : String(err)).replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '');
  const coded = /^([a-z_]+): ([\s\S]*)$/.exec(message);
  const code = CODES.find((c) => c === coded?.[1]);
  if (coded && code) return new CommandError(code, coded[2]!);
  return new CommandError('failed', message);
}
