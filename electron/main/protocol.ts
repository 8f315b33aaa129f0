// deskpilot-blob://blobs/<ref> serves screenshots from the engine's blob folder to our pages, so
// they never need file:// access. Only well-formed refs of known image files are served.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';

export const BLOB_SCHEME = 'deskpilot-blob';
const BLOB_HOST = 'blobs';
const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', jpg: 'image/jpeg', webp: 'image/webp' };

export interface BlobSource {
  blobPath(ref: string): string | undefined;
}

/** Must run before the app is ready: privileges cannot be granted later. */
export function registerBlobScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: BLOB_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function setupProtocol(source: BlobSource): void {
  protocol.handle(BLOB_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const url = new URL(request.url);
    if (url.hostname !== BLOB_HOST || url.search) return refuse(404);
    let ref: string;
    try {
      ref = decodeURIComponent(url.pathname.slice(1));
    } catch {
      return refuse(404);
    }
    const type = IMAGE_TYPES[ref.slice(ref.lastIndexOf('.') + 1)];
    const file = type ? source.blobPath(ref) : undefined;
    if (!type || !file) return refuse(404);
    try {
      const body = request.method === 'HEAD' ? null : await readFile(file);
      // Content-addressed: a ref's bytes never change.
      return new Response(body, { headers: { 'Content-Type': type, 'Cache-Control': 'max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' } });
    } catch {
      return refuse(404);
    }
  });
}

function refuse(status: number): Response {
  return new Response(null, { status, headers: { 'X-Content-Type-Options': 'nosniff' } });
}
