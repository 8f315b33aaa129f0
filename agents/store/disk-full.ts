// A full disk told apart from other write failures by its codes (SQLite's SQLITE_FULL, the system's
// ENOSPC/EDQUOT), with the folder whose disk is full, so the person knows what to free.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export class DiskFullError extends Error {
  override name = 'DiskFullError';
  constructor(readonly folder: string, options?: { cause?: unknown }) {
    super(`the disk holding ${folder} is full: free some space`, options);
  }
}

export function isDiskFull(err: unknown): boolean {
  if (err instanceof DiskFullError) return true;
  if (err instanceof Database.SqliteError) return err.code === 'SQLITE_FULL' || err.code.startsWith('SQLITE_FULL');
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Runs `write`; a full disk becomes a DiskFullError naming `folder`, anything else passes through. */
export function onFullDisk<T>(folder: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw isDiskFull(err) && !(err instanceof DiskFullError) ? new DiskFullError(folder, { cause: err }) : err;
  }
}

export const RESERVE_FILE = '.deskpilot-disk-reserve';

/**
 * A little space kept aside beside the database: when the disk fills, deleting it leaves room to
 * record how the run ended. Made again when the store next opens (best effort: a full disk skips it).
 */
export class DiskReserve {
  readonly path: string;
  constructor(folder: string, readonly bytes = 512 * 1024) {
    this.path = join(folder, RESERVE_FILE);
    try {
      if (!existsSync(this.path)) writeFileSync(this.path, Buffer.alloc(bytes));
    } catch {
      rmSync(this.path, { force: true }); // a partial reserve is no reserve
    }
  }

  /** Frees the space; false when there was none to free. */
  release(): boolean {
    if (!existsSync(this.path)) return false;
    rmSync(this.path, { force: true });
    return true;
  }
}
