// Finding a step's target on the current screen from its evidence: the recorded point checked
// against the crop, then the point relative to the active window, then a template search over the
// whole screen, then the component with the recorded accessibility name and role (AT-SPI, about
// 0.1 s), then (slowest, last) the recorded word by OCR.
import type { Point } from '../desktop/actions.ts';
import { centreOfBox, type A11yFinder } from './a11y.ts';
import type { Evidence } from './automation.ts';
import { encodePng, type Gray } from './gray.ts';
import { scoreAt, searchTemplate, type Template } from './match.ts';
import { centreOf, ocrWords, wordsMatching, type OcrWord } from './ocr.ts';
import type { WindowInfo } from './window-probe.ts';

export interface Thresholds {
  /** The crop at a candidate point (recorded or window-relative) must match this well. */
  check: number;
  /** The best place found by searching the whole screen must match this well. */
  match: number;
  /**
   * A weaker match at the expected place (the run's own screenshot can be a frame early: a key not yet
   * drawn next to the target) is a candidate only: it is acted on when the accessibility name or OCR
   * confirms the target there, never on its own (a similar-looking line of text matches about 0.6).
   */
  corroborated: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { check: 0.85, match: 0.8, corroborated: 0.6 };
/** How far around the expected place a weak match may peak, in screen px. */
const NEAR_PX = 2;
/** How much better a place elsewhere must match than the expected one to move the target there. */
const MOVE_MARGIN = 0.1;
/** Matches this close to the best are equally good: the one nearest the expected place wins. */
const TIE = 0.02;

export type How = 'replayed' | 'relocated:window' | 'relocated:template' | 'relocated:a11y' | 'relocated:ocr' | 'relocated:operator' | 'unchecked';

export interface Found {
  found: true;
  how: How;
  point: Point;
  score?: number;
  /** A readable account: "relocated by template match (0.93), moved (+40, +25)". */
  detail: string;
}

export interface NotFound {
  found: false;
  /** Best template score seen, for the failure message. */
  best?: number;
  /** A weak match where the target was expected: used only if a slower strategy finds the target there too. */
  weak?: Found;
  detail: string;
}

export interface ShapeInput {
  evidence: Evidence;
  /** The decoded crop, or undefined when the evidence has none (or its file is gone). */
  crop: Template | undefined;
  screen: Gray;
  window?: WindowInfo | undefined;
  thresholds?: Thresholds;
}

const moved = (from: Point, to: Point) => (from.x === to.x && from.y === to.y ? 'not moved' : `moved (${signed(to.x - from.x)}, ${signed(to.y - from.y)})`);
const signed = (n: number) => (n >= 0 ? `+${n}` : String(n));

/** The cheap strategies: they take milliseconds, so a replay can retry them while the screen changes. */
export function locateByShape({ evidence, crop, screen, window, thresholds = DEFAULT_THRESHOLDS }: ShapeInput): Found | NotFound {
  const recorded = evidence.point;
  const expected = windowPoint(evidence, window);
  if (!crop || !evidence.cropOffset) {
    const p = expected ?? recorded;
    return { found: true, how: 'unchecked', point: p, detail: `no crop to check against; ${expected ? 'at its place in the window' : 'at the recorded point'}, unchecked` };
  }
  const off = evidence.cropOffset;
  const at = (p: Point) => scoreAt(screen, crop, p.x - off.x, p.y - off.y);
  const here = at(recorded);
  if (here >= thresholds.check) return { found: true, how: 'replayed', point: recorded, score: here, detail: `replayed at (${recorded.x}, ${recorded.y}) (match ${here.toFixed(2)})` };
  if (expected && (expected.x !== recorded.x || expected.y !== recorded.y)) {
    const s = at(expected);
    if (s >= thresholds.check) return { found: true, how: 'relocated:window', point: expected, score: s, detail: `relocated with its window (match ${s.toFixed(2)}), ${moved(recorded, expected)}` };
  }
  // The best the expected places (recorded, or in the window) manage within a couple of pixels.
  const near = (p: Point) => {
    let top = 0;
    for (let dy = -NEAR_PX; dy <= NEAR_PX; dy++) for (let dx = -NEAR_PX; dx <= NEAR_PX; dx++) top = Math.max(top, at({ x: p.x + dx, y: p.y + dy }));
    return top;
  };
  const stay = [{ p: recorded, how: 'replayed' as How }, ...(expected ? [{ p: expected, how: 'relocated:window' as How }] : [])]
    .map((c) => ({ ...c, score: near(c.p) }))
    .sort((a, b) => b.score - a.score)[0]!;
  const stayHere = (why: string): Found => {
    const where = stay.how === 'replayed' ? `replayed at (${stay.p.x}, ${stay.p.y})` : `relocated with its window, ${moved(recorded, stay.p)}`;
    return { found: true, how: stay.how, point: stay.p, score: stay.score, detail: `${where} (weak match ${stay.score.toFixed(2)}; ${why})` };
  };
  // At the template search's own bar the expected place is found; below it, down to `corroborated`, it is only a candidate.
  const canStay = stay.score >= thresholds.match;
  const weak = stay.score >= thresholds.corroborated ? { weak: stayHere('confirmation needed') } : {};

  const search = searchTemplate(screen, crop);
  if (search.skipped) return { found: false, best: here, ...weak, detail: `${search.skipped}; at the recorded point it matches ${here.toFixed(2)} < ${thresholds.check}` };
  const best = search.matches[0];
  if (!best || best.score < thresholds.match) {
    if (canStay) return stayHere(`nothing on the screen matches ${thresholds.match} or better`);
    const top = Math.max(best?.score ?? 0, stay.score);
    return { found: false, best: Math.max(top, here), ...weak, detail: `best template match ${top.toFixed(2)} < ${thresholds.match}` };
  }
  // Moving is a claim: with a decent match where the target was expected, only a clearly better one elsewhere wins.
  if (stay.score >= thresholds.corroborated && best.score - stay.score < MOVE_MARGIN) {
    if (canStay) return stayHere(`the best match elsewhere, ${best.score.toFixed(2)}, is not clearly better`);
    return { found: false, best: best.score, ...weak, detail: `a weak match ${stay.score.toFixed(2)} where it was expected and ${best.score.toFixed(2)} elsewhere: neither is clearly the target` };
  }
  const hint = expected ?? recorded;
  const ties = search.matches.filter((m) => m.score >= thresholds.match && m.score >= best.score - TIE);
  const pick = ties
    .map((m) => ({ m, p: { x: m.left + off.x, y: m.top + off.y } }))
    .sort((a, b) => Math.hypot(a.p.x - hint.x, a.p.y - hint.y) - Math.hypot(b.p.x - hint.x, b.p.y - hint.y))[0]!;
  const note = ties.length > 1 ? `; ${ties.length} places look alike, took the nearest to where it was` : '';
  return { found: true, how: 'relocated:template', point: pick.p, score: pick.m.score, detail: `relocated by template match (${pick.m.score.toFixed(2)}), ${moved(recorded, pick.p)}${note}` };
}

/** How near the target a slower strategy must find it to confirm a weak match, in screen px. */
const CONFIRM_PX = 12;

/**
 * A weak match confirmed by a slower strategy that found the target at the same place: its exact
 * point, said as confirmed. Undefined when the other strategy found it elsewhere (then that one wins).
 */
export function confirmWeak(evidence: Evidence, weak: Found, by: Found): Found | undefined {
  if (Math.hypot(by.point.x - weak.point.x, by.point.y - weak.point.y) > CONFIRM_PX) return undefined;
  const p = weak.point;
  const where = weak.how === 'replayed' ? `replayed at (${p.x}, ${p.y})` : `relocated with its window, ${moved(evidence.point, p)}`;
  const how = by.how === 'relocated:a11y' ? 'its accessibility name' : by.how === 'relocated:ocr' ? `OCR of '${evidence.text}'` : by.how;
  return { ...weak, detail: `${where} (weak match ${(weak.score ?? 0).toFixed(2)}, confirmed by ${how})` };
}

/** OCR of the whole screen for the recorded word; about half a second at 1280x800. */
export async function locateByText(evidence: Evidence, screen: Gray, window: WindowInfo | undefined, words?: OcrWord[], signal?: AbortSignal): Promise<Found | NotFound> {
  if (!evidence.text) return { found: false, detail: 'no recorded text to look for' };
  const all = words ?? (await ocrWords(await encodePng(screen), signal ? { signal } : {}));
  const hits = wordsMatching(all, evidence.text);
  if (hits.length === 0) return { found: false, detail: `OCR found no '${evidence.text}'` };
  const hint = windowPoint(evidence, window) ?? evidence.point;
  const off = evidence.textOffset ?? { x: 0, y: 0 };
  const points = hits.map((w) => {
    const c = centreOf(w);
    return { x: Math.max(0, Math.min(screen.width - 1, c.x + off.x)), y: Math.max(0, Math.min(screen.height - 1, c.y + off.y)) };
  });
  points.sort((a, b) => Math.hypot(a.x - hint.x, a.y - hint.y) - Math.hypot(b.x - hint.x, b.y - hint.y));
  const p = points[0]!;
  const note = points.length > 1 ? `; '${evidence.text}' appears ${points.length} times, took the nearest to where it was` : '';
  return { found: true, how: 'relocated:ocr', point: p, detail: `relocated by OCR of '${evidence.text}', ${moved(evidence.point, p)}${note}` };
}

/**
 * The component with the recorded accessibility name and role, asked of the app itself: found
 * however its look or place changed, as long as the app exposes it. One match: its centre plus the
 * recorded offset (kept inside its box); several: the nearest to where the target was expected.
 */
export async function locateByA11y(evidence: Evidence, finder: A11yFinder, window: WindowInfo | undefined, screen?: { width: number; height: number }, signal?: AbortSignal): Promise<Found | NotFound> {
  const a = evidence.a11y;
  if (!a) return { found: false, detail: 'no accessibility name recorded' };
  const what = `${a.role} '${a.name}'`;
  const lookup = await finder.find({ name: a.name, role: a.role }, signal);
  signal?.throwIfAborted();
  if (lookup.components.length === 0) return { found: false, detail: `no accessible ${what}${lookup.reason ? ` (${lookup.reason})` : ''}` };
  const off = a.offset ?? { x: 0, y: 0 };
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
  const points = lookup.components.map((c) => {
    const centre = centreOfBox(c.box);
    const p = { x: clamp(centre.x + off.x, c.box.left, c.box.left + c.box.width - 1), y: clamp(centre.y + off.y, c.box.top, c.box.top + c.box.height - 1) };
    return screen && screen.width > 0 && screen.height > 0 ? { x: clamp(p.x, 0, screen.width - 1), y: clamp(p.y, 0, screen.height - 1) } : { x: Math.max(0, p.x), y: Math.max(0, p.y) };
  });
  const hint = windowPoint(evidence, window) ?? evidence.point;
  points.sort((p, q) => Math.hypot(p.x - hint.x, p.y - hint.y) - Math.hypot(q.x - hint.x, q.y - hint.y));
  const p = points[0]!;
  const note = points.length > 1 ? `; ${points.length} components are ${what}, took the nearest to where it was` : '';
  return { found: true, how: 'relocated:a11y', point: p, detail: `relocated by accessibility name ${what}, ${moved(evidence.point, p)}${note}` };
}

/** Where the point would be if it kept its place in the (same-titled) active window. */
function windowPoint(e: Evidence, w: WindowInfo | undefined): Point | undefined {
  if (!e.window || !w) return undefined;
  if (e.window.title !== undefined && w.title !== undefined && !sameApp(e.window.title, w.title)) return undefined;
  const p = { x: w.left + e.window.relative.x, y: w.top + e.window.relative.y };
  return p.x >= 0 && p.y >= 0 ? p : undefined;
}

// Editors mark unsaved files with a leading "*", and a sandbox's files have other paths: "... - Mousepad"
// is still the same app's window. The crop check guards a wrong guess.
const stripDirty = (t: string) => t.replace(/^\*\s*/, '');
const appOf = (t: string) => t.split(' - ').at(-1)!.trim();
const sameApp = (a: string, b: string) => stripDirty(a) === stripDirty(b) || (a.includes(' - ') && appOf(a) === appOf(b));
