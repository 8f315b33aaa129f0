// The nut-js side of NutDriver: a child process bound to one X display. nut-js segfaults without
// a display and cannot switch displays, so it lives here and never in the caller's process.
import { spawn, spawnSync } from 'node:child_process';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import sharp, { type Sharp } from 'sharp';
import { actionPoints, type DesktopAction, type MouseButton } from './actions.ts';
import { restoreSelection, saveSelection, SelectionOffer, type SavedSelection, type Selection } from './clipboard.ts';
import type { CaptureOptions, Screenshot, SettleOptions, SettleResult } from './driver.ts';
import { scalingFor, type Size } from './geometry.ts';
import { parseKeys, type KeyCombo } from './keys.ts';
import type { WorkerErrorCode, WorkerRequest, WorkerResponse } from './nut-protocol.ts';
import { planTyping } from './typing-plan.ts';

// One frame at a time per display: libvips' operation cache and thread pool would hold tens of MB per sandbox for nothing.
sharp.cache(false);
sharp.concurrency(1);

class WorkerError extends Error {
  constructor(readonly code: WorkerErrorCode, message: string) {
    super(message);
  }
}

function send(msg: WorkerResponse): void {
  if (process.connected) process.send!(msg);
}

const display = process.env.DISPLAY;
if (process.platform === 'linux') {
  const probe = display ? spawnSync('xdpyinfo', ['-display', display], { stdio: 'ignore', timeout: 5000 }) : undefined;
  if (!display || probe?.status !== 0) {
    send({ type: 'fatal', code: 'display_unavailable', message: display ? `cannot open X display ${display}: is it running?` : 'DISPLAY is not set' });
    process.exit(3);
  }
}

// Xlib only notices a dead server at the next request; a long wait or a paste would not. An idle
// X client that exits with the server tells us at once.
if (process.platform === 'linux' && display) {
  const watchdog = spawn('xprop', ['-display', display, '-spy', '-root', '_NET_ACTIVE_WINDOW'], { stdio: 'ignore' });
  watchdog.once('exit', () => {
    send({ type: 'fatal', code: 'display_unavailable', message: `the X server of display ${display} went away` });
    process.exit(4);
  });
  process.once('exit', () => watchdog.kill());
}

const nut = await import('@nut-tree-fork/nut-js');
const { Key, Button, Point, providerRegistry } = nut;
// nut-js's own classes sleep between inputs (and set libnut's per-key sleep to 300 ms at load);
// its libnut providers underneath do the same input without those delays.
const keyboard = providerRegistry.getKeyboard();
const mouse = providerRegistry.getMouse();
const screen = providerRegistry.getScreen();
keyboard.setKeyboardDelay(0);
mouse.setMouseDelay(0);

const screenSize: Size = { width: await screen.screenWidth(), height: await screen.screenHeight() };
const active = new Set<number>();
const cancelled = new Set<number>();
const heldKeys = new Set<number>();
const heldButtons = new Set<MouseButton>();
const BUTTONS = { left: Button.LEFT, right: Button.RIGHT, middle: Button.MIDDLE } as const;
// Apps join clicks at one spot within their double-click time (Chromium 500 ms, GTK 400 ms):
// a separate click there must wait. Presses of one multi-click need distinct X timestamps.
const MULTI_CLICK_GAP_MS = 550;
// xterm (multiClickTime 250 ms) joins clicks anywhere on its window, however far apart.
const FAR_CLICK_GAP_MS = 300;
const CLICK_INTERVAL_MS = 30;
const MULTI_CLICK_DISTANCE = 8;
let lastClick = { x: -1000, y: -1000, button: 'left' as MouseButton, endedAt: 0 };

function keyCode(name: string): number {
  const code = (Key as unknown as Record<string, number>)[name];
  if (code === undefined) throw new WorkerError('invalid_action', `key ${name} is not supported on this platform`);
  return code;
}

async function checkpoint(id: number): Promise<void> {
  await yieldToEvents(); // lets a cancel message in between two inputs
  if (cancelled.has(id)) throw new WorkerError('aborted', 'action aborted');
}

