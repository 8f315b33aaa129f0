// The IPC transport of the contract. A message from anything but the top frame of one of our own
// windows is dropped before the engine sees it; unknown commands are refused; the engine parses
// every input with the contract's schemas. Replies are plain data, never thrown Errors.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { isCommandName, type AppEvent, type CommandFailure } from '../../agents/contract.ts';
import { CommandError } from '../../agents/app/app-service.ts';
import { isTrustedFrame, trustedContents } from './windows.ts';

export const CALL_CHANNEL = 'deskpilot:call';
export const EVENT_CHANNEL = 'deskpilot:event';

export type CallReply = { ok: true; value: unknown } | ({ ok: false } & CommandFailure);

export interface CommandTarget {
  call(command: string, input: unknown): Promise<unknown>;
  onEvent(listener: (e: AppEvent) => void): () => void;
}

export function setupIpc(service: CommandTarget): () => void {
  ipcMain.handle(CALL_CHANNEL, (event, command: unknown, input: unknown) => handleCall(service, event, command, input));
  const off = service.onEvent((e) => {
    for (const contents of trustedContents()) contents.send(EVENT_CHANNEL, e);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    off();
  };
}

async function handleCall(service: CommandTarget, event: IpcMainInvokeEvent, command: unknown, input: unknown): Promise<CallReply> {
  if (!isTrustedFrame(event.sender, event.senderFrame)) {
    console.warn(`Deskpilot: dropped a call from an untrusted frame (${event.senderFrame?.url ?? 'gone'})`);
    return fail('failed', 'refused: this page is not part of Deskpilot');
  }
  if (!isCommandName(command)) return fail('unknown_command', `unknown command ${JSON.stringify(String(command).slice(0, 100))}`);
  try {
    return { ok: true, value: await service.call(command, input) };
  } catch (err) {
    if (err instanceof CommandError) return { ok: false, ...err.failure };
    return fail('failed', err instanceof Error ? err.message : String(err));
  }
}

function fail(code: CommandFailure['error']['code'], message: string): CallReply {
  return { ok: false, error: { code, message } };
}
