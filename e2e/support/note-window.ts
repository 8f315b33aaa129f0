// A mousepad window on a text file at a chosen place and size, that can be closed and reopened
// between replays (no session-restore dialog after a kill) and moved with xdotool.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VirtualDisplay } from '../../agents/desktop/display.ts';
import { focus } from './apps.ts';

export interface Placement {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface NoteWindow {
  id: string;
  pid: number;
}

/** 18 pt monospace (readable by tesseract), no caret blink (screens settle), no session restore. */
function writeSettings(display: VirtualDisplay): void {
  const config = display.env.XDG_CONFIG_HOME ?? join(display.env.HOME!, '.config');
  mkdirSync(join(config, 'glib-2.0', 'settings'), { recursive: true });
  writeFileSync(join(config, 'glib-2.0', 'settings', 'keyfile'), [
    '[org/xfce/mousepad/preferences/view]',
    "font-name='DejaVu Sans Mono 18'",
    'use-default-monospace-font=false',
    '',
    '[org/xfce/mousepad/preferences/file]',
    "session-restore='never'",
    '',
  ].join('\n'));
  mkdirSync(join(config, 'gtk-3.0'), { recursive: true });
  writeFileSync(join(config, 'gtk-3.0', 'settings.ini'), '[Settings]\ngtk-cursor-blink=false\n');
}

/** Writes `content` to `file`, opens it in a fresh mousepad at `at`, focused. */
export async function openNote(display: VirtualDisplay, file: string, content: string, at: Placement): Promise<NoteWindow> {
  writeSettings(display);
  writeFileSync(file, content);
  await display.launch('mousepad', [file], { env: { GSETTINGS_BACKEND: 'keyfile' } });
  const id = await display.waitForWindow({ class: 'mousepad' });
  await place(display, id, at);
  await focus(display, id);
  const pid = Number((await display.run('xdotool', ['getwindowpid', id])).trim());
  // GTK draws the text a moment after the window maps.
  await new Promise((r) => setTimeout(r, 400));
  return { id, pid };
}

export async function place(display: VirtualDisplay, id: string, at: Placement): Promise<void> {
  await display.run('xdotool', ['windowsize', '--sync', id, String(at.width), String(at.height)]).catch(() => undefined);
  await display.run('xdotool', ['windowmove', '--sync', id, String(at.x), String(at.y)]);
}

/** Ends the mousepad process and waits until its window is gone. */
export async function closeNote(display: VirtualDisplay, note: NoteWindow): Promise<void> {
  try {
    process.kill(note.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  for (;;) {
    const left = await display.run('xdotool', ['search', '--onlyvisible', '--class', 'mousepad']).catch(() => '');
    if (!left.trim()) return;
    if (Date.now() > deadline) throw new Error(`mousepad (pid ${note.pid}) did not close within 5 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
