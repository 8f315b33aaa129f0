// Deskpilot's agent as an MCP client: a small SDK server (e2e/mcp-fixtures/echo-server.ts, stdio)
// gives tools the agent calls through the mock OpenAI server on a sandbox; results reach the next
// model request; a server that crashes or will not start is reported and the run goes on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcpServer, McpServerError, type ConnectedServer, type McpServerConfig } from '../agents/mcp/client-tools.ts';
import { createPlanner } from '../agents/models/create-planner.ts';
import { startRun } from '../agents/run/start-run.ts';
import { Store } from '../agents/store/store.ts';
import { toolSpec } from '../agents/tools/registry.ts';
import { ofType } from './support/agent-harness.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';

const KEY = 'sk-test-mcp-client-0123456789';
const RUNNER = new URL('./mcp-fixtures/run.js', import.meta.url).pathname;
const config = (over: Partial<McpServerConfig> = {}): McpServerConfig => ({
  id: 'testsrv', name: 'Test server', command: process.execPath, args: [RUNNER, 'echo-server.ts'], enabled: true, trusted: false, ...over,
});
const baseEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };

let mock: MockOpenAI;
let store: Store;
let dir: string;
const servers: ConnectedServer[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-mcp-client-'));
  store = Store.open(join(dir, 'deskpilot.db'));
  mock = await startMockOpenAI({ apiKey: KEY });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await mock?.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(over: Partial<McpServerConfig> = {}) {
  const s = await connectMcpServer(config(over), { baseEnv });
  servers.push(s);
  return s;
}

function toolOutputs(): string[] {
  return mock.requests.flatMap((r) => ((r.body as { input?: Record<string, unknown>[] }).input ?? []).filter((i) => i['type'] === 'function_call_output').map((i) => String(i['output'])));
}

describe('MCP servers\' tools in a run', () => {
  it('adapts the tools: prefixed names, the server\'s JSON schema, read-only free, the rest risky unless trusted', async () => {
    const s = await connect();
    const byName = new Map(s.tools.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(['testsrv__crash', 'testsrv__echo', 'testsrv__touch']);
    const spec = toolSpec(byName.get('testsrv__echo')!);
    expect(spec.parameters).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
    const ctx = {} as never;
    expect(byName.get('testsrv__echo')!.risk({ text: 'x' }, ctx)).toEqual([]);
    expect(byName.get('testsrv__touch')!.risk({ path: '/tmp/x', text: 'x' }, ctx).join(' ')).toMatch(/not marked trusted/);
    const trusted = await connect({ trusted: true });
    expect(trusted.tools.find((t) => t.name === 'testsrv__touch')!.risk({ path: '/tmp/x', text: 'x' }, ctx)).toEqual([]);
    // The server checks its input: a bad one is refused by the schema before it is sent.
    expect(byName.get('testsrv__echo')!.input.safeParse({ text: 3 }).success).toBe(false);
  }, 60_000);

  it('a server that will not start is a clear McpServerError with its own words', async () => {
    const err = await connectMcpServer(config({ env: { FIXTURE_FAIL_START: '1' } }), { baseEnv }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpServerError);
    expect((err as Error).message).toMatch(/"Test server" did not start: .*refusing to start/);
  }, 60_000);

  it('the agent calls testsrv__echo through the mock; the result reaches the next request; a crash is reported and the run goes on', async () => {
    // Trusted, so the crash call runs without an operator (approvals are covered above by risk()).
    const s = await connect({ trusted: true });
    mock.setTrajectory([
      { thought: 'Ask the test server.', actions: [{ type: 'tool', name: 'testsrv__echo', input: { text: 'hello mcp' } }] },
      { thought: 'Crash it.', actions: [{ type: 'tool', name: 'testsrv__crash', input: {} }] },
      { thought: 'Again, after the crash.', actions: [{ type: 'tool', name: 'testsrv__echo', input: { text: 'still there?' } }] },
      { text: 'Finished without the server.' },
    ]);
    const { planner } = await createPlanner({ provider: 'openai-responses', baseURL: mock.url, apiKey: KEY, model: 'computer-use-preview' });
    const { run, closed } = await startRun({ kind: 'sandbox', launch: [] }, {
      store, planner, provider: 'openai-responses', task: 'use the test server', options: { approve: 'risky', maxSteps: 10 }, toolSettings: { extra: s.tools },
    });
    const result = await run.finished;
    await closed;
    expect(result.status).toBe('done');
    const outputs = toolOutputs();
    expect(outputs[0]).toContain('ECHO: HELLO MCP');
    expect(outputs[1]).toMatch(/MCP server "Test server" failed on crash/);
    expect(outputs[2]).toMatch(/cannot be used: the server stopped/);
    expect(ofType(store, run, 'tool_called').map((e) => e.name)).toContain('testsrv__echo');
  }, 120_000);
});
