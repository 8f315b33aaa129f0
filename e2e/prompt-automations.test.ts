// Prompt automations in the app: the agent does the automation's task on a fresh sandbox through the
// real `openai` SDK and the mock server, fired by the scheduler or run now; its answer reaches the
// inbox with a link to the run, and a run with nothing to report is archived by itself.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppService } from '../agents/app/app-service.ts';
import { MemorySecrets } from '../agents/app/secrets.ts';
import { AUTOMATION_FORMAT } from '../agents/automations/automation.ts';
import { AutomationStore } from '../agents/automations/automation-store.ts';
import { ScheduleStore } from '../agents/automations/schedule-store.ts';
import type { Run } from '../agents/contract.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { runDeskpilot } from './support/cli.ts';

const KEY = 'sk-test-prompt-automation-0123';
const KEY_VAR = 'DP_TEST_PROMPT_KEY';
let mock: MockOpenAI;
let service: AppService;
let dataDir: string;
let automations: AutomationStore;
let schedules: ScheduleStore;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-prompt-automations-'));
  mock = await startMockOpenAI({ apiKey: KEY });
  process.env[KEY_VAR] = KEY;
  service = await AppService.open({ dataDir, transport: 'http', secrets: new MemorySecrets(), env: {} });
  automations = new AutomationStore(service.store.db, join(dataDir, 'automations'));
  schedules = new ScheduleStore(service.store.db);
});

