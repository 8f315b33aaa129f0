// Deskpilot as an MCP server (official SDK): sandboxes on demand, actions on them, its own agent
// and automations. One DeskpilotMcp per process holds the sandboxes; each connection gets its own
// McpServer (the HTTP transport has one per client session), all sharing them.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { z } from 'zod';
import type { AppService } from '../app/app-service.ts';
import { toolSettingsFrom } from '../app/run-host.ts';
import type { ProviderConfig, Settings } from '../contract.ts';
import type { Planner } from '../models/planner.ts';
import type { ApprovalMode } from '../run/events.ts';
import { createListDirTool, createReadFileTool, createWriteFileTool } from '../tools/files.ts';
import { createShellTool } from '../tools/shell.ts';
import type { Tool } from '../tools/tool.ts';
import { runSummary, waitForRun } from './run-wait.ts';
import { McpToolError, Sessions, type Session } from './sessions.ts';

export interface DeskpilotMcpOptions {
  app: AppService;
  /** A person can approve in the app (serve, the desktop app). When false, a risky action is refused with the reason. */
  canApprove: boolean;
  /** Approval mode of MCP sessions; the app's run setting when absent. */
  approve?: ApprovalMode | undefined;
  /** The user's own screen, when the user allowed MCP clients to drive it (opt-in: stdio's --own-screen). */
  ownScreen?: string | undefined;
  /** The settings decide instead (serve's /mcp): "Let MCP clients act on my own screen", on the screen the app drives. */
  ownScreenBySettings?: boolean;
  /** run_task's model when not the app's configured provider (stdio with --provider). */
  planner?: { planner: Planner; provider: string; model?: string | undefined } | undefined;
}

const NOBODY = 'nobody can approve it here: `deskpilot mcp` runs without the app. Ask the user to do it, run Deskpilot with `serve` (approvals in its page), or start `deskpilot mcp --approve never` if the user accepts that';
export const DEFAULT_SHOT_WIDTH = 1024;

