// Real apps on a virtual display, and waiting for their effects to land in files.
import { existsSync, readFileSync } from 'node:fs';
import type { VirtualDisplay } from '../../agents/desktop/display.ts';

export const HARD_TEXT = 'héllo ~!@#$%^&*()_+{}|:<>? wörld 日本 😀';

export async function focus(display: VirtualDisplay, windowId: string): Promise<void> {
  await display.run('xdotool', ['windowactivate', '--sync', windowId]);
}

/** xterm running a plain bash (no history expansion, so "!" is literal) in the display's HOME. */
export async function openXterm(display: VirtualDisplay, title = `xterm-${Date.now()}`): Promise<string> {
  await display.launch('xterm', ['-T', title, '-fa', 'DejaVu Sans Mono', '-fs', '11', '-e', 'bash', '--norc', '--noprofile', '+H']);
  const id = await display.waitForWindow({ name: title });
  await focus(display, id);
  return id;
}

/** mousepad editing `file` (created on save), without the session-restore dialog. */
export async function openMousepad(display: VirtualDisplay, file: string): Promise<string> {
  await display.launch('mousepad', [file], { env: { GSETTINGS_BACKEND: 'memory' } });
  const id = await display.waitForWindow({ class: 'mousepad' });
  await focus(display, id);
  return id;
}

/**
 * The env an app needs to expose its accessibility (AT-SPI) tree on a display. A display's apps reach
 * the accessibility bus through the display's own session bus (DBUS_SESSION_BUS_ADDRESS in its env,
 * which starts at-spi-bus-launcher on demand; the launcher also sets AT_SPI_BUS on the root window,
 * where the probe in agents/automations/a11y.ts looks first). GTK3 apps (mousepad) load the bridge by
 * themselves; GTK2 apps (pcmanfm) need GTK_MODULES (libgail-common + libatk-adaptor); Qt needs
 * QT_LINUX_ACCESSIBILITY_ALWAYS_ON. NO_AT_BRIDGE must not be set (a launch's env starts from the
 * display's, so the test runner's does not leak in). Chromium also needs --force-renderer-accessibility
 * for its pages, LibreOffice SAL_USE_VCLPLUGIN=gtk3.
 */
export const A11Y_APP_ENV: Readonly<Record<string, string>> = {
  GTK_MODULES: 'gail:atk-bridge',
  GNOME_ACCESSIBILITY: '1',
  QT_ACCESSIBILITY: '1',
  QT_LINUX_ACCESSIBILITY_ALWAYS_ON: '1',
};

/** pcmanfm (GTK2) browsing `dir`, with its accessibility tree exposed. */
export async function openPcmanfm(display: VirtualDisplay, dir: string): Promise<string> {
  await display.launch('pcmanfm', [dir], { env: { ...A11Y_APP_ENV } });
  const id = await display.waitForWindow({ class: 'pcmanfm' });
  await focus(display, id);
  return id;
}

/** Waits until a file exists and its content stops changing, then returns it. */
export async function waitForFile(path: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  for (;;) {
    if (existsSync(path)) {
      const now = readFileSync(path, 'utf8');
      if (now === last) return now;
      last = now;
    }
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms${last !== undefined ? ` (last seen: ${JSON.stringify(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function readClipboard(display: VirtualDisplay, selection: 'clipboard' | 'primary' = 'clipboard'): Promise<string> {
  return display.run('xclip', ['-o', '-selection', selection]).catch(() => '');
}

export async function setClipboard(display: VirtualDisplay, text: string): Promise<void> {
  await display.run('bash', ['-c', 'xclip -selection clipboard -i >/dev/null 2>&1'], { input: text });
}

/**
 * A fresh xterm titled `title` that prints `banner` above its prompt, in place of `previous` (closed
 * first): a replay starts from the same screen the recording or the run saw.
 */
export async function bannerXterm(display: VirtualDisplay, opts: { title: string; banner: string; previous?: string; geometry?: string }): Promise<string> {
  if (opts.previous) {
    await display.run('xdotool', ['windowkill', opts.previous]).catch(() => undefined);
    // X may hand the next client the same window id: wait until the old window is gone.
    const deadline = Date.now() + 10_000;
    while ((await display.run('xdotool', ['search', '--name', opts.title]).catch(() => '')).trim()) {
      if (Date.now() > deadline) throw new Error(`the old xterm "${opts.title}" did not close`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const geometry = opts.geometry ? ['-geometry', opts.geometry] : [];
  await display.launch('xterm', ['-T', opts.title, ...geometry, '-fa', 'DejaVu Sans Mono', '-fs', '14', '-e', 'bash', '-c', `echo "${opts.banner}"; exec bash --norc --noprofile +H`]);
  const id = await display.waitForWindow({ name: opts.title });
  await focus(display, id);
  // Let bash print the banner and its prompt.
  await new Promise((r) => setTimeout(r, 600));
  return id;
}
