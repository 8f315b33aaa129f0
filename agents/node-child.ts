// Forks a module as a Node child process with an IPC channel. TypeScript sources get tsx, loaded by
// absolute path so it works from any working directory (npx, tests); a bundled .js worker (the
// packaged app) runs as is.
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

let tsxLoader: string | undefined;

export function forkTs(modulePath: string, args: string[] = [], opts: ForkOptions = {}): ChildProcess {
  const bundled = modulePath.endsWith('.js') || modulePath.endsWith('.mjs');
  tsxLoader ??= bundled ? undefined : pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return fork(modulePath, args, {
    serialization: 'advanced',
    ...opts,
    execArgv: bundled ? ['--no-warnings'] : ['--import', tsxLoader!, '--no-warnings'],
  });
}
