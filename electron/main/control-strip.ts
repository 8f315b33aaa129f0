// While a run drives the user's own screen: a small always-on-top strip (pause/resume, abort) and a
// click-through marker where the next click will land. Both stay out of the agent's screenshots:
// content protection on macOS and Windows, and hidden around each capture on Linux, where content
// protection does nothing. They close when no run is active on this screen.
import { setTimeout as delay } from 'node:timers/promises';
import { BrowserWindow, screen, type Rectangle } from 'electron';
import type { AppEvent } from '../../agents/contract.ts';
import { actionPoints, desktopActionSchema, type DesktopActionInput, type Point } from '../../agents/desktop/actions.ts';
import type { CaptureOptions, DesktopDriver, Screenshot, SettleOptions, SettleResult } from '../../agents/desktop/driver.ts';
import type { Size } from '../../agents/desktop/geometry.ts';
import { pagePath } from './paths.ts';
import { securePreferences, trustWindow } from './windows.ts';

const STRIP = { width: 320, height: 44 };
const MARKER = 36;
const RING = 3;
/** Linux: time for the windows under a hidden overlay to repaint before the capture. */
const REPAINT_MS = 60;
const ENDED = new Set(['run_finished', 'run_failed', 'run_aborted', 'run_interrupted']);

export class ControlStrip {
  private runId: string | undefined;
  private strip: BrowserWindow | undefined;
  private marker: BrowserWindow | undefined;
  private target: { actionId: string; point: Point } | undefined;
  private capturing = 0;

  /** ownDisplay: the X display that is the user's screen (runs elsewhere are sandboxes). */
  constructor(private readonly ownDisplay: string | undefined) {}

  /** Hands to AppService.open({ wrapDriver }): hides the overlays around each capture on Linux. */
  readonly wrapDriver = (driver: DesktopDriver): DesktopDriver => {
    if (process.platform !== 'linux' || driver.display !== this.ownDisplay) return driver;
    return new HidingDriver(driver, this);
  };

  attach(service: { onEvent(listener: (e: AppEvent) => void): () => void }): () => void {
    const off = service.onEvent((e) => this.onEvent(e));
    return () => {
      off();
      this.close();
    };
  }

  /** Runs fn with the overlays unmapped and the screen under them repainted. */
  async withoutOverlays<T>(fn: () => Promise<T>): Promise<T> {
    const wasVisible = this.visible().length > 0;
    this.capturing++;
    this.sync();
    try {
      if (wasVisible) await delay(REPAINT_MS);
      return await fn();
    } finally {
      this.capturing--;
      this.sync();
    }
  }

  /** Runs fn with the strip out of the way if the action lands on it (the agent cannot see it). */
  async withActionClear<T>(action: DesktopActionInput, fn: () => Promise<T>): Promise<T> {
    const strip = this.strip;
    if (!strip || strip.isDestroyed() || !pointsOf(action).some((p) => inside(p, toScreenRect(strip.getBounds())))) return fn();
    return this.withoutOverlays(fn);
  }

  private onEvent(e: AppEvent): void {
    if (e.kind === 'run_updated' && e.run.id === this.runId && !['running', 'paused', 'waiting'].includes(e.run.status)) return this.close();
    if (e.kind !== 'run_event') return;
    const ev = e.event;
    if (ev.type === 'run_started') {
      if (!this.ownDisplay || ev.display !== this.ownDisplay) return;
      this.close();
      this.runId = ev.runId;
      this.openStrip(ev.runId);
      return;
    }
    if (ev.runId !== this.runId) return;
    if (ENDED.has(ev.type)) return this.close();
    if (ev.type === 'action_proposed') {
      const point = ev.screenAction ? actionPoints(ev.screenAction)[0] : undefined;
      this.target = point ? { actionId: ev.actionId, point } : undefined;
      this.sync();
    } else if ((ev.type === 'action_performed' || ev.type === 'action_failed' || ev.type === 'action_skipped') && ev.actionId === this.target?.actionId) {
      this.target = undefined;
      this.sync();
    }
  }

  private openStrip(runId: string): void {
    const area = screen.getPrimaryDisplay().workArea;
    const win = new BrowserWindow({
      ...STRIP,
      x: Math.round(area.x + (area.width - STRIP.width) / 2),
      y: area.y + 8,
      frame: false,
      resizable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      show: false,
      title: 'Deskpilot controls',
      webPreferences: securePreferences(true),
    });
    this.strip = win;
    keepOnTop(win);
    trustWindow(win, pagePath('strip'));
    win.once('ready-to-show', () => this.sync());
    win.once('closed', () => this.strip === win && (this.strip = undefined));
    void win.loadFile(pagePath('strip'), { query: { run: runId } }).catch((err: Error) => console.error(`Deskpilot: control strip: ${err.message}`));
  }

