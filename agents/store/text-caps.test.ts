// A huge model answer must not become a huge row in every list and the next run's request.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DesktopDriver, Screenshot } from '../desktop/driver.ts';
import type { Size } from '../desktop/geometry.ts';
import type { Planner, PlannerContext, PlannerStep } from '../models/planner.ts';
import { AgentRun } from '../run/agent-run.ts';
import { capSummary, capText, EVENT_STRING_MAX, RUN_TEXT_MAX, SUMMARY_MAX } from './text-caps.ts';
import { useTempStore } from './testdata/temp-store.ts';

const SIZE: Size = { width: 64, height: 40 };

class StillDriver implements DesktopDriver {
  readonly display = ':fake';
  constructor(private readonly frame: Buffer) {}
  async screenSize(): Promise<Size> {
    return SIZE;
  }
  async capture(): Promise<Screenshot> {
    return { data: this.frame, format: 'png', screen: SIZE, image: SIZE, scaleX: 1, scaleY: 1, capturedAt: Date.now(), method: 'nut' };
  }
  async perform(): Promise<void> {}
  async close(): Promise<void> {}
}

class Answering implements Planner {
  readonly name = 'answering';
  readonly contexts: PlannerContext[] = [];
  constructor(private readonly answer: string) {}
  imageSizeFor(screen: Size): Size {
    return screen;
  }
  async next(ctx: PlannerContext): Promise<PlannerStep> {
    this.contexts.push(ctx);
    return { actions: [{ action: { type: 'done', answer: this.answer } }] };
  }
}

const tmp = useTempStore();

describe('text caps', () => {
  it('cuts with a note that counts what was cut, never inside a surrogate pair', () => {
    expect(capText('short', 10)).toBe('short');
    expect(capText('abcdefghij', 4)).toBe('abcd… [6 characters cut]');
    expect(capText('ab😀cd', 3)).toBe('ab… [4 characters cut]');
    const summary = capSummary(Array.from({ length: 20 }, (_, i) => `${i}: ${'x'.repeat(1000)}`).join('\n'));
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(summary.split('\n').at(-1)).toMatch(/^19: x+… \[\d+ characters cut\]$/); // the newest line is kept
  });

  it('a 10 MB answer keeps threads.list, runs and events small, and the next request too', async () => {
    const store = tmp.open();
    const frame = await sharp({ create: { ...SIZE, channels: 3, background: '#808080' } }).png().toBuffer();
    const huge = `${'The answer is long. '.repeat(500_000)}END`;
    expect(huge.length).toBeGreaterThan(10_000_000);
    const first = AgentRun.start({ store, driver: new StillDriver(frame), planner: new Answering(huge) }, { task: 'Summarise the book', provider: 'test', options: { approve: 'never' } });
    expect((await first.finished).status).toBe('done');

    const threads = JSON.stringify(store.listThreads());
    expect(threads.length).toBeLessThan(50_000);
    expect(threads).toContain('Summarise the book');
    expect(threads).toContain('characters cut]');
    const run = store.getRun(first.id)!;
    expect(run.answer!.length).toBeLessThan(RUN_TEXT_MAX + 100);
    expect(run.answer).toMatch(/^The answer is long\./);
    expect(JSON.stringify(store.listRuns()).length).toBeLessThan(50_000);
    const finished = store.readEvents(first.id).find((e) => e.type === 'run_finished')!;
    expect((finished['answer'] as string).length).toBeLessThan(EVENT_STRING_MAX + 100);
    const bytes = store.db.prepare('SELECT sum(length(data)) FROM events WHERE run_id = ?').pluck().get(first.id) as number;
    expect(bytes).toBeLessThan(4 * EVENT_STRING_MAX);

    const next = new Answering('ok');
    await AgentRun.start({ store, driver: new StillDriver(frame), planner: next }, { task: 'Again', provider: 'test', threadId: first.threadId, options: { approve: 'never' } }).finished;
    expect(next.contexts[0]!.threadSummary!.length).toBeLessThanOrEqual(SUMMARY_MAX);
  });
});
