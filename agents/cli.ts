// The `deskpilot` command line: one small module per command group under cli/.
import { CliError, runCli } from './cli/command.ts';
import { displayCommands } from './cli/display-commands.ts';
import { desktopCommands } from './cli/desktop-commands.ts';
import { runCommands } from './cli/run-commands.ts';
import { runsCommands } from './cli/runs-commands.ts';
import { tasksCommands } from './cli/tasks-commands.ts';
import { modelsCommands } from './cli/models-commands.ts';
import { serveCommands } from './cli/serve-commands.ts';
import { automationsCommands } from './cli/automations-commands.ts';
import { scheduleCommands } from './cli/schedule-commands.ts';
import { recordCommand } from './cli/record-command.ts';
import { skillsCommands } from './cli/skills-commands.ts';
import { mcpCommands } from './cli/mcp-commands.ts';

const commands = [...displayCommands, ...desktopCommands, ...runCommands, ...runsCommands, ...modelsCommands, ...tasksCommands, ...serveCommands, ...automationsCommands, recordCommand, ...scheduleCommands, ...skillsCommands, ...mcpCommands];

runCli(commands, process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    const message = err instanceof CliError ? err.message : `${err.name}: ${err.message}`;
    process.stderr.write(`deskpilot: ${message}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);
