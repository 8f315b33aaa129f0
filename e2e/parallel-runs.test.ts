// Many runs at once through the app's engine (AppService + RunHost): each on its own sandbox
// display, each against its own mock OpenAI server over HTTP, each typing into its own xterm.
// Effects are checked in the files the xterms' shells wrote; the queue in the store's rows and log.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppService } from '../agents/app/app-service.ts';
import { openTestService } from '../agents/app/test-service.ts';
import type { Run, RunEvent } from '../agents/contract.ts';
import type { StoredEvent } from '../agents/store/types.ts';
import { until } from './support/agent-harness.ts';
import { runDeskpilot } from './support/cli.ts';
import { sandboxesHidden } from '../agents/tools/sandbox-jail.ts';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockOpenAI, type MockTurn } from './mock-openai/server.ts';

const KEY = 'sk-test-parallel-0123456789';
const N = 3;
let mocks: MockOpenAI[] = [];
let service: AppService;
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'deskpilot-parallel-'));
  mocks = await Promise.all(Array.from({ length: N }, () => startMockOpenAI({ apiKey: KEY })));
  service = await openTestService();
  await service.call('settings.update', {
    providers: mocks.map((m, i) => ({ id: `mock-${i}`, preset: 'custom', label: `Mock ${i}`, adapter: 'openai-responses', baseURL: m.url, model: 'computer-use-preview' })),
    activeProvider: 'mock-0', runOn: 'sandbox', run: { approve: 'never', maxSteps: 30, maxSeconds: 300 },
  });
  for (let i = 0; i < N; i++) await service.call('settings.setKey', { providerId: `mock-${i}`, apiKey: KEY });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await Promise.all(mocks.map((m) => m.close()));
  rmSync(out, { recursive: true, force: true });
});

const file = (i: number, round: string) => join(out, `${round}-${i}.txt`);
/** Types into the xterm the sandbox opened (it has the focus), then says it is done. */
const writes = (i: number, round: string): MockTurn[] => [
  { actions: [{ type: 'type', text: `echo run-${i}-was-here > ${file(i, round)}\n` }], usage: { input_tokens: 1000, output_tokens: 20 } },
  { text: `run ${i} wrote its file` },
];
/** Busy work: pointer moves, each to a new spot (the same action on an unchanged screen would count as a loop). */
const moves = (n: number): MockTurn[] => Array.from({ length: n }, (_, k) => ({ actions: [{ type: 'move' as const, x: 20 + 10 * k, y: 700 }] }));
/** As `writes`, then keeps going, so the run is still busy when the test acts on it. */
const writesThenWaits = (i: number, round: string): MockTurn[] => [writes(i, round)[0]!, ...moves(25)];

const start = async (i: number) => (await service.call('runs.start', { task: `write file ${i}`, providerId: `mock-${i}` })) as Run;
const get = async (runId: string) => (await service.call('runs.get', { runId })) as Run;
const events = (runId: string) => service.store.readEvents(runId) as (StoredEvent & RunEvent)[];
const ended = (runId: string, ms = 90_000) =>
  until(`run ${runId} to end`, () => ['done', 'failed', 'aborted'].includes(service.store.getRun(runId)!.status), ms).catch((err: Error) => {
    throw new Error(`${err.message}; it is ${service.store.getRun(runId)!.status}, its log: ${events(runId).map((e) => e.type).join(' ')}`);
  });
const waitFile = (path: string) => until(`${path} to be written`, () => existsSync(path) && readFileSync(path, 'utf8').endsWith('\n'), 60_000);

