import { describe, expect, it } from 'vitest';
import { NotFoundError } from './types.ts';
import { useTempStore } from './testdata/temp-store.ts';

const tmp = useTempStore();

/** A clock that moves 1 ms per reading, so "newest first" never depends on timing. */
function tick(start = 1_760_000_000_000) {
  let t = start;
  return () => t++;
}

describe('threads', () => {
  it('creates, reads, renames, summarises and deletes', () => {
    const store = tmp.open({ now: tick() });
    const t = store.createThread('Invoices');
    expect(t).toMatchObject({ title: 'Invoices', summary: null });
    expect(t.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(t.createdAt).toBe(t.updatedAt);
    expect(store.getThread(t.id)).toEqual(t);

    store.renameThread(t.id, 'Invoices 2025');
    store.setThreadSummary(t.id, 'Renamed 12 PDFs by date.');
    const after = store.getThread(t.id)!;
    expect(after).toMatchObject({ title: 'Invoices 2025', summary: 'Renamed 12 PDFs by date.', createdAt: t.createdAt });
    expect(after.updatedAt).toBeGreaterThan(t.updatedAt);

    expect(store.deleteThread(t.id)).toBe(true);
    expect(store.getThread(t.id)).toBeUndefined();
    expect(store.deleteThread(t.id)).toBe(false);
    expect(() => store.renameThread(t.id, 'x')).toThrow(NotFoundError);
    expect(() => store.setThreadSummary(t.id, 'x')).toThrow(NotFoundError);
  });

  it('lists newest activity first, with a limit', () => {
    const store = tmp.open({ now: tick() });
    const a = store.createThread('a');
    const b = store.createThread('b');
    const c = store.createThread('c');
    expect(store.listThreads().map((t) => t.title)).toEqual(['c', 'b', 'a']);
    store.createRun({ threadId: a.id, task: 'work in a', provider: 'scripted' });
    expect(store.listThreads().map((t) => t.id)).toEqual([a.id, c.id, b.id]);
    store.renameThread(b.id, 'b2');
    expect(store.listThreads({ limit: 2 }).map((t) => t.id)).toEqual([b.id, a.id]);
  });

  it('searches titles and run tasks, ignoring case (Unicode too)', () => {
    const store = tmp.open({ now: tick() });
    const invoices = store.createThread('Invoices');
    const cafe = store.createThread('CAFÉ orders');
    const other = store.createThread('Misc');
    store.createRun({ threadId: other.id, task: 'Fill the SPREADSHEET from that PDF', provider: 'scripted' });
    store.createRun({ threadId: other.id, task: 'rename 100% of the files_', provider: 'scripted' });

    const ids = (search: string) => store.listThreads({ search }).map((t) => t.id);
    expect(ids('invoice')).toEqual([invoices.id]);
    expect(ids('café')).toEqual([cafe.id]);
    expect(ids('spreadsheet')).toEqual([other.id]);
    expect(ids('pdf')).toEqual([other.id]); // two matching runs, one thread
    expect(ids('100%')).toEqual([other.id]); // no LIKE wildcards
    expect(ids('_')).toEqual([other.id]);
    expect(ids('nothing like this')).toEqual([]);
    expect(ids('  ')).toEqual([other.id, cafe.id, invoices.id]); // blank = no filter
  });

  it('deleting a thread removes its runs and their events, and keeps blobs', () => {
    const store = tmp.open();
    const keep = store.createThread('keep');
    const gone = store.createThread('gone');
    const kept = store.createRun({ threadId: keep.id, task: 't', provider: 'scripted' });
    const r1 = store.createRun({ threadId: gone.id, task: 't1', provider: 'scripted' });
    const r2 = store.createRun({ threadId: gone.id, task: 't2', provider: 'scripted' });
    const ref = store.putBlob(Buffer.from('png bytes'), 'png');
    for (const r of [kept, r1, r2]) store.appendMany(r.id, [{ type: 'run_started' }, { type: 'screenshot_captured', ref }]);

    store.deleteThread(gone.id);
    expect(store.getRun(r1.id)).toBeUndefined();
    expect(store.getRun(r2.id)).toBeUndefined();
    expect(store.readEvents(r1.id)).toEqual([]);
    expect(store.lastSeq(r2.id)).toBe(0);
    expect(store.readEvents(kept.id)).toHaveLength(2);
    expect(store.listRuns().map((r) => r.id)).toEqual([kept.id]);
    expect(store.readBlob(ref).toString()).toBe('png bytes');
  });
});

describe('runs', () => {
  it('creates a running run with its options, and lists newest first per thread', () => {
    const store = tmp.open({ now: tick() });
    const t1 = store.createThread('one');
    const t2 = store.createThread('two');
    const a = store.createRun({ threadId: t1.id, task: 'a', provider: 'openai-chat', model: 'qwen2.5-vl', options: { maxSteps: 30, approve: ['type'] } });
    const b = store.createRun({ threadId: t2.id, task: 'b', provider: 'scripted' });
    store.createRun({ threadId: t1.id, task: 'c', provider: 'scripted' });

    expect(a).toMatchObject({
      threadId: t1.id, task: 'a', status: 'running', provider: 'openai-chat', model: 'qwen2.5-vl',
      endedAt: null, answer: null, error: null, summary: null, options: { maxSteps: 30, approve: ['type'] },
    });
    expect(b.model).toBeNull();
    expect(b.options).toEqual({});
    expect(store.getRun(a.id)).toEqual(a);
    expect(store.listRuns().map((r) => r.task)).toEqual(['c', 'b', 'a']);
    expect(store.listRuns({ threadId: t1.id }).map((r) => r.task)).toEqual(['c', 'a']);
    expect(store.listRuns({ limit: 1 }).map((r) => r.task)).toEqual(['c']);
    expect(() => store.createRun({ threadId: 'missing', task: 'x', provider: 'scripted' })).toThrow(NotFoundError);
  });

  it('sets statuses: terminal ones set ended_at, outcome fields are kept unless given', () => {
    const store = tmp.open({ now: tick() });
    const t = store.createThread('t');
    const r = store.createRun({ threadId: t.id, task: 'x', provider: 'scripted' });

    const paused = store.setRunStatus(r.id, 'paused', { summary: 'half way' });
    expect(paused).toMatchObject({ status: 'paused', endedAt: null, summary: 'half way' });
    expect(paused.updatedAt).toBeGreaterThan(r.updatedAt);

    const done = store.setRunStatus(r.id, 'done', { answer: '12 files renamed' });
    expect(done).toMatchObject({ status: 'done', answer: '12 files renamed', summary: 'half way', error: null });
    expect(done.endedAt).toBe(done.updatedAt);
    expect(store.getThread(t.id)!.updatedAt).toBe(done.updatedAt);

    const again = store.setRunStatus(r.id, 'failed', { error: 'disk full', answer: null });
    expect(again).toMatchObject({ status: 'failed', error: 'disk full', answer: null, endedAt: done.endedAt });

    const resumed = store.setRunStatus(r.id, 'running');
    expect(resumed.endedAt).toBeNull();

    expect(() => store.setRunStatus('missing', 'done')).toThrow(NotFoundError);
    expect(() => store.setRunStatus(r.id, 'finished' as never)).toThrow(/unknown run status/);
  });
});
