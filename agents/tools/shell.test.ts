// The shell tool against real bash processes: streaming, the cap, exit codes, timeouts, and abort
// stopping every process the command started.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolContextFor } from './environment.ts';
import { stopToolProcesses } from './process-group.ts';
import { createShellTool } from './shell.ts';
import { ToolInputError, type ToolContext, type ToolOutputChunk } from './tool.ts';

let home: string;
const shell = createShellTool();

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'deskpilot-shell-test-'));
  mkdirSync(join(home, 'sub'));
  writeFileSync(join(home, 'plain.txt'), 'x');
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function context(overrides: Partial<ToolContext> = {}) {
  const chunks: ToolOutputChunk[] = [];
  const ctx = toolContextFor({ runId: 'shell-test', sandbox: { env: { HOME: home, TMPDIR: home } }, onOutput: (c) => chunks.push(c) });
  return { ctx: { ...ctx, ...overrides }, chunks };
}

const never = () => new AbortController().signal;

/** Running and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function groupMembers(pgid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' }).split('\n').map(Number).filter((p) => p > 0 && alive(p));
  } catch {
    return []; // ps exits 1 when the group is empty
  }
}

const waitFor = async (check: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Starts `command` (which prints pids, one per line, then "ready"), aborts it, and times until every printed pid is gone. */
async function abortAndTime(command: string) {
  const { ctx, chunks } = context();
  const ac = new AbortController();
  const call = shell.run({ command }, ctx, ac.signal);
  let settled = false;
  void call.then(() => (settled = true));
  const text = () => chunks.map((c) => c.text).join('');
  await waitFor(() => text().includes('ready'), 5000);
  const pids = text().split('\n').map(Number).filter((p) => p > 0);
  expect(pids.length).toBeGreaterThanOrEqual(2);
  expect(pids.every(alive)).toBe(true);
  const t0 = performance.now();
  ac.abort();
  await waitFor(() => !pids.some(alive), 500);
  const goneMs = performance.now() - t0;
  await waitFor(() => settled, 500);
  return { pids, goneMs, result: await call };
}

