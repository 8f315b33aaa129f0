// Content-addressed files (screenshots, large payloads); events hold only their reference.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Common extensions; any short lowercase alphanumeric one is accepted. */
export type BlobExt = 'png' | 'jpeg' | 'webp' | 'json' | 'txt' | 'html' | (string & {});

/** `sha256-<64 hex>.<ext>`: nothing else is a ref, so a ref can never name a path outside the blob folder. */
export const BLOB_REF_RE = /^sha256-([0-9a-f]{64})\.([a-z0-9]{1,10})$/;
const EXT_RE = /^[a-z0-9]{1,10}$/;

export function isBlobRef(ref: unknown): ref is string {
  return typeof ref === 'string' && BLOB_REF_RE.test(ref);
}

export function blobRef(data: Uint8Array, ext: BlobExt): string {
  if (!EXT_RE.test(ext)) throw new Error(`invalid blob extension ${JSON.stringify(ext)}: use 1-10 lowercase letters or digits`);
  return `sha256-${createHash('sha256').update(data).digest('hex')}.${ext}`;
}

export class BlobStore {
  constructor(readonly dir: string) {}

  /** Writes the bytes once (a second put of the same content is a no-op) and returns the ref. */
  put(data: Uint8Array, ext: BlobExt): string {
    const ref = blobRef(data, ext);
    const path = this.path(ref);
    if (existsSync(path)) {
      // Fresh again: the screenshot retention deletes by age, and this content is in use now.
      const now = new Date();
      utimesSync(path, now, now);
      return ref;
    }
    const folder = join(this.dir, ref.slice(7, 9));
    mkdirSync(folder, { recursive: true });
    // Write beside the target, then rename: readers see the whole file or none. No fsync, like
    // synchronous=NORMAL: a process crash cannot leave a partial blob, a power loss might.
    const tmp = join(folder, `.${ref}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, data);
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    return ref;
  }

  /** The file for a ref; throws on anything that is not a well-formed ref. */
  path(ref: string): string {
    const m = BLOB_REF_RE.exec(ref);
    if (!m) throw new Error(`invalid blob ref ${JSON.stringify(ref)}: expected sha256-<64 hex>.<ext>`);
    return join(this.dir, m[1]!.slice(0, 2), ref);
  }

  has(ref: string): boolean {
    return existsSync(this.path(ref));
  }

  read(ref: string): Buffer {
    return readFileSync(this.path(ref));
  }
}