describe('parallel runs, each in its own sandbox', () => {
  it('three at once type into their own xterms; one is aborted and the other two finish', async () => {
    await service.call('settings.update', { maxParallelRuns: 3 });
    mocks.forEach((m, i) => m.setTrajectory(i === 2 ? writesThenWaits(i, 'a') : writes(i, 'a')));
    mocks[2]!.setLatency(1000);
    const runs = await Promise.all([0, 1, 2].map(start));
    expect(runs.map((r) => r.status)).toEqual(['running', 'running', 'running']);
    expect(new Set(runs.map((r) => r.threadId)).size).toBe(3);

    await Promise.all([0, 1, 2].map((i) => waitFile(file(i, 'a'))));
    await service.call('runs.control', { runId: runs[2]!.id, action: 'abort' });
    for (const r of runs) await ended(r.id);

    // Each file holds only its own run's text: no keystroke went to another run's xterm.
    for (const i of [0, 1, 2]) expect(readFileSync(file(i, 'a'), 'utf8')).toBe(`run-${i}-was-here\n`);
    expect(await Promise.all(runs.map(async (r) => (await get(r.id)).status))).toEqual(['done', 'done', 'aborted']);
    // Three displays, one per run.
    const displays = runs.map((r) => events(r.id).find((e) => e.type === 'run_started'));
    expect(new Set(displays.map((e) => (e as { display: string }).display)).size).toBe(3);
    mocks[2]!.setLatency(0);
  }, 180_000);

  it('with a limit of 2 the third is queued (in the row, the log and the list) and starts when a slot frees', async () => {
    await service.call('settings.update', { maxParallelRuns: 2 });
    // The first two take a while (starting each sandbox takes seconds too), so the third certainly waits.
    const slow = (i: number): MockTurn[] => [writes(i, 'b')[0]!, ...moves(8), writes(i, 'b')[1]!];
    mocks.forEach((m, i) => m.setTrajectory(i < 2 ? slow(i) : writes(i, 'b')));
    mocks[0]!.setLatency(1000);
    mocks[1]!.setLatency(1000);
    const runs = [];
    for (const i of [0, 1, 2]) runs.push(await start(i));
    expect(runs.map((r) => r.status)).toEqual(['running', 'running', 'queued']);
    const queued = runs[2]!;
    expect(((await service.call('runs.list', {})) as Run[]).find((r) => r.id === queued.id)?.status).toBe('queued');
    expect(events(queued.id).map((e) => e.type)).toEqual(['run_status']);
    // Steering a queued run is refused in plain words.
    await expect(service.call('runs.control', { runId: queued.id, action: 'pause' })).rejects.toMatchObject({ failure: { error: { code: 'conflict', message: expect.stringMatching(/queued/) } } });

    for (const r of runs) await ended(r.id);
    for (const i of [0, 1, 2]) expect(readFileSync(file(i, 'b'), 'utf8')).toBe(`run-${i}-was-here\n`);
    const rows = await Promise.all(runs.map((r) => get(r.id)));
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    // It started only after one of the first two had ended, and said so in its log.
    const firstEnd = Math.min(rows[0]!.endedAt!, rows[1]!.endedAt!);
    const startedAt = events(queued.id).find((e) => e.type === 'run_started')!.at;
    expect(startedAt).toBeGreaterThanOrEqual(firstEnd);
    expect(events(queued.id).filter((e) => e.type === 'run_status').map((e) => (e as { status: string }).status).slice(0, 2)).toEqual(['queued', 'running']);
    mocks[0]!.setLatency(0);
    mocks[1]!.setLatency(0);
  }, 180_000);

  it('a queued run aborted before it starts never starts: no sandbox, no model request', async () => {
    await service.call('settings.update', { maxParallelRuns: 1 });
    mocks[0]!.setTrajectory(writes(0, 'c'));
    mocks[1]!.setTrajectory(writes(1, 'c'));
    mocks[0]!.setLatency(1000);
    const before = mocks[1]!.requests.length;
    const first = await start(0);
    const second = await start(1);
    expect(second.status).toBe('queued');
    await service.call('runs.control', { runId: second.id, action: 'abort' });
    expect(await get(second.id)).toMatchObject({ status: 'aborted', error: expect.stringMatching(/before it started/) });
    expect(events(second.id).map((e) => e.type)).toEqual(['run_status', 'run_aborted']);
    await ended(first.id);
    expect((await get(first.id)).status).toBe('done');
    expect(mocks[1]!.requests.length).toBe(before);
    expect(existsSync(file(1, 'c'))).toBe(false);
    mocks[0]!.setLatency(0);
  }, 120_000);

  it.runIf(sandboxesHidden())("a run's shell cannot read another sandbox's HOME: the marker stays unread", async () => {
    await service.call('settings.update', { maxParallelRuns: 3 });
    mocks[0]!.setTrajectory([{ actions: [{ type: 'tool', name: 'shell', input: { command: 'echo secret-of-a > ~/marker.txt && echo "home=$HOME"' } }] }, ...moves(25)]);
    mocks[0]!.setLatency(800);
    const a = await start(0);
    await until('run A to have written its marker', () => events(a.id).some((e) => e.type === 'tool_finished'), 60_000);
    const finished = events(a.id).find((e) => e.type === 'tool_finished') as { output: string };
    const homeA = /home=(\S+)/.exec(finished.output)![1]!;
    expect(readFileSync(join(homeA, 'marker.txt'), 'utf8')).toBe('secret-of-a\n'); // it is there, for anyone outside the sandboxes

    mocks[1]!.setTrajectory([
      { actions: [{ type: 'tool', name: 'shell', input: { command: `cat ${homeA}/marker.txt; ls -A ${dirname(homeA)}; echo own=$(cat ~/own.txt 2>&1)` } }] },
      { text: 'tried' },
    ]);
    const b = await start(1);
    await ended(b.id);
    const seen = events(b.id).find((e) => e.type === 'tool_finished') as { output: string };
    expect(seen.output).not.toContain('secret-of-a');
    expect(seen.output).toMatch(/marker\.txt: (No such file|Permission denied)/);
    await service.call('runs.control', { runId: a.id, action: 'abort' });
    await ended(a.id);
    mocks[0]!.setLatency(0);
  }, 120_000);
});

describe('deskpilot tasks run --parallel', () => {
  it('runs OSWorld-format tasks N at a time and prints the same table, in file order', async () => {
    const tasks = ['xterm-write-file', 'xterm-count-lines', 'xterm-sort-names'];
    const db = join(out, 'tasks.db');
    const args = ['tasks', 'run', ...tasks.map((t) => join('e2e', 'tasks', `${t}.json`)), '--parallel', '3', '--db', db];
    const { code, stdout, stderr } = await runDeskpilot(args);
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^TASK\s+SCORE\s+STEPS\s+TIME\s+TOKENS\s+STATUS\s+RUN$/);
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/)[0])).toEqual(tasks);
    expect(lines.find((l) => l.startsWith('TOTAL'))).toMatch(/^TOTAL\s+3\/3\s/);
    // All three were taken up before any had ended (each set-up and run takes seconds).
    const progress = stderr.split('\n').filter((l) => /^\[/.test(l));
    const firstDone = progress.findIndex((l) => l.includes('done, '));
    expect(firstDone).toBeGreaterThan(0);
    expect(progress.slice(0, firstDone).filter((l) => l.endsWith(' ...'))).toHaveLength(3);
    const check = Store.open(db);
    try {
      expect(check.listRuns({}).map((r) => r.status)).toEqual(['done', 'done', 'done']);
    } finally {
      check.close();
    }
  }, 180_000);
});
