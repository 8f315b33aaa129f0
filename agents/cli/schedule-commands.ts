// deskpilot automations schedule | unschedule | inbox: schedules are kept in the run database and
// fired by the running app or `deskpilot serve`; their results land in the inbox.
import { AutomationError } from '../automations/automation.ts';
import { ScheduleStore, type InboxFilter, type InboxItem } from '../automations/schedule-store.ts';

const FILTERS: readonly InboxFilter[] = ['all', 'unread', 'attention', 'archived'];
import { localTime } from '../run/run-format.ts';
import { CliError, type Command } from './command.ts';
import { openCliStore } from './store-access.ts';

function withSchedules<T>(values: Record<string, unknown>, fn: (s: ScheduleStore) => T): T {
  const cli = openCliStore(values);
  try {
    return fn(new ScheduleStore(cli.store.db));
  } catch (err) {
    if (err instanceof AutomationError) throw new CliError(err.message);
    throw err;
  } finally {
    cli.close();
  }
}

const line = (i: InboxItem) => `${localTime(i.createdAt)}  ${i.status.padEnd(15)} ${i.automation.padEnd(20)} ${(i.runId ?? '-').padEnd(26)} ${i.trigger.padEnd(8)} ${i.summary}${i.answer && i.answer !== i.summary ? `\n    ${i.answer.split('\n').join('\n    ')}` : ''}`;

export const scheduleCommands: Command[] = [
  {
    path: ['automations', 'schedule'],
    usage: 'automations schedule NAME "CRON" [--run-missed] [--sandbox | --display] [--db PATH]',
    summary: 'run an automation on a cron schedule (5 fields, or 6 with seconds) while the app or deskpilot serve runs; --run-missed runs a missed one at the next start',
    options: { 'run-missed': { type: 'boolean' }, sandbox: { type: 'boolean' }, display: { type: 'boolean' }, db: { type: 'string' } },
    async run({ values, positionals }) {
      const [name, cron, ...extra] = positionals;
      if (!name || !cron || extra.length) throw new CliError(`give the automation's name and one quoted cron expression\nUsage: deskpilot ${this.usage}`);
      if (values['sandbox'] && values['display']) throw new CliError('give --sandbox or --display, not both');
      const s = withSchedules(values, (schedules) => schedules.set(name, cron, { runMissed: values['run-missed'] === true, target: values['display'] ? 'display' : 'sandbox' }));
      process.stdout.write(`scheduled "${s.name}": ${s.cron} on ${s.target === 'sandbox' ? 'a fresh sandbox display' : "the app's display"}${s.runMissed ? '; a missed run runs at the next start' : ''}\n`);
      return 0;
    },
  },
  {
    path: ['automations', 'unschedule'],
    usage: 'automations unschedule NAME [--db PATH]',
    summary: 'stop running an automation on its schedule',
    options: { db: { type: 'string' } },
    async run({ values, positionals }) {
      const name = positionals[0];
      if (!name) throw new CliError(`give the automation's name\nUsage: deskpilot ${this.usage}`);
      if (!withSchedules(values, (s) => s.remove(name))) throw new CliError(`"${name}" has no schedule`, 1);
      process.stdout.write(`unscheduled "${name}"\n`);
      return 0;
    },
  },
  {
    path: ['automations', 'inbox'],
    usage: 'automations inbox [--filter all|unread|attention|archived] [--json] [--db PATH]',
    summary: "results of scheduled and run-now automations (a prompt's answer included): succeeded, failed, needs attention; archived ones with --filter archived",
    options: { filter: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' } },
    async run({ values }) {
      const filter = (values['filter'] as string | undefined) ?? 'all';
      if (!(FILTERS as readonly string[]).includes(filter)) throw new CliError(`--filter must be ${FILTERS.join(', ')}, not "${filter}"\nUsage: deskpilot ${this.usage}`);
      const items = withSchedules(values, (s) => s.inbox({ filter: filter as InboxFilter }));
      if (values['json']) for (const i of items) process.stdout.write(`${JSON.stringify(i)}\n`);
      else if (!items.length) process.stdout.write('the inbox is empty\n');
      else for (const i of items) process.stdout.write(`${line(i)}\n`);
      return 0;
    },
  },
];
