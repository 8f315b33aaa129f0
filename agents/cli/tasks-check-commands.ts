// deskpilot tasks check | fetch | compare: what can run here before anything starts, filling the
// task file cache ahead of a run, and two saved result tables side by side.
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { defaultCacheDir, type FileSource } from '../tasks/file-cache.ts';
import { findTaskFiles, fetchTaskFiles, loadTask } from '../tasks/run-task.ts';
import { compareResults, readResultsFile } from '../tasks/results-file.ts';
import { taskSupport, type Readiness } from '../tasks/task-support.ts';
import { CliError, interruptSignal, optionReader, type Command } from './command.ts';

const CHECK_USAGE = 'tasks check PATH... [--cache-dir DIR] [--json]';
const FETCH_USAGE = 'tasks fetch PATH... [--cache-dir DIR] [--retries N]';
const COMPARE_USAGE = 'tasks compare A.json B.json [--json]';

export interface CheckRow {
  task: string;
  file: string;
  /** The folder the task file is in: OSWorld's examples/<domain>/<id>.json. */
  domain: string;
  status: Readiness | 'error';
  unsupported: string[];
  missing: string[];
  error?: string;
}

async function taskFiles(positionals: string[]): Promise<string[]> {
  if (positionals.length === 0) throw new CliError('give one or more task files or folders, e.g. deskpilot tasks check evaluation_examples/examples');
  try {
    const files = await findTaskFiles(positionals);
    if (files.length === 0) throw new CliError(`no task files (*.json) in ${positionals.join(' ')}`);
    return files;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError((err as Error).message);
  }
}

/** Each task's readiness, read from its file alone (and the cache folder). */
export async function checkTasks(files: string[], cacheDir: string): Promise<CheckRow[]> {
  return Promise.all(files.map(async (file): Promise<CheckRow> => {
    const loaded = await loadTask(file);
    const domain = basename(dirname(file));
    if (!loaded.task) return { task: loaded.id, file, domain, status: 'error', unsupported: [], missing: [], error: loaded.loadError ?? 'not loaded' };
    const s = taskSupport(loaded.task, cacheDir);
    return { task: loaded.id, file, domain, status: s.status, unsupported: s.unsupported, missing: s.missing };
  }));
}

interface DomainTotals {
  domain: string;
  tasks: number;
  ready: number;
  needsFiles: number;
  unsupported: number;
  errors: number;
}

export function checkTotals(rows: CheckRow[]): DomainTotals[] {
  const by = new Map<string, DomainTotals>();
  const all: DomainTotals = { domain: 'TOTAL', tasks: 0, ready: 0, needsFiles: 0, unsupported: 0, errors: 0 };
  for (const r of rows) {
    const d = by.get(r.domain) ?? { domain: r.domain, tasks: 0, ready: 0, needsFiles: 0, unsupported: 0, errors: 0 };
    by.set(r.domain, d);
    for (const t of [d, all]) {
      t.tasks++;
      if (r.status === 'ready') t.ready++;
      else if (r.status === 'needs files') t.needsFiles++;
      else if (r.status === 'unsupported') t.unsupported++;
      else t.errors++;
    }
  }
  return [...[...by.values()].sort((a, b) => a.domain.localeCompare(b.domain)), all];
}

