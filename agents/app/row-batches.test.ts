// RowBatches with a stand-in for the rows runner (a Node script speaking its JSON lines): Cancel tells
// the runner once, the batch goes cancelling -> cancelled with the rows it did not run, a batch that
// ended is left as it was, and a runner gone without results still ends cancelled, not failed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Automation } from '../automations/automation.ts';
import type { Settings } from '../contract.ts';
import { CommandError } from './command-error.ts';
import { RowBatches } from './row-batches.ts';

// Row 1 ends at once; then it waits as a long row would. FAKE=finish ends every row; FAKE=die exits on
// SIGTERM without results. Each SIGTERM it gets is counted in signals.txt beside the input.
const RUNNER = `
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const input = process.argv[process.argv.indexOf('--rows') + 1];
const rows = readFileSync(input, 'utf8').trim().split('\\n').length - 1;
const say = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
const finish = (results) => {
  const out = join(dirname(input), 'results.csv');
  writeFileSync(out, 'row,status\\n' + results.map((r) => r.row + ',' + r.status).join('\\n') + '\\n');
  say({ results, resultsFile: out, summary: 'x' });
};
const row = (n, status, runId = 'r' + n) => ({ row: n, status, runId, reason: status === 'succeeded' ? '' : 'cancelled' });
say({ note: 'row 1: succeeded (run r1)' });
if (process.env.FAKE === 'finish') {
  finish(Array.from({ length: rows }, (_, i) => row(i + 1, 'succeeded')));
} else {
  const keep = setInterval(() => undefined, 1000);
  process.on('SIGTERM', () => {
    appendFileSync(join(dirname(input), 'signals.txt'), 'TERM\\n');
    if (process.env.FAKE === 'die') process.exit(143);
    // As the real runner: the row going is aborted, the rest not run, and the results still written.
    setTimeout(() => {
      finish([row(1, 'succeeded'), row(2, 'cancelled'), ...Array.from({ length: rows - 2 }, (_, i) => row(i + 3, 'cancelled', ''))]);
      clearInterval(keep);
      process.exitCode = 143;
    }, 300);
  });
}
`;

const automation = { name: 'add row', params: [{ name: 'name' }], steps: [], allowHealing: false } as unknown as Automation;
const csv = 'name\nana\nbo\ndot\n';

let dir: string;
let ended: number;
let batches: RowBatches;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dp-row-batches-'));
  writeFileSync(join(dir, 'runner.mjs'), RUNNER);
  ended = 0;
  batches = new RowBatches({
    dataDir: dir, dbPath: join(dir, 'unused.db'), settings: () => ({ run: { approve: 'never' } }) as Settings, ownDisplay: () => undefined,
    onEnded: () => ended++, bin: join(dir, 'runner.mjs'),
  });
});

afterEach(async () => {
  delete process.env['FAKE'];
  await batches.close();
  rmSync(dir, { recursive: true, force: true });
});

const start = () => batches.start({ automation, fileName: 'people.csv', csv, target: 'sandbox' });
const signals = (id: string) => readFileSync(join(dir, 'rows', id, 'signals.txt'), 'utf8').split('\n').filter(Boolean).length;
const poll = { timeout: 15_000, interval: 50 };

describe('cancelling a run over rows', () => {
  it('tells the runner once, and ends cancelled with the rows it did not run', async () => {
    const { id } = start();
    await expect.poll(() => batches.get(id).done, poll).toBe(1);
    expect(batches.cancel(id).state).toBe('cancelling');
    // A second Cancel (a double click) must not signal again: a second SIGTERM would kill the runner mid-abort.
    expect(batches.cancel(id).state).toBe('cancelling');
    await expect.poll(() => batches.get(id).state, poll).toBe('cancelled');
    const b = batches.get(id);
    expect(b.results.map((r) => [r.row, r.status, r.runId])).toEqual([[1, 'succeeded', 'r1'], [2, 'cancelled', 'r2'], [3, 'cancelled', '']]);
    expect(b).toMatchObject({ done: 1, total: 3, error: null, resultsCsv: 'row,status\n1,succeeded\n2,cancelled\n3,cancelled\n' });
    expect(signals(id)).toBe(1);
    expect(ended).toBe(1);
    // Cancel after the end changes nothing.
    expect(batches.cancel(id)).toEqual(b);
    expect(ended).toBe(1);
  });

  it('leaves a batch that ended on its own as it was', async () => {
    process.env['FAKE'] = 'finish';
    const { id } = start();
    await expect.poll(() => batches.get(id).state, poll).toBe('done');
    expect(batches.cancel(id).state).toBe('done');
    expect(batches.get(id).results.every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('ends cancelled, not failed, when the runner stops before writing results', async () => {
    process.env['FAKE'] = 'die';
    const { id } = start();
    await expect.poll(() => batches.get(id).done, poll).toBe(1);
    batches.cancel(id);
    await expect.poll(() => batches.get(id).state, poll).toBe('cancelled');
    expect(batches.get(id)).toMatchObject({ error: null, results: [], resultsFile: null });
  });

  it('says when there is no such batch', () => {
    const err = (() => {
      try {
        batches.cancel('nope');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).failure.error.code).toBe('not_found');
  });
});
