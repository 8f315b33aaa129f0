// A queued run is a real status: stored, listed as active, and closed as interrupted after a crash.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTERRUPTED_REASON, Store } from './store.ts';

describe('queued runs in the store', () => {
  it('are created queued and a crash marks them interrupted like any active run', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dp-queued-')), 'deskpilot.db');
    const store = Store.open(path);
    const thread = store.createThread('many');
    const queued = store.createRun({ threadId: thread.id, task: 'later', provider: 'openai', status: 'queued' });
    const running = store.createRun({ threadId: thread.id, task: 'now', provider: 'openai' });
    const done = store.createRun({ threadId: thread.id, task: 'before', provider: 'openai' });
    store.setRunStatus(done.id, 'done');
    expect([queued.status, running.status]).toEqual(['queued', 'running']);
    store.close();

    const reopened = Store.open(path); // the process that queued it is gone
    expect(reopened.recoverInterrupted().sort()).toEqual([queued.id, running.id].sort());
    expect(reopened.getRun(queued.id)).toMatchObject({ status: 'interrupted' });
    expect(reopened.readEvents(queued.id)).toMatchObject([{ type: 'run_interrupted', reason: INTERRUPTED_REASON }]);
    expect(reopened.getRun(done.id)!.status).toBe('done');
    reopened.close();
  });
});
