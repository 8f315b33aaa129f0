// Deskpilot as an MCP server, driven by the SDK's own Client: over stdio (`deskpilot mcp`) and over
// Streamable HTTP (`deskpilot serve` at /mcp). Real sandboxes, real xterm, effects checked on disk.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { mockProvider, serve, writeSettings, type Served } from './support/ui-serve.ts';

const BIN = new URL('../bin/deskpilot.js', import.meta.url).pathname;
const KEY = 'sk-test-mcp-0123456789abcdef';
let mock: MockOpenAI;
const dirs: string[] = [];

beforeAll(async () => {
  mock = await startMockOpenAI({ apiKey: KEY });
});
afterAll(async () => {
  await mock?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'deskpilot-mcp-'));
  dirs.push(d);
  return d;
}

/** A process that still runs (a zombie waiting to be reaped has stopped). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const textOf = (r: CallToolResult) => r.content.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('\n');
async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
}
async function ok(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  const r = await call(client, name, args);
  if (r.isError) throw new Error(`${name} failed: ${textOf(r)}`);
  return r;
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a sandbox with an xterm focused; returns its id, HOME and Xvfb pid. */
async function sandboxWithXterm(client: Client) {
  const started = JSON.parse(textOf(await ok(client, 'sandbox_start', { apps: ['xterm'] }))) as { sandbox: string; width: number; height: number; xvfbPid: number };
  const home = (await ok(client, 'shell', { sandbox: started.sandbox, command: 'xdotool search --sync --onlyvisible --class xterm windowactivate --sync >/dev/null 2>&1; echo $HOME' }));
  return { ...started, home: textOf(home).trim().split('\n').filter((l) => l.startsWith('/')).at(-1)! };
}

async function screenshotChecks(client: Client, sandbox: string, size: { width: number; height: number }) {
  const shot = await ok(client, 'screenshot', { sandbox, width: 640 });
  const image = shot.content.find((c) => c.type === 'image') as { data: string; mimeType: string };
  expect(image.mimeType).toBe('image/png');
  const meta = await sharp(Buffer.from(image.data, 'base64')).metadata();
  expect(meta.format).toBe('png');
  expect(meta.width).toBe(640);
  expect(meta.height).toBe(Math.round((size.height * 640) / size.width));
  // The compact default: at most 1024 wide.
  const compact = await ok(client, 'screenshot', { sandbox });
  const meta2 = await sharp(Buffer.from((compact.content.find((c) => c.type === 'image') as { data: string }).data, 'base64')).metadata();
  expect(meta2.width).toBe(Math.min(1024, size.width));
}

describe('deskpilot mcp over stdio', () => {
  let client: Client;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDir();
    client = new Client({ name: 'mcp-e2e-stdio', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--data-dir', dataDir, '--provider', 'openai-responses', '--base-url', mock.url, '--api-key', KEY, '--model', 'computer-use-preview'],
      env: { ...process.env } as Record<string, string>,
      stderr: 'pipe',
    });
    await client.connect(transport);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
  });

  it('lists its tools with schemas and annotations', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of ['sandbox_start', 'sandbox_stop', 'sandbox_list', 'screenshot', 'click', 'double_click', 'drag', 'scroll', 'type', 'keypress', 'wait', 'shell', 'read_file', 'write_file', 'list_dir', 'run_task', 'list_automations', 'run_automation', 'get_run']) {
      expect(byName.has(name), name).toBe(true);
    }
    expect(byName.get('screenshot')!.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('type')!.annotations?.destructiveHint).toBe(true);
    expect(byName.get('shell')!.inputSchema.properties).toHaveProperty('command');
  });

  it('starts a sandbox, screenshots it, types a command into xterm (file on disk), refuses rm -rf ~ with the reason, and stops it', async () => {
    const s = await sandboxWithXterm(client);
    expect(alive(s.xvfbPid)).toBe(true);
    await screenshotChecks(client, s.sandbox, s);

    await ok(client, 'type', { sandbox: s.sandbox, text: 'echo typed-by-mcp > ~/mcp-proof.txt\n' });
    const proof = join(s.home, 'mcp-proof.txt');
    await waitFor('the file xterm wrote', () => existsSync(proof) && readFileSync(proof, 'utf8').includes('typed-by-mcp'));

    // Nobody can approve in stdio: the destructive line is refused before it reaches the keyboard.
    await ok(client, 'write_file', { sandbox: s.sandbox, path: '~/keep/precious.txt', content: 'keep me' });
    const refused = await call(client, 'type', { sandbox: s.sandbox, text: 'rm -rf ~\n' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/nobody can approve/);
    await new Promise((r) => setTimeout(r, 500));
    expect(readFileSync(join(s.home, 'keep', 'precious.txt'), 'utf8')).toBe('keep me');

    // Everything is a run in the store, provider mcp, the client's name.
    const run = JSON.parse(textOf(await ok(client, 'get_run', { run_id: s.sandbox }))) as { provider: string; model: string; steps: string[] };
    expect(run.provider).toBe('mcp');
    expect(run.model).toBe('mcp-e2e-stdio');
    expect(run.steps.join('\n')).toMatch(/reject: nobody can approve/);

    await ok(client, 'sandbox_stop', { sandbox: s.sandbox });
    expect(alive(s.xvfbPid)).toBe(false);
    expect(existsSync(s.home)).toBe(false);
    expect(JSON.parse(textOf(await ok(client, 'sandbox_list')))).toEqual([]);
  }, 120_000);

  it('run_task runs our agent against the mock, returns the answer and the run id, and the run is in the store', async () => {
    mock.setTrajectory([{ text: 'The answer is 42.' }]);
    const progress: string[] = [];
    const r = (await client.callTool({ name: 'run_task', arguments: { task: 'what is the answer?' } }, undefined, { timeout: 120_000, onprogress: (p) => progress.push(p.message ?? '') })) as CallToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
    const out = JSON.parse(textOf(r)) as { runId: string; status: string; answer: string };
    expect(out.status).toBe('done');
    expect(out.answer).toMatch(/42/);
    expect(progress.length).toBeGreaterThan(0);
    const store = Store.open(join(dataDir, 'deskpilot.db'));
    try {
      expect(store.getRun(out.runId)?.status).toBe('done');
    } finally {
      store.close();
    }
  }, 120_000);

  it('an unknown sandbox is a clear tool error', async () => {
    const r = await call(client, 'click', { sandbox: 'nope', x: 1, y: 1 });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/no sandbox "nope"/);
  });
});

