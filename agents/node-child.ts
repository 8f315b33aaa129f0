// Forks a module as a Node child process with an IPC channel. TypeScript sources run as a cached
// plain-JS bundle (agents/worker-bundle.ts), or under tsx, loaded by absolute path so it works from
// any working directory, when no bundle can be built; a bundled .js worker (the packaged app) runs as is.
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { workerBundle } from './worker-bundle.ts';

let tsxLoader: string | undefined;

export async function forkTs(modulePath: string, args: string[] = [], opts: ForkOptions = {}): Promise<ChildProcess> {
  const prebuilt = modulePath.endsWith('.js') || modulePath.endsWith('.mjs');
  const bundle = prebuilt ? modulePath : await workerBundle(modulePath);
  if (bundle) return fork(bundle, args, { serialization: 'advanced', ...opts, execArgv: ['--no-warnings'] });
  tsxLoader ??= pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return fork(modulePath, args, { serialization: 'advanced', ...opts, execArgv: ['--import', tsxLoader, '--no-warnings'] });
}
