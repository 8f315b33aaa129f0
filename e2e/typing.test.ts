// Exact typing, checked in the files the apps write: shifted punctuation, accents, CJK and emoji.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { HARD_TEXT, openMousepad, openXterm, readClipboard, setClipboard, waitForFile } from './support/apps.ts';

describe('typing on a real X display', () => {
  let display: VirtualDisplay;
  let driver: NutDriver;

  beforeAll(async () => {
    display = await startDisplay({ size: { width: 1280, height: 800 } });
    driver = await NutDriver.start({ display: display.display, env: display.env });
  });
  afterAll(async () => {
    await driver?.close();
    await display?.stop();
  });

  it('types the hard string into xterm exactly, every time, and restores the clipboard', async () => {
    await setClipboard(display, 'the user’s clipboard ✓');
    await openXterm(display);
    for (let i = 1; i <= 3; i++) {
      const out = join(display.env.HOME!, `xterm-${i}.txt`);
      await driver.perform({ type: 'type', text: `echo "${HARD_TEXT}" > ${out}\n` });
      expect(await waitForFile(out)).toBe(`${HARD_TEXT}\n`);
    }
    expect(await readClipboard(display)).toBe('the user’s clipboard ✓');
  });

  it('types the hard string into mousepad exactly and saves it with Ctrl+S', async () => {
    const file = join(display.env.HOME!, 'mousepad.txt');
    await openMousepad(display, file);
    const text = `echo "${HARD_TEXT}"\n\tindented line\nline 3 ${HARD_TEXT}`;
    await driver.perform({ type: 'type', text });
    await driver.perform({ type: 'keypress', keys: ['CTRL', 'S'] });
    expect(await waitForFile(file)).toBe(text);
    expect(await readClipboard(display)).toBe('the user’s clipboard ✓');
  });

  it('leaves an empty clipboard empty after pasting non-ASCII text', async () => {
    await display.run('xsel', ['--clipboard', '--clear']);
    const out = join(display.env.HOME!, 'empty-clip.txt');
    await openXterm(display);
    await driver.perform({ type: 'type', text: `echo "日本語" > ${out}\n` });
    expect(await waitForFile(out)).toBe('日本語\n');
    // xsel prints nothing and exits 0 for an empty clipboard; a failed read rejects (no catch turning it into '').
    expect(await display.run('xsel', ['--clipboard', '--output'])).toBe('');
    // And the same read sees text when there is some: the empty result above is the clipboard's, not the tool's.
    await setClipboard(display, 'probe');
    expect(await display.run('xsel', ['--clipboard', '--output'])).toBe('probe');
  });

  it('presses key combos given OpenAI-style and xdotool-style', async () => {
    const out = join(display.env.HOME!, 'combo.txt');
    await openXterm(display);
    // Ctrl+U clears the line typed so far: only what follows it reaches the file.
    await driver.perform({ type: 'type', text: 'garbage' });
    await driver.perform({ type: 'keypress', keys: 'ctrl+u' });
    await driver.perform({ type: 'type', text: `echo ok > ${out}` });
    await driver.perform({ type: 'keypress', keys: ['RETURN'] });
    expect(await waitForFile(out)).toBe('ok\n');
  });
});
