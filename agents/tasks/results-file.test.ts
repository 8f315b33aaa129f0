// tasks run --out and tasks compare: a saved results file read back, and two compared per task and per domain.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareResults, readResultsFile, writeResultsFile } from './results-file.ts';
import type { TaskResult } from './run-task.ts';

const dir = mkdtempSync(join(tmpdir(), 'deskpilot-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const result = (task: string, domain: string, score: number, status: TaskResult['status'] = 'scored'): TaskResult => ({
  task, file: `/x/examples/${domain}/${task}.json`, score, steps: 3, seconds: 10, runSeconds: 8, tokens: 0, status, details: [], warnings: [],
});

describe('results files', () => {
  it('round-trips through disk and refuses other JSON', async () => {
    const path = join(dir, 'a.json');
    await writeResultsFile(path, [result('t1', 'os', 1)]);
    const read = readResultsFile(JSON.parse(readFileSync(path, 'utf8')), path);
    expect(read.results[0]).toMatchObject({ task: 't1', score: 1, status: 'scored' });
    expect(() => readResultsFile({ results: [] }, 'b.json')).toThrow(/not a results file/);
  });

  it('lists tasks that changed and totals per domain', async () => {
    const a = readResultsFile({ version: 1, savedAt: 'x', results: [result('t1', 'os', 1), result('t2', 'os', 0), result('w1', 'libreoffice_writer', 0, 'unsupported')] }, 'a');
    const b = readResultsFile({ version: 1, savedAt: 'y', results: [result('t1', 'os', 1), result('t2', 'os', 1), result('w1', 'libreoffice_writer', 1), result('c1', 'chrome', 0)] }, 'b');
    const diff = compareResults(a, b);
    expect(diff.changed.map((c) => [c.task, c.a, c.b])).toEqual([['c1', undefined, 0], ['t2', 0, 1], ['w1', 0, 1]]);
    expect(diff.domains.map((d) => [d.domain, d.scoreA, d.tasksA, d.scoreB, d.tasksB])).toEqual([
      ['chrome', 0, 0, 0, 1], ['libreoffice_writer', 0, 1, 1, 1], ['os', 1, 2, 2, 2], ['TOTAL', 1, 3, 3, 4],
    ]);
    expect(diff.lines).toContain('w1  0 (unsupported)  1');
    expect(diff.lines.at(-1)).toBe('TOTAL  1/3  3/4  +2');
  });
});
