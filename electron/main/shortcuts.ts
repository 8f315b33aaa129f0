// A global shortcut that pauses every run, for when the agent has the mouse and the window is hidden.
import { app, globalShortcut } from 'electron';

export const PAUSE_SHORTCUT = 'CommandOrControl+Shift+Space';

export function setupShortcuts(target: { pauseAll(): void }): void {
  const ok = globalShortcut.register(PAUSE_SHORTCUT, () => target.pauseAll());
  // Another app may own the combination; runs can still be paused from the window and the strip.
  if (!ok) console.warn(`Deskpilot: could not register ${PAUSE_SHORTCUT} to pause runs (another app may use it)`);
  app.on('will-quit', () => globalShortcut.unregisterAll());
}
