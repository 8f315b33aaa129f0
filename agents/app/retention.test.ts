import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTOMATION_FORMAT } from '../automations/automation.ts';
import { AutomationStore } from '../automations/automation-store.ts';
import { useTempStore } from '../store/testdata/temp-store.ts';
import { pruneScreenshots } from './retention.ts';

const tmp = useTempStore();
const DAY = 86_400_000;

describe('pruneScreenshots', () => {
  it('deletes screenshots older than the setting, but not automation evidence nor fresh ones', async () => {
    const store = tmp.open();
    const old = store.putBlob(Buffer.from('old screen'), 'png');
    const crop = store.putBlob(Buffer.from('evidence crop'), 'png');
    const fresh = store.putBlob(Buffer.from('new screen'), 'png');
    const long = new Date(Date.now() - 40 * DAY);
    for (const ref of [old, crop]) utimesSync(store.blobPath(ref), long, long);
    new AutomationStore(store.db, join(tmp.dir(), 'automations')).save({
      format: AUTOMATION_FORMAT, name: 'keeper', params: [], allowHealing: false,
      steps: [{ id: 's1', intent: 'click Save', action: { type: 'click', x: 10, y: 10, button: 'left' }, evidence: { point: { x: 10, y: 10 }, crop, cropOffset: { x: 48, y: 24 } } }],
    });
    expect(await pruneScreenshots(store, 30)).toBe(1);
    expect([old, crop, fresh].map((r) => store.blobs.has(r))).toEqual([false, true, true]);
    expect(await pruneScreenshots(store, 0)).toBe(0);
  });
});
