// The task file cache against a real local HTTP server standing in for OSWorld's file cache:
// fetched once, retried after a server error, refused on a checksum mismatch, offline names what is missing.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachePath, DownloadError, fetchToCache, MissingFileError, resolveSource } from './file-cache.ts';

const root = mkdtempSync(join(tmpdir(), 'deskpilot-file-cache-'));
let server: Server;
let base: string;
const hits = new Map<string, number>();
const BODY = Buffer.from('hello from the file cache\n');

beforeAll(async () => {
  server = createServer((req, res) => {
    const n = (hits.get(req.url!) ?? 0) + 1;
    hits.set(req.url!, n);
    if (req.url === '/flaky' && n < 3) return void res.writeHead(503).end('busy');
    if (req.url === '/gone') return void res.writeHead(404).end('no');
    res.writeHead(200, { 'content-length': String(BODY.length) }).end(BODY);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the task file cache', () => {
  it('fetches a URL once and reads it from the cache after', async () => {
    const dir = join(root, 'a');
    const url = `${base}/doc.docx?id=1&export=download`;
    const path = await fetchToCache(url, dir);
    expect(path).toBe(cachePath(url, dir));
    expect(readFileSync(path)).toEqual(BODY);
    await resolveSource(url, root, { cacheDir: dir, offline: false });
    expect(hits.get('/doc.docx?id=1&export=download')).toBe(1);
  });

  it('retries a server error and gets the file on the third attempt', async () => {
    const lines: string[] = [];
    const path = await fetchToCache(`${base}/flaky`, join(root, 'b'), { retries: 3, backoffMs: 10, onProgress: (l) => lines.push(l) });
    expect(readFileSync(path)).toEqual(BODY);
    expect(hits.get('/flaky')).toBe(3);
    expect(lines.at(-1)).toContain(`fetched ${base}/flaky`);
  });

  it('gives up at once on a 404, keeps nothing, and says what to do', async () => {
    const dir = join(root, 'c');
    await expect(fetchToCache(`${base}/gone`, dir, { retries: 3, backoffMs: 10 })).rejects.toThrow(DownloadError);
    expect(hits.get('/gone')).toBe(1);
    expect(existsSync(cachePath(`${base}/gone`, dir))).toBe(false);
  });

  it('checks a SHA-256 where the task gives one', async () => {
    const dir = join(root, 'd');
    const good = createHash('sha256').update(BODY).digest('hex');
    await expect(fetchToCache(`${base}/x`, dir, { sha256: 'f'.repeat(64) })).rejects.toThrow(/checksum mismatch/);
    expect(existsSync(cachePath(`${base}/x`, dir))).toBe(false);
    expect(readFileSync(await fetchToCache(`${base}/x`, dir, { sha256: good }))).toEqual(BODY);
  });

  it('offline, uses only the cache and names the missing file', async () => {
    const dir = join(root, 'e');
    const before = hits.get('/offline') ?? 0;
    const err = await resolveSource(`${base}/offline`, root, { cacheDir: dir, offline: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingFileError);
    expect((err as MissingFileError).urls).toEqual([`${base}/offline`]);
    expect(hits.get('/offline') ?? 0).toBe(before);
  });

  it('reads local sources in place', async () => {
    expect(await resolveSource('files/a.txt', '/tasks', undefined)).toBe('/tasks/files/a.txt');
    expect(await resolveSource('ftp://h/a.txt', '/tasks', { cacheDir: root, offline: false })).toBeUndefined();
  });
});
