// --display :N / --sandbox, shared by every command that drives a desktop.
import type { RunTarget } from '../desktop/targets.ts';
import { optionReader, type OptionValues } from './command.ts';

export type DisplayTarget = RunTarget;

/** A display name as X writes it, e.g. :101 or :101.0; anything else is a usage error. */
export function checkDisplay(display: string, usage: string): string {
  if (!/^:\d+(\.\d+)?$/.test(display)) throw optionReader(usage).usageError(`--display must look like :101, not "${display}"`);
  return display;
}

/** --display :N, --sandbox, or $DISPLAY. */
export function displayTarget(values: OptionValues, usage: string): DisplayTarget {
  const { str, usageError } = optionReader(usage);
  const display = str(values, 'display');
  if (values['sandbox'] === true) {
    if (display) throw usageError('give --display :N or --sandbox, not both');
    return { kind: 'sandbox' };
  }
  if (display) return { kind: 'display', display: checkDisplay(display, usage) };
  const fromEnv = process.env['DISPLAY'];
  if (fromEnv) return { kind: 'display', display: fromEnv };
  throw usageError('no display to drive: DISPLAY is not set. Pass --display :N for a running X display, or --sandbox to run on a fresh virtual display');
}
