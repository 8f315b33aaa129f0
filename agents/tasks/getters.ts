// OSWorld's getters: what a metric compares. The sandbox is on this machine, so vm_file gives the
// file's own path (no copy); a missing result file is null (the metric scores 0).
import { existsSync } from 'node:fs';
import { UnsupportedError } from './errors.ts';
import type { Getter } from './task-schema.ts';
import { chromeValue } from './chrome.ts';
import { resolveSource } from './file-cache.ts';
import { resolveRelativeTime, unknownPhrases } from './relative-time.ts';
import { homeOf, resolveVmPath, runInSandbox, sandboxEnv, type TaskSandbox } from './sandbox.ts';
import { terminalOutput } from './terminal-output.ts';

/** A getter whose value could not be had; `missing` names the file. */
export interface Missing {
  missing: string;
}

export const isMissing = (v: unknown): v is Missing => typeof v === 'object' && v !== null && 'missing' in v && Object.keys(v).length === 1;

function pickGiven<T>(values: T[], gives: number[] | undefined): T | T[] {
  if (!gives) return values;
  const picked = gives.map((i) => values[i]!);
  return picked.length === 1 ? picked[0]! : picked;
}

export async function getValue(getter: Getter, sandbox: TaskSandbox, signal?: AbortSignal): Promise<unknown> {
  const home = homeOf(sandbox);
  switch (getter.type) {
    case 'vm_file': {
      const paths = (Array.isArray(getter.path) ? getter.path : [getter.path]).map((p) => resolveVmPath(p, home));
      const values = paths.map((p) => (existsSync(p) ? p : { missing: p }));
      const missing = values.find(isMissing);
      if (missing) return missing;
      return getter.multi ? pickGiven(values as string[], getter.gives) : values[0];
    }
    case 'cloud_file': {
      const paths: string[] = [];
      for (const p of Array.isArray(getter.path) ? getter.path : [getter.path]) {
        const local = await resolveSource(p, sandbox.taskDir, sandbox.files, signal ? { signal } : {});
        if (!local) throw new UnsupportedError(`cloud_file from ${p} (only http(s), file:// and files next to the task)`);
        if (!existsSync(local)) throw new Error(`the task's expected file ${local} does not exist`);
        paths.push(local);
      }
      return getter.multi ? pickGiven(paths, getter.gives) : paths[0];
    }
    case 'vm_command_line':
    case 'vm_command_error': {
      const r = await runInSandbox(sandbox, getter.command, { shell: getter.shell, timeoutMs: 60_000, ...(signal ? { signal } : {}) });
      if (r.code === null) throw new Error(`${getter.type} ${JSON.stringify(getter.command)}: ${r.error}`);
      return getter.type === 'vm_command_line' ? r.stdout : r.stderr;
    }
    case 'rule':
      return getter.rules;
    case 'rule_relativeTime': {
      const unknown = unknownPhrases(getter.rules);
      if (unknown.length) throw new UnsupportedError(`getter "rule_relativeTime" with ${unknown.map((p) => `"${p}"`).join(', ')}`);
      // Today as the sandbox's apps see it: its TZ if it sets one.
      return resolveRelativeTime(getter.rules, new Date(), sandboxEnv(sandbox)['TZ']);
    }
    case 'vm_terminal_output':
      return terminalOutput(sandbox, signal);
    case 'chrome':
      return chromeValue(getter.name, sandbox.chromePort, home, signal, getter.params);
    case 'unsupported':
      throw new UnsupportedError(`getter "${getter.name}"`);
  }
}
