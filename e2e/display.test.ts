// Virtual displays: isolated, with a window manager, and gone without a trace when stopped or orphaned.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { startDisplay } from '../agents/desktop/display.ts';
import type { DisplayInfo } from '../agents/desktop/display-protocol.ts';
import { runDeskpilot } from './support/cli.ts';
import { isAlive, waitUntil } from './support/processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = (...args: string[]) => runDeskpilot(args, {}, { timeoutMs: 60_000 });

describe('virtual displays', () => {
  it('starts isolated desktops with their own HOME, session bus and window manager', async () => {
    const [a, b] = await Promise.all([startDisplay({ size: { width: 1024, height: 768 } }), startDisplay({ size: { width: 800, height: 600 } })]);
    try {
      expect(a.display).not.toBe(b.display);
      expect(a.env.HOME).not.toBe(b.env.HOME);
      expect(a.env.HOME).not.toBe(homedir());
      for (const key of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'TMPDIR']) expect(existsSync(a.env[key]!)).toBe(true);
      expect(a.env.DBUS_SESSION_BUS_ADDRESS).not.toBe(b.env.DBUS_SESSION_BUS_ADDRESS);
      expect(await a.run('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'])).toMatch(/window id/);
      expect(await a.run('xdpyinfo', [])).toMatch(/dimensions:\s+1024x768 pixels/);
      expect(await b.run('xdpyinfo', [])).toMatch(/dimensions:\s+800x600 pixels/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('stops every process it started and removes its folder', async () => {
    const d = await startDisplay({ size: { width: 800, height: 600 } });
    const app = await d.launch('xterm', []);
    await d.waitForWindow({ class: 'xterm' });
    const pids = [...Object.values(d.info.pids), app, d.info.hostPid];
    expect(pids.every(isAlive)).toBe(true);
    await d.stop();
    await waitUntil('all display processes to exit', () => !pids.some(isAlive), 5000);
    expect(existsSync(d.info.dir)).toBe(false);
    expect(existsSync(`/tmp/.X${d.info.number}-lock`)).toBe(false);
  });

  it('tears down when its owner is killed with SIGKILL', async () => {
    const owner = spawn(process.execPath, ['--import', 'tsx', 'e2e/support/crashing-owner.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const info = await new Promise<DisplayInfo & { app: number }>((resolve, reject) => {
      owner.stdout!.once('data', (d) => resolve(JSON.parse(String(d))));
      owner.once('exit', (c) => reject(new Error(`owner exited early (${c})`)));
    });
    const pids = [...Object.values(info.pids), info.app, info.hostPid];
    expect(pids.every(isAlive)).toBe(true);
    owner.kill('SIGKILL');
    await waitUntil('the orphaned display to tear down', () => !pids.some(isAlive), 8000);
    expect(existsSync(info.dir)).toBe(false);
  });

  it('is driven from the CLI: display start, shot, do, display stop', async () => {
    const started = await cli('display', 'start', '--size', '1024x768');
    expect(started.code, started.stderr).toBe(0);
    const display = started.stdout.trim();
    expect(display).toMatch(/^:\d+$/);
    try {
      const out = `${root}/test-results/cli-shot.png`;
      const shot = await cli('shot', '--display', display, '--out', out, '--width', '512');
      expect(shot.code, shot.stderr).toBe(0);
      const meta = await sharp(out).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([512, 384, 'png']);
      const done = await cli('do', '--display', display, '{"type":"click","x":10,"y":10}');
      expect(done.code, done.stderr).toBe(0);
      const bad = await cli('do', '--display', display, '{"type":"click","x":10');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/not valid JSON/);
      const unknown = await cli('do', '--display', display, '{"type":"keypress","keys":"ctrl+frobnicate"}');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/unknown key "frobnicate"/);
      const offscreen = await cli('do', '--display', display, '{"type":"click","x":2000,"y":10}');
      expect(offscreen.code).toBe(2);
      expect(offscreen.stderr).toMatch(/outside the 1024x768 screen/);
    } finally {
      const stopped = await cli('display', 'stop', display);
      expect(stopped.code, stopped.stderr).toBe(0);
    }
    expect(existsSync(`/tmp/.X${display.slice(1)}-lock`)).toBe(false);
    const again = await cli('display', 'stop', display);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no display/);
  }, 180_000); // nine CLI processes, each starting the engine: slow on 2 busy cores

  it('explains an unknown command', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
