// automations.createPrompt and automations.runRows on a real AppService (real SQLite, real files):
// an agent task takes the Settings' active provider and no provider fields from the caller; rows
// sent from the page are checked before anything is written or started.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTOMATION_FORMAT } from '../automations/automation.ts';
import { commands } from '../contract.ts';
import type { AppService } from './app-service.ts';
import { CommandError } from './command-error.ts';
import { safeCsvName } from './row-batches.ts';
import { openTestService } from './test-service.ts';

let service: AppService;
afterEach(async () => service?.close());

const failure = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CommandError);
  return (err as CommandError).failure.error;
};
const task = { name: 'daily check', task: 'Count the new invoices', tools: false, skills: true, target: 'sandbox' as const, maxSeconds: 600 };
const provider = { id: 'mine', preset: 'custom', label: 'Mine', adapter: 'openai-chat' as const, baseURL: 'http://127.0.0.1:9/v1', model: 'm' };

describe('agent tasks made in the app', () => {
  it("saves a prompt automation with the Settings' active provider, by id only", async () => {
    service = await openTestService();
    await service.call('settings.update', { providers: [], activeProvider: 'gone' });
    expect(await failure(service.call('automations.createPrompt', task))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/no model provider/) });
    await service.call('settings.update', { providers: [provider], activeProvider: 'mine' });
    const saved = commands['automations.createPrompt'].output.parse(await service.call('automations.createPrompt', task));
    expect(saved.prompt).toEqual({ task: 'Count the new invoices', provider: { id: 'mine' }, tools: false, skills: true, target: 'sandbox', maxSeconds: 600 });
    const dataDir = ((await service.call('app.info', {})) as { dataDir: string }).dataDir;
    expect(JSON.parse(readFileSync(join(dataDir, 'automations', 'daily check.json'), 'utf8')).prompt.provider).toEqual({ id: 'mine' });
    expect(await failure(service.call('automations.createPrompt', task))).toMatchObject({ code: 'conflict' });
    // "This screen" needs one: a service without a display says so in words.
    expect(await failure(service.call('automations.createPrompt', { ...task, name: 'here', target: 'current' }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/no screen/) });
  });

  it('refuses provider fields from the caller: the key variable and address stay in the Settings', async () => {
    service = await openTestService();
    for (const extra of [{ baseURL: 'http://evil.example/v1' }, { apiKeyEnv: 'OPENAI_API_KEY' }, { provider: { id: 'openai' } }]) {
      expect(await failure(service.call('automations.createPrompt', { ...task, ...extra }))).toMatchObject({ code: 'bad_input' });
    }
  });

  it('checks rows sent from the page before starting anything', async () => {
    service = await openTestService();
    await service.call('automations.save', {
      automation: { format: AUTOMATION_FORMAT, name: 'add row', params: [{ name: 'name' }], steps: [{ id: 's1', intent: 'type', action: { type: 'type', text: '{{name}}\n' } }] },
    });
    const rows = (csv: string, name = 'add row') => service.call('automations.runRows', { name, fileName: 'people.csv', csv, target: 'sandbox' });
    expect(await failure(rows('other\nx\n'))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/no column is named like a parameter/) });
    expect(await failure(rows('name\n'))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/no rows/) });
    expect(await failure(rows('name\n"open\n'))).toMatchObject({ code: 'bad_input' });
    expect(await failure(rows('name\nx\n', 'nope'))).toMatchObject({ code: 'not_found' });
    expect(await failure(rows(`name\n${'x'.repeat(600 * 1024)}\n`))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/512 KB/) });
    expect(await failure(service.call('automations.rowBatch', { batchId: 'none' }))).toMatchObject({ code: 'not_found' });
  });

  it('keeps an uploaded file name inside its folder', () => {
    expect(safeCsvName('../../etc/passwd')).toBe('etc_passwd.csv');
    expect(safeCsvName('Invoices March.CSV')).toBe('Invoices_March.csv');
    expect(safeCsvName('...')).toBe('rows.csv');
  });
});
