// The task machine's helpers without a display: placeholders, `python` meaning python3 with our
// pyautogui importable, and google-chrome's port replaced by the sandbox's own.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, machineEnv, shimDir } from './machine.ts';

describe('the task machine', () => {
  it('fills OSWorld placeholders', () => {
    expect(fillPlaceholders('click({SCREEN_WIDTH_HALF}, {SCREEN_HEIGHT_HALF}) of {SCREEN_WIDTH}x{SCREEN_HEIGHT}; echo {CLIENT_PASSWORD} | sudo -S true', { width: 1280, height: 800 }))
      .toBe('click(640, 400) of 1280x800; echo password | sudo -S true');
  });

  it('runs python as python3 with our pyautogui, whose key names map to X keysyms', () => {
    const env = { ...process.env, ...machineEnv(process.env, 9555) };
    const out = execFileSync('python', ['-c', "import pyautogui, sys; print(sys.version_info[0], pyautogui.__file__.endswith('agents/tasks/py/pyautogui.py'), pyautogui._key('enter'), pyautogui._key('pgdn'), pyautogui._key('f5'))"], { env, encoding: 'utf8' });
    expect(out.trim()).toBe('3 True Return Next F5');
  });

  it('google-chrome drops the task\'s --remote-debugging-port for the sandbox\'s', () => {
    const shim = readFileSync(join(shimDir(), 'google-chrome'), 'utf8');
    expect(shim).toContain('--remote-debugging-port=*) ;;');
    expect(shim).toContain('--remote-debugging-port="$port"');
    expect(machineEnv({ PATH: '/usr/bin' }, 9555)).toMatchObject({ DESKPILOT_CHROME_PORT: '9555', PATH: `${shimDir()}:/usr/bin` });
  });
});
