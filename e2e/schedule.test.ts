// A scheduled automation in the app: the scheduler inside AppService fires it on its cron schedule,
// the replay types into a real xterm on a virtual display, and the result reaches the inbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppService } from '../agents/app/app-service.ts';
import { MemorySecrets } from '../agents/app/secrets.ts';
import { AUTOMATION_FORMAT } from '../agents/automations/automation.ts';
import { AutomationStore } from '../agents/automations/automation-store.ts';
import { ScheduleStore } from '../agents/automations/schedule-store.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { openXterm, waitForFile } from './support/apps.ts';

let display: VirtualDisplay;
let service: AppService;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-schedule-'));
  display = await startDisplay({ size: { width: 1024, height: 768 } });
  await openXterm(display, 'schedule-xterm');
  service = await AppService.open({ dataDir, transport: 'http', secrets: new MemorySecrets(), display: display.display, env: {} });
});

afterAll(async () => {
  await service?.close();
  await display?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('fires a scheduled automation in the app and puts its result in the inbox', async () => {
  const automations = new AutomationStore(service.store.db, join(dataDir, 'automations'));
  automations.save({
    format: AUTOMATION_FORMAT, name: 'stamp file', params: [], allowHealing: false,
    steps: [{ id: 's1', intent: 'write the stamp file from the terminal', action: { type: 'type', text: 'echo scheduled-$((6*7)) > ~/stamp.txt\n' } }],
  });
  const schedules = new ScheduleStore(service.store.db);
  // Written the way the CLI writes it; the running app picks it up on its next poll.
  schedules.set('stamp file', '* * * * * *', { target: 'display' });

  await expect.poll(() => schedules.inbox().length, { timeout: 20_000, interval: 200 }).toBeGreaterThan(0);
  schedules.remove('stamp file');
  const item = schedules.inbox().at(-1); // the first firing
  expect(item).toMatchObject({ automation: 'stamp file', status: 'succeeded', trigger: 'schedule' });
  expect(await waitForFile(join(display.env.HOME!, 'stamp.txt'))).toBe('scheduled-42\n');
  const run = service.store.getRun(item!.runId!)!;
  expect(run).toMatchObject({ provider: 'automation', status: 'done' });
  expect(run.model).toMatch(/^stamp file@v1$/);
});
