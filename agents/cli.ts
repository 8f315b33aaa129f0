// The `deskpilot` command line: one small module per command group under cli/. A group's module is
// loaded only when its first word is given (all of them for help or an unknown word): the model and
// MCP SDKs behind some groups cost seconds of CPU, and most commands need none of them.
import { CliError, runCli, type Command } from './cli/command.ts';

const desktop = async () => (await import('./cli/desktop-commands.ts')).desktopCommands;
const automations = async () => [
  ...(await import('./cli/automations-commands.ts')).automationsCommands,
  (await import('./cli/record-command.ts')).recordCommand,
  ...(await import('./cli/schedule-commands.ts')).scheduleCommands,
];

/** First word → its group, in the order help lists them. */
const GROUPS: [string[], () => Promise<Command[]>][] = [
  [['display'], async () => (await import('./cli/display-commands.ts')).displayCommands],
  [['shot', 'do'], desktop],
  [['run'], async () => (await import('./cli/run-commands.ts')).runCommands],
  [['runs'], async () => (await import('./cli/runs-commands.ts')).runsCommands],
  [['models'], async () => (await import('./cli/models-commands.ts')).modelsCommands],
  [['tasks'], async () => (await import('./cli/tasks-commands.ts')).tasksCommands],
  [['serve'], async () => (await import('./cli/serve-commands.ts')).serveCommands],
  [['automations'], automations],
  [['skills'], async () => (await import('./cli/skills-commands.ts')).skillsCommands],
  [['mcp'], async () => (await import('./cli/mcp-commands.ts')).mcpCommands],
];

async function commandsFor(first: string | undefined): Promise<Command[]> {
  const group = GROUPS.find(([words]) => first !== undefined && words.includes(first));
  const loaders = group ? [group[1]] : GROUPS.map(([, load]) => load);
  return (await Promise.all(loaders.map((load) => load()))).flat();
}

const argv = process.argv.slice(2);
commandsFor(argv[0])
  .then((commands) => runCli(commands, argv))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      const message = err instanceof CliError ? err.message : `${err.name}: ${err.message}`;
      process.stderr.write(`deskpilot: ${message}\n`);
      process.exitCode = err instanceof CliError ? err.exitCode : 1;
    },
  );
