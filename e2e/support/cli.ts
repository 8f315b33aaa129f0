// `node bin/deskpilot.js ARGS` as a user runs it: a real process from the project folder, stdin
// closed, DISPLAY unset (a test names its display), its output and exit code collected.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runDeskpilot(args: string[], env: NodeJS.ProcessEnv): Promise<CliExit> {
  const full: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete full['DISPLAY'];
  const child = spawn(process.execPath, ['bin/deskpilot.js', ...args], { cwd: root, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
