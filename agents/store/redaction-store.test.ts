// A key an endpoint echoes back (an error body with the Authorization header) must not be stored,
// nor reach the next run's request through the thread summary. Real SQLite, the real agent loop.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DesktopActionInput } from '../desktop/actions.ts';
import type { DesktopDriver, Screenshot } from '../desktop/driver.ts';
import type { Size } from '../desktop/geometry.ts';
import { ModelError, type Planner, type PlannerContext, type PlannerStep } from '../models/planner.ts';
import { AgentRun } from '../run/agent-run.ts';
import type { Store } from './store.ts';
import { useTempStore } from './testdata/temp-store.ts';

const SIZE: Size = { width: 64, height: 40 };
const SHAPED_KEY = 'sk-proj-Qw3rTy7uIoP1aSdF9gHjK2lZxC5vBnM8';
const PLAIN_KEY = 'localserverkey-abcdefgh'; // not key-shaped: only registering it can catch it
const ECHO = `401 Unauthorized: {"error":"bad key","request":{"headers":{"Authorization":"Bearer ${SHAPED_KEY}","X-Other":"${PLAIN_KEY}"}}}`;
let frame: Buffer;

beforeAll(async () => {
  frame = await sharp({ create: { ...SIZE, channels: 3, background: '#336699' } }).png().toBuffer();
});

class StillDriver implements DesktopDriver {
  readonly display = ':fake';
  async screenSize(): Promise<Size> {
    return SIZE;
  }
  async capture(): Promise<Screenshot> {
    return { data: frame, format: 'png', screen: SIZE, image: SIZE, scaleX: 1, scaleY: 1, capturedAt: Date.now(), method: 'nut' };
  }
  async perform(_a: DesktopActionInput): Promise<void> {}
  async close(): Promise<void> {}
}

class Recording implements Planner {
  readonly name = 'recording';
  readonly contexts: PlannerContext[] = [];
  constructor(private readonly reply: () => PlannerStep) {}
  imageSizeFor(screen: Size): Size {
    return screen;
  }
  async next(ctx: PlannerContext): Promise<PlannerStep> {
    this.contexts.push(ctx);
    return this.reply();
  }
}

const tmp = useTempStore();

/** Every text column and event the database file holds, as one string. */
function everythingStored(store: Store): string {
  const rows = [
    ...store.db.prepare('SELECT data FROM events').all(),
    ...store.db.prepare('SELECT task, answer, error, summary FROM runs').all(),
    ...store.db.prepare('SELECT title, summary FROM threads').all(),
  ];
  return JSON.stringify(rows);
}

describe('redaction in the store', () => {
  it('stores an echoed key in no event, run or thread, and the next run never sees it', async () => {
    const store = tmp.open();
    store.redactor.addSecret(PLAIN_KEY);
    const failing = new Recording(() => {
      throw new ModelError(ECHO, 'api');
    });
    const first = AgentRun.start({ store, driver: new StillDriver(), planner: failing }, { task: 'Check the invoices', provider: 'test', options: { approve: 'never' } });
    const result = await first.finished;
    expect(result.status).toBe('failed');

    const stored = everythingStored(store);
    expect(stored).toContain('Bearer [redacted]'); // the error was stored, without its key
    expect(stored).not.toContain(SHAPED_KEY);
    expect(stored).not.toContain(PLAIN_KEY);
    expect(store.getRun(first.id)!.error).not.toContain(SHAPED_KEY);
    expect(store.getThread(first.threadId)!.summary).toContain('[redacted]');

    // The next run in the thread (say, another provider) gets the summary: without the key.
    const next = new Recording(() => ({ actions: [{ action: { type: 'done', answer: 'ok' } }] }));
    const second = AgentRun.start({ store, driver: new StillDriver(), planner: next }, { task: 'Again', provider: 'other', threadId: first.threadId, options: { approve: 'never' } });
    expect((await second.finished).status).toBe('done');
    const summary = next.contexts[0]!.threadSummary ?? '';
    expect(summary).toContain('Check the invoices');
    expect(summary).not.toContain(SHAPED_KEY);
    expect(summary).not.toContain(PLAIN_KEY);
  });

  it('redacts events deep, run outcomes, summaries, tasks and titles; listeners get the redacted event', () => {
    const store = tmp.open({ secrets: [PLAIN_KEY] });
    const heard: unknown[] = [];
    store.subscribe((e) => heard.push(e));
    const thread = store.createThread(`about ${PLAIN_KEY}`);
    const run = store.createRun({ threadId: thread.id, task: `use Authorization: Bearer ${SHAPED_KEY}`, provider: 'test' });
    const e = store.append(run.id, { type: 'model_error', message: ECHO, nested: { list: [{ raw: `x ${PLAIN_KEY} y` }] } });
    store.setRunStatus(run.id, 'failed', { error: ECHO, answer: PLAIN_KEY, summary: `task -> failed (${ECHO})` });
    store.setThreadSummary(thread.id, `one\n${ECHO}`);
    store.renameThread(thread.id, `renamed ${SHAPED_KEY}`);

    const stored = everythingStored(store);
    expect(stored).not.toContain(SHAPED_KEY);
    expect(stored).not.toContain(PLAIN_KEY);
    expect(JSON.stringify([e, heard, store.readEvents(run.id), store.listRuns(), store.listThreads()])).not.toMatch(/sk-proj|localserverkey/);
    expect(store.readEvents(run.id)[0]).toMatchObject({ nested: { list: [{ raw: 'x [redacted] y' }] } });
    expect(store.getRun(run.id)).toMatchObject({ answer: '[redacted]', task: 'use Authorization: Bearer [redacted]' });
  });
});
