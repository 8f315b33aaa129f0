// The task file cache: inputs (`download` steps) and expected files (`cloud_file` getters) named by
// http(s) URL are fetched once into a content cache, one file per URL, and read from there after.
// Files next to the task and file:// URLs are read in place, as before.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultDataDir } from '../store/paths.ts';
import { localSource } from './sandbox.ts';

/** Where remote files come from: the cache folder, and whether the network may be used. */
export interface FileSource {
  cacheDir: string;
  /** Only the cache: a file not in it is an error that names it. */
  offline: boolean;
  /** Progress lines (to stderr in the CLI). */
  onProgress?: (line: string) => void;
}

/** A remote file that is not in the cache and may not be fetched (--offline). */
export class MissingFileError extends Error {
  override name = 'MissingFileError';
  constructor(readonly urls: string[], cacheDir: string) {
    super(`not in the file cache ${cacheDir}: ${urls.join(', ')}; run \`deskpilot tasks fetch\` with network, or drop --offline`);
  }
}

/** A download that failed for good (after retries) or did not match its checksum. */
export class DownloadError extends Error {
  override name = 'DownloadError';
}

export const defaultCacheDir = (): string => join(defaultDataDir(), 'task-cache');

export const isRemote = (source: string): boolean => /^https?:\/\//i.test(source);

/** The cache file of a URL: named by the URL's SHA-256, so any URL (query strings and all) maps to one safe name. */
export function cachePath(url: string, cacheDir: string): string {
  return join(cacheDir, createHash('sha256').update(url).digest('hex'));
}

export const isCached = (url: string, cacheDir: string): boolean => existsSync(cachePath(url, cacheDir));

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface FetchOptions {
  /** Expected SHA-256 (hex) where the task gives one. */
  sha256?: string;
  retries?: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** The first wait between attempts; doubled each time. */
  backoffMs?: number;
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** Fetches a URL into the cache (unless there already) and returns the cache file. */
export async function fetchToCache(url: string, cacheDir: string, opts: FetchOptions = {}): Promise<string> {
  const target = cachePath(url, cacheDir);
  if (existsSync(target)) return target;
  await mkdir(cacheDir, { recursive: true });
  const retries = opts.retries ?? 3;
  let lastError: Error | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    opts.signal?.throwIfAborted();
    if (attempt > 0) await sleep((opts.backoffMs ?? 500) * 2 ** (attempt - 1), undefined, opts.signal ? { signal: opts.signal } : undefined);
    const partial = `${target}.${process.pid}.part`;
    try {
      const response = await fetch(url, { redirect: 'follow', ...(opts.signal ? { signal: opts.signal } : {}) });
      if (!response.ok || !response.body) {
        lastError = new DownloadError(`${url}: HTTP ${response.status} ${response.statusText}`);
        // A 4xx other than 408/429 will not get better by asking again.
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) break;
        continue;
      }
      const total = Number(response.headers.get('content-length') ?? 0);
      const chunks: Uint8Array[] = [];
      let got = 0;
      let shown = 0;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        chunks.push(chunk);
        got += chunk.length;
        // A line per 5 MB so a big file shows it is moving, and never a flood for small ones.
        if (got - shown >= 5e6) {
          shown = got;
          opts.onProgress?.(`  ${mb(got)}${total ? ` of ${mb(total)}` : ''} ${url}`);
        }
      }
      await writeFile(partial, Buffer.concat(chunks));
      if (opts.sha256) {
        const actual = await sha256Of(partial);
        if (actual !== opts.sha256.toLowerCase()) {
          await rm(partial, { force: true });
          throw new DownloadError(`${url}: checksum mismatch (SHA-256 ${actual}, the task expects ${opts.sha256}); the file was not kept`);
        }
      }
      await rename(partial, target);
      opts.onProgress?.(`fetched ${url} (${mb((await stat(target)).size)})`);
      return target;
    } catch (err) {
      await rm(partial, { force: true });
      if (err instanceof DownloadError || opts.signal?.aborted) throw err;
      lastError = new DownloadError(`${url}: ${(err as Error).message}`);
    }
  }
  throw new DownloadError(`could not download ${lastError?.message ?? url} after ${retries + 1} attempt(s); check the network, or fill the cache with \`deskpilot tasks fetch\``);
}

/**
 * The local file for a task's source: next to the task or file:// as is; http(s) from the cache,
 * fetched first unless offline. Other schemes are not fetched (undefined).
 */
export async function resolveSource(source: string, taskDir: string, files: FileSource | undefined, opts: { sha256?: string; signal?: AbortSignal } = {}): Promise<string | undefined> {
  if (!isRemote(source)) return localSource(source, taskDir);
  if (!files) return undefined;
  const cached = cachePath(source, files.cacheDir);
  if (existsSync(cached)) return cached;
  if (files.offline) throw new MissingFileError([source], files.cacheDir);
  return fetchToCache(source, files.cacheDir, { ...opts, ...(files.onProgress ? { onProgress: files.onProgress } : {}) });
}
