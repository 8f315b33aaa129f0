// "Run for each row" in the app: the CSV text the page read is written to the data folder and handed
// to the same rows runner `deskpilot automations run NAME --rows FILE` uses, in a child process of the
// CLI (that runner opens the database as a process of its own would, so it must not share this one's
// pid: its crash recovery and live-marker are per process). Its JSON lines give the progress, and
// its last line the per-row results; the results CSV lands beside the input, in the data folder.
// Cancel is the runner's SIGTERM: it aborts the row it is running, runs no more, and still writes the results.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutomationError, type Automation } from '../automations/automation.ts';
import { parseCsv } from '../automations/rows.ts';
import type { RowBatch, Settings } from '../contract.ts';
import { CommandError } from './command-error.ts';

const BIN = fileURLToPath(new URL('../../bin/deskpilot.js', import.meta.url));
/** Batches kept for the page to poll; the oldest ended ones are forgotten past this. */
const KEEP = 50;
/** A runner told to cancel that has not ended by then is killed (its run is then found interrupted). */
const CANCEL_KILL_MS = 60_000;

export interface RowBatchDeps {
  dataDir: string;
  dbPath: string;
  settings: () => Settings;
  /** The screen the app drives, for rows run on it. */
  ownDisplay: () => string | undefined;
  /** Told when a batch ends (its inbox item was written). */
  onEnded: () => void;
  /** The script the runner child runs: the deskpilot CLI; tests give a stand-in. */
  bin?: string;
}

export interface RowBatchStart {
  automation: Automation;
  fileName: string;
  csv: string;
  target: 'current' | 'sandbox';
}

/** A file name that stays in its folder: letters, digits, dot, dash and underscore, ending in .csv. */
export function safeCsvName(fileName: string): string {
  const base = fileName.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return `${base || 'rows'}.csv`;
}

export class RowBatches {
  private readonly batches = new Map<string, RowBatch>();
  /** The runner of each batch still going, by batch id. */
  private readonly children = new Map<string, ChildProcess>();
  private seq = 0;

  constructor(private readonly deps: RowBatchDeps) {}

  get(id: string): RowBatch {
    const b = this.batches.get(id);
    if (!b) throw new CommandError('not_found', `no run over rows ${id}`);
    return { ...b, results: [...b.results] };
  }

  /** Cancel: the runner is told once (a second SIGTERM would kill it before it aborts its run and writes the results). */
  cancel(id: string): RowBatch {
    const b = this.get(id);
    const child = this.children.get(id);
    const batch = this.batches.get(id)!;
    if (batch.state !== 'running' || !child) return b;
    batch.state = 'cancelling';
    const hard = setTimeout(() => child.kill('SIGKILL'), CANCEL_KILL_MS);
    hard.unref();
    child.once('close', () => clearTimeout(hard));
    child.kill('SIGTERM');
    return this.get(id);
  }

  start({ automation, fileName, csv, target }: RowBatchStart): RowBatch {
    if (automation.prompt) throw new CommandError('bad_input', `"${automation.name}" is an agent task: it runs once, not once per row`);
    let rows: number;
    try {
      const table = parseCsv(csv, fileName);
      const names = automation.params.map((p) => p.name);
      if (!table.header.some((h) => names.includes(h))) throw new AutomationError(`${fileName}: no column is named like a parameter of "${automation.name}" (${names.join(', ') || 'it has none'})`);
      rows = table.rows.length;
    } catch (err) {
      if (err instanceof AutomationError) throw new CommandError('bad_input', err.message);
      throw err;
    }
    if (rows === 0) throw new CommandError('bad_input', `${fileName} has a header but no rows`);
    const display = target === 'current' ? this.deps.ownDisplay() : undefined;
    if (target === 'current' && !display) throw new CommandError('bad_input', 'this app has no screen of its own to run on: choose a sandbox');

    const id = `${Date.now().toString(36)}-${++this.seq}`;
    const dir = join(this.deps.dataDir, 'rows', id);
    mkdirSync(dir, { recursive: true });
    const input = join(dir, safeCsvName(fileName));
    writeFileSync(input, csv);
    const batch: RowBatch = { id, automation: automation.name, fileName, total: rows, done: 0, state: 'running', results: [], resultsFile: null, resultsCsv: null, error: null };
    this.batches.set(id, batch);
    this.forgetOld();

    const args = [
      this.deps.bin ?? BIN, 'automations', 'run', automation.name, '--rows', input, '--json', '--db', this.deps.dbPath, '--approve', this.deps.settings().run.approve,
      ...(display ? ['--display', display] : ['--sandbox']),
    ];
    // Under Electron the executable is the app's; this makes it the Node it carries.
    const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.set(id, child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) this.onLine(batch, line);
    });
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', (e) => this.end(batch, `the rows runner did not start: ${e.message}`));
    child.on('close', () => {
      this.children.delete(id);
      if (out.trim()) this.onLine(batch, out);
      if (batch.resultsFile || batch.state === 'cancelling') this.end(batch, null);
      else this.end(batch, lastLine(err) || 'the rows runner stopped without results');
    });
    return { ...batch };
  }

  /** No batch outlives the app: each runner is told to stop (it aborts its run and ends its sandbox). */
  async close(): Promise<void> {
    await Promise.all([...this.children].map(([id, child]) => new Promise<void>((resolve) => {
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('close', () => (clearTimeout(hard), resolve()));
      if (this.batches.get(id)?.state !== 'cancelling') child.kill('SIGTERM');
    })));
  }

  private onLine(batch: RowBatch, line: string): void {
    let msg: { note?: string; results?: RowBatch['results']; resultsFile?: string };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.note === 'string' && /^row \d+: (succeeded|failed)/.test(msg.note)) batch.done = Math.min(batch.total, batch.done + 1);
    if (Array.isArray(msg.results) && typeof msg.resultsFile === 'string') {
      batch.results = msg.results;
      batch.done = msg.results.filter((r) => r.status !== 'cancelled').length;
      batch.resultsFile = msg.resultsFile;
      try {
        batch.resultsCsv = readFileSync(msg.resultsFile, 'utf8');
      } catch {
        batch.resultsCsv = null;
      }
    }
  }

  private end(batch: RowBatch, error: string | null): void {
    if (batch.state !== 'running' && batch.state !== 'cancelling') return;
    // Cancelled when a row was not run or was aborted, or when the runner ended before it wrote any results.
    const cancelled = batch.results.some((r) => r.status === 'cancelled') || (batch.state === 'cancelling' && !batch.resultsFile);
    batch.state = cancelled ? 'cancelled' : error ? 'failed' : 'done';
    batch.error = error;
    this.deps.onEnded();
  }

  private forgetOld(): void {
    for (const [id, b] of this.batches) {
      if (this.batches.size <= KEEP) break;
      if (b.state !== 'running' && b.state !== 'cancelling') this.batches.delete(id);
    }
  }
}

/** The CLI's own words for why it stopped (its last line), without the "error:" it starts with. */
function lastLine(text: string): string {
  const line = text.trim().split('\n').pop() ?? '';
  return line.replace(/^deskpilot: (error: )?/i, '');
}
