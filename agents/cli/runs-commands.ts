// deskpilot runs list | show: what the run database holds, as a table and readable steps, or JSON lines.
import { CliError, type Command } from './command.ts';
import type { RunEvent } from '../run/events.ts';
import { eventJson, formatEvent, runHeader, runsTable, stepsOf } from '../run/run-format.ts';
import { openCliStore } from './store-access.ts';
import { jsonForTerminal } from '../run/terminal-text.ts';
import { describeVerdict, verifyChain, type ChainVerdict } from '../store/audit.ts';
import { isTerminal } from '../store/types.ts';
import { verifyExport } from '../app/run-export.ts';
import { readFileSync } from 'node:fs';

const out = (line: string) => process.stdout.write(`${line}\n`);

export const runsCommands: Command[] = [
  {
    path: ['runs', 'list'],
    usage: 'runs list [--thread ID] [--limit N] [--json] [--db PATH]',
    summary: 'recent runs, newest first: id, status, steps, start time and task (--json: one run per line)',
    options: { thread: { type: 'string' }, limit: { type: 'string', default: '20' }, json: { type: 'boolean' }, db: { type: 'string' } },
    async run({ values }) {
      const limit = Number(values['limit']);
      if (!Number.isInteger(limit) || limit <= 0) throw new CliError(`--limit must be a positive whole number, not "${String(values['limit'])}"`);
      const threadId = typeof values['thread'] === 'string' ? values['thread'] : undefined;
      const cli = openCliStore(values);
      try {
        if (threadId !== undefined && !cli.store.getThread(threadId)) throw new CliError(`no thread ${threadId} in ${cli.path}`);
        const rows = cli.store.listRuns({ limit, ...(threadId !== undefined ? { threadId } : {}) })
          .map((run) => ({ run, steps: stepsOf(cli.store.readEvents(run.id)) }));
        if (values['json'] === true) {
          for (const { run, steps } of rows) out(jsonForTerminal(JSON.stringify({ ...run, steps })));
        } else if (rows.length === 0) {
          process.stderr.write(`no runs yet in ${cli.path}\n`);
        } else {
          for (const line of runsTable(rows)) out(line);
        }
        return 0;
      } finally {
        cli.close();
      }
    },
  },
  {
    path: ['runs', 'show'],
    usage: 'runs show RUN_ID [--json] [--db PATH]',
    summary: "a run's header and its steps (thoughts, actions and their targets, approvals, errors, answer); --json: every event as a JSON line",
    options: { json: { type: 'boolean' }, db: { type: 'string' } },
    async run({ values, positionals }) {
      if (positionals.length !== 1) throw new CliError(`give one run id, e.g. deskpilot runs show 01J...\nUsage: deskpilot ${this.usage}`);
      const runId = positionals[0]!;
      const cli = openCliStore(values);
      try {
        const run = cli.store.getRun(runId);
        if (!run) throw new CliError(`no run ${runId} in ${cli.path} (deskpilot runs list shows the recent ones)`);
        const events = cli.store.readEvents<RunEvent>(run.id);
        if (values['json'] === true) {
          for (const e of events) out(eventJson(e));
          return 0;
        }
        for (const line of runHeader(run, stepsOf(events))) out(line);
        out('');
        for (const e of events) for (const line of formatEvent(e)) out(line);
        return 0;
      } finally {
        cli.close();
      }
    },
  },
  {
    path: ['runs', 'verify'],
    usage: 'runs verify RUN_ID|--all|--file EXPORT.json [--json] [--db PATH]',
    summary: "checks a run's hash-chained log (or every run's, or an exported run's): exit 0 when no event was changed, removed or reordered, 1 naming the first wrong seq",
    options: { all: { type: 'boolean' }, file: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' } },
    async run({ values, positionals }) {
      const all = values['all'] === true;
      const file = typeof values['file'] === 'string' ? values['file'] : undefined;
      if ([all, file !== undefined, positionals.length > 0].filter(Boolean).length !== 1 || positionals.length > 1) {
        throw new CliError(`give one run id, --all or --file EXPORT.json\nUsage: deskpilot ${this.usage}`);
      }
      const report = (runId: string, v: ChainVerdict) => out(values['json'] === true ? JSON.stringify({ runId, ...v }) : describeVerdict(runId, v));
      if (file !== undefined) {
        let exported: unknown;
        try {
          exported = JSON.parse(readFileSync(file, 'utf8'));
        } catch (err) {
          throw new CliError(`cannot read ${file} as a Deskpilot JSON export: ${(err as Error).message}`, 1);
        }
        const { runId, verdict } = verifyExport(exported);
        report(runId, verdict);
        return verdict.status === 'broken' ? 1 : 0;
      }
      const cli = openCliStore(values);
      try {
        const runs = all ? cli.store.listRuns() : [cli.store.getRun(positionals[0]!)];
        if (!runs[0] && !all) throw new CliError(`no run ${positionals[0]} in ${cli.path} (deskpilot runs list shows the recent ones)`);
        let broken = 0;
        for (const run of runs) {
          if (!run) continue;
          const verdict = verifyChain(run.id, cli.store.readChain(run.id), isTerminal(run.status));
          if (verdict.status === 'broken') broken += 1;
          report(run.id, verdict);
        }
        if (all && values['json'] !== true) process.stderr.write(`${runs.length} run(s) checked, ${broken} broken\n`);
        return broken ? 1 : 0;
      } finally {
        cli.close();
      }
    },
  },
];
