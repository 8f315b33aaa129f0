import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEditFileTool } from './edit-file.ts';
import { toolSpec } from './registry.ts';
import type { ToolContext } from './tool.ts';

let root: string;
let outside: string;
let ctx: ToolContext;
const tool = createEditFileTool();
const run = (input: unknown) => tool.run(tool.input.parse(input), ctx, new AbortController().signal);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'edit-root-'));
  outside = mkdtempSync(join(tmpdir(), 'edit-outside-'));
  ctx = { runId: 'r', env: { HOME: root }, cwd: root, roots: [root], maxTimeoutMs: 1000, sandboxed: true, onOutput: () => undefined };
  writeFileSync(join(root, 'notes.txt'), 'one\ntwo\nthree\n');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('edit_file', () => {
  it('replaces text that occurs once, and shows the changed part', async () => {
    const result = await run({ path: '~/notes.txt', old_str: 'two', new_str: 'zwei' });
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('one\nzwei\nthree\n');
    expect(result.output).toContain('zwei');
  });

  it('inserts after a line, 0 meaning the start', async () => {
    await run({ path: 'notes.txt', insert_line: 1, new_str: 'one and a half' });
    await run({ path: 'notes.txt', insert_line: 0, new_str: 'zero\n' });
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('zero\none\none and a half\ntwo\nthree\n');
  });

  it('refuses text that is missing or ambiguous, a line past the end, and both ways at once, changing nothing', async () => {
    writeFileSync(join(root, 'twice.txt'), 'a b a');
    await expect(run({ path: 'notes.txt', old_str: 'four', new_str: 'x' })).rejects.toThrow(/does not occur/);
    await expect(run({ path: 'twice.txt', old_str: 'a', new_str: 'x' })).rejects.toThrow(/more than once/);
    await expect(run({ path: 'notes.txt', insert_line: 99, new_str: 'x' })).rejects.toThrow(/insert_line must be 0 to 4/);
    expect(() => tool.input.parse({ path: 'notes.txt', old_str: 'one', insert_line: 1, new_str: 'x' })).toThrow(/not both/);
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
    expect(readFileSync(join(root, 'twice.txt'), 'utf8')).toBe('a b a');
  });

  it('cannot reach a file outside the roots, through .. or a symlink', async () => {
    writeFileSync(join(outside, 'secret.txt'), 'keep');
    symlinkSync(outside, join(root, 'link'));
    await expect(run({ path: `../${outside.split('/').pop()}/secret.txt`, old_str: 'keep', new_str: 'lost' })).rejects.toThrow(/outside|only/i);
    await expect(run({ path: 'link/secret.txt', old_str: 'keep', new_str: 'lost' })).rejects.toThrow(/outside|only|link/i);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('keep');
  });

  it('gives models an object schema with both ways', () => {
    const spec = toolSpec(tool);
    expect(spec.parameters).toMatchObject({ type: 'object', required: ['path', 'new_str'], additionalProperties: false });
    expect(Object.keys(spec.parameters['properties'] as object)).toEqual(['path', 'old_str', 'insert_line', 'new_str']);
  });
});
