// Issue 16 hole 4: with the serve token one could repoint a preset whose key comes from the
// environment and have testConnection send that key to any host. A real HTTP server records what
// reaches it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppService } from './app-service.ts';
import { CommandError } from './command-error.ts';
import { openTestService } from './test-service.ts';
import type { SettingsView } from '../contract.ts';

let service: AppService | undefined;
let server: Server;
let seen: IncomingHttpHeaders[];
let url: string;

beforeEach(async () => {
  seen = [];
  server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.setHeader('content-type', 'application/json');
    if (req.url?.endsWith('/models')) res.end(JSON.stringify({ object: 'list', data: [{ id: 'computer-use-preview', object: 'model' }] }));
    else res.writeHead(400).end(JSON.stringify({ error: { message: 'not served here' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterEach(async () => {
  await service?.close();
  service = undefined;
  await new Promise((r) => server.close(r));
});

const failure = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CommandError);
  return (err as CommandError).failure.error;
};
const openai = (baseURL: string) => ({ id: 'openai', preset: 'openai', label: 'OpenAI', adapter: 'openai-responses', baseURL, model: 'computer-use-preview' });
const provider = async (s: AppService) => ((await s.call('settings.get', {})) as SettingsView).providers[0]!;
const authorizations = () => seen.map((h) => h.authorization);

describe('API keys are bound to the address they were given for', () => {
  it('never sends the environment key to a repointed preset; a key entered for the new address works', async () => {
    service = await openTestService({ env: { OPENAI_API_KEY: 'sk-env-secret' } });
    expect(await provider(service)).toMatchObject({ hasKey: true, keyFromEnv: 'OPENAI_API_KEY' });

    await service.call('settings.update', { providers: [openai(url)] });
    const view = await provider(service);
    expect(view.hasKey).toBe(false);
    expect(view.keyFromEnv).toBeUndefined();
    expect(await failure(service.call('settings.testConnection', { providerId: 'openai' }))).toMatchObject({
      code: 'bad_input', message: expect.stringMatching(/OPENAI_API_KEY is only sent to https:\/\/api\.openai\.com.*enter the key again for the new address/),
    });
    expect(await failure(service.call('runs.start', { task: 'do it' }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/enter the key again/) });
    expect(seen).toEqual([]);

    expect(await service.call('settings.setKey', { providerId: 'openai', apiKey: 'sk-for-the-mock' })).toEqual({ hasKey: true });
    const result = (await service.call('settings.testConnection', { providerId: 'openai' })) as { results: { check: string; status: string }[] };
    expect(result.results[0]).toMatchObject({ check: 'reachable', status: 'ok' });
    expect(authorizations().length).toBeGreaterThan(0);
    expect(new Set(authorizations())).toEqual(new Set(['Bearer sk-for-the-mock']));

    // Back at the preset's own address, the environment key applies again (the stored one was dropped).
    await service.call('settings.update', { providers: [openai('https://api.openai.com/v1')] });
    expect(await provider(service)).toMatchObject({ hasKey: true, keyFromEnv: 'OPENAI_API_KEY' });
  });

  it('drops a stored key when its provider moves to another origin, keeps it for a new path on the same origin', async () => {
    service = await openTestService();
    await service.call('settings.update', { providers: [openai(url)] });
    await service.call('settings.setKey', { providerId: 'openai', apiKey: 'sk-stored' });
    await service.call('settings.update', { providers: [openai(`${url}/other`)] });
    expect((await provider(service)).hasKey).toBe(true);

    const elsewhere = url.replace('127.0.0.1', 'localhost');
    await service.call('settings.update', { providers: [openai(elsewhere)] });
    expect((await provider(service)).hasKey).toBe(false);
    expect(await failure(service.call('settings.testConnection', { providerId: 'openai' }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/needs an API key/) });
    // Moving back does not bring the key back: it was deleted, not hidden.
    await service.call('settings.update', { providers: [openai(url)] });
    expect((await provider(service)).hasKey).toBe(false);
    expect(seen).toEqual([]);
  });

  it('binds an environment key of a preset without a default address to the address the app started with', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dp-keys-'));
    mkdirSync(dataDir, { recursive: true });
    const azure = { id: 'azure', preset: 'azure-openai', label: 'Azure', adapter: 'openai-responses', baseURL: 'https://x.openai.azure.com/openai/v1', model: 'cu' };
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({
      version: 1, providers: [azure], activeProvider: 'azure', run: { approve: 'risky', maxSteps: 50, maxSeconds: 1800 },
      screenshotSize: 'auto', historyImages: 3, keepScreenshotsDays: 30, runOn: 'current', language: 'en',
    }));
    service = await openTestService({ dataDir, env: { AZURE_OPENAI_API_KEY: 'env-secret' } });
    expect(await provider(service)).toMatchObject({ hasKey: true, keyFromEnv: 'AZURE_OPENAI_API_KEY' });
    // A second Azure provider added later, pointing anywhere, does not get the key.
    await service.call('settings.update', { providers: [azure, { ...azure, id: 'azure-2', baseURL: url }] });
    const view = ((await service.call('settings.get', {})) as SettingsView).providers;
    expect(view.map((p) => [p.id, p.hasKey])).toEqual([['azure', true], ['azure-2', false]]);
    expect(await failure(service.call('settings.testConnection', { providerId: 'azure-2' }))).toMatchObject({ message: expect.stringMatching(/enter the key again for the new address/) });
    expect(seen).toEqual([]);
  });
});
