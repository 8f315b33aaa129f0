// Deskpilot's agent as an MCP client: each configured server's tools become Tools of the run
// (named `<server id>__<tool>`), with the server's own JSON schemas. A server that will not start,
// crashes or hangs is reported and left out; the run goes on without it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { OutputCap } from '../tools/output-cap.ts';
import type { Tool, ToolImage, ToolResult } from '../tools/tool.ts';

/** One MCP server in the settings: a command to start (stdio) or an HTTP URL. */
export interface McpServerConfig {
  id: string;
  name: string;
  command?: string | undefined;
  args?: string[] | undefined;
  env?: Record<string, string> | undefined;
  url?: string | undefined;
  headers?: Record<string, string> | undefined;
  enabled: boolean;
  /** Its tools may change things without the operator's approval. */
  trusted: boolean;
}

/** A server that could not be used: what went wrong, in words for the run and the settings. */
export class McpServerError extends Error {
  override name = 'McpServerError';
  constructor(message: string, readonly serverId: string) {
    super(message);
  }
}

export interface ConnectedServer {
  config: McpServerConfig;
  tools: Tool[];
  /** The tools as the server lists them (for "Test" in the settings). */
  listed: McpTool[];
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Starting and listing tools must finish within this (default 15 s). */
  startTimeoutMs?: number;
  /** One call must finish within this (default 120 s). */
  callTimeoutMs?: number;
  /** The environment a stdio server starts with, beside its own `env` (scrubbed of secrets by the caller). */
  baseEnv?: Record<string, string>;
}

/** A name models accept: lowercase letters, digits and underscores, at most 64 characters. */
export function toolNameFor(serverId: string, tool: string): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const name = `${clean(serverId) || 'mcp'}__${clean(tool) || 'tool'}`;
  return (/^[a-z]/.test(name) ? name : `m${name}`).slice(0, 64);
}

/** Why a server did not start, in words a user can act on (spawn and SDK errors by their codes, not their text). */
function startFailure(err: unknown, config: McpServerConfig, timeoutMs: number): string {
  const code = (err as NodeJS.ErrnoException).code ?? ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `the program "${config.command}" was not found: check its path`;
  if (code === 'EACCES') return `the program "${config.command}" is not allowed to run: check that it is executable`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') return `nothing answers at ${config.url}: check the address and that the server is running`;
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) return `it did not answer within ${Math.round(timeoutMs / 1000)} seconds`;
  if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) return 'it stopped before answering';
  return (err as Error).message;
}

/** Connects to a server and lists its tools; throws McpServerError with the reason when it cannot. */
export async function connectMcpServer(config: McpServerConfig, opts: ConnectOptions = {}): Promise<ConnectedServer> {
  const client = new Client({ name: 'deskpilot', version: '1' });
  const transport = config.url
    ? new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers ?? {} } })
    : config.command
      ? new StdioClientTransport({ command: config.command, args: config.args ?? [], env: { ...opts.baseEnv, ...config.env }, stderr: 'pipe' })
      : undefined;
  if (!transport) throw new McpServerError(`MCP server "${config.name}" has neither a command nor a URL: set one in Settings`, config.id);
  let stderr = '';
  if (transport instanceof StdioClientTransport) transport.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  let exited: string | undefined;
  client.onclose = () => (exited ??= `the server stopped${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`);
  const timeout = opts.startTimeoutMs ?? 15_000;
  let listed: McpTool[];
  try {
    await client.connect(transport, { timeout });
    listed = (await client.listTools(undefined, { timeout })).tools;
  } catch (err) {
    await client.close().catch(() => undefined);
    const why = stderr.trim().split('\n').at(-1) || startFailure(err, config, timeout);
    throw new McpServerError(`MCP server "${config.name}" did not start: ${why}`, config.id);
  }
  const tools = listed.map((t) => adaptTool(client, config, t, () => exited, opts.callTimeoutMs ?? 120_000));
  return { config, tools, listed, close: () => client.close().catch(() => undefined) };
}

function adaptTool(client: Client, config: McpServerConfig, tool: McpTool, exited: () => string | undefined, timeout: number): Tool<Record<string, unknown>> {
  const parameters = { ...tool.inputSchema, type: 'object', properties: tool.inputSchema.properties ?? {} } as Record<string, unknown>;
  const readOnly = tool.annotations?.readOnlyHint === true;
  return {
    name: toolNameFor(config.id, tool.name),
    description: `${tool.description ?? tool.title ?? tool.name} (from the MCP server "${config.name}")`.slice(0, 1024),
    input: inputSchemaFor(parameters),
    parameters,
    readOnly,
    // Read-only tools may run unasked in `risky` mode; anything else waits unless the user trusts the server.
    risk: () => (readOnly || config.trusted ? [] : [`the MCP server "${config.name}" is not marked trusted and "${tool.name}" is not read-only`]),
    async run(input, _ctx, signal): Promise<ToolResult> {
      const gone = exited();
      if (gone) return { output: `MCP server "${config.name}" cannot be used: ${gone}. Go on without it.`, isError: true, truncated: false };
      try {
        const result = (await client.callTool({ name: tool.name, arguments: input }, undefined, { signal, timeout })) as CallToolResult;
        return toResult(result);
      } catch (err) {
        const why = exited() ?? (err as Error).message;
        return { output: `MCP server "${config.name}" failed on ${tool.name}: ${why}. Go on without it.`, isError: true, truncated: false };
      }
    },
  };
}

// The server's schema checks the input where zod can read it; otherwise any object goes to the server, which checks it itself.
function inputSchemaFor(json: Record<string, unknown>): z.ZodType<Record<string, unknown>> {
  try {
    return z.fromJSONSchema(json) as z.ZodType<Record<string, unknown>>;
  } catch {
    return z.record(z.string(), z.unknown());
  }
}

function toResult(result: CallToolResult): ToolResult {
  const texts: string[] = [];
  const images: ToolImage[] = [];
  for (const c of result.content ?? []) {
    if (c.type === 'text') texts.push(c.text);
    else if (c.type === 'image') images.push({ dataUrl: `data:${c.mimeType};base64,${c.data}` });
    else if (c.type === 'resource' && 'text' in c.resource) texts.push(String(c.resource.text));
    else texts.push(`[${c.type}]`);
  }
  if (result.structuredContent && texts.length === 0) texts.push(JSON.stringify(result.structuredContent));
  const cap = new OutputCap();
  cap.push(texts.join('\n'));
  return { output: cap.text(), isError: result.isError === true, truncated: cap.truncated, ...(images.length ? { images } : {}) };
}
