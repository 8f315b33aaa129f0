// Reads the entries of a zip file (docx, pptx and xlsx are zips of XML) with fflate: stored and
// deflated entries, which is all that Office and LibreOffice write.
import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

/** Every file entry of the zip, by name. */
export async function readZip(path: string): Promise<Map<string, Buffer>> {
  return unzip(await readFile(path), path);
}

export function unzip(buf: Buffer, label = 'zip'): Map<string, Buffer> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(buf);
  } catch (err) {
    const why = (err as Error).message;
    // fflate: "invalid zip data" when there is no end-of-central-directory record.
    if (/invalid zip/i.test(why)) throw new ZipFormatError(`${label} is not a zip file (an Office document saved in its old binary format, or damaged)`);
    if (/unknown compression/i.test(why)) throw new ZipFormatError(`${label}: an entry uses a compression method that is not read here (${why})`);
    throw new ZipFormatError(`${label}: damaged zip (${why})`);
  }
  const out = new Map<string, Buffer>();
  for (const [name, data] of Object.entries(entries)) {
    if (!name.endsWith('/')) out.set(name, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  return out;
}

/** The text of an entry, or undefined when the zip has none by that name. */
export const entryText = (zip: Map<string, Buffer>, name: string): string | undefined => zip.get(name)?.toString('utf8');
