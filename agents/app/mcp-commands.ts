// The settings' MCP servers from the app: "Test" starts one and lists its tools, saying plainly
// why it could not start.
import type { z } from 'zod';
import { connectMcpServer, McpServerError } from '../mcp/client-tools.ts';
import { resolveConfig } from '../mcp/run-servers.ts';
import type { CommandName, CommandOutput, commands, Settings } from '../contract.ts';
import { CommandError } from './command-error.ts';

type McpCommand = Extract<CommandName, `mcp.${string}`>;
type Input<C extends CommandName> = z.output<(typeof commands)[C]['input']>;
export type McpHandlers = { [C in McpCommand]: (input: Input<C>) => Promise<CommandOutput<C>> };

export function mcpHandlers(deps: { settings: () => Settings; env: Record<string, string | undefined> }): McpHandlers {
  return {
    'mcp.test': async ({ id }) => {
      const config = deps.settings().mcpServers?.find((s) => s.id === id);
      if (!config) throw new CommandError('not_found', `no MCP server "${id}" in Settings`);
      try {
        const server = await connectMcpServer(resolveConfig(config, deps.env));
        await server.close();
        return { tools: server.listed.map((t) => ({ name: t.name, description: t.description ?? t.title ?? '', readOnly: t.annotations?.readOnlyHint === true })) };
      } catch (err) {
        if (err instanceof McpServerError) throw new CommandError('failed', err.message);
        throw err;
      }
    },
  };
}