async function sleep(id: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, Math.min(10, end - Date.now())));
    if (cancelled.has(id)) throw new WorkerError('aborted', 'action aborted');
  }
}

async function press(combo: KeyCombo): Promise<void> {
  const codes = combo.map(keyCode);
  for (const c of codes) {
    await keyboard.pressKey(c);
    heldKeys.add(c);
  }
  for (const c of [...codes].reverse()) {
    await keyboard.releaseKey(c);
    heldKeys.delete(c);
  }
}

async function holdKeys(keys: string | string[] | undefined): Promise<number[]> {
  if (!keys) return [];
  const codes = parseKeys(keys).flat().map(keyCode);
  for (const c of codes) {
    await keyboard.pressKey(c);
    heldKeys.add(c);
  }
  return codes;
}

async function releaseAll(): Promise<void> {
  for (const c of [...heldKeys].reverse()) await keyboard.releaseKey(c).catch(() => undefined);
  heldKeys.clear();
  for (const b of heldButtons) await mouse.releaseButton(BUTTONS[b]).catch(() => undefined);
  heldButtons.clear();
}

async function moveTo(x: number, y: number): Promise<void> {
  await mouse.setMousePosition(new Point(x, y));
}

async function clicks(id: number, x: number, y: number, button: MouseButton, count: number): Promise<void> {
  const sinceLast = Date.now() - lastClick.endedAt;
  const near = Math.abs(lastClick.x - x) <= MULTI_CLICK_DISTANCE && Math.abs(lastClick.y - y) <= MULTI_CLICK_DISTANCE;
  const gap = lastClick.button !== button ? 0 : near ? MULTI_CLICK_GAP_MS : FAR_CLICK_GAP_MS;
  if (sinceLast < gap) await sleep(id, gap - sinceLast);
  await moveTo(x, y);
  for (let i = 0; i < count; i++) {
    if (i > 0) await sleep(id, CLICK_INTERVAL_MS);
    await checkpoint(id);
    await mouse.pressButton(BUTTONS[button]);
    heldButtons.add(button);
    await mouse.releaseButton(BUTTONS[button]);
    heldButtons.delete(button);
  }
  lastClick = { x, y, button, endedAt: Date.now() };
}

async function typeText(id: number, text: string): Promise<void> {
  const segments = planTyping(text);

  const saved = new Map<Selection, SavedSelection | null>();
  const signal = { get aborted() { return cancelled.has(id); } };
  try {
    for (const seg of segments) {
      await checkpoint(id);
      if (seg.kind === 'keys') {
        await press(seg.combo);
        continue;
      }
      if (saved.size === 0) {
        for (const s of ['clipboard', 'primary'] as const) saved.set(s, await saveSelection(s));
      }
      // Shift+Insert pastes PRIMARY in xterm and CLIPBOARD in GTK, Qt, Chromium and LibreOffice.
      const offer = await SelectionOffer.open(seg.text, ['clipboard', 'primary']);
      try {
        await press(['LeftShift', 'Insert']);
        const ok = await offer.fetched(signal);

        if (signal.aborted) throw new WorkerError('aborted', 'action aborted');
        if (!ok) throw new WorkerError('failed', 'the focused window did not accept pasted text (needed for non-ASCII characters)');
      } finally {
        offer.close();
      }
    }
  } finally {
    for (const [s, v] of saved) await restoreSelection(s, v).catch(() => undefined);

  }
}

function checkBounds(action: DesktopAction): void {
  for (const p of actionPoints(action)) {
    if (p.x >= screenSize.width || p.y >= screenSize.height) {
      throw new WorkerError('out_of_bounds', `point (${p.x}, ${p.y}) is outside the ${screenSize.width}x${screenSize.height} screen`);
    }
  }
}

