// The file tools on a real temp folder: reads, atomic writes and listings inside the roots, and
// refusals through `..`, absolute paths and symlinks that lead outside.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolContextFor } from './environment.ts';
import { createListDirTool, createReadFileTool, createWriteFileTool, readTextFile } from './files.ts';
import { ToolInputError, type ToolContext } from './tool.ts';

let base: string;
let home: string;
let outside: string;
let ctx: ToolContext;
const never = new AbortController().signal;
const read = createReadFileTool();
const write = createWriteFileTool();
const list = createListDirTool();

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'deskpilot-files-test-'));
  home = join(base, 'home');
  outside = join(base, 'outside');
  mkdirSync(join(home, 'docs'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(home, 'notes.txt'), 'one\ntwo\nthree\n');
  writeFileSync(join(outside, 'secret.txt'), 'do not read');
  symlinkSync(outside, join(home, 'escape')); // a folder link leading out
  symlinkSync(join(outside, 'secret.txt'), join(home, 'secret-link.txt')); // a file link leading out
  symlinkSync(join(home, 'notes.txt'), join(home, 'inner-link.txt')); // a link that stays inside
  ctx = toolContextFor({ runId: 'files-test', sandbox: { env: { HOME: home } } });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const refused = async (p: Promise<unknown>, what: RegExp = /outside the folders the file tools may use/) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ToolInputError);
  expect((err as Error).message).toMatch(what);
  expect((err as Error).message).toContain(`Allowed: ${home}`);
};