describe('MCP over HTTP in deskpilot serve', () => {
  let server: Served;
  let client: Client;
  beforeAll(async () => {
    const dataDir = tempDir();
    writeSettings(dataDir, { ...mockProvider(mock.url) });
    server = await serve(['--data-dir', dataDir]);
    await server.call('settings.setKey', { providerId: 'mock', apiKey: KEY });
    client = new Client({ name: 'mcp-e2e-http', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${server.token}` } } }));
  }, 60_000);
  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await server?.stop();
  });

  it('refuses /mcp without the token (401) and from another origin (403)', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const noToken = await fetch(`${server.base}/mcp`, { method: 'POST', headers, body: JSON.stringify(init) });
    expect(noToken.status).toBe(401);
    const cross = await fetch(`${server.base}/mcp`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${server.token}`, origin: 'http://evil.example' }, body: JSON.stringify(init) });
    expect(cross.status).toBe(403);
  });

  it('drives a sandbox; a destructive line waits for the operator, a rejection from the app reaches the client and nothing happens on disk', async () => {
    const s = await sandboxWithXterm(client);
    await screenshotChecks(client, s.sandbox, s);
    await ok(client, 'type', { sandbox: s.sandbox, text: 'echo over-http > ~/http-proof.txt\n' });
    await waitFor('the file xterm wrote', () => existsSync(join(s.home, 'http-proof.txt')));

    await ok(client, 'write_file', { sandbox: s.sandbox, path: '~/keep/precious.txt', content: 'keep me' });
    const pending = call(client, 'type', { sandbox: s.sandbox, text: 'rm -rf ~/keep\n' });
    const asked = await waitFor('the approval request', async () => {
      const { events } = (await server.call('runs.events', { runId: s.sandbox, afterSeq: 0 })) as { events: { type: string; actionId?: string; reasons?: string[] }[] };
      return events.find((e) => e.type === 'approval_requested');
    });
    expect(asked.reasons!.join(' ')).toMatch(/deletes files/);
    // Still waiting: the keys have not been typed.
    expect(existsSync(join(s.home, 'keep', 'precious.txt'))).toBe(true);
    await server.call('approvals.decide', { runId: s.sandbox, actionId: asked.actionId, decision: { decision: 'reject', reason: 'not on my machine' } });
    const r = await pending;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/not on my machine/);
    await new Promise((res) => setTimeout(res, 500));
    expect(readFileSync(join(s.home, 'keep', 'precious.txt'), 'utf8')).toBe('keep me');

    const run = (await server.call('runs.get', { runId: s.sandbox })) as { provider: string; model: string };
    expect(run).toMatchObject({ provider: 'mcp', model: 'mcp-e2e-http' });
    await ok(client, 'sandbox_stop', { sandbox: s.sandbox });
    expect(alive(s.xvfbPid)).toBe(false);
  }, 120_000);

  it('run_task uses the app\'s configured provider and returns the answer', async () => {
    mock.setTrajectory([{ text: 'Done: seven.' }]);
    const r = await ok(client, 'run_task', { task: 'count' });
    const out = JSON.parse(textOf(r)) as { runId: string; status: string; answer: string };
    expect(out.status).toBe('done');
    expect(((await server.call('runs.get', { runId: out.runId })) as { status: string }).status).toBe('done');
  }, 120_000);
});
