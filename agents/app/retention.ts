// "Keep screenshots N days": at start-up, screenshot files older than that are deleted (not the
// evidence crops of automations). Events keep their refs, and the UI and exports say the image is gone.
import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BLOB_REF_RE } from '../store/blobs.ts';
import type { Store } from '../store/store.ts';

const IMAGE_EXT = /\.(png|jpeg|jpg|webp)$/;

/** Deletes screenshot blobs last written more than `days` ago; 0 keeps everything. Returns how many. */
export async function pruneScreenshots(store: Store, days: number, now = Date.now()): Promise<number> {
  if (days <= 0) return 0;
  const kept = automationRefs(store);
  const cutoff = now - days * 24 * 3600 * 1000;
  let names: string[];
  try {
    names = await readdir(store.blobs.dir, { recursive: true });
  } catch {
    return 0;
  }
  let deleted = 0;
  for (const name of names) {
    const file = basename(name);
    if (!BLOB_REF_RE.test(file) || !IMAGE_EXT.test(file) || kept.has(file)) continue;
    const path = join(store.blobs.dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) {
      await unlink(path).catch(() => undefined);
      deleted++;
    }
  }
  return deleted;
}

/** Evidence crops of saved automations (every version) are kept whatever their age. */
function automationRefs(store: Store): Set<string> {
  const rows = store.db.prepare('SELECT json FROM automations UNION ALL SELECT json FROM automation_versions').pluck().all() as string[];
  return new Set(rows.flatMap((json) => json.match(/sha256-[0-9a-f]{64}\.[a-z0-9]{1,10}/g) ?? []));
}
