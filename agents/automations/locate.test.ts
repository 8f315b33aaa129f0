// Which strategy finds a target, in order: the recorded point, its place in the window, a template
// search, and a weak match at the expected place only as a candidate for a slower strategy to confirm; then
// the accessibility name, with a fake finder (one match, several, none).
import { beforeAll, describe, expect, it } from 'vitest';
import type { A11yComponent, A11yFinder, A11yLookup, A11yQuery } from './a11y.ts';
import type { Evidence } from './automation.ts';
import { boxAround, crop, decodeGray, type Gray } from './gray.ts';
import { confirmWeak, locateByA11y, locateByShape } from './locate.ts';
import { template, type Template } from './match.ts';
import { filler, scene } from './testdata/scene.ts';
import type { WindowInfo } from './window-probe.ts';

const SAVE = { text: 'Save', x: 500, y: 400, button: true };
const POINT = { x: 545, y: 415 };
let screen: Gray;
let moved: Gray;
let cropT: Template;
let evidence: Evidence;

beforeAll(async () => {
  screen = await decodeGray(await scene([...filler(), SAVE]));
  moved = await decodeGray(await scene([...filler({ x: 140, y: -75 }), { ...SAVE, x: 640, y: 325 }]));
  const box = boxAround(POINT, { width: 96, height: 48 }, screen);
  cropT = template(crop(screen, box));
  evidence = { point: POINT, crop: 'sha256-x.png', cropOffset: { x: POINT.x - box.left, y: POINT.y - box.top } };
});

/** The screen with deterministic noise over the target's crop: still the best place, but a weak match. */
function noisy(g: Gray, amplitude: number): Gray {
  const data = Uint8Array.from(g.data);
  let seed = 7;
  for (let y = 391; y < 439; y++) {
    for (let x = 497; x < 593; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      data[y * g.width + x] = Math.max(0, Math.min(255, data[y * g.width + x]! + ((seed % (2 * amplitude)) - amplitude)));
    }
  }
  return { ...g, data };
}

describe('locateByShape', () => {
  it('keeps the recorded point when the crop matches there', () => {
    expect(locateByShape({ evidence, crop: cropT, screen })).toMatchObject({ found: true, how: 'replayed', point: POINT });
  });

  it('follows the window when the point keeps its place in it', () => {
    const e: Evidence = { ...evidence, window: { title: 'note.txt - Mousepad', relative: { x: 445, y: 315 } } };
    const window: WindowInfo = { id: '1', title: '*note.txt - Mousepad', left: 240, top: 25, width: 900, height: 600 };
    const r = locateByShape({ evidence: e, crop: cropT, screen: moved, window });
    expect(r).toMatchObject({ found: true, how: 'relocated:window', point: { x: 685, y: 340 } });
    expect(r.detail).toMatch(/^relocated with its window \(match (0\.9\d|1\.00)\), moved \(\+140, -75\)$/);
    // Another window's title: its position says nothing; the search finds the target instead.
    expect(locateByShape({ evidence: e, crop: cropT, screen: moved, window: { ...window, title: 'Terminal' } })).toMatchObject({ how: 'relocated:template', point: { x: 685, y: 340 } });
  });

  it('does not accept a weak match at the recorded point on its own: it is a candidate for a slower strategy to confirm', () => {
    const blurred = noisy(screen, 90);
    const weak = locateByShape({ evidence, crop: cropT, screen: blurred });
    expect(weak).toMatchObject({ found: false, weak: { found: true, how: 'replayed', point: POINT } });
    expect(weak.detail).toMatch(/^best template match 0\.[67]\d < 0\.8$/);
    // The same weak match away from where the target was expected is not even a candidate.
    const elsewhere = locateByShape({ evidence: { ...evidence, point: { x: 300, y: 600 } }, crop: cropT, screen: blurred });
    expect(elsewhere).toMatchObject({ found: false });
    expect('weak' in elsewhere).toBe(false);
    expect(elsewhere.detail).toMatch(/^best template match 0\.[67]\d < 0\.8$/);
  });

  it('a weak candidate is confirmed only by a find at the same place', () => {
    const weak = locateByShape({ evidence: { ...evidence, text: 'Save' }, crop: cropT, screen: noisy(screen, 90) });
    if (weak.found || !weak.weak) throw new Error('expected a weak candidate');
    const ocr = (x: number, y: number) => ({ found: true as const, how: 'relocated:ocr' as const, point: { x, y }, detail: 'ocr' });
    const confirmed = confirmWeak({ ...evidence, text: 'Save' }, weak.weak, ocr(549, 418));
    expect(confirmed).toMatchObject({ found: true, how: 'replayed', point: POINT });
    expect(confirmed!.detail).toMatch(/^replayed at \(545, 415\) \(weak match 0\.[67]\d, confirmed by OCR of 'Save'\)$/);
    expect(confirmWeak(evidence, weak.weak, ocr(600, 415))).toBeUndefined();
  });

  it('replays unchecked at the recorded point when there is no crop', () => {
    expect(locateByShape({ evidence, crop: undefined, screen: moved })).toMatchObject({ found: true, how: 'unchecked', point: POINT });
  });
});

