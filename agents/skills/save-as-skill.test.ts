// Save as skill on real files and real bash: the written SKILL.md passes the validator, and the
// script forwards parameters to the CLI (a stand-in CLI that prints its argv) or repeats a run's commands.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAutomation } from '../automations/automation.ts';
import type { RunEvent } from '../run/events.ts';
import { SkillInstallError } from './install.ts';
import { shellQuote, skillFromAutomation, skillFromRun } from './save-as-skill.ts';
import { readSkillFolder } from './skill-file.ts';

let dir: string;
let userDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'save-skill-'));
  userDir = join(dir, 'skills');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const automation = parseAutomation({
  format: 'deskpilot-automation', version: 2, name: 'write note_v2', description: 'writes a note file',
  params: [{ name: 'who', default: 'world' }, { name: 'file' }],
  steps: [{ id: 's1', intent: 'shell: echo', action: { type: 'tool', name: 'shell', input: { command: 'echo "hi {{who}}" > {{file}}' } } }],
});

describe('skillFromAutomation', () => {
  it('writes a valid skill whose script passes name=value arguments to `automations run` with --db', async () => {
    const fakeCli = join(dir, 'fake-cli.mjs');
    writeFileSync(fakeCli, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
    const saved = await skillFromAutomation(automation, { userDir, dbPath: join(dir, "it's.db"), cliPath: fakeCli });
    expect(saved.name).toBe('write-note-v2');
    const checked = await readSkillFolder(saved.dir);
    expect(checked.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(checked.frontmatter.description).toContain('writes a note file');
    expect(checked.body).toContain('`who` (default: "world")');
    expect(checked.body).toContain('`file` (required)');
    expect(checked.body).toContain('1. shell: echo "hi {{who}}" > {{file}}');
    const script = join(saved.dir, 'scripts', 'run.sh');
    expect(statSync(script).mode & 0o111).not.toBe(0);

    const argv = JSON.parse(execFileSync(script, ['who=a b', 'file=/tmp/x'], { env: { ...process.env, DISPLAY: ':77' }, encoding: 'utf8' }));
    expect(argv).toEqual(['automations', 'run', 'write note_v2', '--db', join(dir, "it's.db"), '--approve', 'risky', '--display', ':77', '--param', 'who=a b', '--param', 'file=/tmp/x']);
    const noDisplay: NodeJS.ProcessEnv = { ...process.env, DESKPILOT_APPROVE: 'always' };
    delete noDisplay['DISPLAY'];
    expect(JSON.parse(execFileSync(script, [], { env: noDisplay, encoding: 'utf8' }))).toEqual(['automations', 'run', 'write note_v2', '--db', join(dir, "it's.db"), '--approve', 'always', '--sandbox']);

    const bad = spawnSync(script, ['nope=1'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown argument "nope=1"');
  });

  it('takes a given name and description, refuses a bad name and an existing skill unless asked to replace it', async () => {
    const saved = await skillFromAutomation(automation, { userDir, dbPath: '/x.db', name: 'note-writer', description: 'Use to write notes.' });
    expect((await readSkillFolder(saved.dir)).frontmatter).toMatchObject({ name: 'note-writer', description: 'Use to write notes.' });
    await expect(skillFromAutomation(automation, { userDir, dbPath: '/x.db', name: 'note-writer' })).rejects.toThrow(/already have a skill "note-writer"/);
    await expect(skillFromAutomation(automation, { userDir, dbPath: '/x.db', name: 'Bad Name' })).rejects.toThrow(SkillInstallError);
    const again = await skillFromAutomation(automation, { userDir, dbPath: '/y.db', name: 'note-writer', overwrite: true });
    expect(readFileSync(join(again.dir, 'scripts', 'run.sh'), 'utf8')).toContain(`DESKPILOT_DB=${shellQuote('/y.db')}`);
  });
});

describe('skillFromRun', () => {
  const finished = (actionId: string, isError: boolean): RunEvent => ({ type: 'tool_finished', actionId, isError, ms: 1, truncated: false, output: '' });
  const events: RunEvent[] = [
    { type: 'tool_called', actionId: 'a1', name: 'shell', input: { command: "mkdir -p out && printf '%s\\n' \"it's\" > out/one.txt" } },
    finished('a1', false),
    { type: 'tool_called', actionId: 'a2', name: 'shell', input: { command: 'false' } },
    finished('a2', true),
    { type: 'tool_called', actionId: 'a3', name: 'read_file', input: { path: 'x' } },
    { type: 'tool_called', actionId: 'a4', name: 'shell', input: { command: 'cat one.txt > two.txt', cwd: '~/out' } },
  ];

  it("repeats a done run's successful shell commands in order, each from the home folder or its cwd", async () => {
    const saved = await skillFromRun({ runId: 'r1', task: 'Make the out folder with two files', status: 'done', events }, { userDir });
    expect(saved.name).toBe('make-the-out-folder-with-two-files');
    expect(saved.warnings).toEqual([expect.stringContaining('failed in the run: false')]);
    const checked = await readSkillFolder(saved.dir);
    expect(checked.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(checked.body).toContain('## Commands it runs');
    const home = join(dir, 'home');
    mkdirSync(home);
    execFileSync(join(saved.dir, 'scripts', 'run.sh'), { env: { ...process.env, HOME: home }, cwd: dir });
    expect(readFileSync(join(home, 'out', 'two.txt'), 'utf8')).toBe("it's\n");
  });

  it('refuses a run that did not finish or ran no commands', async () => {
    await expect(skillFromRun({ runId: 'r2', task: 't', status: 'failed', events }, { userDir })).rejects.toThrow(/ended failed/);
    await expect(skillFromRun({ runId: 'r3', task: 't', status: 'done', events: [] }, { userDir })).rejects.toThrow(/no shell commands/);
  });
});
