// `tasks check` on a folder mixing a ready task, one needing files and unsupported ones: the reasons
// printed are the ones `tasks run` gives, and filling the cache turns "needs files" into "ready".
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkReport, checkTasks, checkTotals } from '../cli/tasks-check-commands.ts';
import { cachePath } from './file-cache.ts';
import { loadTask, runTask } from './run-task.ts';
import { Store } from '../store/store.ts';

const root = mkdtempSync(join(tmpdir(), 'deskpilot-check-'));
const cacheDir = join(root, 'cache');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const URL_DOC = 'http://files.example.test/download?id=1&export=download';
const write = (domain: string, id: string, task: Record<string, unknown>) => {
  mkdirSync(join(root, 'examples', domain), { recursive: true });
  writeFileSync(join(root, 'examples', domain, `${id}.json`), JSON.stringify({ id, instruction: 'x', ...task }));
};
write('os', 'ready-one', {
  config: [{ type: 'execute', parameters: { command: ['python', '-c', 'import pyautogui; pyautogui.hotkey("ctrl", "s")'] } }],
  evaluator: { func: 'exact_match', result: { type: 'vm_command_line', command: 'echo hi', shell: true }, expected: { type: 'rule', rules: { expected: 'hi\n' } } },
});
write('libreoffice_calc', 'needs-file', {
  config: [{ type: 'download', parameters: { files: [{ url: URL_DOC, path: '/home/user/a.csv' }] } }, { type: 'open', parameters: { path: '/home/user/a.csv' } }],
  evaluator: { func: 'compare_table', result: { type: 'vm_file', path: '/home/user/a.csv' }, expected: { type: 'cloud_file', path: URL_DOC } },
});
write('vs_code', 'unsupported-one', {
  config: [{ type: 'launch', parameters: { command: ['code', '/home/user/project'] } }, { type: 'googledrive', parameters: {} }],
  evaluator: { func: 'check_accessibility_tree', result: { type: 'accessibility_tree' }, expected: { type: 'rule', rules: {} }, options: {} },
});
write('os', 'broken', { evaluator: {} });

describe('tasks check', () => {
  it('says ready, needs files (listed) or unsupported (each reason), with totals per domain', async () => {
    const rows = await checkTasks([join(root, 'examples', 'os', 'ready-one.json'), join(root, 'examples', 'libreoffice_calc', 'needs-file.json'), join(root, 'examples', 'vs_code', 'unsupported-one.json'), join(root, 'examples', 'os', 'broken.json')], cacheDir);
    expect(rows.map((r) => [r.task, r.status])).toEqual([['ready-one', 'ready'], ['needs-file', 'needs files'], ['unsupported-one', 'unsupported'], ['broken', 'error']]);
    expect(rows[1]!.missing).toEqual([URL_DOC]);
    expect(rows[2]!.unsupported).toEqual(['app "code" (not installed)', 'config step "googledrive"', 'func "check_accessibility_tree"', 'getter "accessibility_tree"']);
    const report = checkReport(rows);
    expect(report).toContain(`needs-file  needs files: ${URL_DOC}`);
    expect(report).toContain('unsupported-one  unsupported: app "code" (not installed), config step "googledrive", func "check_accessibility_tree", getter "accessibility_tree"');
    expect(report.at(-1)).toBe('2 of 4 task(s) ready or needing only files (50.0%)');
    expect(checkTotals(rows).map((t) => [t.domain, t.tasks, t.ready, t.needsFiles, t.unsupported, t.errors])).toEqual([
      ['libreoffice_calc', 1, 0, 1, 0, 0], ['os', 2, 1, 0, 0, 1], ['vs_code', 1, 0, 0, 1, 0], ['TOTAL', 4, 1, 1, 1, 1],
    ]);
  });

  it('counts a file as there once it is in the cache', async () => {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cachePath(URL_DOC, cacheDir), 'a,b\n');
    const [row] = await checkTasks([join(root, 'examples', 'libreoffice_calc', 'needs-file.json')], cacheDir);
    expect(row).toMatchObject({ status: 'ready', missing: [] });
  });

  it('gives the same reasons tasks run gives, before any display starts', async () => {
    const store = Store.open(join(root, 'runs.db'));
    try {
      const r = await runTask(await loadTask(join(root, 'examples', 'vs_code', 'unsupported-one.json')), { store, planner: () => Promise.reject(new Error('no planner')) });
      expect(r.error).toBe('unsupported: app "code" (not installed), config step "googledrive", func "check_accessibility_tree", getter "accessibility_tree"');
      const offline = await runTask(await loadTask(join(root, 'examples', 'libreoffice_calc', 'needs-file.json')), {
        store, planner: () => Promise.reject(new Error('no planner')), files: { cacheDir: join(root, 'empty-cache'), offline: true },
      });
      expect(offline).toMatchObject({ status: 'error' });
      expect(offline.error).toContain(`not in the file cache ${join(root, 'empty-cache')}: ${URL_DOC}`);
    } finally {
      store.close();
    }
  });

  it('runs as deskpilot tasks check, folder and --json', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'deskpilot.js');
    const run = promisify(execFile);
    const text = await run(process.execPath, [bin, 'tasks', 'check', join(root, 'examples'), '--cache-dir', cacheDir]).catch((e: { stdout: string; code: number }) => e);
    expect(text.stdout).toContain('ready-one  ready');
    expect(text.stdout).toMatch(/TOTAL\s+4\s+2\s+0\s+1\s+1\s+50\.0%/);
    const json = await run(process.execPath, [bin, 'tasks', 'check', join(root, 'examples', 'vs_code'), '--json']);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'task_check', task: 'unsupported-one', domain: 'vs_code', status: 'unsupported' });
    expect(lines[1]).toMatchObject({ type: 'summary' });
  }, 30_000);
});
