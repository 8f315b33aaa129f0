// The MCP servers of a run: the enabled ones from the settings, connected when the run starts and
// closed when it ends. A server that cannot start is reported and left out; the run goes on.
import type { Tool } from '../tools/tool.ts';
import { connectMcpServer, type ConnectedServer, type McpServerConfig } from './client-tools.ts';

export interface RunServers {
  tools: Tool[];
  /** Servers that could not be used, with what went wrong, for the run's log and the settings. */
  failures: { server: string; message: string }[];
  close(): Promise<void>;
}

// Keys stay out of settings.json: an env or header value may name a variable of Deskpilot's environment.
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function expand(values: Record<string, string> | undefined, env: Record<string, string | undefined>): Record<string, string> | undefined {
  if (!values) return undefined;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replace(VARIABLE, (_, name: string) => env[name] ?? '')]));
}

export function resolveConfig(config: McpServerConfig, env: Record<string, string | undefined>): McpServerConfig {
  return { ...config, env: expand(config.env, env), headers: expand(config.headers, env) };
}

export async function connectRunServers(configs: readonly McpServerConfig[], env: Record<string, string | undefined>, opts: { startTimeoutMs?: number } = {}): Promise<RunServers> {
  const enabled = configs.filter((c) => c.enabled);
  const settled = await Promise.allSettled(enabled.map((c) => connectMcpServer(resolveConfig(c, env), opts)));
  const connected: ConnectedServer[] = [];
  const failures: RunServers['failures'] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') connected.push(s.value);
    else failures.push({ server: enabled[i]!.name, message: (s.reason as Error).message });
  });
  return {
    tools: connected.flatMap((c) => c.tools),
    failures,
    close: async () => {
      await Promise.all(connected.map((c) => c.close()));
    },
  };
}
