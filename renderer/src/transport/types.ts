// What the renderer talks to: the contract's API plus screenshot URLs and the connection state.
import type { CommandFailure, DeskpilotApi } from '../../../agents/contract.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  message?: string;
}

export interface Transport extends DeskpilotApi {
  readonly kind: 'ipc' | 'http';
  /** A URL an <img> can load for a stored screenshot. */
  blobUrl(ref: string): string;
  status(): ConnectionStatus;
  /** Called on every change of the connection state. */
  onStatus(callback: (status: ConnectionStatus) => void): () => void;
}

export type FailureCode = CommandFailure['error']['code'] | 'network' | 'unauthorized';

/** A command that failed: `code` says what kind of mistake, `message` is for the user. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly code: FailureCode,
    message: string,
    /** The HTTP status, when the browser transport carried it. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isCommandFailure(value: unknown): value is CommandFailure {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}
