// Disk full during a run (issue 16, hole 12), on a real tmpfs of 4 MB holding the database and the
// screenshots: the run ends failed at once, saying which folder's disk is full, and its row says so
// (it is not left active until the next start). Needs root to mount; skipped with a reason otherwise.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { OpenAIResponsesPlanner } from '../agents/models/openai-responses.ts';
import { AgentRun } from '../agents/run/agent-run.ts';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { openXterm } from './support/apps.ts';
import { onEvents, sleep } from './support/agent-harness.ts';

const API_KEY = 'sk-test-disk-full';
const mountable = process.getuid?.() === 0;
let display: VirtualDisplay;
let driver: NutDriver;
let mock: MockOpenAI;
let dir: string;
let mounted = false;

beforeAll(async () => {
  if (!mountable) return;
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]);
  mounted = true;
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: API_KEY })]);
  driver = await NutDriver.start({ display: display.display, env: display.env });
  // Random text fills the terminal, so each screenshot is a large PNG that cannot fit in the reserve left below.
  await openXterm(display, 'noise');
  await driver.perform({ type: 'type', text: 'head -c 3000 /dev/urandom | base64 -w 120\n' });
  await sleep(500);
});

afterAll(async () => {
  await driver?.close();
  await mock?.close();
  await display?.stop();
  if (mounted) execFileSync('umount', ['-l', dir]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes a file until only `reserve` bytes of the filesystem are left. */
function fill(path: string, reserve: number): void {
  const fd = openSync(path, 'w');
  try {
    const chunk = Buffer.alloc(64 * 1024, 7);
    for (;;) {
      const { bavail, bsize } = statfsSync(dir);
      const left = bavail * bsize - reserve;
      if (left <= 0) break;
      writeSync(fd, chunk, 0, Math.min(chunk.length, left));
    }
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!mountable)('a disk that fills during a run (tmpfs)', () => {
  it('ends the run failed, naming the full folder, and records it in the row', async () => {
    const dbDir = join(dir, 'data');
    mkdirSync(dbDir);
    const store = Store.open(join(dbDir, 'deskpilot.db'));
    mock.setTrajectory(Array.from({ length: 20 }, () => ({ actions: [{ type: 'wait' as const }] })));
    const planner = new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: API_KEY, timeoutMs: 10_000, maxRetries: 1 });
    const run = AgentRun.start({ store, driver, planner }, { task: 'wait a while', provider: planner.name, model: planner.model, options: { approve: 'never', maxSteps: 20 } });
    // After the first action, the disk fills but for 64 KB: room for a few rows, not for a screenshot.
    let filled = false;
    onEvents(store, run, (e) => {
      if (e.type === 'action_performed' && !filled) {
        filled = true;
        fill(join(dir, 'filler'), 64 * 1024);
      }
    });
    const result = await run.finished;
    expect(filled).toBe(true);
    expect(result.status).toBe('failed');
    // The log (SQLITE_FULL) or the screenshot (ENOSPC), whichever needs room first: both live in dbDir.
    expect(result.reason).toMatch(new RegExp(`^the disk holding ${dbDir.replace(/[/.]/g, '\\$&')}(/blobs)? is full: free some space$`));
    expect(result.steps).toBeLessThan(20); // stopped by the disk, not the step limit
    // Recorded now, not at the next start: the row and the final event say why.
    const row = store.getRun(run.id)!;
    expect(row.status).toBe('failed');
    expect(row.error).toBe(result.reason);
    expect(store.readEvents(run.id).at(-1)).toMatchObject({ type: 'run_failed', reason: result.reason });
    store.close();
  });
});
