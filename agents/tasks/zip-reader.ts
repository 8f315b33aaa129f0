// Reads the entries of a zip file (docx, pptx and xlsx are zips of XML) with node:zlib: the central
// directory gives each entry's name and offset; stored and deflated entries are supported, which is
// all that Office and LibreOffice write.
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

/** Every file entry of the zip, by name. */
export async function readZip(path: string): Promise<Map<string, Buffer>> {
  return unzip(await readFile(path), path);
}

export function unzip(buf: Buffer, label = 'zip'): Map<string, Buffer> {
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes (after an optional comment).
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError(`${label} is not a zip file (an Office document saved in its old binary format, or damaged)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError(`${label}: damaged central directory`);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + compressed);
    if (method === 0) out.set(name, Buffer.from(data));
    else if (method === 8) out.set(name, inflateRawSync(data));
    else throw new ZipFormatError(`${label}: entry ${name} uses compression method ${method}, which is not read here`);
  }
  return out;
}

/** The text of an entry, or undefined when the zip has none by that name. */
export const entryText = (zip: Map<string, Buffer>, name: string): string | undefined => zip.get(name)?.toString('utf8');
