// Tool call overhead for `npm run bench`: how soon a command's first output arrives, and how soon
// an aborted command is gone with everything it started. Targets: 20 ms median, 200 ms.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolContextFor } from './environment.ts';
import { createShellTool } from './shell.ts';

export interface Spread {
  median: number;
  p95: number;
}

export interface ToolOverhead {
  spawnToFirstByteMs: Spread;
  /** The same with `bash -c` instead of a login shell: what /etc/profile costs. */
  spawnToFirstByteNoLoginMs: Spread;
  /** A bare `spawn('/bin/echo')` to its first byte: what the machine itself costs, for comparison under load. */
  spawnBaselineMs: Spread;
  abortToGoneMs: Spread;
}

function spread(samples: number[]): Spread {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { median: round(at(0.5)), p95: round(at(0.95)) };
}

/** Running and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchToolOverhead(opts: { runs?: number } = {}): Promise<ToolOverhead> {
  const runs = opts.runs ?? 20;
  const shell = createShellTool();
  // A sandbox's empty HOME: a login shell there reads only /etc/profile, as in a real sandbox run.
  const home = await mkdtemp(join(tmpdir(), 'deskpilot-tool-bench-'));
  try {
    const firstByte = async (tool: typeof shell) => {
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        let first: number | undefined;
        const ctx = toolContextFor({ runId: 'bench', sandbox: { env: { HOME: home, TMPDIR: home } }, onOutput: () => (first ??= performance.now()) });
        const t0 = performance.now();
        await tool.run({ command: 'echo x' }, ctx, new AbortController().signal);
        if (first !== undefined) samples.push(first - t0);
      }
      return spread(samples);
    };
    const spawnToFirstByteMs = await firstByte(shell);
    const spawnToFirstByteNoLoginMs = await firstByte(createShellTool({ login: false }));
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        const child = spawn('/bin/echo', ['x'], { stdio: ['ignore', 'pipe', 'ignore'] });
        child.stdout.once('data', () => baseline.push(performance.now() - t0));
        child.once('close', () => resolve());
      });
    }

    const gone: number[] = [];
    for (let i = 0; i < Math.max(5, Math.round(runs / 2)); i++) {
      let text = '';
      const ctx = toolContextFor({ runId: 'bench', sandbox: { env: { HOME: home, TMPDIR: home } }, onOutput: (c) => (text += c.text) });
      const ac = new AbortController();
      const call = shell.run({ command: 'echo $$; sleep 300 & echo $!; bash -c "sleep 300 & echo \\$!; wait" & sleep 0.05; echo ready; wait' }, ctx, ac.signal);
      while (!text.includes('ready')) await sleep(2);
      const pids = text.split('\n').map(Number).filter((p) => p > 0);
      const t0 = performance.now();
      ac.abort();
      while (pids.some(alive)) {
        if (performance.now() - t0 > 5000) throw new Error(`processes ${pids.filter(alive).join(', ')} still ran 5 s after the abort`);
        await sleep(1);
      }
      gone.push(performance.now() - t0);
      await call;
    }
    return { spawnToFirstByteMs, spawnToFirstByteNoLoginMs, spawnBaselineMs: spread(baseline), abortToGoneMs: spread(gone) };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
