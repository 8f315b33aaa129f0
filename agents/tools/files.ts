// The file tools: read_file, write_file (atomic) and list_dir, each limited to the context's roots
// (a sandbox's HOME by default; settings may add folders). Paths are checked after `..` and
// symlinks are resolved, and the resolved path is the one used.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, readlink, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import { DEFAULT_OUTPUT_CAP_BYTES } from './output-cap.ts';
import { absolutePath, resolveInRoots } from './paths.ts';
import { ToolInputError, type Tool, type ToolContext, type ToolResult } from './tool.ts';

const MAX_LIST_ENTRIES = 1000;

const pathField = z.string().min(1).describe('A file path: absolute, relative to the home folder, or starting with ~/.');

// Filesystem failures the model can act on, said in plain words; anything else is thrown as it is.
const FS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'something of that name is in the way',
};

async function plainFsErrors<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const why = FS_REASONS[(err as NodeJS.ErrnoException).code ?? ''];
    if (why) throw new ToolInputError(`cannot use ${path}: ${why}`, { cause: err });
    throw err;
  }
}

async function statOrRefuse(real: string, shown: string) {
  const info = await stat(real).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new ToolInputError(`${shown} does not exist`);
    throw err;
  });
  return info;
}

// ---- read_file

const readInput = z.strictObject({
  path: pathField,
  offset: z.number().int().min(1).max(1e9).optional().describe('The first line to read, counting from 1 (default 1).'),
  limit: z.number().int().min(1).max(1e9).optional().describe('How many lines to read at most (default: as many as fit in 64 KB).'),
});
export type ReadFileInput = z.infer<typeof readInput>;

/** True when the start of a file is not text: a NUL byte, or bytes that are not UTF-8. */
function looksBinary(head: Buffer): boolean {
  if (head.includes(0)) return true;
  // Cut back to a whole character so a multi-byte one split at the end does not count.
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = head[end - back]!;
    if ((b & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return false;
  } catch {
    return true;
  }
}

export async function readTextFile(input: ReadFileInput, ctx: ToolContext, capBytes = DEFAULT_OUTPUT_CAP_BYTES): Promise<ToolResult> {
  const real = await resolveInRoots(input.path, ctx);
  const info = await statOrRefuse(real, real);
  if (info.isDirectory()) throw new ToolInputError(`${real} is a folder: use list_dir to see what it holds`);
  if (!info.isFile()) throw new ToolInputError(`${real} is not a regular file (a device, a socket or a pipe): read_file reads files only`);

  const fh = await open(real, 'r');
  try {
    const head = Buffer.alloc(Math.min(8192, info.size));
    await fh.read(head, 0, head.length, 0);
    if (looksBinary(head)) {
      throw new ToolInputError(`${real} is a binary file (${info.size} bytes), not text: read_file shows text only. Use the shell to inspect it (e.g. \`file\`, \`xxd ${real} | head\`).`);
    }
  } finally {
    await fh.close();
  }

  // Streamed line by line, so a large file costs only what is returned.
  const first = input.offset ?? 1;
  const limit = input.limit ?? Infinity;
  let line = 1;
  let kept = '';
  let keptBytes = 0;
  let stopAt: number | undefined; // the line the next read should start at, when not all was returned
  let partial = '';
  const decoder = new StringDecoder('utf8');
  const stream = createReadStream(real, { highWaterMark: 64 * 1024 });
  const take = (text: string): boolean => {
    // Returns false once enough is kept.
    if (line < first) return true;
    if (line - first >= limit) {
      stopAt = line;
      return false;
    }
    const bytes = Buffer.byteLength(text);
    if (keptBytes + bytes > capBytes) {
      stopAt = line;
      return false;
    }
    kept += text;
    keptBytes += bytes;
    return true;
  };
  outer: for await (const chunk of stream) {
    const text = partial + decoder.write(chunk as Buffer);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (!take(text.slice(start, nl + 1))) break outer;
      line++;
      start = nl + 1;
    }
    partial = text.slice(start);
  }
  stream.destroy();
  if (stopAt === undefined) {
    const rest = partial + decoder.end();
    if (rest && !take(rest)) stopAt ??= line;
    else if (rest) line++;
  }

  if (stopAt !== undefined && stopAt === first && kept === '') {
    throw new ToolInputError(`line ${first} of ${real} is longer than ${capBytes} bytes: use the shell to read it in parts (e.g. \`cut -c1-2000\`)`);
  }
  if (first > 1 && line <= first && stopAt === undefined && kept === '') {
    return { output: `${real} has only ${line - 1} lines; nothing from line ${first} on`, isError: false, truncated: false };
  }
  const note = stopAt !== undefined ? `\n[… the file goes on (${info.size} bytes in all): read on with offset=${stopAt}]` : '';
  return { output: kept === '' && !note ? `${real} is empty` : kept + note, isError: false, truncated: stopAt !== undefined };
}

