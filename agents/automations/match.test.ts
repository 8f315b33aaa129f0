// Template matching on rendered screens: a moved target is found with its score, a missing one is
// refused with the best score seen, a flat crop is not searched, and a search is fast.
import { beforeAll, describe, expect, it } from 'vitest';
import { boxAround, crop, decodeGray, shrink, type Gray } from './gray.ts';
import { scoreAt, searchTemplate, template } from './match.ts';
import { buttonCentre, filler, scene, type Item } from './testdata/scene.ts';

const save: Item = { text: 'Save', x: 500, y: 400, button: true };
let before: Gray;
let moved: Gray;
let missing: Gray;

beforeAll(async () => {
  [before, moved, missing] = await Promise.all([
    scene([...filler(), save]).then(decodeGray),
    scene([...filler({ x: 140, y: -75 }), { ...save, x: 640, y: 325 }]).then(decodeGray),
    scene(filler({ x: 140, y: -75 })).then(decodeGray),
  ]);
});

const cropAt = (g: Gray, p: { x: number; y: number }) => {
  const box = boxAround(p, { width: 96, height: 48 }, g);
  return { t: template(crop(g, box)), off: { x: p.x - box.left, y: p.y - box.top } };
};

describe('template matching', () => {
  it('scores 1 at the recorded place and low where the screen changed', () => {
    const { t, off } = cropAt(before, buttonCentre(save));
    expect(scoreAt(before, t, 545 - off.x, 415 - off.y)).toBeCloseTo(1, 5);
    expect(scoreAt(moved, t, 545 - off.x, 415 - off.y)).toBeLessThan(0.5);
    expect(scoreAt(moved, t, -1, 0)).toBe(0);
  });

  it('finds a moved target exactly', () => {
    const { t, off } = cropAt(before, buttonCentre(save));
    const { matches } = searchTemplate(moved, t);
    expect(matches[0]!.score).toBeGreaterThan(0.99);
    expect({ x: matches[0]!.left + off.x, y: matches[0]!.top + off.y }).toEqual({ x: 545 + 140, y: 415 - 75 });
  });

  it('refuses a missing target: the best match is well below the threshold', () => {
    const { t } = cropAt(before, buttonCentre(save));
    const { matches } = searchTemplate(missing, t);
    expect(matches[0]!.score).toBeLessThan(0.8);
    expect(matches[0]!.score).toBeGreaterThan(0);
  });

  it('does not search a featureless crop', () => {
    const t = template(crop(before, { left: 1100, top: 700, width: 96, height: 48 }));
    expect(t.flat).toBe(true);
    expect(searchTemplate(moved, t).skipped).toMatch(/featureless/);
    expect(scoreAt(missing, t, 1100, 700)).toBeGreaterThan(0.95);
  });

  it('shrinks by box averages', () => {
    const g: Gray = { width: 4, height: 2, data: Uint8Array.from([0, 2, 10, 20, 4, 6, 30, 40]) };
    expect(shrink(g, 2)).toEqual({ width: 2, height: 1, data: Uint8Array.from([3, 25]) });
  });

  it('searches a 1280x800 screen for a 96x48 crop in well under 200 ms', () => {
    const { t } = cropAt(before, buttonCentre(save));
    searchTemplate(moved, t); // warm up the JIT
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      searchTemplate(moved, t);
      times.push(performance.now() - t0);
    }
    expect(times.sort((a, b) => a - b)[2]).toBeLessThan(200);
  });
});