/** A finder that answers from a list, and remembers what it was asked. */
function fakeFinder(components: A11yComponent[], reason?: string): A11yFinder & { asked: A11yQuery[] } {
  const asked: A11yQuery[] = [];
  return {
    asked,
    find: async (q) => {
      asked.push(q);
      const lookup: A11yLookup = { components: components.filter((c) => c.name === q.name && c.role === q.role) };
      return reason ? { ...lookup, reason } : lookup;
    },
  };
}

describe('locateByA11y', () => {
  const SAVE_BUTTON: A11yComponent = { name: 'Save', role: 'push button', box: { left: 640, top: 325, width: 90, height: 30 } };
  const e: Evidence = { point: POINT, a11y: { name: 'Save', role: 'push button', offset: { x: -5, y: 2 } } };

  it('one match: its centre plus the recorded offset', async () => {
    const finder = fakeFinder([SAVE_BUTTON, { ...SAVE_BUTTON, role: 'label' }]);
    const r = await locateByA11y(e, finder, undefined);
    expect(finder.asked).toEqual([{ name: 'Save', role: 'push button' }]);
    expect(r).toEqual({ found: true, how: 'relocated:a11y', point: { x: 680, y: 342 }, detail: "relocated by accessibility name push button 'Save', moved (+135, -73)" });
  });

  it('keeps the point inside the box when the component shrank, and on the screen', async () => {
    const small = { ...SAVE_BUTTON, box: { left: 640, top: 325, width: 6, height: 4 } };
    expect(await locateByA11y({ ...e, a11y: { ...e.a11y!, offset: { x: 40, y: -30 } } }, fakeFinder([small]), undefined)).toMatchObject({ found: true, point: { x: 645, y: 325 } });
    const edge = { ...SAVE_BUTTON, box: { left: 1250, top: 780, width: 60, height: 40 } };
    expect(await locateByA11y(e, fakeFinder([edge]), undefined, { width: 1280, height: 800 })).toMatchObject({ found: true, point: { x: 1275, y: 799 } });
  });

  it('evidence without an offset means the centre', async () => {
    const r = await locateByA11y({ point: POINT, a11y: { name: 'Save', role: 'push button' } }, fakeFinder([SAVE_BUTTON]), undefined);
    expect(r).toMatchObject({ found: true, point: { x: 685, y: 340 } });
  });

  it('several matches: the nearest to where it was expected (its place in the window, else the recorded point)', async () => {
    const far = { ...SAVE_BUTTON, box: { ...SAVE_BUTTON.box, left: 40, top: 700 } };
    const near = { ...SAVE_BUTTON, box: { ...SAVE_BUTTON.box, left: 520, top: 400 } };
    const r = await locateByA11y(e, fakeFinder([far, SAVE_BUTTON, near]), undefined);
    expect(r).toMatchObject({ found: true, how: 'relocated:a11y', point: { x: 560, y: 417 } });
    expect(r.detail).toBe("relocated by accessibility name push button 'Save', moved (+15, +2); 3 components are push button 'Save', took the nearest to where it was");
    // The window moved by (+140, -75): the one that kept its place in it wins.
    const window: WindowInfo = { id: '1', title: 'Invoice - App', left: 240, top: 25, width: 900, height: 600 };
    const inWindow = await locateByA11y({ ...e, window: { title: 'Invoice - App', relative: { x: 445, y: 315 } } }, fakeFinder([far, near, SAVE_BUTTON]), window);
    expect(inWindow).toMatchObject({ found: true, point: { x: 680, y: 342 } });
  });

  it('none: not found, saying which name and why', async () => {
    expect(await locateByA11y(e, fakeFinder([]), undefined)).toEqual({ found: false, detail: "no accessible push button 'Save'" });
    expect(await locateByA11y(e, fakeFinder([], '1 application did not answer'), undefined)).toEqual({ found: false, detail: "no accessible push button 'Save' (1 application did not answer)" });
    expect(await locateByA11y({ point: POINT }, fakeFinder([SAVE_BUTTON]), undefined)).toEqual({ found: false, detail: 'no accessibility name recorded' });
  });
});
