// Private regions: windows (password managers by default) and screen areas blacked out in every
// screenshot before it leaves the driver, so neither the model, the store nor an export sees them.
import sharp from 'sharp';
import type { CaptureOptions, DesktopDriver, Screenshot } from './driver.ts';
import { describeWindow, findWindows, type Rect, type XTarget } from './x-windows.ts';

export interface PrivacyOptions {
  /** Words matched (ignoring case) against a window's WM_CLASS. */
  windowClasses?: readonly string[];
  /** Words matched against a window's title. */
  windowTitles?: readonly string[];
  /** Fixed screen areas, in screen pixels. */
  areas?: readonly Rect[];
}

/** Password managers and keyrings: private unless the settings say otherwise. */
export const DEFAULT_PRIVATE_CLASSES = ['keepassxc', 'keepass', '1password', 'bitwarden', 'seahorse', 'lastpass', 'enpass', 'kwalletmanager', 'gnome-keyring'] as const;

export const DEFAULT_PRIVACY: PrivacyOptions = { windowClasses: DEFAULT_PRIVATE_CLASSES };

/** Screen rectangles to black out now: the matching windows (frames included) and the fixed areas. */
export async function privateRects(x: XTarget, p: PrivacyOptions): Promise<Rect[]> {
  const ids = p.windowClasses?.length || p.windowTitles?.length ? await findWindows(x, { classes: p.windowClasses ?? [], titles: p.windowTitles ?? [] }) : [];
  const windows = await Promise.all(ids.map((id) => describeWindow(x, id)));
  return [...windows.filter((w) => w !== undefined), ...(p.areas ?? [])];
}

/** The shot with each screen rectangle painted black at the image's scale (rounded outwards, so no edge survives). */
export async function blackOut(shot: Screenshot, rects: readonly Rect[]): Promise<Screenshot> {
  const { width: W, height: H } = shot.image;
  const boxes = rects.flatMap((r) => {
    const left = Math.max(0, Math.floor(r.x * shot.scaleX));
    const top = Math.max(0, Math.floor(r.y * shot.scaleY));
    const right = Math.min(W, Math.ceil((r.x + r.width) * shot.scaleX));
    const bottom = Math.min(H, Math.ceil((r.y + r.height) * shot.scaleY));
    return right > left && bottom > top ? [{ left, top, width: right - left, height: bottom - top }] : [];
  });
  if (boxes.length === 0) return shot;
  const img = sharp(shot.data).composite(boxes.map((b) => ({
    input: { create: { width: b.width, height: b.height, channels: 3 as const, background: '#000000' } }, left: b.left, top: b.top,
  })));
  const data = await (shot.format === 'jpeg' ? img.jpeg() : shot.format === 'webp' ? img.webp() : img.png()).toBuffer();
  return { ...shot, data };
}

/** The driver with private regions blacked out of every capture; a failed window query fails the capture (never an unmasked shot). */
export function withPrivateRegions(driver: DesktopDriver, x: XTarget, privacy: PrivacyOptions = DEFAULT_PRIVACY): DesktopDriver {
  const wrapped: DesktopDriver = {
    display: driver.display,
    async capture(opts: CaptureOptions, signal?: AbortSignal) {
      // Looked up before and after the capture: a window that moved or opened in between is masked where it was and where it is.
      const before = privateRects(x, privacy);
      const shot = await driver.capture(opts, signal);
      const rects = await Promise.all([before, privateRects(x, privacy)]);
      return blackOut(shot, rects.flat());
    },
    perform: (action, signal, ctx) => driver.perform(action, signal, ctx),
    screenSize: (signal) => driver.screenSize(signal),
    close: () => driver.close(),
  };
  if (driver.settle) wrapped.settle = (opts, signal) => driver.settle!(opts, signal);
  return wrapped;
}
