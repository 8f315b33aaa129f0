// `deskpilot automations run NAME --rows data.csv|data.xlsx`: the automation once per row, columns mapped to
// its parameters, one after another on one screen, or N at a time each on a sandbox of its own
// (--parallel N). A row that fails does not stop the others; the results go to a CSV beside the input
// (row, status, run id, reason, in the rows' order) and one inbox item. Ctrl+C or SIGTERM (the app's
// Cancel) cancels: rows not started are not run, the runs going are aborted, and the results still land.
import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { atspiProbe } from '../automations/a11y.ts';
import { AutomationError, resolveParams, type Automation } from '../automations/automation.ts';
import { prepareReplay } from '../automations/replay.ts';
import { readRows, rowParams, toCsv } from '../automations/rows.ts';
import { ScheduleStore } from '../automations/schedule-store.ts';
import { xdotoolProbe } from '../automations/window-probe.ts';
import { TargetError, type RunTarget } from '../desktop/targets.ts';
import type { RunOptions } from '../run/events.ts';
import { startRun, type StartedRun } from '../run/start-run.ts';
import { CliError, type OptionValues } from './command.ts';
import { openCliStore } from './store-access.ts';

export interface RowResult {
  row: number;
  /** cancelled: not run, or aborted, because the batch was cancelled. */
  status: 'succeeded' | 'failed' | 'cancelled';
  runId: string;
  reason: string;
}

/** The results file for an input: `invoices.csv` -> `invoices.results.csv`, beside it. */
export function resultsPath(input: string): string {
  return join(dirname(input), `${basename(input, extname(input))}.results.csv`);
}

/** The exit code of a batch cancelled by a signal, as a shell reports a process it stopped. */
const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };
const CANCELLED_REASON = 'aborted by the operator: the run over rows was cancelled';

export interface RowsOptions {
  options: Partial<RunOptions>;
  findTimeoutMs?: number;
  json: boolean;
  /** Rows replayed at once, each on a sandbox of its own (the target must be a sandbox); one at a time by default. */
  parallel?: number;
}