afterAll(async () => {
  delete process.env[KEY_VAR];
  await service?.close();
  await mock?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Saved the way `deskpilot automations create --prompt` saves it: the key's variable, never the key. */
function savePrompt(name: string, task: string) {
  return automations.save({
    format: AUTOMATION_FORMAT, name, params: [], allowHealing: false,
    prompt: { task, provider: { id: 'openai', adapter: 'openai-responses', baseURL: mock.url, model: 'computer-use-preview', apiKeyEnv: KEY_VAR }, tools: false, skills: false, target: 'sandbox' },
  });
}

describe('prompt automations', () => {
  it('fires on its schedule, runs the agent on a sandbox, and puts the answer in the inbox', async () => {
    const saved = savePrompt('invoice check', 'Count the new invoices');
    expect(JSON.stringify(saved)).not.toContain(KEY);
    // Every second: a second fire can start before the removal below lands, so each fire gets the same reply.
    mock.setTrajectory(Array.from({ length: 10 }, () => ({ text: 'Found 3 new invoices.' })));
    const requests = mock.requests.length;
    schedules.set('invoice check', '* * * * * *', { target: 'sandbox' });
    await expect.poll(() => schedules.inbox().length, { timeout: 30_000, interval: 200 }).toBeGreaterThan(0);
    schedules.remove('invoice check');
    // A second fire may have started before the removal: let it end before the next test's trajectory.
    await expect.poll(() => service.automationRunning('invoice check'), { timeout: 30_000, interval: 100 }).toBe(false);
    const fired = schedules.inbox();
    expect(fired.length).toBeLessThanOrEqual(2);
    const item = fired.at(-1)!;
    expect(item).toMatchObject({ automation: 'invoice check', status: 'succeeded', trigger: 'schedule', answer: 'Found 3 new invoices.', summary: 'Found 3 new invoices.', archivedAt: null, readAt: null });
    const run = service.store.getRun(item.runId!)!;
    expect(run).toMatchObject({ status: 'done', provider: 'openai' });
    expect(run.task).toContain('Count the new invoices');
    // Its thread is titled by the prompt, without the line appended for the model.
    expect(service.store.getThread(run.threadId)?.title).toBe('Count the new invoices');
    // The model was asked, with the key from the variable.
    const asked = mock.requests.slice(requests)[0]!;
    expect(asked.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(asked.body)).toContain('answer exactly \\"NOTHING\\"');

    // Read, unread filter, archive through the contract.
    expect(await service.call('inbox.list', { filter: 'unread' })).toHaveLength(fired.length);
    await service.call('inbox.mark', { id: item.id, read: true });
    expect(await service.call('inbox.list', { filter: 'unread' })).toHaveLength(fired.length - 1);
    expect(await service.call('inbox.list', { filter: 'all' })).toHaveLength(fired.length);
    expect(fired.every((i) => i.status === 'succeeded')).toBe(true);

    // Its page's history lists its runs (agent runs, not replays) with their status; each links to its thread and run.
    const history = (await service.call('automations.history', { name: 'invoice check' })) as Run[];
    expect(history.map((r) => [r.id, r.status])).toEqual(fired.map((i) => [i.runId, 'done']));
    expect(history.at(-1)!.threadId).toBe(run.threadId);
  });

  it('run now with nothing to report: the result is archived by itself', async () => {
    savePrompt('quiet check', 'Look for errors in the logs');
    mock.setTrajectory([{ text: 'NOTHING' }]);
    const run = (await service.call('automations.run', { name: 'quiet check' })) as Run;
    // In its history from the start, before the inbox records it.
    const history = async () => ((await service.call('automations.history', { name: 'quiet check' })) as Run[]).map((r) => [r.id, r.threadId]);
    expect(await history()).toEqual([[run.id, run.threadId]]);
    // The first test's automation may fire again meanwhile (its schedule is still on): look for this one.
    const mine = () => schedules.inbox({ filter: 'archived' }).find((i) => i.automation === 'quiet check');
    await expect.poll(() => mine()?.runId, { timeout: 30_000, interval: 200 }).toBe(run.id);
    const item = mine()!;
    expect(item).toMatchObject({ automation: 'quiet check', runId: run.id, status: 'succeeded', answer: 'NOTHING', summary: 'nothing to report', trigger: 'manual' });
    expect(item.archivedAt).toEqual(expect.any(Number));
    expect(schedules.inbox().map((i) => i.automation)).not.toContain('quiet check');
    expect(schedules.inbox({ filter: 'attention' })).toEqual([]);
    // Archived (nothing to report), it stays in the history, ended.
    expect(await history()).toEqual([[run.id, run.threadId]]);
    expect(((await service.call('automations.history', { name: 'quiet check' })) as Run[])[0]!.status).toBe('done');
  });

  it('refuses, over the contract, a prompt whose key variable and address come from the caller', async () => {
    const prompt = { task: 'x', provider: { id: 'openai', baseURL: 'http://evil.example/v1', apiKeyEnv: 'OPENAI_API_KEY' }, tools: false, skills: false, target: 'sandbox' };
    await expect(service.call('automations.save', { automation: { format: AUTOMATION_FORMAT, name: 'steal', params: [], allowHealing: false, steps: [], prompt } as never })).rejects.toMatchObject({ code: 'bad_input' });
  });

  it('from the command line: create --prompt (the key variable, never the key), run, and the answer in inbox --json', async () => {
    const db = ['--db', join(dataDir, 'cli.db')];
    const created = await cli(['automations', 'create', '--name', 'cli check', '--prompt', 'Summarise the day', '--provider', 'openai', '--adapter', 'openai-responses',
      '--base-url', mock.url, '--model', 'computer-use-preview', '--api-key-env', KEY_VAR, '--sandbox', '--no-tools', ...db]);
    expect(created.code, created.stderr).toBe(0);
    const file = /file: (.+)$/m.exec(created.stdout)![1]!;
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`"apiKeyEnv": ?"${KEY_VAR}"`));
    expect(readFileSync(file, 'utf8')).not.toContain(KEY);
    mock.setTrajectory([{ text: 'Two meetings, one invoice.' }]);
    const ran = await cli(['automations', 'run', 'cli check', '--json', ...db]);
    expect(ran.code, ran.stderr).toBe(0);
    const inbox = await cli(['automations', 'inbox', '--json', ...db]);
    const items = inbox.stdout.trim().split('\n').map((l) => JSON.parse(l) as { automation: string; answer: string; runId: string; status: string });
    expect(items[0]).toMatchObject({ automation: 'cli check', answer: 'Two meetings, one invoice.', status: 'succeeded', runId: expect.any(String) });
    const refused = await cli(['automations', 'create', '--name', 'x', '--prompt', 'y', '--api-key', 'sk-1', ...db]);
    expect(refused.code).not.toBe(0);
  });
});

/** The CLI with the key in its variable. */
const cli = (args: string[]) => runDeskpilot(args, { DESKPILOT_HOME: join(dataDir, 'home'), [KEY_VAR]: KEY });
