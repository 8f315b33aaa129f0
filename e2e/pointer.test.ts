// The mouse through NutDriver on real Xvfb displays, checked against what a full-screen (kiosk)
// Chromium page receives: exact pixels at two screen sizes and through a scaled model space,
// click counts, buttons, drags and wheel directions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { imageToScreen, scalingFor, screenToImage, type Size } from '../agents/desktop/geometry.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { EventPage, openInChromium, type PageEvent, type PageEventType } from './support/event-page.ts';


const SETTLE_MS = 250; // time for late events of a finished action to reach the server

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function at(e: PageEvent): { x: number; y: number; screenX: number; screenY: number } {
  return { x: e.clientX, y: e.clientY, screenX: e.screenX, screenY: e.screenY };
}

function exactly(p: { x: number; y: number }) {
  return { x: p.x, y: p.y, screenX: p.x, screenY: p.y };
}

function types(events: PageEvent[]): PageEventType[] {
  return events.map((e) => e.type);
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] satisfies Size[]) {
  describe(`pointer on a ${size.width}x${size.height} display`, () => {
    let display: VirtualDisplay;
    let driver: NutDriver;
    let page: EventPage;

    beforeAll(async () => {
      [display, page] = await Promise.all([startDisplay({ size }), EventPage.start()]);
      [driver] = await Promise.all([NutDriver.start({ display: display.display, env: display.env }), openInChromium(display, page)]);
      expect(driver.size).toEqual(size);
    });

    afterAll(async () => {
      await driver?.close();
      await page?.close();
      await display?.stop();
    });

    /** Clicks and returns this click's events once its `click` (or `auxclick`) has arrived. */
    async function clickAt(p: { x: number; y: number }, button: 'left' | 'right' | 'middle' = 'left'): Promise<PageEvent[]> {
      page.clear();
      await driver.perform({ type: 'click', x: p.x, y: p.y, button });
      const last = button === 'left' ? 'click' : 'auxclick';
      await page.waitFor((e) => e.type === last, 5000, `a ${last} at (${p.x}, ${p.y})`);
      await sleep(button === 'left' ? 0 : 50); // contextmenu and friends are never later than auxclick, but be kind
      // The page's own 'ready'/'resize' can arrive late on a busy machine: they are not input.
      return page.ofType().filter((e) => e.type !== 'ready' && e.type !== 'resize');
    }

    it('clicks land on the exact pixel asked for, corners and edges included', async () => {
      const { width: w, height: h } = size;
      // Kiosk Chromium covers the whole screen at (0,0), so every pixel, corners too, is the page.
      const points = [
        { x: 0, y: 0 },
        { x: w - 1, y: h - 1 },
        { x: w - 1, y: 0 },
        { x: 0, y: h - 1 },
        { x: Math.floor(w / 2), y: Math.floor(h / 2) },
        { x: 7, y: h - 13 },
        { x: 333, y: 517 },
      ];
      for (const p of points) {
        const events = await clickAt(p);
        expect(types(events), `events for a click at (${p.x}, ${p.y})`).toEqual(['mousedown', 'mouseup', 'click']);
        for (const e of events) {
          expect(at(e), `${e.type} for a click at (${p.x}, ${p.y})`).toEqual(exactly(p));
          expect(e.button).toBe(0);
          expect(e.detail).toBe(1);
        }
      }
    });

    if (size.width === 1920) {
      it('points in the scaled model image land on the screen pixel imageToScreen gives', async () => {
        // The standard target (16:9 is not exactly 1366:768, so 1365x768) and a narrower image.
        for (const scaling of [scalingFor(size), scalingFor(size, { width: 1024 })]) {
          const { width: iw, height: ih } = scaling.image;
          expect(iw).toBeLessThan(size.width);
          const modelPoints = [
            { x: 0, y: 0 },
            { x: iw - 1, y: ih - 1 },
            { x: Math.floor(iw / 2), y: Math.floor(ih / 2) },
            { x: 1, y: ih - 2 },
            { x: Math.round(iw * 0.73), y: 37 },
          ];
          for (const m of modelPoints) {
            const s = imageToScreen(m, scaling);
            expect(screenToImage(s, scaling)).toEqual(m);
            const events = await clickAt(s);
            const what = `click for model point (${m.x}, ${m.y}) in ${iw}x${ih} -> screen (${s.x}, ${s.y})`;
            expect(types(events), what).toEqual(['mousedown', 'mouseup', 'click']);
            for (const e of events) expect(at(e), what).toEqual(exactly(s));
          }
        }
      });
    }

    it('double_click arrives as 2 clicks and a dblclick (detail 2), triple_click as 3 clicks (detail 3), every time', async () => {
      // Several tries: with the bug, presses of one multi-click share an X server millisecond and
      // Chromium counts them wrong or drops them, about half the time.
      for (let i = 0; i < 3; i++) {
        for (const [type, count] of [
          ['double_click', 2],
          ['triple_click', 3],
        ] as const) {
          const p = { x: 150 + i * 160 + count * 30, y: 650 - i * 11 }; // apart, so no click joins another
          const what = `${type} #${i + 1} at (${p.x}, ${p.y})`;
          page.clear();
          await driver.perform({ type, x: p.x, y: p.y });
          await page.waitFor((e) => e.type === 'click', 5000, `a click from ${what}`);
          await page.waitUntil(() => page.ofType('click').length >= count, 1000).catch(() => undefined);
          await sleep(SETTLE_MS);
          expect(page.ofType('mousedown').map((e) => e.detail), `${what}: mousedown details`).toEqual(count === 2 ? [1, 2] : [1, 2, 3]);
          expect(page.ofType('click').map((e) => e.detail), `${what}: click details`).toEqual(count === 2 ? [1, 2] : [1, 2, 3]);
          expect(page.ofType('mouseup')).toHaveLength(count);
          const dbl = page.ofType('dblclick');
          expect(dbl.map((e) => e.detail), `${what}: dblclick events`).toEqual([2]);
          for (const e of page.ofType('mousedown', 'mouseup', 'click', 'dblclick')) {
            expect(at(e), `${what}: ${e.type}`).toEqual(exactly(p));
            expect(e.button).toBe(0);
          }
        }
      }
    });

    it('two click actions at one spot, one after the other, are two single clicks', async () => {
      const p = { x: 901, y: 402 };
      page.clear();
      await driver.perform({ type: 'click', x: p.x, y: p.y, button: 'left' });
      await driver.perform({ type: 'click', x: p.x, y: p.y, button: 'left' });
      await page.waitUntil(() => page.ofType('click').length >= 2, 5000, 'two clicks');
      await sleep(SETTLE_MS);
      expect(page.ofType('click').map((e) => e.detail)).toEqual([1, 1]);
      expect(page.ofType('dblclick')).toHaveLength(0);
    });

    it('a right click arrives as button 2 with a contextmenu, a middle click as button 1 with an auxclick', async () => {
      const r = { x: 620, y: 311 };
      const right = await clickAt(r, 'right');
      expect(types(right)).toContain('contextmenu');
      expect(types(right)).not.toContain('click');
      for (const t of ['mousedown', 'contextmenu', 'mouseup', 'auxclick'] as const) {
        const e = right.find((ev) => ev.type === t);
        expect(e, `${t} for a right click`).toBeDefined();
        expect(e!.button, `${t} button`).toBe(2);
        expect(at(e!)).toEqual(exactly(r));
      }

      const m = { x: 731, y: 299 };
      const middle = await clickAt(m, 'middle');
      expect(types(middle)).toEqual(['mousedown', 'mouseup', 'auxclick']);
      for (const e of middle) {
        expect(e.button, `${e.type} button`).toBe(1);
        expect(at(e)).toEqual(exactly(m));
      }
    });

    it('a drag arrives as mousedown at its start and mouseup at its end', async () => {
      const path = [
        { x: 120, y: 140 },
        { x: 480, y: 390 },
        { x: size.width - 200, y: size.height - 150 },
      ];
      page.clear();
      await driver.perform({ type: 'drag', path, button: 'left' });
      await page.waitFor((e) => e.type === 'mouseup', 5000, 'the mouseup ending the drag');
      await sleep(50);
      const downs = page.ofType('mousedown');
      const ups = page.ofType('mouseup');
      expect(downs).toHaveLength(1);
      expect(ups).toHaveLength(1);
      expect(at(downs[0]!)).toEqual(exactly(path[0]!));
      expect(at(ups[0]!)).toEqual(exactly(path.at(-1)!));
      expect(downs[0]!.button).toBe(0);
      expect(ups[0]!.button).toBe(0);
      expect(ups[0]!.time).toBeGreaterThanOrEqual(downs[0]!.time);
    });

    /** Scrolls and returns the wheel events (with their summed deltas) once they have stopped. */
    async function scroll(direction: 'up' | 'down' | 'left' | 'right', amount: number, p: { x: number; y: number }) {
      page.clear();
      await driver.perform({ type: 'scroll', x: p.x, y: p.y, direction, amount });
      await page.waitFor((e) => e.type === 'wheel', 5000, `a wheel event for scroll ${direction}`);
      // Chromium coalesces queued notches into fewer events; wait until they stop coming.
      let n = -1;
      while (n !== page.events.length) {
        n = page.events.length;
        await sleep(SETTLE_MS);
      }
      const wheels = page.ofType('wheel');
      return {
        wheels,
        dx: wheels.reduce((s, e) => s + e.deltaX, 0),
        dy: wheels.reduce((s, e) => s + e.deltaY, 0),
      };
    }

    let notch = 0; // |delta| of one wheel notch, measured by the vertical test

    it('scroll up and down arrive as wheel events with negative and positive deltaY', async () => {
      const p = { x: 700, y: 420 };
      const one = await scroll('down', 1, p);
      expect(one.wheels).toHaveLength(1);
      notch = one.dy;
      expect(notch).toBeGreaterThan(0);
      for (const [direction, sign] of [
        ['up', -1],
        ['down', 1],
      ] as const) {
        const { wheels, dx, dy } = await scroll(direction, 3, p);
        for (const e of wheels) {
          expect(Math.sign(e.deltaY), `deltaY sign for scroll ${direction}`).toBe(sign);
          expect(e.deltaX).toBe(0);
          expect(at(e)).toEqual(exactly(p));
        }
        expect(dx).toBe(0);
        expect(dy, `total deltaY for scroll ${direction} 3`).toBe(sign * 3 * notch);
      }
    });

    it('scroll left and right arrive as wheel events with negative and positive deltaX', async () => {
      const p = { x: 640, y: 377 };
      for (const [direction, sign] of [
        ['left', -1],
        ['right', 1],
      ] as const) {
        const { wheels, dx, dy } = await scroll(direction, 2, p);
        for (const e of wheels) {
          expect(e.deltaY).toBe(0);
          expect(at(e)).toEqual(exactly(p));
          expect(Math.sign(e.deltaX), `deltaX sign for scroll ${direction}`).toBe(sign);
        }
        expect(dy).toBe(0);
        expect(Math.abs(dx), `total |deltaX| for scroll ${direction} 2`).toBe(2 * (notch || 120));
      }
    });
  });
}
