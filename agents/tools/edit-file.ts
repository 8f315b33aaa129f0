// edit_file: change part of a text file in place, as Claude's text editor does (replace one exact
// occurrence, or insert after a line). Written atomically through write_file's path checks.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createWriteFileTool, readTextFile, writeTextFile } from './files.ts';
import { resolveInRoots } from './paths.ts';
import { ToolInputError, type Tool, type ToolContext, type ToolResult } from './tool.ts';

const editInput = z
  .strictObject({
    path: z.string().min(1).describe('The file to change. `~` and relative paths work.'),
    old_str: z.string().min(1).optional().describe('Text that occurs exactly once in the file; it is replaced by new_str.'),
    insert_line: z.number().int().nonnegative().optional().describe('Insert new_str after this line (0: at the start) instead of replacing.'),
    new_str: z.string().describe('The new text.'),
  })
  .refine((i) => (i.old_str === undefined) !== (i.insert_line === undefined), { message: 'give either old_str (to replace) or insert_line (to insert), not both' });
export type EditFileInput = z.infer<typeof editInput>;

export async function editTextFile(input: EditFileInput, ctx: ToolContext): Promise<ToolResult> {
  const real = await resolveInRoots(input.path, ctx);
  const text = await readFile(real, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ToolInputError(err.code === 'ENOENT' ? `${real} does not exist: create it with write_file` : `cannot read ${real}: ${err.message}`);
  });
  let next: string;
  if (input.old_str !== undefined) {
    const first = text.indexOf(input.old_str);
    if (first < 0) throw new ToolInputError(`old_str does not occur in ${real}: read the file and copy the text exactly`);
    if (text.indexOf(input.old_str, first + 1) >= 0) throw new ToolInputError(`old_str occurs more than once in ${real}: include more of the text around it`);
    next = text.slice(0, first) + input.new_str + text.slice(first + input.old_str.length);
  } else {
    const lines = text.split('\n');
    const at = input.insert_line!;
    if (at > lines.length) throw new ToolInputError(`${real} has ${lines.length} lines: insert_line must be 0 to ${lines.length}`);
    lines.splice(at, 0, ...input.new_str.replace(/\n$/, '').split('\n'));
    next = lines.join('\n');
  }
  await writeTextFile({ path: real, content: next }, ctx);
  // The changed part, so the model sees what the file now says there.
  const line = next.slice(0, next.indexOf(input.new_str)).split('\n').length;
  const shown = await readTextFile({ path: real, offset: Math.max(1, line - 2), limit: input.new_str.split('\n').length + 5 }, ctx);
  return { output: `edited ${real}; it now reads around the change:\n${shown.output}`, isError: false, truncated: shown.truncated };
}

export function createEditFileTool(): Tool<EditFileInput> {
  const write = createWriteFileTool();
  return {
    name: 'edit_file',
    description:
      'Change part of a text file: replace text that occurs exactly once (old_str -> new_str), or insert new_str after a line (insert_line). ' +
      'Read the file first. Only folders this run may use are open to it.',
    input: editInput,
    risk: (input, ctx) => write.risk({ path: input.path, content: input.new_str }, ctx).map((r) => r.replace(/^(over)?writes/, 'changes')),
    run: (input, ctx) => editTextFile(input, ctx),
  };
}