/** Replays `automation` once per row; returns the exit code (0 only when every row succeeded). */
export async function runRows(automation: Automation, input: string, target: RunTarget, values: OptionValues, opts: RowsOptions): Promise<number> {
  const table = await readRows(input);
  const names = automation.params.map((p) => p.name);
  const unused = table.header.filter((h) => !names.includes(h));
  if (!table.header.some((h) => names.includes(h))) throw new CliError(`${input}: no column is named like a parameter of "${automation.name}" (${names.join(', ') || 'it has none'})`, 2);
  const say = (line: string) => (opts.json ? process.stdout.write(`${JSON.stringify({ note: line })}\n`) : process.stderr.write(`${line}\n`));
  if (unused.length) say(`note: columns ${unused.join(', ')} are not parameters of "${automation.name}" and are not used`);
  const parallel = opts.parallel ?? 1;
  // Two rows on one screen would type into each other's windows.
  if (parallel > 1 && target.kind !== 'sandbox') throw new CliError('rows run in parallel only on sandboxes, each row on its own', 2);

  const cli = openCliStore(values, { runsAgents: true });
  // The first signal cancels; a second one (once the handler is gone) stops the process at once.
  let cancelled: 'SIGINT' | 'SIGTERM' | undefined;
  const going = new Set<StartedRun>();
  const onSignal = (sig: 'SIGINT' | 'SIGTERM') => {
    cancelled = sig;
    say('cancelling: rows not started are not run, and the rows running now are aborted');
    for (const s of going) s.run.control.abort(CANCELLED_REASON);
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const notRun = (n: number): RowResult => {
    say(`row ${n}: cancelled before it started`);
    return { row: n, status: 'cancelled', runId: '', reason: 'not run: the run over rows was cancelled' };
  };
  const runTarget: RunTarget = target.kind === 'sandbox' ? { ...target, launch: target.launch ?? [] } : target;

  /** One row's replay, start to end; only a programming error throws. */
  const runRow = async (n: number, row: Record<string, string>): Promise<RowResult> => {
    const params = rowParams(row, names);
    try {
      resolveParams(automation, params);
    } catch (err) {
      if (!(err instanceof AutomationError)) throw err;
      say(`row ${n}: failed before it started: ${err.message}`);
      return { row: n, status: 'failed', runId: '', reason: err.message };
    }
    const desktop: { env: Record<string, string> } = { env: {} };
    const p = await prepareReplay(cli.store, automation, {
      params, probe: (signal) => xdotoolProbe(desktop.env)(signal), a11y: { find: (q, signal) => atspiProbe(desktop.env).find(q, signal) },
      ...(opts.findTimeoutMs ? { findTimeoutMs: opts.findTimeoutMs } : {}), options: opts.options,
    });
    if (cancelled) return notRun(n);
    let started: StartedRun;
    try {
      started = await startRun(runTarget, { store: cli.store, planner: p.planner, provider: p.provider, model: p.model, task: p.task, options: p.options, tools: p.tools }, {
        onDisplay: (d) => (desktop.env = { DISPLAY: d.display, ...(d.env ?? {}) }),
      });
    } catch (err) {
      // A sandbox that would not start fails its row, not the batch.
      if (!(err instanceof TargetError)) throw err;
      say(`row ${n}: failed before it started: ${err.message}`);
      return { row: n, status: 'failed', runId: '', reason: err.message };
    }
    going.add(started);
    // Cancelled while its target was starting: it is aborted as soon as it exists.
    if (cancelled) started.run.control.abort(CANCELLED_REASON);
    // No one answers approvals in a batch: an action that needs one is turned down, and the row fails.
    const stop = cli.store.subscribe((e) => {
      if (e.runId === started.run.id && e.type === 'approval_requested') started.run.control.decide(e['actionId'] as string, { decision: 'reject', reason: 'a batch over rows has no operator to approve it: replay this row alone' });
    });
    const result = await started.run.finished.finally(() => (stop(), going.delete(started)));
    await started.closed;
    const ok = result.status === 'done';
    const reason = result.reason ?? result.status;
    if (!ok && result.status === 'aborted' && cancelled) {
      say(`row ${n}: cancelled while it ran (run ${started.run.id})`);
      return { row: n, status: 'cancelled', runId: started.run.id, reason };
    }
    say(`row ${n}: ${ok ? 'succeeded' : `failed: ${reason}`} (run ${started.run.id})`);
    return { row: n, status: ok ? 'succeeded' : 'failed', runId: started.run.id, reason: ok ? '' : reason };
  };

  try {
    // `parallel` workers take the next row as each finishes its own; results keep the rows' order.
    const results: RowResult[] = new Array(table.rows.length);
    let next = 0;
    const worker = async () => {
      // Each row is taken once; once cancelled, the rest are recorded as not run.
      for (let i = next++; i < table.rows.length; i = next++) results[i] = cancelled ? notRun(i + 1) : await runRow(i + 1, table.rows[i]!);
    };
    await Promise.all(Array.from({ length: Math.min(parallel, table.rows.length) }, worker));
    const out = resultsPath(input);
    writeFileSync(out, toCsv(['row', 'status', 'run_id', 'reason'], results.map((r) => [String(r.row), r.status, r.runId, r.reason])));
    const failed = results.filter((r) => r.status === 'failed');
    const skipped = results.filter((r) => r.status === 'cancelled');
    const succeeded = results.length - failed.length - skipped.length;
    const summary = `${results.length} rows of ${basename(input)}: ${succeeded} succeeded, ${failed.length} failed${failed.length ? ` (rows ${failed.map((r) => r.row).join(', ')})` : ''}${
      skipped.length ? `, ${skipped.length} cancelled (rows ${skipped.map((r) => r.row).join(', ')})` : ''}; results in ${out}`;
    new ScheduleStore(cli.store.db).addItem({ automation: automation.name, runId: null, status: failed.length || skipped.length ? 'needs_attention' : 'succeeded', trigger: 'manual', summary });
    if (opts.json) process.stdout.write(`${JSON.stringify({ results, resultsFile: out, summary })}\n`);
    else process.stdout.write(`${summary}\n`);
    if (cancelled) return SIGNAL_EXIT[cancelled];
    return failed.length ? 1 : 0;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    cli.close();
  }
}
