// The tools Deskpilot knows, by name, and the JSON schemas models are sent for them. Built-ins
// come in sets (`shell`, `files`) so `--tools shell,files` can pick them; skills and MCP servers
// register theirs beside them.
import { z } from 'zod';
import { createEditFileTool } from './edit-file.ts';
import { createListDirTool, createReadFileTool, createWriteFileTool } from './files.ts';
import { createShellTool } from './shell.ts';
import type { Tool, ToolSpec } from './tool.ts';

/** A tool or tool set name nobody registered. */
export class UnknownToolError extends Error {
  override name = 'UnknownToolError';
}

/** Built-in tool sets: set name -> the tools in it. */
export const TOOL_SETS: Record<string, string[]> = {
  shell: ['shell'],
  files: ['read_file', 'write_file', 'edit_file', 'list_dir'],
};

/** The JSON schema of a tool's input as models want it: an object schema, no `$schema`, no extra keys allowed. */
export function toolParameters(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _meta, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  if (json['type'] !== 'object') throw new TypeError(`a tool's input must be an object schema, not ${JSON.stringify(json['type'] ?? 'untyped')}`);
  return { ...json, properties: json['properties'] ?? {}, required: json['required'] ?? [], additionalProperties: false };
}

export function toolSpec(tool: Tool): ToolSpec {
  return { name: tool.name, description: tool.description, parameters: tool.parameters ?? toolParameters(tool.input) };
}

export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();

  constructor(tools: readonly Tool[] = []) {
    for (const t of tools) this.register(t);
  }

  /** Adds a tool; a second tool of the same name is refused (the model could not tell them apart). */
  register(tool: Tool<any>): this {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(tool.name)) throw new TypeError(`"${tool.name}" is not a tool name: use lowercase letters, digits and underscores`);
    if (this.tools.has(tool.name)) throw new TypeError(`a tool named "${tool.name}" is already registered`);
    this.tools.set(tool.name, tool as Tool);
    return this;
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  list(): Tool[] {
    return [...this.tools.values()];
  }

  get names(): string[] {
    return [...this.tools.keys()];
  }

  /**
   * The tools for `names` (tool names or set names, in order, each once); all of them when
   * `names` is undefined. An unknown name is an UnknownToolError listing what exists.
   */
  select(names?: readonly string[], sets: Record<string, string[]> = TOOL_SETS): Tool[] {
    if (names === undefined) return this.list();
    const picked = new Map<string, Tool>();
    for (const raw of names) {
      const name = raw.trim();
      if (!name) continue;
      const members = this.tools.has(name) ? [name] : sets[name];
      if (!members) {
        const known = [...new Set([...Object.keys(sets), ...this.names])].join(', ');
        throw new UnknownToolError(`there is no tool or tool set "${name}"; choose from ${known}`);
      }
      for (const m of members) {
        const tool = this.tools.get(m);
        if (tool) picked.set(m, tool);
      }
    }
    return [...picked.values()];
  }

  /** What a planner sends the model: the tools named (or all), each with its JSON schema. */
  specs(names?: readonly string[]): ToolSpec[] {
    return this.select(names).map(toolSpec);
  }
}

/** Fresh instances of the built-in tools. */
export function createBuiltinTools(): Tool[] {
  return [createShellTool(), createReadFileTool(), createWriteFileTool(), createEditFileTool(), createListDirTool()] as Tool[];
}

export function builtinRegistry(): ToolRegistry {
  return new ToolRegistry(createBuiltinTools());
}

/** The built-in tools for `names` (tool or set names, e.g. from `--tools shell,files`); all when undefined. */
export function resolveTools(names?: readonly string[]): Tool[] {
  return builtinRegistry().select(names);
}