/** The reasons that block most tasks, most first: what to build next. */
export function topReasons(rows: CheckRow[], n = 15): [string, number][] {
  const count = new Map<string, number>();
  for (const r of rows) for (const u of r.unsupported) count.set(u, (count.get(u) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
}

function table(header: string[], rows: string[][], right: Set<number>): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((v, i) => (right.has(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd());
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '-');

export function checkReport(rows: CheckRow[]): string[] {
  const lines = rows.map((r) => {
    if (r.status === 'ready') return `${r.task}  ready`;
    if (r.status === 'error') return `${r.task}  error: ${r.error}`;
    if (r.status === 'needs files') return `${r.task}  needs files: ${r.missing.join(', ')}`;
    return `${r.task}  unsupported: ${r.unsupported.join(', ')}${r.missing.length ? ` (and ${r.missing.length} file(s) to fetch)` : ''}`;
  });
  const totals = checkTotals(rows);
  const all = totals.at(-1)!;
  const reasons = topReasons(rows);
  return [
    ...lines,
    '',
    ...table(['DOMAIN', 'TASKS', 'READY', 'NEEDS FILES', 'UNSUPPORTED', 'ERRORS', 'READY OR FILES'],
      totals.map((t) => [t.domain, String(t.tasks), String(t.ready), String(t.needsFiles), String(t.unsupported), String(t.errors), pct(t.ready + t.needsFiles, t.tasks)]), new Set([1, 2, 3, 4, 5, 6])),
    ...(reasons.length ? ['', 'most common reasons:', ...reasons.map(([r, n]) => `  ${String(n).padStart(4)}  ${r}`)] : []),
    '',
    `${all.ready + all.needsFiles} of ${all.tasks} task(s) ready or needing only files (${pct(all.ready + all.needsFiles, all.tasks)})`,
  ];
}

export const tasksCheckCommands: Command[] = [
  {
    path: ['tasks', 'check'],
    usage: CHECK_USAGE,
    summary: 'for each task, without starting anything: ready, needs files (not yet in the cache) or unsupported (each missing step, getter, metric or app); totals per domain',
    options: { 'cache-dir': { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, positionals }) {
      const { str } = optionReader(CHECK_USAGE);
      const cacheDir = resolve(str(values, 'cache-dir') ?? defaultCacheDir());
      const rows = await checkTasks(await taskFiles(positionals), cacheDir);
      if (values['json'] === true) {
        for (const r of rows) process.stdout.write(`${JSON.stringify({ type: 'task_check', ...r })}\n`);
        process.stdout.write(`${JSON.stringify({ type: 'summary', cacheDir, domains: checkTotals(rows), reasons: topReasons(rows, 50) })}\n`);
      } else for (const line of checkReport(rows)) process.stdout.write(`${line}\n`);
      return rows.some((r) => r.status === 'error') ? 1 : 0;
    },
  },
  {
    path: ['tasks', 'fetch'],
    usage: FETCH_USAGE,
    summary: 'downloads the http(s) files the tasks need (download steps, cloud_file getters) into the task file cache, with retries and checksums',
    options: { 'cache-dir': { type: 'string' }, retries: { type: 'string' } },
    async run({ values, positionals }) {
      const { str } = optionReader(FETCH_USAGE);
      const cacheDir = resolve(str(values, 'cache-dir') ?? defaultCacheDir());
      const files = await taskFiles(positionals);
      const signal = interruptSignal();
      const source: FileSource = { cacheDir, offline: false, onProgress: (line) => process.stderr.write(`${line}\n`) };
      let fetched = 0;
      const failed: string[] = [];
      for (const file of files) {
        const loaded = await loadTask(file);
        if (!loaded.task) {
          failed.push(`${loaded.id}: ${loaded.loadError}`);
          continue;
        }
        try {
          fetched += (await fetchTaskFiles(loaded.task, source, signal)).length;
        } catch (err) {
          if (signal.aborted) throw new CliError('stopped', 130);
          failed.push(`${loaded.id}: ${(err as Error).message}`);
        }
      }
      process.stdout.write(`fetched ${fetched} file(s) into ${cacheDir}${failed.length ? `; ${failed.length} task(s) failed:` : ''}\n`);
      for (const f of failed) process.stdout.write(`  ${f}\n`);
      return failed.length ? 1 : 0;
    },
  },
  {
    path: ['tasks', 'compare'],
    usage: COMPARE_USAGE,
    summary: 'compares two results files saved by tasks run --out: per-task score differences and totals per domain',
    options: { json: { type: 'boolean' } },
    async run({ values, positionals }) {
      if (positionals.length !== 2) throw new CliError(`give two results files\nUsage: deskpilot ${COMPARE_USAGE}`);
      const [a, b] = await Promise.all(positionals.map(async (p) => {
        try {
          return readResultsFile(JSON.parse(await readFile(p, 'utf8')), p);
        } catch (err) {
          throw new CliError(`cannot read the results file ${p}: ${(err as Error).message}`);
        }
      }));
      const diff = compareResults(a!, b!);
      if (values['json'] === true) process.stdout.write(`${JSON.stringify(diff)}\n`);
      else for (const line of diff.lines) process.stdout.write(`${line}\n`);
      return 0;
    },
  },
];
