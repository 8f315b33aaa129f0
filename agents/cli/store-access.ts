// Opening the run database from the CLI: --db or the shared default, errors as CLI errors.
import { resolve } from 'node:path';
import { defaultDbPath } from '../store/paths.ts';
import { openSharedStore, type SharedStore } from '../store/shared-open.ts';
import { CliError } from './command.ts';

export type CliStore = SharedStore;

/** --db PATH, else DESKPILOT_HOME or the platform's app-data folder. */
export function dbPathFrom(values: Record<string, unknown>): string {
  const db = values['db'];
  if (db !== undefined && (typeof db !== 'string' || db === '')) throw new CliError('--db needs a file path');
  return resolve(typeof db === 'string' ? db : defaultDbPath());
}

export function openCliStore(values: Record<string, unknown>, opts: { runsAgents?: boolean } = {}): CliStore {
  const path = dbPathFrom(values);
  try {
    return openSharedStore(path, opts);
  } catch (err) {
    throw new CliError(`cannot open the run database ${path}: ${(err as Error).message}`, 1);
  }
}
