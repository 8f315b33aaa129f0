// The renderer's one place where coordinates change space: screen pixels -> the image pixels of a
// step's screenshot, which is what the live screen and thumbnails draw on.
import type { AgentAction, Point, ScreenAction, Shot } from './types.ts';

/** The points an action touches, in its own space. */
export function actionPoints(a: AgentAction | ScreenAction): Point[] {
  if ('path' in a) return a.path;
  if ('x' in a && 'y' in a && a.x !== undefined && a.y !== undefined) return [{ x: a.x, y: a.y }];
  return [];
}

export function screenToImage(p: Point, shot: Pick<Shot, 'image' | 'screen'>): Point {
  return { x: (p.x * shot.image.width) / shot.screen.width, y: (p.y * shot.image.height) / shot.screen.height };
}

/**
 * Where an action lands, in image pixels: the model's own points, or the operator's edit mapped
 * back from screen pixels (the edit replaces what the model proposed).
 */
export function targetPoints(a: { action: AgentAction; screenAction: ScreenAction | undefined; edited: boolean }, shot: Pick<Shot, 'image' | 'screen'> | undefined): Point[] {
  if (a.edited && a.screenAction && shot) return actionPoints(a.screenAction).map((p) => screenToImage(p, shot));
  return actionPoints(a.action);
}

/** A point as a percentage of an image, for absolutely positioned markers that scale with it. */
export function percentOf(p: Point, image: { width: number; height: number }): { left: string; top: string } {
  return { left: `${(p.x / image.width) * 100}%`, top: `${(p.y / image.height) * 100}%` };
}
