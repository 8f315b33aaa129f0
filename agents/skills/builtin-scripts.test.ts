// The built-in skills' scripts on this machine, on real files: what they print and what they change
// on disk (the e2e test runs two of them through the agent; these cover their edges).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_SKILLS_DIR } from './discovery.ts';

const root = mkdtempSync(join(tmpdir(), 'skill-scripts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const script = (skill: string, name: string) => join(BUILTIN_SKILLS_DIR, skill, 'scripts', name);
const bash = (file: string, args: string[], cwd = root) => spawnSync('bash', [file, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TMPDIR: root } });
const touch = (path: string, content: string, day?: string) => {
  writeFileSync(path, content);
  if (day) utimesSync(path, new Date(`${day}T12:00:00Z`), new Date(`${day}T12:00:00Z`));
};
const names = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith('.')).sort();

describe('organize-files scripts', () => {
  it('bulk-rename: a dry run changes nothing; a conflict renames nothing; --apply renames and its undo script restores', () => {
    const dir = join(root, 'ren');
    mkdirSync(dir);
    touch(join(dir, 'Report.PDF'), 'a');
    touch(join(dir, 'report.pdf'), 'b');
    touch(join(dir, 'Notes.txt'), 'c');
    const dry = bash(script('organize-files', 'bulk-rename.sh'), [dir, '--lower', '--glob', '*.txt']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('Notes.txt -> notes.txt\ndry run: 1 file(s) would be renamed');
    expect(names(dir)).toEqual(['Notes.txt', 'Report.PDF', 'report.pdf']);

    const conflict = bash(script('organize-files', 'bulk-rename.sh'), [dir, '--lower', '--apply']);
    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toMatch(/conflict: report\.pdf already exists \(from Report\.PDF\)/);
    expect(names(dir)).toEqual(['Notes.txt', 'Report.PDF', 'report.pdf']);

    const applied = bash(script('organize-files', 'bulk-rename.sh'), [dir, '--replace', 'eport', 'ecap', '--apply']);
    expect(applied.status).toBe(0);
    expect(names(dir)).toEqual(['Notes.txt', 'Recap.PDF', 'recap.pdf']);
    const undo = readdirSync(dir).find((f) => f.startsWith('.rename-undo-'))!;
    execFileSync('bash', [join(dir, undo)]);
    expect(names(dir)).toEqual(['Notes.txt', 'Report.PDF', 'report.pdf']);
  });

  it('find-duplicates groups identical files; find-by-date filters by modification date', () => {
    const dir = join(root, 'dups');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    touch(join(dir, 'a.txt'), 'same', '2024-03-05');
    touch(join(dir, 'sub', 'b.txt'), 'same', '2023-01-01');
    touch(join(dir, 'c.txt'), 'diff', '2024-03-06');
    const d = bash(script('organize-files', 'find-duplicates.sh'), [dir]);
    expect(d.stdout.trim().split('\n').sort()).toEqual([join(dir, 'a.txt'), join(dir, 'sub', 'b.txt')]);
    const f = bash(script('organize-files', 'find-by-date.sh'), [dir, '--since', '2024-01-01', '--until', '2024-03-06']);
    expect(f.stdout.trim()).toMatch(/^2024-03-05 \d\d:\d\d\s+4\.0B\s+.*\/a\.txt$/);
    expect(bash(script('organize-files', 'find-by-date.sh'), [dir, '--since', 'not a date']).status).toBe(2);
  });
});

describe('libreoffice-cli scripts', () => {
  it('convert.sh makes an xlsx and read-cells.sh reads a cell and a range from it', () => {
    touch(join(root, 'fruit.csv'), 'name,qty\napple,3\n"pear, green",5\n');
    const c = bash(script('libreoffice-cli', 'convert.sh'), ['xlsx', 'fruit.csv']);
    expect(c.status, c.stderr).toBe(0);
    expect(c.stdout.trim()).toBe('./fruit.xlsx');
    expect(bash(script('libreoffice-cli', 'read-cells.sh'), ['fruit.xlsx', 'A3']).stdout).toBe('pear, green\n');
    expect(bash(script('libreoffice-cli', 'read-cells.sh'), ['fruit.xlsx', 'A2:B3']).stdout).toBe('apple,3\n"pear, green",5\n');
    const missing = bash(script('libreoffice-cli', 'convert.sh'), ['pdf', 'nothere.docx']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('not a file: nothere.docx');
  }, 60_000);
});

describe('read-screen-text and linux-desktop-basics scripts', () => {
  it('ocr.sh reads an image, with word boxes', () => {
    const png = join(root, 'text.png');
    execFileSync('/usr/bin/convert', ['-size', '520x80', 'xc:white', '-font', 'DejaVu-Sans', '-pointsize', '32', '-fill', 'black', '-annotate', '+10+50', 'Invoice 4711 paid', png]);
    expect(bash(script('read-screen-text', 'ocr.sh'), [png]).stdout.trim()).toBe('Invoice 4711 paid');
    const words = bash(script('read-screen-text', 'ocr.sh'), ['--words', png]).stdout.trim().split('\n').map((l) => l.split(' '));
    expect(words.map((w) => w[4])).toEqual(['Invoice', '4711', 'paid']);
    expect(Number(words[1]![0])).toBeGreaterThan(Number(words[0]![0]));
    expect(bash(script('read-screen-text', 'ocr.sh'), ['--region', 'bad', png]).status).toBe(2);
  }, 30_000);

  it('which-app.sh names a text file\'s type', () => {
    touch(join(root, 'notes.txt'), 'hello');
    expect(bash(script('linux-desktop-basics', 'which-app.sh'), [join(root, 'notes.txt')]).stdout).toMatch(/^type: text\/plain\n/);
  });
});
