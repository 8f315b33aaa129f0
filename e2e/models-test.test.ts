// deskpilot models test: each failing step is named plainly, against a real HTTP server.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { runDeskpilot } from './support/cli.ts';

const KEY = 'sk-models-test-0123456789';

const cli = (args: string[]) => runDeskpilot(['models', 'test', ...args], { OPENAI_API_KEY: '' });

describe('deskpilot models test', () => {
  const mocks: MockOpenAI[] = [];
  const mock = async (opts: Parameters<typeof startMockOpenAI>[0]) => {
    const m = await startMockOpenAI({ apiKey: KEY, ...opts });
    // The vision and tools probes are answered from the trajectory like any request.
    m.setTrajectory([{ text: 'OK' }, { text: 'OK' }]);
    mocks.push(m);
    return m;
  };
  afterAll(async () => {
    await Promise.all(mocks.map((m) => m.close()));
  });

  it('passes every check on a working tool-calling vision endpoint', async () => {
    const m = await mock({ models: ['qwen2.5-vl'] });
    const r = await cli(['--provider', 'vllm', '--base-url', m.url, '--model', 'qwen2.5-vl', '--api-key', KEY]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const check of ['reachable', 'key accepted', 'model present', 'vision accepted', 'tools accepted']) expect(r.stdout).toMatch(new RegExp(`ok +${check}`));
    expect(r.stdout).toContain('The endpoint works with Deskpilot.');
    expect(r.stdout).not.toContain(KEY);
  });

  it('names the failing step: unreachable, key refused, model missing, no vision, no tools', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const unreachable = await cli(['--provider', 'custom', '--base-url', `http://127.0.0.1:${port}/v1`, '--model', 'm', '--api-key', KEY]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(/reachable failed: .*cannot connect.*ECONNREFUSED/);

    const m = await mock({ models: ['qwen2.5-vl'] });
    const badKey = await cli(['--provider', 'vllm', '--base-url', m.url, '--model', 'qwen2.5-vl', '--api-key', 'wrong']);
    expect(badKey.code).toBe(1);
    expect(badKey.stdout).toMatch(/key accepted failed: the API key was refused \(HTTP 401/);

    const missing = await cli(['--provider', 'vllm', '--base-url', m.url, '--model', 'llava', '--api-key', KEY]);
    expect(missing.stdout).toMatch(/model present failed: llava is not among the 1 models served \(e\.g\. qwen2\.5-vl\)/);

    const blind = await mock({ models: ['text-only'], maxImagesPerRequest: 0 });
    const noVision = await cli(['--provider', 'vllm', '--base-url', blind.url, '--model', 'text-only', '--api-key', KEY]);
    expect(noVision.stdout).toMatch(/vision accepted failed: a message with an image failed: HTTP 400/);
    expect(noVision.stdout).toMatch(/skipped +tools accepted/);

    const toolless = await mock({ models: ['qwen2.5-vl'], rejectTools: true });
    const noTools = await cli(['--provider', 'vllm', '--base-url', toolless.url, '--model', 'qwen2.5-vl', '--api-key', KEY]);
    expect(noTools.code).toBe(1);
    expect(noTools.stdout).toMatch(/ok +vision accepted/);
    expect(noTools.stdout).toMatch(/tools accepted failed: .*HTTP 400.*--enable-auto-tool-choice/);
  });

  it('checks without a model list, and needs no tools for UI-TARS', async () => {
    const m = await mock({});
    const r = await cli(['--provider', 'ui-tars', '--base-url', m.url, '--api-key', KEY]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/skipped +model present: no model list/);
    expect(r.stdout).toMatch(/ok +vision accepted/);
    expect(r.stdout).toMatch(/skipped +tools accepted: the ui-tars adapter needs no tools/);
  });

  it('refuses an unknown provider or missing settings with usage errors', async () => {
    expect((await cli(['--provider', 'nope'])).code).toBe(2);
    const azure = await cli(['--provider', 'azure-openai', '--api-key', KEY]);
    expect(azure.code).toBe(2);
    expect(azure.stderr).toContain('needs --base-url');
  });
});
