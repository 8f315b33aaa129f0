// The Skills view as an operator meets it: Debian Chromium driven by Playwright against a real
// `deskpilot serve` on a fresh data folder. The list shows built-in and user skills with their source,
// a user skill overriding a built-in says so, a broken skill shows its errors (file, field, fix);
// turning a skill off persists in settings.json; a .zip made with `zip` installs; and a SKILL.md
// holding HTML (<img onerror>, <script>) is shown as text on its page without running anything.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { openUi, SHOTS, type Served } from './support/ui-serve.ts';

let display: VirtualDisplay;
let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;
let work: string;
const dialogs: string[] = [];

const HTML_BODY = 'Look: <img src=x onerror="window.__pwned = 1"> and <script>window.__pwned = 2</script> done.';

function skill(root: string, folder: string, frontmatter: string, body = '# Steps\nDo the thing.\n'): void {
  mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(join(root, folder, 'SKILL.md'), `---\n${frontmatter}\n---\n${body}`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-skills-ui-'));
  work = mkdtempSync(join(tmpdir(), 'dp-skills-ui-work-'));
  const userDir = join(dataDir, 'skills');
  skill(userDir, 'broken-skill', 'name: Broken_Skill');
  skill(userDir, 'organize-files', 'name: organize-files\ndescription: My own way of organising files; use it for my folders.');
  skill(userDir, 'html-skill', 'name: html-skill\ndescription: A skill whose body holds HTML, to show it is never run.', `${HTML_BODY}\n`);
  skill(work, 'zipped-skill', 'name: zipped-skill\ndescription: Installed from a zip in the Skills view test.');
  mkdirSync(join(work, 'zipped-skill', 'scripts'));
  writeFileSync(join(work, 'zipped-skill', 'scripts', 'run.sh'), '#!/usr/bin/env bash\necho zipped\n');
  execFileSync('zip', ['-qr', join(work, 'zipped-skill.zip'), 'zipped-skill'], { cwd: work });
  display = await startDisplay({ size: { width: 1024, height: 640 } });
  ({ server, browser, page } = await openUi({ display: display.display, dataDir }));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await display?.stop();
  for (const d of [dataDir, work]) if (d) rmSync(d, { recursive: true, force: true });
});

const row = (name: string) => page.locator(`[data-testid="skill-row"][data-name="${name}"]`);
/** The settings file as the engine left it (undefined until it is first written). */
const settingsOnDisk = () => (existsSync(join(dataDir, 'settings.json')) ? (JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { skills?: { disabled?: string[] } }) : undefined);

describe('the Skills view in Chromium', () => {
  it('lists skills with their source, the override, and a broken skill with its errors', async () => {
    await page.getByTestId('skills-link').click();
    await expect.poll(() => page.url()).toContain('#/skills');
    await row('libreoffice-cli').waitFor();
    expect(await row('libreoffice-cli').getAttribute('data-source')).toBe('builtin');
    expect(await row('html-skill').getAttribute('data-source')).toBe('user');
    // The user's organize-files overrides the built-in one, and the list says so.
    const mine = page.locator('[data-testid="skill-row"][data-name="organize-files"][data-source="user"]');
    await expect.poll(() => mine.getByTestId('skill-overrides').textContent()).toContain('overrides the built-in');
    // The broken skill: listed, not valid, its errors name the field and the fix; its switch is off.
    const broken = row('broken-skill');
    expect(await broken.getAttribute('data-valid')).toBe('false');
    const errors = await broken.getByTestId('skill-error').allTextContents();
    expect(errors.join('\n')).toMatch(/name.*capitals/);
    expect(errors.join('\n')).toMatch(/description.*missing/);
    expect(errors.join('\n')).toContain(join(dataDir, 'skills', 'broken-skill', 'SKILL.md'));
    expect(await broken.getByTestId('skill-toggle').isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'skills-list.png'), fullPage: true });
  }, 60_000);

  it('turns a skill off and the setting persists in settings.json and across a reload', async () => {
    const toggle = row('read-screen-text').getByTestId('skill-toggle');
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click();
    await expect.poll(() => row('read-screen-text').getAttribute('data-enabled')).toBe('false');
    await expect.poll(() => settingsOnDisk()?.skills?.disabled).toEqual(['read-screen-text']);
    await page.reload();
    await row('read-screen-text').waitFor();
    expect(await row('read-screen-text').getByTestId('skill-toggle').isChecked()).toBe(false);
    await row('read-screen-text').getByTestId('skill-toggle').click();
    await expect.poll(() => settingsOnDisk()?.skills?.disabled).toEqual([]);
  }, 60_000);

  it('installs a .zip by its path, and a bad path says why', async () => {
    await page.getByTestId('skill-install-path').fill(join(work, 'missing.zip'));
    await page.getByTestId('skill-install').click();
    await expect.poll(() => page.getByTestId('skills-form-error').textContent()).toContain('does not exist');
    await page.getByTestId('skill-install-path').fill(join(work, 'zipped-skill.zip'));
    await page.getByTestId('skill-install').click();
    await row('zipped-skill').waitFor();
    expect(await row('zipped-skill').getAttribute('data-source')).toBe('user');
    expect(readFileSync(join(dataDir, 'skills', 'zipped-skill', 'scripts', 'run.sh'), 'utf8')).toContain('echo zipped');
  }, 60_000);

  it("shows a SKILL.md holding HTML as text on the skill's page, running none of it", async () => {
    await row('html-skill').getByTestId('skill-link').click();
    const text = page.getByTestId('skill-text');
    await text.waitFor();
    expect(await text.textContent()).toContain(HTML_BODY);
    expect(await text.locator('img, script').count()).toBe(0);
    expect(await page.locator('[data-testid="skill-page"] img').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.getByTestId('skill-file').allTextContents()).toEqual([expect.stringContaining('SKILL.md')]);
    await page.screenshot({ path: join(SHOTS, 'skill-page.png'), fullPage: true });
    expect(existsSync(join(dataDir, 'skills', 'html-skill', 'SKILL.md'))).toBe(true);
  }, 60_000);

  it("saves an automation as a skill from its page, and the skill's page opens with its script", async () => {
    await server.call('automations.save', {
      automation: {
        format: 'deskpilot-automation', name: 'tidy downloads', params: [{ name: 'folder', default: 'Downloads' }], allowHealing: false,
        steps: [{ id: 's1', intent: 'shell: tidy', action: { type: 'tool', name: 'shell', input: { command: 'ls ~/{{folder}}' } } }],
      },
    });
    await page.evaluate((hash) => {
      location.hash = hash;
    }, `#/automations/${encodeURIComponent('tidy downloads')}`);
    await page.getByTestId('save-as-skill').click();
    await page.getByTestId('save-skill-submit').click();
    await expect.poll(() => page.url()).toContain('#/skills/tidy-downloads');
    const text = page.getByTestId('skill-text');
    await text.waitFor();
    expect(await text.textContent()).toContain('Replays the Deskpilot automation "tidy downloads"');
    expect(await page.getByTestId('skill-file').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('scripts/run.sh')]));
    expect(readFileSync(join(dataDir, 'skills', 'tidy-downloads', 'scripts', 'run.sh'), 'utf8')).toContain("automations run 'tidy downloads'");
    // Saving again under the same name says why it cannot.
    await page.goBack();
    await page.getByTestId('save-as-skill').click();
    await page.getByTestId('save-skill-submit').click();
    await expect.poll(() => page.getByTestId('save-skill-error').textContent()).toContain('already have a skill "tidy-downloads"');
  }, 60_000);
});