const sandboxId = z.string().min(1).optional().describe('The sandbox id from sandbox_start (optional when only one is running).');
const coord = z.number().int().nonnegative();
const keys = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export class DeskpilotMcp {
  readonly sessions: Sessions;
  /** Runs started for MCP clients: their approvals are refused when nobody can approve. */
  private readonly owned = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: DeskpilotMcpOptions) {
    this.sessions = new Sessions({ host: opts.app.runHost, store: opts.app.store });
    // Never a silent yes: without an operator, what needs approval is refused, and the client told why.
    this.unsubscribe = opts.app.store.subscribe<{ type: string; actionId?: string }>((e) => {
      if (opts.canApprove || e.type !== 'approval_requested' || !this.owned.has(e.runId) || !e.actionId) return;
      try {
        opts.app.runHost.get(e.runId)?.control.decide(e.actionId, { decision: 'reject', reason: NOBODY });
      } catch {
        // already decided
      }
    });
  }

  /** A server for one client connection. */
  createServer(): McpServer {
    const server = new McpServer({ name: 'deskpilot', version: '1' }, { instructions: INSTRUCTIONS });
    const client = () => server.server.getClientVersion()?.name ?? 'an MCP client';
    registerTools(server, this, client);
    return server;
  }

  async settings(): Promise<Settings> {
    return (await this.opts.app.call('settings.get', {})) as Settings;
  }

  async startSession(req: { client: string; width?: number | undefined; height?: number | undefined; apps?: string[] | undefined; ownScreen?: boolean | undefined }): Promise<Session> {
    const settings = await this.settings();
    const ownScreen = req.ownScreen ? this.ownScreen(settings) : undefined;
    const size = req.width && req.height ? { width: req.width, height: req.height } : undefined;
    const session = await this.sessions.start({
      client: req.client, size, launch: req.apps, ownScreen,
      approve: this.opts.approve ?? settings.run.approve, toolSettings: toolSettingsFrom(settings),
    });
    this.owned.add(session.id);
    return session;
  }

  /** The user's screen an MCP client may act on, or the reason it may not. */
  private ownScreen(settings: Settings): string {
    if (this.opts.ownScreen) return this.opts.ownScreen;
    if (!this.opts.ownScreenBySettings) throw new McpToolError('driving the user\'s own screen is off: it is opt-in (start `deskpilot mcp --own-screen`); use a sandbox');
    if (!settings.mcpOwnScreen) {
      throw new McpToolError('acting on the user\'s own screen is off: the user can turn on "Let MCP clients act on my own screen" in Deskpilot\'s Settings. Use a sandbox meanwhile (sandbox_start without own_screen)');
    }
    const display = this.opts.app.runHost.ownDisplay();
    if (!display) throw new McpToolError('Deskpilot has no screen of its own here (it was started without a display): use a sandbox');
    return display;
  }

  /** Our own agent on a task in a fresh sandbox; resolves with the run's id once it has started. */
  async startTask(task: string, opts: { maxSteps?: number | undefined; maxSeconds?: number | undefined }): Promise<string> {
    const settings = await this.settings();
    const host = this.opts.app.runHost;
    let choice = this.opts.planner;
    if (!choice) {
      const provider = settings.providers.find((p) => p.id === settings.activeProvider) as ProviderConfig | undefined;
      if (!provider) throw new McpToolError('no model provider is set up in Deskpilot: add one in Settings (or start `deskpilot mcp --provider ...`)');
      const made = await host.planner(provider, settings);
      choice = { planner: made.planner, provider: provider.id, model: made.model };
    }
    const run = await host.startPlanned({
      task, planner: choice.planner, provider: choice.provider, model: choice.model,
      options: { ...settings.run, approve: this.opts.approve ?? settings.run.approve, ...(opts.maxSteps ? { maxSteps: opts.maxSteps } : {}), ...(opts.maxSeconds ? { maxSeconds: opts.maxSeconds } : {}) },
      target: { kind: 'sandbox' }, toolSettings: toolSettingsFrom(settings),
    });
    this.owned.add(run.id);
    return run.id;
  }

  async runAutomation(name: string, params: Record<string, string> | undefined): Promise<string> {
    const run = (await this.opts.app.call('automations.run', { name, ...(params ? { params } : {}), target: 'sandbox' })) as { id: string };
    this.owned.add(run.id);
    return run.id;
  }

  get app(): AppService {
    return this.opts.app;
  }

  async close(): Promise<void> {
    await this.sessions.closeAll();
    this.unsubscribe();
  }
}

const INSTRUCTIONS =
  'Deskpilot drives Linux desktops. Start a sandbox (a virtual desktop of its own) with sandbox_start, look with screenshot, act with click/type/keypress... ' +
  'Coordinates are screen pixels of the sandbox (the screenshot result says how its image maps to them). Risky actions (deleting files, typing secrets) wait for the operator\'s approval in the Deskpilot app, or are refused with the reason. ' +
  'run_task gives a whole task to Deskpilot\'s own agent. Stop sandboxes you started with sandbox_stop.';

type Handler<A> = (args: A, extra: { signal: AbortSignal; sendNotification: (n: never) => Promise<void>; _meta?: { progressToken?: string | number } | undefined }) => Promise<CallToolResult>;

// Errors a client can act on become tool errors (isError) with the reason; anything else too, named.
function guarded<A>(fn: Handler<A>): Handler<A> {
  return async (args, extra) => {
    try {
      return await fn(args, extra);
    } catch (err) {
      const e = err as Error;
      const text = err instanceof McpToolError ? e.message : `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`;
      return { content: [{ type: 'text', text }], isError: true };
    }
  };
}

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const json = (v: unknown): CallToolResult => text(JSON.stringify(v, null, 2));

function describeSession(s: Session) {
  return { sandbox: s.id, display: s.display, width: s.size.width, height: s.size.height, client: s.client, ownScreen: !s.sandboxed, xvfbPid: s.virtual?.info.pids['xvfb'], hostPid: s.virtual?.info.hostPid };
}

