// The skills commands on a real data folder: list with sources and problems, a skill's page, turning
// one off (kept in the settings file), installing folders and zips (refusing escaping paths, links,
// broken skills and duplicates), and a new skeleton that validates.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from './command-error.ts';
import { SettingsFile } from './settings-file.ts';
import { skillHandlers } from './skill-commands.ts';

const root = mkdtempSync(join(tmpdir(), 'skill-cmds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function skillDir(parent: string, name: string, fm = `name: ${name}\ndescription: Does ${name}. Use when asked.`): string {
  const dir = join(parent, name);
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'SKILL.md'), `---\n${fm}\n---\n# ${name}\n<script>alert(1)</script>\n`);
  writeFileSync(join(dir, 'scripts', 'run.sh'), 'echo hi\n');
  return dir;
}

const builtin = join(root, 'builtin');
skillDir(builtin, 'alpha');
skillDir(builtin, 'beta');
const dataDir = join(root, 'data');
const settings = new SettingsFile(join(dataDir, 'settings.json'));
const h = skillHandlers({ dataDir, settings: () => settings.get(), updateSettings: (p) => settings.update(p), builtinDir: builtin });

async function failure(p: Promise<unknown> | unknown): Promise<CommandError> {
  const err = await Promise.resolve(p).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CommandError);
  return err as CommandError;
}

describe('skills commands', () => {
  it('lists built-ins and gives a page with SKILL.md as text and the files', async () => {
    const { skills } = await h['skills.list']({});
    expect(skills.map((s) => `${s.name}:${s.source}:${s.offered}`)).toEqual(['alpha:builtin:true', 'beta:builtin:true']);
    const page = await h['skills.get']({ name: 'alpha' });
    expect(page.text).toContain('<script>alert(1)</script>');
    expect(page.files.map((f) => f.path)).toEqual(['scripts/run.sh', 'SKILL.md']);
    expect((await failure(h['skills.get']({ name: 'nope' }))).code).toBe('not_found');
  });

  it('turns a skill off and on, kept in settings.json', async () => {
    expect(await h['skills.setEnabled']({ name: 'beta', enabled: false })).toMatchObject({ name: 'beta', enabled: false, offered: false });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).skills).toEqual({ disabled: ['beta'], folders: [] });
    // Another settings update leaves the skills settings alone.
    settings.update({ historyImages: 4 });
    expect(settings.get().skills?.disabled).toEqual(['beta']);
    expect(await h['skills.setEnabled']({ name: 'beta', enabled: true })).toMatchObject({ enabled: true, offered: true });
  });

  it('installs a folder into the user folder, overriding a built-in, and refuses a second install', async () => {
    const src = skillDir(join(root, 'src'), 'alpha', 'name: alpha\ndescription: My own alpha. Use when asked.');
    const r = await h['skills.install']({ path: src });
    expect(r.skill).toMatchObject({ name: 'alpha', source: 'user', dir: join(dataDir, 'skills', 'alpha'), overrides: join(builtin, 'alpha') });
    expect(r.warnings).toEqual([]);
    expect(readFileSync(join(dataDir, 'skills', 'alpha', 'scripts', 'run.sh'), 'utf8')).toBe('echo hi\n');
    expect((await failure(h['skills.install']({ path: src }))).message).toMatch(/already installed/);
    expect((await h['skills.install']({ path: src, overwrite: true })).warnings[0]).toMatch(/replaced/);
  });

  it('installs a zip of a skill folder', async () => {
    const src = skillDir(join(root, 'zsrc'), 'zipped');
    execFileSync('zip', ['-qr', join(root, 'zipped.zip'), 'zipped'], { cwd: join(root, 'zsrc') });
    const r = await h['skills.install']({ path: join(root, 'zipped.zip') });
    expect(r.skill).toMatchObject({ name: 'zipped', source: 'user', offered: true });
    expect(existsSync(join(dataDir, 'skills', 'zipped', 'SKILL.md'))).toBe(true);
    expect(src).toBeTruthy();
  });

  it('refuses zips with links or escaping paths, broken skills and folders with links, installing nothing', async () => {
    const linked = skillDir(join(root, 'lsrc'), 'linked');
    symlinkSync('/etc/passwd', join(linked, 'passwd'));
    execFileSync('zip', ['-qry', join(root, 'linked.zip'), 'linked'], { cwd: join(root, 'lsrc') });
    expect((await failure(h['skills.install']({ path: join(root, 'linked.zip') }))).message).toMatch(/symbolic link \(linked\/passwd\)/);
    expect((await failure(h['skills.install']({ path: linked }))).message).toMatch(/passwd is a symbolic link/);

    // A zip entry that climbs out of the folder (written by Python's zipfile, as an attacker would).
    const evil = join(root, 'evil.zip');
    execFileSync('python3', ['-c', `import zipfile; z = zipfile.ZipFile(${JSON.stringify(evil)}, 'w'); z.writestr('evil/SKILL.md', '---\\nname: evil\\ndescription: d\\n---\\n'); z.writestr('../../escaped.txt', 'x'); z.close()`]);
    expect((await failure(h['skills.install']({ path: evil }))).message).toMatch(/leaves its folder \(\.\.\/\.\.\/escaped\.txt\)/);

    const broken = skillDir(join(root, 'bsrc'), 'broken', 'name: Broken_Name\ndescription: d');
    expect((await failure(h['skills.install']({ path: broken }))).message).toMatch(/no valid name: name: name "Broken_Name" has capitals/);
    const notZip = join(root, 'fake.zip');
    writeFileSync(notZip, 'not a zip');
    expect((await failure(h['skills.install']({ path: notZip }))).message).toMatch(/not a readable zip file/);

    const { skills } = await h['skills.list']({});
    expect(skills.filter((s) => s.source === 'user').map((s) => s.name).sort()).toEqual(['alpha', 'zipped']);
    expect(existsSync(join(root, 'escaped.txt'))).toBe(false);
  });

  it('writes a new skeleton that is valid, and refuses bad or taken names', async () => {
    const s = await h['skills.new']({ name: 'my-chore', description: 'Files the weekly report. Use when asked to file the report.' });
    expect(s).toMatchObject({ name: 'my-chore', source: 'user', offered: true, errors: [], warnings: [] });
    expect(readFileSync(join(dataDir, 'skills', 'my-chore', 'SKILL.md'), 'utf8')).toMatch(/^---\nname: my-chore\ndescription: "Files the weekly report/);
    expect((await failure(h['skills.new']({ name: 'My Chore' }))).message).toMatch(/capitals.*e\.g\. "my-chore"/);
    expect((await failure(h['skills.new']({ name: 'my-chore' }))).message).toMatch(/already exists/);
  });
});
