// deskpilot mcp: Deskpilot as an MCP server over stdio, for Claude Desktop, Codex and other MCP
// clients. stdout carries the protocol only; notes go to stderr.
import { resolve } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { AppService } from '../app/app-service.ts';
import { MemorySecrets } from '../app/secrets.ts';
import { DeskpilotMcp } from '../mcp/server.ts';
import { createPlanner, ProviderError } from '../models/create-planner.ts';
import type { ApprovalMode } from '../run/events.ts';
import { defaultDataDir } from '../store/paths.ts';
import { CliError, optionReader, type Command, type OptionValues } from './command.ts';
import { checkDisplay } from './display-option.ts';

const USAGE = 'mcp [--data-dir DIR] [--provider P [--adapter A] [--base-url URL] [--model M] [--api-key KEY]] [--approve risky|always|never] [--own-screen [--display :N]]';
const { usageError, str } = optionReader(USAGE);
const APPROVE = ['always', 'risky', 'never'];

export const mcpCommands: Command[] = [
  {
    path: ['mcp'],
    usage: USAGE,
    summary: 'serve Deskpilot to an MCP client over stdio (sandboxes, actions, run_task, automations); risky actions are refused unless --approve never',
    options: {
      'data-dir': { type: 'string' }, provider: { type: 'string' }, adapter: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' }, 'api-key': { type: 'string' },
      approve: { type: 'string' }, 'own-screen': { type: 'boolean' }, display: { type: 'string' },
    },
    async run({ values }) {
      const approve = str(values, 'approve');
      if (approve !== undefined && !APPROVE.includes(approve)) throw usageError(`--approve must be ${APPROVE.join(', ')}, not "${approve}"`);
      const rawDisplay = str(values, 'display') ?? process.env['DISPLAY'];
      const ownScreen = values['own-screen'] ? (rawDisplay ? checkDisplay(rawDisplay, USAGE) : undefined) : undefined;
      if (values['own-screen'] && !ownScreen) throw usageError('--own-screen needs a screen: set DISPLAY or give --display :N');
      const planner = await plannerFrom(values);
      const dataDir = resolve(str(values, 'data-dir') ?? defaultDataDir());
      const note = (line: string) => process.stderr.write(`deskpilot mcp: ${line}\n`);

      let app: AppService;
      try {
        // The app's own process runs the schedule; this one only serves the client.
        app = await AppService.open({ dataDir, transport: 'ipc', secrets: new MemorySecrets(), schedule: false });
      } catch (err) {
        throw new CliError(`cannot open the data folder ${dataDir}: ${(err as Error).message}`, 1);
      }
      const hub = new DeskpilotMcp({ app, canApprove: false, approve: approve as ApprovalMode | undefined, ownScreen, planner });
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((done) => {
        transport.onclose = () => done();
        process.stdin.once('end', () => done());
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
      await hub.createServer().connect(transport);
      note(`serving over stdio (data in ${dataDir})`);
      await closed;
      // Sandboxes end with the client: nothing started for it outlives it.
      await hub.close();
      await app.close();
      return 0;
    },
  },
];

async function plannerFrom(values: OptionValues) {
  const provider = str(values, 'provider');
  if (!provider) return undefined;
  const opt = (key: string, flag: string) => (str(values, flag) === undefined ? {} : { [key]: str(values, flag) });
  try {
    const choice = await createPlanner({ provider, ...opt('adapter', 'adapter'), ...opt('baseURL', 'base-url'), ...opt('model', 'model'), ...opt('apiKey', 'api-key') });
    return { planner: choice.planner, provider, model: choice.model };
  } catch (err) {
    if (err instanceof ProviderError) throw usageError(err.message);
    throw err;
  }
}
