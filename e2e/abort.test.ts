// Aborting a long `type` action on a real display: the promise rejects at once, the keys stop
// within a key or two (checked by the browser's own event timestamps), and the driver is still
// usable afterwards with no key left held down.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { EventPage, openInChromium } from './support/event-page.ts';

const ABORT_AFTER_MS = 300;
const STOP_WITHIN_MS = 100;
const STRAGGLERS_MS = 500;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** 2,000 printable ASCII characters: letters of both cases, digits, punctuation (shifted too). */
function longText(length = 2000): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-_()[]{}@#$%&*+=/<>~\'"';
  let seed = 12345;
  let text = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += alphabet[seed % alphabet.length];
  }
  return text;
}

/** Waits until the CPUs were idle for at least `share` of a 500 ms window (or the time is up, then goes on). */
async function cpuQuiet(share: number, timeoutMs: number): Promise<void> {
  const sample = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = fields.map(Number);
    return { idle: n[3]! + (n[4] ?? 0), total: n.reduce((a, b) => a + b, 0) };
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const a = sample();
    await sleep(500);
    const b = sample();
    if ((b.idle - a.idle) / Math.max(1, b.total - a.total) >= share) return;
  }
}

describe('aborting a long type action', () => {
  let display: VirtualDisplay;
  let driver: NutDriver;
  let page: EventPage;

  beforeAll(async () => {
    // The other e2e files' displays and temp folders may still be going away: start once the CPUs are mostly idle.
    await cpuQuiet(0.7, 30_000);
    [display, page] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), EventPage.start()]);
    [driver] = await Promise.all([NutDriver.start({ display: display.display, env: display.env }), openInChromium(display, page)]);
    // Make sure the page has the keyboard focus; a click sent while a just-mapped kiosk window is still settling can be lost, so click until one lands.
    for (let attempt = 1; ; attempt++) {
      await driver.perform({ type: 'click', x: 640, y: 400, button: 'left' });
      const landed = await page.waitFor((e) => e.type === 'click', 3000, 'the focusing click').then(() => true, (err: unknown) => (attempt < 4 ? false : Promise.reject(err)));
      if (landed) break;
    }
  });

  afterAll(async () => {
    await driver?.close();
    await page?.close();
    await display?.stop();
  });

  it('rejects with AbortError at once and no key arrives later than 100 ms after abort()', async () => {
    const text = longText();
    expect(text).toHaveLength(2000);
    page.clear();

    const controller = new AbortController();
    const startedAt = performance.now();
    let settled = false;
    let rejectedAt = 0;
    const typing = driver.perform({ type: 'type', text }, controller.signal).then(
      () => {
        settled = true;
        throw new Error('typing finished before it was aborted');
      },
      (err: unknown) => {
        settled = true;
        rejectedAt = performance.now();
        throw err;
      },
    );
    typing.catch(() => undefined); // inspected below

    await page.waitFor((e) => e.type === 'keydown', 10_000, 'the first typed key');
    await sleep(Math.max(0, ABORT_AFTER_MS - (performance.now() - startedAt)));
    expect(settled, 'typing 2,000 characters should take longer than the abort delay').toBe(false);
    const abortEpoch = Date.now();
    const abortAt = performance.now();
    controller.abort();

    await expect(typing).rejects.toMatchObject({ name: 'AbortError' });
    expect(rejectedAt - abortAt, 'ms from abort() to rejection').toBeLessThan(STOP_WITHIN_MS);

    await sleep(STRAGGLERS_MS);
    const keydowns = page.ofType('keydown');
    const typed = keydowns.filter((e) => e.key !== 'Shift').map((e) => e.key);
    expect(typed.length).toBeGreaterThan(0);
    expect(typed.length, 'characters typed before the abort took effect').toBeLessThan(2000);
    // What did arrive is the text's beginning, in order, nothing doubled or dropped.
    expect(typed.join('')).toBe(text.slice(0, typed.length));

    const latest = Math.max(...keydowns.map((e) => e.time));
    expect(latest - abortEpoch, 'ms after abort() of the latest keydown (browser timestamp)').toBeLessThanOrEqual(STOP_WITHIN_MS);
  });

  it('the driver still works after the abort and no key is left held down', async () => {
    await sleep(STRAGGLERS_MS); // stragglers of the aborted typing, if the test runs alone
    page.clear();
    const p = { x: 321, y: 654 };
    await driver.perform({ type: 'click', x: p.x, y: p.y, button: 'left' });
    const click = await page.waitFor((e) => e.type === 'click', 5000, 'a click after the abort');
    expect({ x: click.clientX, y: click.clientY, screenX: click.screenX, screenY: click.screenY }).toEqual({ x: p.x, y: p.y, screenX: p.x, screenY: p.y });
    expect(click.detail).toBe(1);

    // A held Shift would make this 'Q'.
    await driver.perform({ type: 'type', text: 'q' });
    const key = await page.waitFor((e) => e.type === 'keydown', 5000, 'a keydown after the abort');
    expect(key.key).toBe('q');
  });
});