function registerTools(server: McpServer, hub: DeskpilotMcp, client: () => string): void {
  const acting = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };

  server.registerTool('sandbox_start', {
    title: 'Start a sandbox desktop',
    description: 'Start a fresh virtual Linux desktop of its own (Xvfb + window manager, its own HOME). Returns its id for the other tools. Optionally launch apps (e.g. ["xterm"], ["mousepad"]).',
    inputSchema: z.object({
      width: z.number().int().min(320).max(7680).optional().describe('Screen width in pixels (default 1280).'),
      height: z.number().int().min(240).max(4320).optional().describe('Screen height in pixels (default 800).'),
      apps: z.array(z.string().min(1).max(200)).max(10).optional().describe('Programs to start on it, e.g. ["xterm"].'),
      own_screen: z.boolean().optional().describe('Drive the user\'s own screen instead (only when the user turned that on in Deskpilot\'s settings).'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  }, guarded(async ({ width, height, apps, own_screen }) => {
    if ((width === undefined) !== (height === undefined)) throw new McpToolError('give both width and height, or neither');
    const s = await hub.startSession({ client: client(), width, height, apps, ownScreen: own_screen });
    return json(describeSession(s));
  }));

  server.registerTool('sandbox_stop', {
    title: 'Stop a sandbox',
    description: 'Stop a sandbox: every program on it ends and its folder is removed. Its run stays in Deskpilot\'s history.',
    inputSchema: z.object({ sandbox: sandboxId }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, guarded(async ({ sandbox }) => {
    const s = await hub.sessions.stop(sandbox);
    return text(`stopped sandbox ${s.id} (display ${s.display})`);
  }));

  server.registerTool('sandbox_list', {
    title: 'List sandboxes',
    description: 'The sandboxes running for MCP clients here, with their ids, displays and sizes.',
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(async () => json(hub.sessions.list().map(describeSession))));

  server.registerTool('screenshot', {
    title: 'Screenshot',
    description: `A PNG of the sandbox's screen, ${DEFAULT_SHOT_WIDTH} px wide by default (or the width you ask). Actions take screen pixels: the text says how to scale.`,
    inputSchema: z.object({ sandbox: sandboxId, width: z.number().int().min(64).max(7680).optional().describe(`Image width (default: the screen's, at most ${DEFAULT_SHOT_WIDTH}).`) }),
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(async ({ sandbox, width }) => {
    const s = hub.sessions.get(sandbox);
    const { screenshot } = await hub.sessions.act(s.id, { type: 'screenshot' });
    const png = Buffer.from(screenshot.dataUrl.slice(screenshot.dataUrl.indexOf(',') + 1), 'base64');
    const want = Math.min(width ?? DEFAULT_SHOT_WIDTH, screenshot.image.width);
    const out = want === screenshot.image.width ? png : await sharp(png).resize({ width: want }).png().toBuffer();
    const height = Math.round((screenshot.image.height * want) / screenshot.image.width);
    const scale = screenshot.image.width / want;
    return {
      content: [
        { type: 'image', data: out.toString('base64'), mimeType: 'image/png' },
        { type: 'text', text: `screen ${screenshot.image.width}x${screenshot.image.height}; image ${want}x${height}${scale !== 1 ? `; multiply image coordinates by ${scale.toFixed(4)} for screen pixels` : ''}` },
      ],
    };
  }));

  const point = { sandbox: sandboxId, x: coord.describe('Screen x in pixels.'), y: coord.describe('Screen y in pixels.') };
  server.registerTool('click', {
    title: 'Click', description: 'Click at a point of the screen (screen pixels).',
    inputSchema: z.object({ ...point, button: z.enum(['left', 'right', 'middle']).optional(), keys: keys.optional().describe('Keys held during the click, e.g. "ctrl".') }),
    annotations: acting,
  }, guarded(async ({ sandbox, x, y, button, keys: held }) => {
    await hub.sessions.act(sandbox, { type: 'click', x, y, button: button ?? 'left', ...(held ? { keys: held } : {}) });
    return text(`clicked ${button ?? 'left'} at (${x}, ${y})`);
  }));
  server.registerTool('double_click', {
    title: 'Double-click', description: 'Double-click at a point of the screen (screen pixels).', inputSchema: z.object(point), annotations: acting,
  }, guarded(async ({ sandbox, x, y }) => {
    await hub.sessions.act(sandbox, { type: 'double_click', x, y });
    return text(`double-clicked at (${x}, ${y})`);
  }));
  server.registerTool('drag', {
    title: 'Drag', description: 'Press at the first point, move through the others, release at the last (screen pixels).',
    inputSchema: z.object({ sandbox: sandboxId, path: z.array(z.object({ x: coord, y: coord })).min(2).max(100) }), annotations: acting,
  }, guarded(async ({ sandbox, path }) => {
    await hub.sessions.act(sandbox, { type: 'drag', path, button: 'left' });
    return text(`dragged through ${path.length} points`);
  }));
  server.registerTool('scroll', {
    title: 'Scroll', description: 'Scroll the wheel, at a point or where the pointer is.',
    inputSchema: z.object({ sandbox: sandboxId, x: coord.optional(), y: coord.optional(), direction: z.enum(['up', 'down', 'left', 'right']), amount: z.number().int().min(1).max(100).optional() }),
    annotations: acting,
  }, guarded(async ({ sandbox, x, y, direction, amount }) => {
    if ((x === undefined) !== (y === undefined)) throw new McpToolError('give both x and y, or neither');
    await hub.sessions.act(sandbox, { type: 'scroll', direction, amount: amount ?? 3, ...(x !== undefined && y !== undefined ? { x, y } : {}) });
    return text(`scrolled ${direction}`);
  }));
  server.registerTool('type', {
    title: 'Type text', description: 'Type text with the keyboard into the focused window. A newline presses Enter. Risky text (a destructive command, a secret) waits for the operator.',
    inputSchema: z.object({ sandbox: sandboxId, text: z.string().min(1).max(100_000) }), annotations: acting,
  }, guarded(async ({ sandbox, text: t }) => {
    await hub.sessions.act(sandbox, { type: 'type', text: t });
    return text(`typed ${t.length} characters`);
  }));
  server.registerTool('keypress', {
    title: 'Press keys', description: 'Press a key or a combination, e.g. "Return", "ctrl+s", or a sequence ["ctrl+a", "Delete"].',
    inputSchema: z.object({ sandbox: sandboxId, keys }), annotations: acting,
  }, guarded(async ({ sandbox, keys: k }) => {
    await hub.sessions.act(sandbox, { type: 'keypress', keys: k });
    return text(`pressed ${JSON.stringify(k)}`);
  }));
  server.registerTool('wait', {
    title: 'Wait', description: 'Wait a while (ms) for the screen to change.',
    inputSchema: z.object({ sandbox: sandboxId, ms: z.number().int().min(0).max(60_000) }), annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(async ({ sandbox, ms }) => {
    await hub.sessions.act(sandbox, { type: 'wait', ms });
    return text(`waited ${ms} ms`);
  }));

  for (const tool of [createShellTool(), createReadFileTool(), createWriteFileTool(), createListDirTool()] as Tool[]) registerSandboxTool(server, hub, tool);

  server.registerTool('run_task', {
    title: 'Run a task with Deskpilot\'s agent',
    description: 'Give a task in plain words to Deskpilot\'s own computer-use agent; it works in a fresh sandbox and returns its answer and the run id. Sends progress while it runs.',
    inputSchema: z.object({ task: z.string().min(1).max(10_000), max_steps: z.number().int().min(1).max(500).optional(), max_seconds: z.number().int().min(10).max(86_400).optional() }),
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  }, guarded(async ({ task, max_steps, max_seconds }, extra) => {
    const runId = await hub.startTask(task, { maxSteps: max_steps, maxSeconds: max_seconds });
    return finishedRun(hub, runId, extra);
  }));

  server.registerTool('list_automations', {
    title: 'List automations', description: 'The saved automations (replays of recorded or taught tasks) with their parameters.',
    inputSchema: z.object({}), annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(async () => {
    const list = (await hub.app.call('automations.list', {})) as { name: string; description?: string; params: string[]; steps: number }[];
    return json(list.map(({ name, description, params, steps }) => ({ name, description, params, steps })));
  }));

  server.registerTool('run_automation', {
    title: 'Run an automation', description: 'Replay a saved automation in a fresh sandbox, with values for its parameters; returns how it ended and the run id.',
    inputSchema: z.object({ name: z.string().min(1).max(200), params: z.record(z.string(), z.string()).optional() }),
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  }, guarded(async ({ name, params }, extra) => finishedRun(hub, await hub.runAutomation(name, params), extra)));

  server.registerTool('get_run', {
    title: 'Get a run', description: 'A run from Deskpilot\'s history: its status, answer or error, and one line per step.',
    inputSchema: z.object({ run_id: z.string().min(1).max(64) }), annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(async ({ run_id }) => {
    const summary = runSummary(hub.app.store, run_id);
    if (!summary) throw new McpToolError(`no run ${run_id}`);
    const { run, steps } = summary;
    return json({ runId: run.id, task: run.task, status: run.status, provider: run.provider, model: run.model, answer: run.answer, error: run.error, steps });
  }));
}

/** The sandbox-scoped shell and file tools, with the built-ins' own schemas plus the sandbox id. */
function registerSandboxTool(server: McpServer, hub: DeskpilotMcp, tool: Tool): void {
  const input = (tool.input as unknown as z.ZodObject).extend({ sandbox: sandboxId });
  const annotations = tool.readOnly ? { readOnlyHint: true, openWorldHint: false } : { readOnlyHint: false, destructiveHint: true, openWorldHint: false };
  server.registerTool(tool.name, { title: tool.name, description: `${tool.description} Runs in the sandbox (its HOME is the working folder).`, inputSchema: input, annotations },
    guarded<Record<string, unknown>>(async ({ sandbox, ...args }) => {
      const { outcome } = await hub.sessions.act(sandbox as string | undefined, { type: 'tool', name: tool.name, input: args });
      const result = outcome?.status === 'performed' ? outcome.tool : undefined;
      if (!result) throw new McpToolError(`${tool.name} gave no result`);
      return {
        content: [
          { type: 'text', text: result.output },
          ...(result.images ?? []).map((img) => ({ type: 'image' as const, data: img.dataUrl.slice(img.dataUrl.indexOf(',') + 1), mimeType: /^data:([^;]+)/.exec(img.dataUrl)?.[1] ?? 'image/png' })),
        ],
        isError: result.isError,
      };
    }) as never);
}

/** Waits for a run, sending each step as progress when the client asked for it; a cancelled call aborts the run. */
async function finishedRun(hub: DeskpilotMcp, runId: string, extra: Parameters<Handler<unknown>>[1]): Promise<CallToolResult> {
  const token = extra._meta?.progressToken;
  let n = 0;
  const onStep = (_step: number, message: string) => {
    if (token === undefined) return;
    n += 1;
    void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: n, message } } as never).catch(() => undefined);
  };
  onStep(0, `run ${runId} started in a sandbox`);
  const onCancel = () => hub.app.runHost.get(runId)?.control.abort('the MCP client cancelled the call');
  extra.signal.addEventListener('abort', onCancel, { once: true });
  const run = await waitForRun(hub.app.store, runId, onStep).finally(() => extra.signal.removeEventListener('abort', onCancel));
  const result = { runId, status: run.status, answer: run.answer ?? undefined, error: run.error ?? undefined };
  return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }], isError: run.status !== 'done' };
}