describe('shell tool', () => {
  it('streams stdout and stderr in the order they come, before the command ends', async () => {
    const { ctx, chunks } = context();
    const times: number[] = [];
    const onOutput = (c: ToolOutputChunk) => {
      chunks.push(c);
      times.push(performance.now());
    };
    const r = await shell.run({ command: 'for i in 1 2 3; do echo out$i; echo err$i >&2; sleep 0.1; done' }, { ...ctx, onOutput }, never());
    const end = performance.now();
    const seq = chunks.flatMap((c) => c.text.trim().split('\n').map((line) => `${c.stream}:${line}`));
    expect(seq).toEqual(['stdout:out1', 'stderr:err1', 'stdout:out2', 'stderr:err2', 'stdout:out3', 'stderr:err3']);
    expect(end - times[0]!).toBeGreaterThan(150); // the first line came while the command still ran
    expect(r).toMatchObject({ isError: false, exitCode: 0, truncated: false });
    expect(r.output).toBe('out1\nerr1\nout2\nerr2\nout3\nerr3\nexit code 0');
  });

  it('decodes UTF-8 split across chunks', async () => {
    const { ctx, chunks } = context();
    // The two halves of "é" and of "日" written a moment apart arrive as separate chunks.
    const r = await shell.run({ command: "printf '\\xc3'; sleep 0.05; printf '\\xa9\\xe6'; sleep 0.05; printf '\\x97\\xa5\\n'" }, ctx, never());
    expect(chunks.map((c) => c.text).join('')).toBe('é日\n');
    expect(r.output).toBe('é日\nexit code 0');
  });

  it('keeps 1 MB of output to the cap: the head, the tail and a note of what was left out', async () => {
    const { ctx, chunks } = context();
    const r = await shell.run({ command: 'seq 1 200000' }, ctx, never());
    const full = Array.from({ length: 200000 }, (_, i) => `${i + 1}\n`).join('');
    expect(chunks.map((c) => c.text).join('')).toBe(full); // the stream is whole, only the result is capped
    expect(r.truncated).toBe(true);
    const m = /\n\[… (\d+) bytes left out …\]\n/.exec(r.output);
    expect(m).not.toBeNull();
    const [head, tail] = r.output.split(m![0]) as [string, string];
    expect(Buffer.byteLength(head)).toBe(32 * 1024);
    expect(full.startsWith(head)).toBe(true);
    expect(tail.endsWith('199999\n200000\nexit code 0')).toBe(true);
    const keptTail = tail.slice(0, -'exit code 0'.length);
    expect(full.endsWith(keptTail)).toBe(true);
    expect(Number(m![1])).toBe(Buffer.byteLength(full) - Buffer.byteLength(head) - Buffer.byteLength(keptTail));

    const big = await shell.run({ command: "head -c 1048576 /dev/zero | tr '\\0' a" }, ctx, never());
    expect(big.output).toContain(`[… ${1048576 - 65536} bytes left out …]`);
    expect(big.output.length).toBeLessThan(66 * 1024);
  });

  it('reports exit codes and says so plainly', async () => {
    const { ctx } = context();
    const failed = await shell.run({ command: 'echo nope >&2; exit 2' }, ctx, never());
    expect(failed).toMatchObject({ isError: true, exitCode: 2 });
    expect(failed.output).toBe('nope\nexit code 2');
    const quiet = await shell.run({ command: 'true' }, ctx, never());
    expect(quiet).toMatchObject({ isError: false, exitCode: 0, output: '(no output)\nexit code 0' });
  });

  it('runs in cwd (relative to the home folder, ~ expanded) and refuses a folder that is not one', async () => {
    const { ctx } = context();
    expect((await shell.run({ command: 'pwd' }, ctx, never())).output).toBe(`${home}\nexit code 0`);
    expect((await shell.run({ command: 'pwd', cwd: 'sub' }, ctx, never())).output).toBe(`${join(home, 'sub')}\nexit code 0`);
    expect((await shell.run({ command: 'pwd', cwd: '~/sub' }, ctx, never())).output).toBe(`${join(home, 'sub')}\nexit code 0`);
    await expect(shell.run({ command: 'pwd', cwd: 'missing' }, ctx, never())).rejects.toThrow(ToolInputError);
    await expect(shell.run({ command: 'pwd', cwd: 'missing' }, ctx, never())).rejects.toThrow(/does not exist/);
    await expect(shell.run({ command: 'pwd', cwd: 'plain.txt' }, ctx, never())).rejects.toThrow(/is a file, not a folder/);
  });

  it('stops a command that takes too long, with all it started, and tells the model', async () => {
    const { ctx, chunks } = context();
    const t0 = performance.now();
    const r = await shell.run({ command: 'sleep 300 & echo $!; sleep 300', timeout_seconds: 0.3 }, ctx, never());
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(r).toMatchObject({ isError: true, timedOut: true });
    expect(r.output).toMatch(/stopped after 0\.3 s: the command took too long$/);
    const child = Number(chunks[0]!.text.trim());
    await waitFor(() => !alive(child), 500);
  });

  it('never waits longer than the settings allow', async () => {
    const { ctx } = context({ maxTimeoutMs: 200 });
    const r = await shell.run({ command: 'sleep 300', timeout_seconds: 3600 }, ctx, never());
    expect(r.timedOut).toBe(true);
    expect(r.output).toContain('stopped after 0.2 s: the command took too long (the settings allow at most 0.2 s)');
  });

  it('abort during sleep 300 ends the process at once and settles the call', async () => {
    const { pids, goneMs, result } = await abortAndTime('echo $$; sleep 300 & echo $!; echo ready; wait');
    expect(goneMs).toBeLessThan(500);
    expect(result.output).toMatch(/stopped: the run was aborted$/);
    expect(result.isError).toBe(true);
    expect(groupMembers(pids[0]!)).toEqual([]);
  });

  it('abort ends children, grandchildren and a double-forked child left to init', async () => {
    const command = [
      'echo $$',
      "bash -c 'sleep 300 & echo $!; sleep 300 & echo $!; wait' &",
      // The subshell exits at once: its sleep is re-parented, still in our process group.
      '( sleep 300 & echo $! )',
      'sleep 0.1; echo ready; wait',
    ].join('\n');
    const { pids, goneMs } = await abortAndTime(command);
    expect(pids.length).toBe(4);
    expect(goneMs).toBeLessThan(500);
    expect(groupMembers(pids[0]!)).toEqual([]);
  });

  it('kills a command that ignores SIGTERM', async () => {
    const { goneMs } = await abortAndTime(`trap '' TERM; echo $$; bash -c "trap '' TERM; echo \\$\\$; echo ready; sleep 300"`);
    expect(goneMs).toBeLessThan(500);
  });

  it('does not wait for a background child that holds the output pipe; the run end stops it', async () => {
    const { ctx, chunks } = context({ runId: 'leftover-test' });
    const t0 = performance.now();
    const r = await shell.run({ command: 'sleep 300 & echo $!' }, ctx, never());
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r).toMatchObject({ isError: false, exitCode: 0 });
    const pid = Number(chunks[0]!.text.trim());
    expect(alive(pid)).toBe(true);
    await stopToolProcesses('leftover-test');
    await waitFor(() => !alive(pid), 500);
  });

  it('shows the command no key or token of the environment it came from', async () => {
    const secrets = {
      OPENAI_API_KEY: 'sk-proj-abcdefghijklmnop1234',
      ANTHROPIC_API_KEY: 'sk-ant-api03-zzzzzzzzzzzzzzzz',
      GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123',
      DESKPILOT_SERVE_TOKEN: 'serve-token-value-1',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-value-2',
      DB_PASSWORD: 'hunter2-value-3',
      INNOCENT_NAME: 'sk-live-looksLikeAKey12345',
      npm_config__authToken: 'npm-auth-value-4',
      HTTPS_PROXY: 'http://user:pa55word@proxy.example:3128',
    };
    const baseEnv = { PATH: process.env['PATH'], HOME: home, LANG: 'C.UTF-8', DISPLAY: ':42', XDG_RUNTIME_DIR: home, ...secrets };
    for (const sandbox of [undefined, { env: { HOME: home, DISPLAY: ':43' } }]) {
      const ctx = toolContextFor({ runId: 'env-test', baseEnv, sandbox });
      const r = await shell.run({ command: 'env' }, ctx, never());
      expect(r.exitCode).toBe(0);
      for (const [name, value] of Object.entries(secrets)) {
        expect(r.output).not.toContain(value);
        expect(r.output).not.toContain(`${name}=`);
      }
      expect(r.output).toContain(`HOME=${home}`);
      expect(r.output).toMatch(/^PATH=/m);
      expect(r.output).toContain(sandbox ? 'DISPLAY=:43' : 'DISPLAY=:42');
    }
  });

  it('runs a login shell quickly and without noise in a sandbox HOME', async () => {
    const { ctx, chunks } = context();
    const t0 = performance.now();
    const r = await shell.run({ command: 'echo ok; shopt -q login_shell && echo login' }, ctx, never());
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.output).toBe('ok\nlogin\nexit code 0');
    expect(chunks.filter((c) => c.stream === 'stderr')).toEqual([]);
  });

  it('gives the command an empty stdin, so one waiting for input ends', async () => {
    const { ctx } = context();
    const r = await shell.run({ command: 'read -r line; echo "got [$line] $?"; cat' }, ctx, never());
    expect(r.output).toBe('got [] 1\nexit code 0');
  });

  it('assesses risk with the shared command rules', () => {
    const { ctx } = context();
    expect(shell.risk({ command: 'ls -la' }, ctx)).toEqual([]);
    expect(shell.risk({ command: 'rm -rf ~' }, ctx).length).toBeGreaterThan(0);
  });
});