describe('read_file', () => {
  it('reads a text file inside the root, by relative, ~ and absolute path', async () => {
    for (const path of ['notes.txt', '~/notes.txt', join(home, 'notes.txt'), 'docs/../notes.txt', 'inner-link.txt']) {
      expect(await read.run({ path }, ctx, never)).toEqual({ output: 'one\ntwo\nthree\n', isError: false, truncated: false });
    }
  });

  it('reads part of a file by lines and says where to read on', async () => {
    const r = await read.run({ path: 'notes.txt', offset: 2, limit: 1 }, ctx, never);
    expect(r.output).toMatch(/^two\n\n\[… the file goes on \(14 bytes in all\): read on with offset=3\]$/);
    expect(r.truncated).toBe(true);
    expect((await read.run({ path: 'notes.txt', offset: 3 }, ctx, never)).output).toBe('three\n');
    expect((await read.run({ path: 'notes.txt', offset: 9 }, ctx, never)).output).toMatch(/has only 3 lines/);
  });

  it('keeps a long file to the cap, in whole lines', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i + 1} é\n`);
    writeFileSync(join(home, 'long.txt'), lines.join(''));
    const r = await readTextFile({ path: 'long.txt' }, ctx, 1000);
    const [text, note] = r.output.split('\n[… ') as [string, string];
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000);
    expect(lines.join('').startsWith(text)).toBe(true);
    const next = Number(/offset=(\d+)/.exec(note)![1]);
    expect(next).toBe(text.split('\n').length);
    const more = await readTextFile({ path: 'long.txt', offset: next, limit: 2 }, ctx, 1000);
    expect(more.output.startsWith(`line ${next} é\nline ${next + 1} é\n`)).toBe(true);
  });

  it('refuses a binary file with a clear message, and a folder', async () => {
    writeFileSync(join(home, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]));
    await expect(read.run({ path: 'image.bin' }, ctx, never)).rejects.toThrow(/is a binary file \(7 bytes\), not text/);
    await expect(read.run({ path: 'docs' }, ctx, never)).rejects.toThrow(/is a folder: use list_dir/);
    await expect(read.run({ path: 'missing.txt' }, ctx, never)).rejects.toThrow(/does not exist/);
  });

  it('refuses paths outside the roots: through .., absolute, and through symlinks', async () => {
    await refused(read.run({ path: '../outside/secret.txt' }, ctx, never));
    await refused(read.run({ path: join(outside, 'secret.txt') }, ctx, never));
    await refused(read.run({ path: '/etc/passwd' }, ctx, never));
    await refused(read.run({ path: 'escape/secret.txt' }, ctx, never), /through a symbolic link/);
    await refused(read.run({ path: 'secret-link.txt' }, ctx, never), /through a symbolic link/);
    await refused(read.run({ path: 'docs/../escape/secret.txt' }, ctx, never), /through a symbolic link/);
    // `..` after a symlink is resolved in the path first (checked and opened as one path), so it
    // names home/outside/secret.txt, which is not there, rather than the real one beside the link's target.
    await expect(read.run({ path: 'escape/../outside/secret.txt' }, ctx, never)).rejects.toThrow(`${join(home, 'outside/secret.txt')} does not exist`);
  });
});

describe('write_file', () => {
  it('writes atomically: exact content, unicode, no temp file left, parents created', async () => {
    const content = 'héllo wörld 日本 🙂\nline two\n';
    const r = await write.run({ path: 'new/deep/file.txt', content }, ctx, never);
    expect(r).toMatchObject({ isError: false, output: `created ${join(home, 'new/deep/file.txt')} (${Buffer.byteLength(content)} bytes)` });
    expect(readFileSync(join(home, 'new/deep/file.txt'), 'utf8')).toBe(content);
    expect(readdirSync(join(home, 'new/deep'))).toEqual(['file.txt']);
  });

  it('replaces and appends, keeping the file mode', async () => {
    const file = join(home, 'docs', 'log.txt');
    writeFileSync(file, 'a\n');
    chmodSync(file, 0o600);
    await write.run({ path: '~/docs/log.txt', content: 'b\n', append: true }, ctx, never);
    expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
    const r = await write.run({ path: 'docs/log.txt', content: 'c\n' }, ctx, never);
    expect(r.output).toMatch(/^replaced /);
    expect(readFileSync(file, 'utf8')).toBe('c\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(home, 'docs'))).toEqual(['log.txt']);
  });

  it('writes through a link that stays inside to its target, keeping the link', async () => {
    writeFileSync(join(home, 'target.txt'), 'old');
    symlinkSync(join(home, 'target.txt'), join(home, 'to-target.txt'));
    await write.run({ path: 'to-target.txt', content: 'new' }, ctx, never);
    expect(readFileSync(join(home, 'target.txt'), 'utf8')).toBe('new');
  });

  it('refuses paths outside the roots, and leaves nothing there', async () => {
    await refused(write.run({ path: '../outside/a.txt', content: 'x' }, ctx, never));
    await refused(write.run({ path: join(outside, 'b.txt'), content: 'x' }, ctx, never));
    // A new file (and new folders) under a symlinked folder that leads out.
    await refused(write.run({ path: 'escape/c.txt', content: 'x' }, ctx, never), /through a symbolic link/);
    await refused(write.run({ path: 'escape/sub/d.txt', content: 'x' }, ctx, never), /through a symbolic link/);
    // An existing file link that leads out.
    await refused(write.run({ path: 'secret-link.txt', content: 'x' }, ctx, never), /through a symbolic link/);
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('do not read');
  });

  it('says in plain words why a write failed', async () => {
    await expect(write.run({ path: 'notes.txt/inner.txt', content: 'x' }, ctx, never)).rejects.toThrow(
      new ToolInputError(`cannot create the folder ${join(home, 'notes.txt')}: a file is in the way`),
    );
    await expect(write.run({ path: 'docs', content: 'x' }, ctx, never)).rejects.toThrow(/is a folder: give a file path/);
    await expect(read.run({ path: 'notes.txt/inner.txt' }, ctx, never)).rejects.toThrow('cannot use notes.txt/inner.txt: a part of the path is a file, not a folder');
    const locked = join(home, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'f.txt'), 'x');
    chmodSync(locked, 0o500);
    try {
      // Root ignores permissions: the check only means something for other users.
      if (process.getuid?.() !== 0) await expect(write.run({ path: 'locked/f.txt', content: 'y' }, ctx, never)).rejects.toThrow('cannot use locked/f.txt: permission denied');
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('is risky outside a sandbox only', () => {
    expect(write.risk({ path: 'notes.txt', content: '' }, ctx)).toEqual([]);
    const own = { ...ctx, sandboxed: false };
    expect(write.risk({ path: 'notes.txt', content: '' }, own)).toEqual([`overwrites ${join(home, 'notes.txt')} on your computer`]);
    expect(write.risk({ path: 'fresh.txt', content: '' }, own)).toEqual([`writes ${join(home, 'fresh.txt')} on your computer`]);
    expect(read.risk({ path: '/etc/passwd' }, own)).toEqual([]);
  });
});

describe('list_dir', () => {
  it('lists entries with type and size, folders first, sorted', async () => {
    const dir = join(home, 'listing');
    mkdirSync(join(dir, 'b-folder'), { recursive: true });
    mkdirSync(join(dir, 'a-folder'));
    writeFileSync(join(dir, 'z.txt'), '12345');
    writeFileSync(join(dir, 'c.txt'), '');
    symlinkSync('z.txt', join(dir, 'link'));
    const r = await list.run({ path: 'listing' }, ctx, never);
    expect(r.output).toBe([`${dir}: 5 entries`, 'a-folder/\tfolder', 'b-folder/\tfolder', 'c.txt\tfile, 0 bytes', 'link\tsymlink -> z.txt', 'z.txt\tfile, 5 bytes'].join('\n'));
    expect(r.truncated).toBe(false);
  });

  it('caps a large folder with a note', async () => {
    const dir = join(home, 'many');
    mkdirSync(dir);
    for (let i = 0; i < 1010; i++) writeFileSync(join(dir, `f${String(i).padStart(4, '0')}`), '');
    const r = await list.run({ path: dir }, ctx, never);
    expect(r.truncated).toBe(true);
    expect(r.output.split('\n').length).toBe(1 + 1000 + 1);
    expect(r.output).toContain('[… 10 more entries left out');
  });

  it('lists the home folder by default and refuses folders outside', async () => {
    expect((await list.run({}, ctx, never)).output.startsWith(`${home}: `)).toBe(true);
    await refused(list.run({ path: '..' }, ctx, never));
    await refused(list.run({ path: 'escape' }, ctx, never), /through a symbolic link/);
  });

  it('allows extra roots from the settings', async () => {
    const wider = toolContextFor({ runId: 'files-test', sandbox: { env: { HOME: home } }, extraRoots: [outside] });
    expect(wider.roots).toEqual([home, outside]);
    expect((await read.run({ path: 'escape/secret.txt' }, wider, never)).output).toBe('do not read');
    expect(existsSync(join(outside, 'secret.txt'))).toBe(true);
  });
});
