// A command's failure with the kind of mistake it was, as both transports report it.
import { z } from 'zod';
import type { CommandFailure } from '../contract.ts';
import { ProviderError } from '../models/create-planner.ts';
import { ControlError } from '../run/control.ts';
import { NotFoundError } from '../store/types.ts';
import { SettingsError } from './settings-file.ts';

export type FailureCode = CommandFailure['error']['code'];

export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
  }

  get failure(): CommandFailure {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Any error a handler threw, as a CommandError: input mistakes, missing things, conflicts, or failures. */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  if (err instanceof z.ZodError) return new CommandError('bad_input', z.prettifyError(err));
  if (err instanceof SettingsError || err instanceof ProviderError) return new CommandError('bad_input', err.message);
  if (err instanceof NotFoundError) return new CommandError('not_found', err.message);
  if (err instanceof ControlError) return new CommandError('conflict', err.message);
  return new CommandError('failed', err instanceof Error ? err.message : String(err));
}
