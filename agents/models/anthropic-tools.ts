// Claude's companion tools mapped onto the run's own tools, so they go through the same policy and
// approvals: `bash` (bash_20250124) runs as our `shell`, the text editor (str_replace_based_edit_tool)
// reads with read_file / list_dir, creates with write_file and edits with edit_file. What a run lacks is
// answered with an error that says so, never performed some other way. Every other tool of the run is
// offered as an ordinary custom tool.
import type { ToolSpec } from '../tools/tool.ts';

export const BASH = 'bash';
export const EDITOR = 'str_replace_based_edit_tool';

/** The run's tools by name, and which companion tools they back. */
export interface CompanionTools {
  names: ReadonlySet<string>;
  bash: boolean;
  editor: boolean;
}

export function companionTools(tools: readonly ToolSpec[] | undefined): CompanionTools {
  const names = new Set((tools ?? []).map((t) => t.name));
  return { names, bash: names.has('shell'), editor: names.has('read_file') || names.has('write_file') || names.has('edit_file') };
}

/** The run's tools that go as custom tools (those a companion stands for are left out). */
export function customTools(tools: readonly ToolSpec[] | undefined, c: CompanionTools): ToolSpec[] {
  const covered = new Set([...(c.bash ? ['shell'] : []), ...(c.editor ? ['read_file', 'write_file', 'edit_file'] : []), 'computer', BASH, EDITOR]);
  return (tools ?? []).filter((t) => !covered.has(t.name));
}

export type CompanionCall =
  | { kind: 'tool'; name: string; input: Record<string, unknown> }
  | { kind: 'local'; error: string }
  | { kind: 'unknown'; known: string[] };

/** A non-computer tool_use -> a call of one of the run's tools, an error answered here, or unknown. */
export function companionCall(name: string, input: Record<string, unknown>, c: CompanionTools | undefined): CompanionCall {
  const tools = c ?? { names: new Set<string>(), bash: false, editor: false };
  if (name === BASH && tools.bash) {
    if (input.restart === true) return { kind: 'local', error: 'restart is not needed: each command runs in a fresh shell (the working folder and variables do not carry over between commands)' };
    if (typeof input.command !== 'string' || !input.command.trim()) return { kind: 'local', error: 'bash needs a command' };
    return { kind: 'tool', name: 'shell', input: { command: input.command } };
  }
  if (name === EDITOR && tools.editor) return editorCall(input, tools.names);
  if (tools.names.has(name) && name !== 'computer') return { kind: 'tool', name, input };
  return { kind: 'unknown', known: [...(tools.bash ? [BASH] : []), ...(tools.editor ? [EDITOR] : []), ...customTools([...tools.names].map((n) => ({ name: n, description: '', parameters: {} })), tools).map((t) => t.name)] };
}

function editorCall(input: Record<string, unknown>, names: ReadonlySet<string>): CompanionCall {
  const path = input.path;
  if (typeof path !== 'string' || !path) return { kind: 'local', error: `${EDITOR} needs a path` };
  const need = (tool: string, call: () => CompanionCall): CompanionCall =>
    names.has(tool) ? call() : { kind: 'local', error: `${String(input.command)} is not available in this run (it needs the ${tool} tool)` };
  switch (input.command) {
    case 'view':
      // A path ending in "/" is a folder; anything else is read as a file (the tool says if it is a folder).
      if (path.endsWith('/')) return need('list_dir', () => ({ kind: 'tool', name: 'list_dir', input: { path } }));
      if (input.view_range !== undefined && input.view_range !== null) return { kind: 'local', error: 'view_range is not supported: view the whole file' };
      return need('read_file', () => ({ kind: 'tool', name: 'read_file', input: { path } }));
    case 'create':
      if (typeof input.file_text !== 'string') return { kind: 'local', error: 'create needs file_text' };
      return need('write_file', () => ({ kind: 'tool', name: 'write_file', input: { path, content: input.file_text } }));
    case 'str_replace':
      if (typeof input.old_str !== 'string') return { kind: 'local', error: 'str_replace needs old_str' };
      return need('edit_file', () => ({ kind: 'tool', name: 'edit_file', input: { path, old_str: input.old_str, new_str: typeof input.new_str === 'string' ? input.new_str : '' } }));
    case 'insert':
      if (typeof input.insert_line !== 'number' || typeof (input.new_str ?? input.insert_text) !== 'string') return { kind: 'local', error: 'insert needs insert_line and new_str' };
      return need('edit_file', () => ({ kind: 'tool', name: 'edit_file', input: { path, insert_line: input.insert_line, new_str: input.new_str ?? input.insert_text } }));
    case 'undo_edit':
      return { kind: 'local', error: 'undo_edit is not available: edit the file back with str_replace' };
    default:
      return { kind: 'local', error: `unknown ${EDITOR} command ${JSON.stringify(input.command)}: use view, create, str_replace or insert` };
  }
}