  private openMarker(): BrowserWindow {
    const win = new BrowserWindow({
      width: MARKER,
      height: MARKER,
      frame: false,
      transparent: true,
      hasShadow: false,
      resizable: false,
      focusable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      show: false,
      webPreferences: securePreferences(false),
    });
    win.setIgnoreMouseEvents(true);
    keepOnTop(win);
    // Without a compositor a transparent window is opaque on Linux: cut it down to the ring and a dot.
    if (process.platform !== 'darwin') win.setShape(markerShape());
    win.once('closed', () => this.marker === win && (this.marker = undefined));
    void win.loadFile(pagePath('marker')).catch((err: Error) => console.error(`Deskpilot: click marker: ${err.message}`));
    return win;
  }

  /** Shows what should be seen now: nothing during a capture, the strip during a run, the marker at the next click. */
  private sync(): void {
    const clear = this.capturing === 0;
    const strip = live(this.strip);
    if (strip) show(strip, clear && this.runId !== undefined);
    if (this.target && this.runId) {
      const marker = live(this.marker) ?? (this.marker = this.openMarker());
      const at = toDip(this.target.point);
      marker.setBounds({ x: Math.round(at.x - MARKER / 2), y: Math.round(at.y - MARKER / 2), width: MARKER, height: MARKER });
      show(marker, clear);
    } else {
      const marker = live(this.marker);
      if (marker) show(marker, false);
    }
  }

  private visible(): BrowserWindow[] {
    return [live(this.strip), live(this.marker)].filter((w): w is BrowserWindow => w !== undefined && w.isVisible());
  }

  private close(): void {
    this.runId = undefined;
    this.target = undefined;
    for (const w of [this.strip, this.marker]) if (w && !w.isDestroyed()) w.destroy();
    this.strip = undefined;
    this.marker = undefined;
  }
}

/** The run's driver with the overlays hidden whenever it looks at the screen. */
class HidingDriver implements DesktopDriver {
  readonly settle?: (opts: SettleOptions, signal?: AbortSignal) => Promise<SettleResult>;

  constructor(
    private readonly inner: DesktopDriver,
    private readonly overlays: ControlStrip,
  ) {
    const settle = inner.settle?.bind(inner);
    if (settle) this.settle = (opts, signal) => settle(opts, signal);
  }

  get display(): string {
    return this.inner.display;
  }

  capture(opts: CaptureOptions, signal?: AbortSignal): Promise<Screenshot> {
    return this.overlays.withoutOverlays(() => this.inner.capture(opts, signal));
  }

  perform(action: DesktopActionInput, signal?: AbortSignal): Promise<void> {
    return this.overlays.withActionClear(action, () => this.inner.perform(action, signal));
  }

  screenSize(signal?: AbortSignal): Promise<Size> {
    return this.inner.screenSize(signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function keepOnTop(win: BrowserWindow): void {
  win.setAlwaysOnTop(true, 'screen-saver');
  win.setVisibleOnAllWorkspaces(true);
  win.setContentProtection(true);
}

function live(win: BrowserWindow | undefined): BrowserWindow | undefined {
  return win && !win.isDestroyed() ? win : undefined;
}

/** showInactive: the overlays must never take the keyboard from the app the agent is typing into. */
function show(win: BrowserWindow, visible: boolean): void {
  if (visible && !win.isVisible()) win.showInactive();
  else if (!visible && win.isVisible()) win.hide();
}

function markerShape(): Rectangle[] {
  const dot = 4;
  return [
    { x: 0, y: 0, width: MARKER, height: RING },
    { x: 0, y: MARKER - RING, width: MARKER, height: RING },
    { x: 0, y: 0, width: RING, height: MARKER },
    { x: MARKER - RING, y: 0, width: RING, height: MARKER },
    { x: (MARKER - dot) / 2, y: (MARKER - dot) / 2, width: dot, height: dot },
  ];
}

/** Actions travel in screen pixels; windows are placed in DIPs. */
function toDip(p: Point): Point {
  return process.platform === 'darwin' ? p : screen.screenToDipPoint(p);
}

function toScreenRect(r: Rectangle): Rectangle {
  return process.platform === 'darwin' ? r : screen.dipToScreenRect(null, r);
}

function pointsOf(action: DesktopActionInput): Point[] {
  const parsed = desktopActionSchema.safeParse(action);
  return parsed.success ? actionPoints(parsed.data) : [];
}

function inside(p: Point, r: Rectangle): boolean {
  return p.x >= r.x && p.x < r.x + r.width && p.y >= r.y && p.y < r.y + r.height;
}
