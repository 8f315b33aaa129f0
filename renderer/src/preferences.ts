// Preferences of this browser or window rather than of the engine: the colour theme and desktop
// notifications. Kept in localStorage, so each device keeps its own (a dark laptop beside a light desktop).

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const THEME_KEY = 'deskpilot.theme';
const NOTIFY_KEY = 'deskpilot.notify';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Storage can be refused (private modes, file pages): the defaults apply.
    return undefined;
  }
}

export function readTheme(): Theme {
  const saved = storage()?.getItem(THEME_KEY);
  return THEMES.find((x) => x === saved) ?? 'system';
}

/** 'system' leaves the choice to prefers-color-scheme; the CSS reads data-theme on <html> otherwise. */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = theme;
}

export function saveTheme(theme: Theme): void {
  storage()?.setItem(THEME_KEY, theme);
  applyTheme(theme);
}

/** Desktop notifications are on only when asked for here and the browser allows them. */
export function notificationsWanted(): boolean {
  return storage()?.getItem(NOTIFY_KEY) === 'on';
}

export function notificationsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/** Asks the browser's permission (only ever from the settings switch, never on load); true when granted. */
export async function enableNotifications(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  // Asked each time the switch is turned on: answered at once when already granted or refused.
  const permission = await Notification.requestPermission();
  storage()?.setItem(NOTIFY_KEY, permission === 'granted' ? 'on' : 'off');
  return permission === 'granted';
}

export function disableNotifications(): void {
  storage()?.setItem(NOTIFY_KEY, 'off');
}