export function createReadFileTool(): Tool<ReadFileInput> {
  return {
    name: 'read_file',
    description:
      'Read a text file. Long files come back in parts of at most 64 KB: a note at the end says which offset (line) to read on from. ' +
      'Binary files are refused. Only folders this run may use are open to it.',
    input: readInput,
    readOnly: true,
    risk: () => [],
    run: (input, ctx) => plainFsErrors(input.path, () => readTextFile(input, ctx)),
  };
}

// ---- write_file

const writeInput = z.strictObject({
  path: pathField,
  content: z.string().describe('The text to write (UTF-8).'),
  append: z.boolean().optional().describe('Add to the end of the file instead of replacing it (default false).'),
});
export type WriteFileInput = z.infer<typeof writeInput>;

export async function writeTextFile(input: WriteFileInput, ctx: ToolContext): Promise<ToolResult> {
  const real = await resolveInRoots(input.path, ctx);
  const before = await lstat(real).catch(() => undefined);
  if (before?.isDirectory()) throw new ToolInputError(`${real} is a folder: give a file path`);
  if (before && !before.isFile()) throw new ToolInputError(`${real} is not a regular file: write_file writes files only`);
  await mkdir(dirname(real), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST' || err.code === 'ENOTDIR') throw new ToolInputError(`cannot create the folder ${dirname(real)}: a file is in the way`, { cause: err });
    throw err;
  });

  const previous = input.append && before ? await readFile(real) : undefined;
  const data = previous ? Buffer.concat([previous, Buffer.from(input.content)]) : Buffer.from(input.content);
  // Written beside the target, then renamed over it: a reader sees the old file or the new, never half.
  const temp = join(dirname(real), `.${basename(real)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(temp, 'wx', before ? before.mode & 0o7777 : 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, real);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  const bytes = Buffer.byteLength(input.content);
  const output = previous
    ? `appended ${bytes} bytes to ${real} (now ${data.length} bytes)`
    : `${before ? 'replaced' : 'created'} ${real} (${bytes} bytes)`;
  return { output, isError: false, truncated: false };
}

export function createWriteFileTool(): Tool<WriteFileInput> {
  return {
    name: 'write_file',
    description:
      'Write a text file, replacing it (or adding to its end with append=true). Missing parent folders are created. ' +
      'The write is atomic: the file is never left half written. Only folders this run may use are open to it.',
    input: writeInput,
    risk: (input, ctx) => {
      // In a sandbox the file tools cannot reach anything of the user's; elsewhere a write changes the user's files.
      if (ctx.sandboxed) return [];
      const abs = absolutePath(input.path, ctx);
      return [existsSync(abs) ? `overwrites ${abs} on your computer` : `writes ${abs} on your computer`];
    },
    run: (input, ctx) => plainFsErrors(input.path, () => writeTextFile(input, ctx)),
  };
}

// ---- list_dir

const listInput = z.strictObject({
  path: z.string().optional().describe('The folder to list (default: the home folder).'),
});
export type ListDirInput = z.infer<typeof listInput>;

export async function listFolder(input: ListDirInput, ctx: ToolContext, maxEntries = MAX_LIST_ENTRIES): Promise<ToolResult> {
  const real = await resolveInRoots(input.path || ctx.cwd, ctx);
  const info = await statOrRefuse(real, real);
  if (!info.isDirectory()) throw new ToolInputError(`${real} is a file, not a folder: use read_file to read it`);
  const dirents = await readdir(real, { withFileTypes: true });
  const rows = await Promise.all(
    dirents.map(async (d) => {
      const full = join(real, d.name);
      if (d.isDirectory()) return { folder: true, name: d.name, text: `${d.name}/\tfolder` };
      if (d.isSymbolicLink()) {
        const target = await readlink(full).catch(() => '?');
        const to = await stat(full).catch(() => undefined);
        const folder = to?.isDirectory() ?? false;
        return { folder, name: d.name, text: `${d.name}${folder ? '/' : ''}\tsymlink -> ${target}${to ? '' : ' (broken)'}` };
      }
      if (d.isFile()) {
        const size = await stat(full).then((s) => s.size).catch(() => undefined);
        return { folder: false, name: d.name, text: `${d.name}\tfile, ${size ?? '?'} bytes` };
      }
      return { folder: false, name: d.name, text: `${d.name}\tother (device, socket or pipe)` };
    }),
  );
  // Folders first, then by name, the same way every time.
  rows.sort((a, b) => Number(b.folder) - Number(a.folder) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shown = rows.slice(0, maxEntries);
  const more = rows.length - shown.length;
  const header = `${real}: ${rows.length} ${rows.length === 1 ? 'entry' : 'entries'}`;
  const note = more > 0 ? `\n[… ${more} more entries left out: list a sub-folder, or use the shell (ls, find)]` : '';
  return { output: [header, ...shown.map((r) => r.text)].join('\n') + note, isError: false, truncated: more > 0 };
}

export function createListDirTool(): Tool<ListDirInput> {
  return {
    name: 'list_dir',
    description: 'List a folder: each entry with its type (folder, file with its size, symlink), folders first. Only folders this run may use are open to it.',
    input: listInput,
    readOnly: true,
    risk: () => [],
    run: (input, ctx) => plainFsErrors(input.path ?? ctx.cwd, () => listFolder(input, ctx)),
  };
}
