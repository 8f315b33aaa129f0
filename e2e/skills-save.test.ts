// Save as skill end to end: an automation (a shell tool step with a parameter) is saved as a skill
// through the app's command; a run on a sandbox display, through the real `openai` SDK and the mock
// Responses server, calls the skill's script with the shell tool (approved); the script replays the
// automation with the real deskpilot CLI, and the file it writes is checked on disk. That run is then
// saved as a skill of its own (skills.fromRun), whose script repeats its shell steps.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppService } from '../agents/app/app-service.ts';
import type { CommandName, CommandOutput } from '../agents/contract.ts';
import { MemorySecrets } from '../agents/app/secrets.ts';
import { openTarget, type OpenedTarget } from '../agents/desktop/targets.ts';
import { OpenAIResponsesPlanner } from '../agents/models/openai-responses.ts';
import { launchRun } from '../agents/run/start-run.ts';
import { discoverSkills } from '../agents/skills/discovery.ts';
import { readSkillFolder } from '../agents/skills/skill-file.ts';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { ofType, onEvents } from './support/agent-harness.ts';
import { runDeskpilot } from './support/cli.ts';

const API_KEY = 'sk-test-save-skill';
let opened: OpenedTarget;
let mock: MockOpenAI;
let dataDir: string;
let home: string;

/** The app's command, typed by the contract. */
const call = async <C extends CommandName>(app: AppService, command: C, input: unknown) => (await app.call(command, input)) as CommandOutput<C>;
const openApp = () => AppService.open({ dataDir, transport: 'http', secrets: new MemorySecrets(), env: {}, schedule: false });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'deskpilot-save-skill-'));
  [opened, mock] = await Promise.all([openTarget({ kind: 'sandbox', size: { width: 1024, height: 640 }, launch: [] }), startMockOpenAI({ apiKey: API_KEY })]);
  home = opened.env!['HOME']!;
}, 60_000);

afterAll(async () => {
  await mock?.close();
  await opened?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('Save as skill', () => {
  it('saves an automation as a skill, a model-driven run calls its script, the replay writes the file; the run saves as a skill too', async () => {
    // 1. An automation whose step is a shell tool call with a parameter, saved and turned into a skill by the app.
    let app = await openApp();
    let skillDir: string;
    try {
      await app.call('automations.save', {
        automation: {
          format: 'deskpilot-automation', name: 'write greeting', description: 'writes a greeting into ~/greeting.txt', params: [{ name: 'word', default: 'hello' }], allowHealing: false,
          steps: [{ id: 's1', intent: 'shell: write greeting', action: { type: 'tool', name: 'shell', input: { command: 'echo "greeting: {{word}}" > ~/greeting.txt' } } }],
        },
      });
      const { skill } = await call(app, 'skills.fromAutomation', { automation: 'write greeting' });
      expect(skill).toMatchObject({ name: 'write-greeting', source: 'user', enabled: true, errors: [] });
      skillDir = skill.dir;
      expect(skillDir).toBe(join(dataDir, 'skills', 'write-greeting'));
      expect((await call(app, 'skills.list', undefined)).skills.map((s) => s.name)).toContain('write-greeting');
      await expect(app.call('skills.fromAutomation', { automation: 'no such thing' })).rejects.toThrow(/no automation "no such thing"/);
    } finally {
      await app.close();
    }
    const read = await readSkillFolder(skillDir);
    expect(read.frontmatter.description).toContain('writes a greeting');
    expect(read.body).toContain('`word` (default: "hello")');

    // 2. A run offered the user's skills; the model calls the skill's script with a parameter.
    const store = Store.open(join(dataDir, 'deskpilot.db'));
    let runId: string;
    try {
      const catalog = await discoverSkills({ builtinDir: null, userDir: join(dataDir, 'skills') });
      mock.setTrajectory([
        { actions: [{ type: 'tool', name: 'shell', input: { command: 'echo first > ~/first.txt' } }] },
        { actions: [{ type: 'tool', name: 'shell', input: { command: `bash ${skillDir}/scripts/run.sh word=bonjour`, timeout_seconds: 120 } }] },
        { text: 'Greeting written.' },
      ]);
      const planner = new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: API_KEY, timeoutMs: 10_000, maxRetries: 1 });
      const run = launchRun(opened, { store, planner, provider: planner.name, model: planner.model, task: 'Write a greeting saying bonjour', options: { approve: 'always', maxSteps: 6 }, skills: { catalog } });
      const stop = onEvents(store, run, (e) => {
        if (e.type === 'approval_requested') setTimeout(() => run.control.decide(e.actionId, { decision: 'approve' }), 10);
      });
      expect(await run.finished.finally(stop)).toMatchObject({ status: 'done', answer: 'Greeting written.' });
      runId = run.id;
      expect(ofType(store, run, 'skills_offered')[0]!.names).toEqual(['write-greeting']);
      const finished = ofType(store, run, 'tool_finished');
      expect(finished[1], finished[1]?.output).toMatchObject({ isError: false, exitCode: 0 });
      // The replay was a run of its own in the same database, with the automation's provider.
      expect(store.listRuns().some((r) => r.id !== run.id && r.provider === 'automation' && r.status === 'done')).toBe(true);
    } finally {
      store.close();
    }
    expect(readFileSync(join(home, 'greeting.txt'), 'utf8')).toBe('greeting: bonjour\n');

    // 3. The run saved as a skill: its script repeats both shell steps.
    app = await openApp();
    let runSkillDir: string;
    try {
      const { skill } = await call(app, 'skills.fromRun', { runId, name: 'greet-again' });
      expect(skill).toMatchObject({ name: 'greet-again', errors: [] });
      runSkillDir = skill.dir;
    } finally {
      await app.close();
    }
    rmSync(join(home, 'first.txt'));
    rmSync(join(home, 'greeting.txt'));
    execFileSync('bash', [join(runSkillDir, 'scripts', 'run.sh')], { env: { ...process.env, ...opened.env }, stdio: 'pipe', timeout: 120_000 });
    expect(readFileSync(join(home, 'first.txt'), 'utf8')).toBe('first\n');
    expect(existsSync(join(home, 'greeting.txt')) && readFileSync(join(home, 'greeting.txt'), 'utf8')).toBe('greeting: bonjour\n');

    // 4. The CLI does the same: deskpilot skills from-automation / from-run with --db.
    const cli = async (args: string[]) => {
      const r = await runDeskpilot([...args, '--db', join(dataDir, 'deskpilot.db')], {}, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(await cli(['skills', 'from-automation', 'write greeting', '--name', 'cli-greeting'])).toContain(`wrote skill cli-greeting in ${join(dataDir, 'skills', 'cli-greeting')}`);
    expect((await readSkillFolder(join(dataDir, 'skills', 'cli-greeting'))).problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(await cli(['skills', 'from-run', runId, '--name', 'cli-run'])).toContain('wrote skill cli-run');
    expect(readFileSync(join(dataDir, 'skills', 'cli-run', 'scripts', 'run.sh'), 'utf8')).toContain("bash -c 'echo first > ~/first.txt'");
  }, 240_000);
});
