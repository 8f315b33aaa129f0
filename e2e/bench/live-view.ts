// Live view at 1280x800 while the driver types into xterm as a run does: frames per second a viewer
// receives, the delay from a key to the frame that shows it, and the CPU x11vnc spends (from /proc).
// Run alone: npx tsx e2e/bench/live-view.ts (or npm run bench live).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { startDisplay } from '../../agents/desktop/display.ts';
import { LiveView } from '../../agents/desktop/live-view.ts';
import { NutDriver } from '../../agents/desktop/nut-driver.ts';
import { openXterm } from '../support/apps.ts';
import { RfbTestClient } from '../support/rfb-client.ts';
import { printRows, timingRow, type Row } from './stats.ts';

const exec = promisify(execFile);
const TICKS = 100; // USER_HZ on Linux

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

export async function benchLiveView(seconds = 10, probes = 20): Promise<void> {
  const display = await startDisplay({ size: { width: 1280, height: 800 } });
  const driver = await NutDriver.start({ display: display.display, env: display.env });
  const view = new LiveView();
  try {
    await openXterm(display, 'live-bench');
    const conn = await view.connect(display.display);
    const client = await RfbTestClient.overSocket(conn.socket);
    client.requestUpdate(false);
    await client.readUpdate();

    // One update request always outstanding, as noVNC keeps one: each answer is a frame.
    let frames = 0;
    let bytes = 0;
    let lastFrame = 0;
    let closed = false;
    const pump = (async () => {
      while (!closed) {
        client.requestUpdate(true);
        const rects = await client.readUpdate().catch(() => []);
        if (rects.length) {
          frames += 1;
          lastFrame = performance.now();
        }
        bytes += rects.reduce((n, r) => n + r.w * r.h * 4, 0);
      }
    })();

    const stop = new AbortController();
    const typing = (async () => {
      while (!stop.signal.aborted) await driver.perform({ type: 'type', text: 'echo the quick brown fox jumps over the lazy dog\n' }, stop.signal).catch(() => undefined);
    })();
    const cpu0 = cpuSeconds(conn.pid!);
    const start = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const elapsed = (performance.now() - start) / 1000;
    const counted = frames;
    const streamed = bytes;
    const cpu = (cpuSeconds(conn.pid!) - cpu0) / elapsed;
    stop.abort();
    await typing;

    // Delay: a key pressed at t0 until the next frame arrives (the screen is still otherwise).
    const delays: number[] = [];
    for (let i = 0; i < probes; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const t0 = performance.now();
      await exec('xdotool', ['key', i % 2 ? 'BackSpace' : 'x'], { env: { ...process.env, ...display.env } });
      while (lastFrame < t0 && performance.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 2));
      delays.push(lastFrame - t0);
    }
    closed = true;
    client.close();
    conn.release();
    await pump;
    const rows: Row[] = [
      { name: 'frames per second while typing', value: `${(counted / elapsed).toFixed(1)} fps (${counted} frames in ${elapsed.toFixed(1)} s, raw encoding ${(streamed / elapsed / 1e6).toFixed(2)} MB/s)`, target: '~10 fps' },
      timingRow('key to frame (includes xdotool start-up)', delays, '< 200 ms'),
      { name: 'x11vnc CPU while streaming', value: `${(cpu * 100).toFixed(1)} % of one core` },
    ];
    printRows('Live view at 1280x800 (x11vnc -inetd, raw RFB client)', rows);
  } finally {
    await view.close();
    await driver.close();
    await display.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLiveView();
