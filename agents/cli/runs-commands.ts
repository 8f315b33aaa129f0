// deskpilot runs list | show: what the run database holds, as a table and readable steps, or JSON lines.
import { CliError, type Command } from './command.ts';
import type { RunEvent } from '../run/events.ts';
import { eventJson, formatEvent, runHeader, runsTable, stepsOf } from '../run/run-format.ts';
import { openCliStore } from './store-access.ts';
import { jsonForTerminal } from '../run/terminal-text.ts';

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
];
