// MCP servers from the settings, through the app's own commands: Test lists a server's tools or says
// why it will not start, and a run started from the app gets the enabled servers' tools (called
// through the mock OpenAI server on a sandbox), while a broken one is reported and left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppService } from '../agents/app/app-service.ts';
import { openTestService } from '../agents/app/test-service.ts';
import type { RunEvent } from '../agents/run/events.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';

const KEY = 'sk-test-mcp-settings-0123456789';
const RUNNER = new URL('./mcp-fixtures/run.js', import.meta.url).pathname;
let mock: MockOpenAI;
let service: AppService;

beforeAll(async () => {
  mock = await startMockOpenAI({ apiKey: KEY });
  service = await openTestService({ env: { PATH: process.env['PATH'], ECHO_PREFIX: 'from-env' } });
  await service.call('settings.update', {
    providers: [{ id: 'mock', preset: 'custom', label: 'Mock', adapter: 'openai-responses', baseURL: mock.url, model: 'computer-use-preview' }],
    activeProvider: 'mock',
    runOn: 'sandbox',
    run: { approve: 'never', maxSteps: 10, maxSeconds: 120 },
    mcpServers: [
      { id: 'testsrv', name: 'Test server', command: process.execPath, args: [RUNNER, 'echo-server.ts'], env: { UNUSED: '${ECHO_PREFIX}' }, enabled: true, trusted: false },
      { id: 'broken', name: 'Broken server', command: '/nonexistent/mcp-server', enabled: true, trusted: false },
      { id: 'off', name: 'Turned off', command: '/nonexistent/other', enabled: false, trusted: false },
    ],
  });
  await service.call('settings.setKey', { providerId: 'mock', apiKey: KEY });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await mock?.close();
});

describe('MCP servers in the settings', () => {
  it('Test lists a server\'s tools, and says plainly why another will not start', async () => {
    const listed = (await service.call('mcp.test', { id: 'testsrv' })) as { tools: { name: string; readOnly: boolean }[] };
    expect(listed.tools.map((t) => t.name).sort()).toEqual(['crash', 'echo', 'touch']);
    expect(listed.tools.find((t) => t.name === 'echo')?.readOnly).toBe(true);
    await expect(service.call('mcp.test', { id: 'broken' })).rejects.toMatchObject({ code: 'failed', message: expect.stringMatching(/^MCP server "Broken server" did not start/) });
    await expect(service.call('mcp.test', { id: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  }, 60_000);

  it('a run from the app calls an enabled server\'s tool; the broken one is reported and the run goes on', async () => {
    mock.setTrajectory([{ actions: [{ type: 'tool', name: 'testsrv__echo', input: { text: 'hello mcp' } }] }, { text: 'echoed' }]);
    const run = (await service.call('runs.start', { task: 'echo through MCP' })) as { id: string };
    const deadline = Date.now() + 60_000;
    let status = '';
    while (Date.now() < deadline) {
      status = ((await service.call('runs.get', { runId: run.id })) as { status: string }).status;
      if (['done', 'failed', 'aborted'].includes(status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('done');
    const { events } = (await service.call('runs.events', { runId: run.id })) as { events: (RunEvent & { seq: number })[] };
    const started = events.find((e) => e.type === 'run_started');
    expect(started?.type === 'run_started' && started.tools).toEqual(expect.arrayContaining(['shell', 'testsrv__echo', 'testsrv__touch']));
    expect(events.filter((e) => e.type === 'mcp_server_failed')).toEqual([expect.objectContaining({ server: 'Broken server', message: expect.stringMatching(/did not start/) })]);
    const finished = events.find((e) => e.type === 'tool_finished');
    expect(finished).toMatchObject({ isError: false, output: 'ECHO: HELLO MCP' });
    // The server's answer reached the model's next request.
    const outputs = mock.requests.flatMap((r) => ((r.body as { input?: Record<string, unknown>[] }).input ?? []).filter((i) => i['type'] === 'function_call_output').map((i) => String(i['output'])));
    expect(outputs.join('\n')).toContain('ECHO: HELLO MCP');
  }, 90_000);
});
