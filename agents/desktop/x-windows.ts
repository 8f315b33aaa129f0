// Facts about an X display's windows: which match a class or title, where they are (frame
// included), what is under a point, which has the focus. Used by the privacy and window-policy
// wrappers around every capture and action, so each query is a round trip on the display's one
// long-lived connection (x-connection.ts), not a process.
import { XConnection, XQueryError, type XTarget } from './x-connection.ts';

export { XQueryError, type XTarget };

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface XWindow extends Rect {
  id: string;
  /** WM_CLASS instance and class, e.g. ["xterm", "XTerm"]. */
  classes: string[];
  title: string;
  /** The window a dialog belongs to (WM_TRANSIENT_FOR), if it is one. */
  transientFor?: string | undefined;
}

const strings = (data: Buffer) => data.toString('latin1').split('\0').filter(Boolean);

async function classesOf(c: XConnection, wid: number): Promise<string[]> {
  const prop = await c.property(wid, 'WM_CLASS');
  return prop ? strings(prop.data) : [];
}

async function titleOf(c: XConnection, wid: number): Promise<string> {
  const utf8 = await c.property(wid, '_NET_WM_NAME');
  if (utf8) return utf8.data.toString('utf8');
  const legacy = await c.property(wid, 'WM_NAME');
  return legacy ? legacy.data.toString('latin1') : '';
}

const has = (hay: string, words: readonly string[]) => words.some((w) => w !== '' && hay.toLowerCase().includes(w.toLowerCase()));

/** The managed windows that are on screen now (not minimised, not on another desktop). */
async function visibleClients(c: XConnection): Promise<number[]> {
  const ids = await c.windowList('_NET_CLIENT_LIST');
  const shown = await Promise.all(ids.map((id) => c.viewable(id)));
  return ids.filter((_, i) => shown[i]);
}

/** Visible windows whose WM_CLASS (instance or class) or title contains one of the words, ignoring case. */
export async function findWindows(x: XTarget, match: { classes?: readonly string[]; titles?: readonly string[] }): Promise<string[]> {
  const classes = match.classes ?? [];
  const titles = match.titles ?? [];
  if (classes.length === 0 && titles.length === 0) return [];
  const c = await XConnection.for(x);
  const ids = await visibleClients(c);
  const hits = await Promise.all(ids.map(async (id) => {
    if (classes.length && (await classesOf(c, id)).some((k) => has(k, classes))) return true;
    return titles.length > 0 && has(await titleOf(c, id), titles);
  }));
  return ids.filter((_, i) => hits[i]).map(String);
}

/** A window's class, title and rectangle on the screen, its frame (title bar, borders) included. */
export async function describeWindow(x: XTarget, id: string): Promise<XWindow | undefined> {
  const c = await XConnection.for(x);
  const wid = Number(id);
  const [rect, classes, title, frame, owner] = await Promise.all([
    c.rect(wid), classesOf(c, wid), titleOf(c, wid), c.property(wid, '_NET_FRAME_EXTENTS'), c.property(wid, 'WM_TRANSIENT_FOR'),
  ]);
  if (!rect) return undefined;
  const [left, right, top, bottom] = frame?.format === 32 && frame.data.length >= 16 ? [0, 1, 2, 3].map((i) => frame.data.readUInt32LE(i * 4)) : [0, 0, 0, 0];
  const transientFor = owner?.format === 32 && owner.data.length >= 4 ? String(owner.data.readUInt32LE(0)) : undefined;
  return { id, classes, title, transientFor, x: rect.x - left!, y: rect.y - top!, width: rect.width + left! + right!, height: rect.height + top! + bottom! };
}

/** Client windows from bottom to top, as the window manager stacks them. */
export async function stackingOrder(x: XTarget): Promise<string[]> {
  const c = await XConnection.for(x);
  return (await c.windowList('_NET_CLIENT_LIST_STACKING')).map(String);
}

/** The topmost visible window containing the point, if any. */
export async function windowAt(x: XTarget, point: { x: number; y: number }): Promise<XWindow | undefined> {
  const c = await XConnection.for(x);
  const visible = new Set(await visibleClients(c));
  const order = (await c.windowList('_NET_CLIENT_LIST_STACKING')).filter((id) => visible.has(id)).reverse();
  const windows = await Promise.all(order.map((id) => describeWindow(x, String(id))));
  return windows.find((w) => w && point.x >= w.x && point.x < w.x + w.width && point.y >= w.y && point.y < w.y + w.height);
}

/** The window typing goes to (the window manager's active window); with `settle`, once the focus has stopped moving. */
export async function focusedWindow(x: XTarget, settle = true): Promise<XWindow | undefined> {
  const c = await XConnection.for(x);
  // A click just sent reaches the window manager, which moves the focus a moment later: read until two reads agree.
  let [id] = await c.windowList('_NET_ACTIVE_WINDOW');
  for (let i = 0; settle && i < 10; i++) {
    await new Promise((r) => setTimeout(r, FOCUS_SETTLE_MS));
    const [again] = await c.windowList('_NET_ACTIVE_WINDOW');
    if (again === id) break;
    id = again;
  }
  return id ? describeWindow(x, String(id)) : undefined;
}

const FOCUS_SETTLE_MS = 30;