async function perform(id: number, action: DesktopAction): Promise<void> {
  checkBounds(action);
  // Validate every key name before any input, so a typo never leaves a half-pressed combo.
  const combos = action.type === 'keypress' ? parseKeys(action.keys) : undefined;
  if ('keys' in action && action.type !== 'keypress' && action.keys) parseKeys(action.keys);
  try {
    switch (action.type) {
      case 'click':
      case 'double_click':
      case 'triple_click': {
        const held = await holdKeys(action.keys);
        const count = action.type === 'click' ? 1 : action.type === 'double_click' ? 2 : 3;
        await clicks(id, action.x, action.y, action.type === 'click' ? action.button : 'left', count);
        for (const c of held.reverse()) {
          await keyboard.releaseKey(c);
          heldKeys.delete(c);
        }
        return;
      }
      case 'move':
        return moveTo(action.x, action.y);
      case 'drag': {
        const held = await holdKeys(action.keys);
        const [first, ...rest] = action.path;
        await moveTo(first!.x, first!.y);
        await mouse.pressButton(BUTTONS[action.button]);
        heldButtons.add(action.button);
        let prev = first!;
        for (const p of rest) {
          // Intermediate moves so apps see motion, as a hand would make.
          const steps = Math.max(1, Math.min(20, Math.ceil(Math.hypot(p.x - prev.x, p.y - prev.y) / 20)));
          for (let s = 1; s <= steps; s++) {
            await checkpoint(id);
            await moveTo(Math.round(prev.x + ((p.x - prev.x) * s) / steps), Math.round(prev.y + ((p.y - prev.y) * s) / steps));
          }
          prev = p;
        }
        await mouse.releaseButton(BUTTONS[action.button]);
        heldButtons.delete(action.button);
        for (const c of held.reverse()) {
          await keyboard.releaseKey(c);
          heldKeys.delete(c);
        }
        return;
      }
      case 'scroll': {
        if (action.x !== undefined && action.y !== undefined) await moveTo(action.x, action.y);
        // libnut on X11 sends button 7 (right) for scrollLeft and 6 (left) for scrollRight.
        const fn = { up: mouse.scrollUp, down: mouse.scrollDown, left: mouse.scrollRight, right: mouse.scrollLeft }[action.direction].bind(mouse);
        for (let i = 0; i < action.amount; i++) {
          await checkpoint(id);
          await fn(1);
        }
        return;
      }
      case 'type':
        return typeText(id, action.text);
      case 'keypress':
        for (const combo of combos!) {
          await checkpoint(id);
          await press(combo);
        }
        return;
      case 'wait':
        return sleep(id, action.ms);
      case 'mouse_down':
      case 'mouse_up':
        if (action.x !== undefined && action.y !== undefined) await moveTo(action.x, action.y);
        if (action.type === 'mouse_down') {
          await mouse.pressButton(BUTTONS[action.button]);
          heldButtons.add(action.button);
        } else {
          await mouse.releaseButton(BUTTONS[action.button]);
          heldButtons.delete(action.button);
        }
        return;
    }
  } catch (err) {
    // Never leave a modifier or a button down after a failure or an abort.
    await releaseAll();
    throw err;
  }
}

async function capture(opts: CaptureOptions): Promise<Screenshot> {
  const format = opts.format ?? 'png';
  const capturedAt = Date.now();
  let pipeline: Sharp;
  let source: Size;
  const method = opts.method ?? 'nut';
  if (method === 'screenshot-desktop') {
    const { default: screenshotDesktop } = await import('screenshot-desktop');
    const png = await screenshotDesktop({ format: 'png', ...(opts.screenId !== undefined ? { screen: opts.screenId } : {}) });
    pipeline = sharp(png);
    const meta = await pipeline.metadata();
    source = { width: meta.width ?? screenSize.width, height: meta.height ?? screenSize.height };
  } else {
    const img = await screen.grabScreen();
    lastFrame = img.data;
    const data = toRgba(img.data, img.width, img.height, img.byteWidth);
    pipeline = sharp(data, { raw: { width: img.width, height: img.height, channels: 4 } }).removeAlpha();
    source = { width: img.width, height: img.height };
  }
  // The image is in screen pixels unless a width is asked for (HiDPI grabs come back larger).
  const scaling = scalingFor(screenSize, opts.width ? { width: opts.width } : { target: screenSize });
  if (scaling.image.width !== source.width || scaling.image.height !== source.height) {
    pipeline = pipeline.resize(scaling.image.width, scaling.image.height, { fit: 'fill', kernel: 'lanczos3' });
  }
  const quality = opts.quality ?? 80;
  if (format === 'png') pipeline = pipeline.png({ compressionLevel: 1, adaptiveFiltering: false });
  else if (format === 'jpeg') pipeline = pipeline.jpeg({ quality, mozjpeg: false });
  else pipeline = pipeline.webp({ quality, effort: 0 });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return {
    data, format, method, capturedAt,
    screen: screenSize,
    image: { width: info.width, height: info.height },
    scaleX: info.width / screenSize.width,
    scaleY: info.height / screenSize.height,
  };
}

