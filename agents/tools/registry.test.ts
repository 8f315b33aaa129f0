// The registry: names, tool sets, and the JSON schemas models are sent.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinRegistry, createBuiltinTools, resolveTools, TOOL_SETS, toolParameters, ToolRegistry, UnknownToolError } from './registry.ts';
import type { Tool } from './tool.ts';

const echo: Tool<{ text: string }> = {
  name: 'echo',
  description: 'says it back',
  input: z.object({ text: z.string() }),
  risk: () => [],
  run: async (input) => ({ output: input.text, isError: false, truncated: false }),
};

describe('ToolRegistry', () => {
  it('holds the built-ins, and every set names only registered tools', () => {
    const reg = builtinRegistry();
    expect(reg.names).toEqual(['shell', 'read_file', 'write_file', 'edit_file', 'list_dir']);
    for (const members of Object.values(TOOL_SETS)) for (const m of members) expect(reg.has(m)).toBe(true);
    expect(createBuiltinTools()).not.toBe(createBuiltinTools());
  });

  it('picks tools by set and by name, each once, and refuses unknown names listing the choices', () => {
    expect(resolveTools(['shell', 'files']).map((t) => t.name)).toEqual(['shell', 'read_file', 'write_file', 'edit_file', 'list_dir']);
    expect(resolveTools(['read_file', 'files', ' list_dir ']).map((t) => t.name)).toEqual(['read_file', 'write_file', 'edit_file', 'list_dir']);
    expect(resolveTools([]).length).toBe(0);
    expect(resolveTools().length).toBe(5);
    expect(() => resolveTools(['shel'])).toThrow(UnknownToolError);
    expect(() => resolveTools(['shel'])).toThrow('there is no tool or tool set "shel"; choose from shell, files, read_file, write_file, edit_file, list_dir');
  });

  it('refuses a second tool of the same name and names that models cannot call', () => {
    const reg = new ToolRegistry([echo]);
    expect(reg.get('echo')).toBe(echo);
    expect(() => reg.register(echo)).toThrow(/already registered/);
    expect(() => reg.register({ ...echo, name: 'Bad Name' })).toThrow(/not a tool name/);
  });

  it('gives plain object schemas: no $schema, properties, required, no extra keys', () => {
    const specs = builtinRegistry().specs();
    for (const spec of specs) {
      expect(spec.parameters).not.toHaveProperty('$schema');
      expect(spec.parameters).toMatchObject({ type: 'object', additionalProperties: false });
      expect(spec.parameters['properties']).toBeTypeOf('object');
      expect(Array.isArray(spec.parameters['required'])).toBe(true);
      expect(spec.description.length).toBeGreaterThan(20);
    }
    const shell = specs.find((s) => s.name === 'shell')!;
    expect(shell.parameters['required']).toEqual(['command']);
    expect(Object.keys(shell.parameters['properties'] as object)).toEqual(['command', 'cwd', 'timeout_seconds']);
    expect(builtinRegistry().specs(['files']).map((s) => s.name)).toEqual(['read_file', 'write_file', 'edit_file', 'list_dir']);
    // A non-strict object (an MCP tool's, say) gets the same closed shape; a non-object is refused.
    expect(new ToolRegistry([echo]).specs()[0]!.parameters).toEqual({
      type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false,
    });
    expect(toolParameters(z.object({}))).toEqual({ type: 'object', properties: {}, required: [], additionalProperties: false });
    expect(() => toolParameters(z.string())).toThrow(/must be an object schema/);
  });

  it('each built-in parses what its schema allows and refuses extra keys', () => {
    const reg = builtinRegistry();
    expect(reg.get('shell')!.input.safeParse({ command: 'ls' }).success).toBe(true);
    expect(reg.get('shell')!.input.safeParse({ command: 'ls', shell: 'zsh' }).success).toBe(false);
    expect(reg.get('shell')!.input.safeParse({ command: '' }).success).toBe(false);
    expect(reg.get('read_file')!.input.safeParse({ path: 'a', offset: 0 }).success).toBe(false);
    expect(reg.get('list_dir')!.input.safeParse({}).success).toBe(true);
  });
});
