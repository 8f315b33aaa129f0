// A batch's results saved as JSON (`tasks run --out`), and two of them compared task by task.
import { writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import type { TaskResult } from './run-task.ts';

const savedResult = z.looseObject({
  task: z.string(),
  file: z.string(),
  score: z.number(),
  status: z.string(),
  steps: z.number().optional(),
  seconds: z.number().optional(),
  error: z.string().optional(),
});

const resultsFile = z.object({ version: z.literal(1), savedAt: z.string(), results: z.array(savedResult) });

export type SavedResult = z.infer<typeof savedResult>;
export type ResultsFile = z.infer<typeof resultsFile>;

export async function writeResultsFile(path: string, results: TaskResult[]): Promise<void> {
  const body = { version: 1, savedAt: new Date().toISOString(), results } satisfies { version: 1; savedAt: string; results: TaskResult[] };
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
}

export function readResultsFile(value: unknown, source: string): ResultsFile {
  const parsed = resultsFile.safeParse(value);
  if (!parsed.success) throw new Error(`${source} is not a results file from tasks run --out: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The folder a task file is in: OSWorld's examples/<domain>/<id>.json. */
const domainOf = (r: SavedResult) => basename(dirname(r.file));

export interface Comparison {
  /** Tasks whose score or status differ, and tasks in only one file. */
  changed: { task: string; domain: string; a?: number; b?: number; statusA?: string; statusB?: string }[];
  domains: { domain: string; tasksA: number; tasksB: number; scoreA: number; scoreB: number }[];
  lines: string[];
}

const fmt = (n: number | undefined) => (n === undefined ? '-' : Number.isInteger(n) ? String(n) : n.toFixed(2));

export function compareResults(a: ResultsFile, b: ResultsFile): Comparison {
  const byTask = (f: ResultsFile) => new Map(f.results.map((r) => [r.task, r]));
  const [ma, mb] = [byTask(a), byTask(b)];
  const ids = [...new Set([...ma.keys(), ...mb.keys()])].sort();
  const changed: Comparison['changed'] = [];
  const domains = new Map<string, Comparison['domains'][number]>();
  for (const id of ids) {
    const ra = ma.get(id);
    const rb = mb.get(id);
    const domain = domainOf((ra ?? rb)!);
    const d = domains.get(domain) ?? { domain, tasksA: 0, tasksB: 0, scoreA: 0, scoreB: 0 };
    domains.set(domain, d);
    if (ra) [d.tasksA, d.scoreA] = [d.tasksA + 1, d.scoreA + ra.score];
    if (rb) [d.tasksB, d.scoreB] = [d.tasksB + 1, d.scoreB + rb.score];
    if (ra?.score !== rb?.score || ra?.status !== rb?.status) {
      changed.push({ task: id, domain, ...(ra ? { a: ra.score, statusA: ra.status } : {}), ...(rb ? { b: rb.score, statusB: rb.status } : {}) });
    }
  }
  const list = [...domains.values()].sort((x, y) => x.domain.localeCompare(y.domain));
  const total = list.reduce((t, d) => ({ domain: 'TOTAL', tasksA: t.tasksA + d.tasksA, tasksB: t.tasksB + d.tasksB, scoreA: t.scoreA + d.scoreA, scoreB: t.scoreB + d.scoreB }), { domain: 'TOTAL', tasksA: 0, tasksB: 0, scoreA: 0, scoreB: 0 });
  const lines = [
    ...(changed.length ? ['TASK  A  B', ...changed.map((c) => `${c.task}  ${fmt(c.a)}${c.statusA && c.statusA !== 'scored' ? ` (${c.statusA})` : ''}  ${fmt(c.b)}${c.statusB && c.statusB !== 'scored' ? ` (${c.statusB})` : ''}`)] : ['no task scored differently']),
    '',
    'DOMAIN  A  B  CHANGE',
    ...[...list, total].map((d) => `${d.domain}  ${fmt(d.scoreA)}/${d.tasksA}  ${fmt(d.scoreB)}/${d.tasksB}  ${d.scoreB - d.scoreA >= 0 ? '+' : ''}${fmt(Math.round((d.scoreB - d.scoreA) * 100) / 100)}`),
  ];
  return { changed, domains: [...list, total], lines };
}