// Compares raw frames here, next to the grab: no encoding and no image crossing the IPC pipe.
/** The newest frame grabbed, so a settle knows what the screen looked like before its action. */
let lastFrame: Buffer | undefined;

async function settle(id: number, opts: SettleOptions): Promise<SettleResult> {
  const start = performance.now();
  const { intervalMs = 10, capMs = 1500, quietMs = 30 } = opts;
  const before = lastFrame;
  let previous: Buffer | undefined;
  let unchangedSince = start;
  // Once the action visibly changed the screen, two equal frames in a row mean it is drawn; until
  // then an equal pair may both predate the redraw, so the screen must stay unchanged for quietMs.
  let changed = false;
  while (performance.now() - start < capMs) {
    const frame = (await screen.grabScreen()).data;
    lastFrame = frame;
    const now = performance.now();
    if (!previous) {
      previous = frame;
      changed = before !== undefined && !before.equals(frame);
    } else if (!previous.equals(frame)) {
      previous = frame;
      unchangedSince = now;
      changed = true;
    } else if (changed || now - unchangedSince >= quietMs) return { ms: now - start, settled: true };
    await sleep(id, intervalMs);
  }
  return { ms: performance.now() - start, settled: false };
}

// nut-js grabs BGRA rows that may be padded; sharp wants tightly packed, opaque RGBA.
function toRgba(src: Buffer, width: number, height: number, byteWidth: number): Buffer {
  const out = Buffer.allocUnsafe(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = src.subarray(y * byteWidth, y * byteWidth + width * 4);
    out.set(row, y * width * 4);
  }
  // X leaves alpha at 0; sharp premultiplies alpha when resizing, which would blacken the image.
  for (let i = 0; i < out.length; i += 4) {
    const b = out[i]!;
    out[i] = out[i + 2]!;
    out[i + 2] = b;
    out[i + 3] = 255;
  }
  return out;
}

async function handle(req: WorkerRequest): Promise<void> {
  if (req.op === 'cancel') {
    if (active.has(req.id)) cancelled.add(req.id);
    return;
  }
  active.add(req.id);
  try {
    let value: Screenshot | Size | SettleResult | undefined;
    if (req.op === 'perform') await perform(req.id, req.action);
    else if (req.op === 'capture') value = await capture(req.opts);
    else if (req.op === 'settle') value = await settle(req.id, req.opts);
    else value = screenSize;
    send({ type: 'result', id: req.id, ok: true, ...(value ? { value } : {}) });
  } catch (err) {
    const e = err as Error;
    const code: WorkerErrorCode = err instanceof WorkerError ? err.code : e.name === 'ActionError' ? 'invalid_action' : 'failed';
    send({ type: 'result', id: req.id, ok: false, code, message: e.message });
  } finally {
    active.delete(req.id);
    cancelled.delete(req.id);
  }
}

process.on('message', (msg) => void handle(msg as WorkerRequest));
process.on('disconnect', () => process.exit(0));
// Ctrl+C in a terminal reaches the whole process group: the owner decides (abort), we follow on disconnect.
process.on('SIGINT', () => undefined);
send({ type: 'ready', screen: screenSize });
