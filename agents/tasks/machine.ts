// What OSWorld's VM offers its tasks that a bare sandbox lacks: `python` meaning python3 with a
// `pyautogui` to import, `google-chrome` meaning Chromium with a DevTools port, and the placeholders
// OSWorld's harness fills in commands ({SCREEN_WIDTH}, {CLIENT_PASSWORD}...).
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Our pyautogui stand-in's folder (agents/tasks/py), put on the sandbox's PYTHONPATH. */
export const PY_DIR = fileURLToPath(new URL('./py/', import.meta.url));

/** OSWorld's VM user's password: tasks pipe it to `sudo -S`; sandboxes have no sudo password of their own. */
export const CLIENT_PASSWORD = 'password';

/** Flags that keep Chromium from first-run pages, sign-in prompts and keyring dialogs on a fresh profile. */
export const CHROMIUM_FLAGS = ['--no-first-run', '--no-default-browser-check', '--disable-sync', '--disable-background-networking', '--disable-component-update', '--password-store=basic', '--no-sandbox', '--disable-gpu', '--force-renderer-accessibility'];

const quoteSh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The shim folder, first on the sandbox's PATH: `python` runs python3, `google-chrome` runs Chromium
 * with its DevTools on the sandbox's own port (DESKPILOT_CHROME_PORT) whatever port the task asks
 * for, so parallel sandboxes never share one and OSWorld's socat forwarding is not needed.
 */
export function shimDir(): string {
  const dir = join(tmpdir(), `deskpilot-task-shims-${process.getuid?.() ?? 'u'}`);
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const shims: Record<string, string> = {
    // The system python3: the Debian packages (pyatspi, python3-docx...) are installed for it, not for a pyenv one.
    python: `#!/bin/sh\nexec ${python} "$@"\n`,
    python3: `#!/bin/sh\nexec ${python} "$@"\n`,
    'google-chrome': chromeShim(),
    'google-chrome-stable': chromeShim(),
  };
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(shims)) writeFileSync(join(dir, name), body, { mode: 0o755 });
  return dir;
}

function chromeShim(): string {
  return [
    '#!/bin/bash',
    "# Chromium for OSWorld tasks: the task's --remote-debugging-port is replaced by the sandbox's own.",
    'port="${DESKPILOT_CHROME_PORT:-1337}"',
    'args=()',
    'for a in "$@"; do case "$a" in --remote-debugging-port=*) ;; *) args+=("$a") ;; esac; done',
    `exec /usr/bin/chromium ${CHROMIUM_FLAGS.map(quoteSh).join(' ')} --user-data-dir="$HOME/.config/google-chrome" --remote-debugging-port="$port" "\${args[@]}"`,
    '',
  ].join('\n');
}

export interface MachineInfo {
  width: number;
  height: number;
}

/** Fills the placeholders OSWorld's harness fills before it runs a command. */
export function fillPlaceholders(text: string, m: MachineInfo): string {
  return text
    .replaceAll('{SCREEN_WIDTH_HALF}', String(Math.floor(m.width / 2)))
    .replaceAll('{SCREEN_HEIGHT_HALF}', String(Math.floor(m.height / 2)))
    .replaceAll('{SCREEN_WIDTH}', String(m.width))
    .replaceAll('{SCREEN_HEIGHT}', String(m.height))
    .replaceAll('{CLIENT_PASSWORD}', CLIENT_PASSWORD);
}

/** The environment a sandbox's config steps and getters run with: shims first on PATH, pyautogui importable. */
export function machineEnv(base: Record<string, string | undefined>, chromePort: number | undefined): Record<string, string> {
  const path = [shimDir(), base['PATH'] ?? process.env['PATH'] ?? '/usr/bin:/bin'].join(delimiter);
  const pythonPath = [PY_DIR, base['PYTHONPATH']].filter(Boolean).join(delimiter);
  return { PATH: path, PYTHONPATH: pythonPath, ...(chromePort ? { DESKPILOT_CHROME_PORT: String(chromePort) } : {}) };
}

/** Whether a program can be run: on PATH, or an executable path. */
export function onPath(program: string, path = process.env['PATH'] ?? ''): boolean {
  const candidates = program.includes('/') ? [program] : path.split(delimiter).filter(Boolean).map((d) => join(d, program));
  return candidates.some((c) => {
    try {
      accessSync(c, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** LibreOffice's modules are separate Debian packages: which are installed. */
export function libreofficeHas(module: 'calc' | 'writer' | 'impress'): boolean {
  const lib = { calc: 'libsclo.so', writer: 'libswlo.so', impress: 'libsdlo.so' }[module];
  return existsSync(join('/usr/lib/libreoffice/program', lib));
}
