// Skills end to end: a run assembled by launchRun on a sandbox display, the real `openai` SDK over
// HTTP to the mock Responses server. The model loads a built-in skill, reads its reference, runs its
// script through the shell tool (approved by the operator), and the effect is checked on disk; a
// skill named `$name` in the task is loaded before step 1; a disabled skill is not offered.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, type OpenedTarget } from '../agents/desktop/targets.ts';
import { OpenAIResponsesPlanner } from '../agents/models/openai-responses.ts';
import type { AgentRun } from '../agents/run/agent-run.ts';
import { launchRun } from '../agents/run/start-run.ts';
import { BUILTIN_SKILLS_DIR, discoverSkills } from '../agents/skills/discovery.ts';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockOpenAI, type MockTurn } from './mock-openai/server.ts';
import { eventsOf, ofType, onEvents } from './support/agent-harness.ts';

const API_KEY = 'sk-test-skills';
let opened: OpenedTarget;
let mock: MockOpenAI;
let store: Store;
let dir: string;
let home: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-skills-e2e-'));
  [opened, mock] = await Promise.all([openTarget({ kind: 'sandbox', size: { width: 1024, height: 640 }, launch: [] }), startMockOpenAI({ apiKey: API_KEY })]);
  store = Store.open(join(dir, 'deskpilot.db'));
  home = opened.env!['HOME']!;
}, 60_000);

afterAll(async () => {
  store?.close();
  await mock?.close();
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(turns: MockTurn[], task: string, disabled: string[] = []): Promise<{ run: AgentRun; approvals: string[] }> {
  mock.setTrajectory(turns);
  const catalog = await discoverSkills({ builtinDir: BUILTIN_SKILLS_DIR, userDir: join(dir, 'user-skills'), disabled });
  const planner = new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: API_KEY, timeoutMs: 10_000, maxRetries: 1 });
  const agentRun = launchRun(opened, { store, planner, provider: planner.name, model: planner.model, task, options: { approve: 'always', maxSteps: 8 }, skills: { catalog } });
  // The operator approves every action and tool call, and we note what was asked.
  const approvals: string[] = [];
  const stop = onEvents(store, agentRun, (e) => {
    if (e.type !== 'approval_requested') return;
    const proposed = ofType(store, agentRun, 'action_proposed').find((p) => p.actionId === e.actionId)!;
    approvals.push(proposed.action.type === 'tool' ? proposed.action.name : proposed.action.type);
    setTimeout(() => agentRun.control.decide(e.actionId, { decision: 'approve' }), 10);
  });
  await agentRun.finished.finally(stop);
  return { run: agentRun, approvals };
}

const instructionsOf = (i: number) => String((mock.requests[i]!.body as { instructions?: string }).instructions ?? '');
const functionOutputs = (i: number) => ((mock.requests[i]!.body as { input: { type?: string; output?: string }[] }).input).filter((x) => x.type === 'function_call_output').map((x) => x.output ?? '');

describe('skills through the mock model on a sandbox display', () => {
  it('loads organize-files, reads its reference, runs its rename script (approved) and the files are renamed on disk', async () => {
    const invoices = join(home, 'Invoices');
    mkdirSync(invoices, { recursive: true });
    for (const [name, day] of [['acme.pdf', '2024-03-05'], ['globex.pdf', '2024-04-11']] as const) {
      writeFileSync(join(invoices, name), name);
      const t = new Date(`${day}T12:00:00Z`);
      utimesSync(join(invoices, name), t, t);
    }
    const skillDir = join(BUILTIN_SKILLS_DIR, 'organize-files');
    const requestsBefore = 0; // setTrajectory starts a new request list
    const { run: r, approvals } = await run([
      { thought: 'There is a skill for renaming files.', actions: [{ type: 'tool', name: 'load_skill', input: { name: 'organize-files' } }] },
      { actions: [{ type: 'tool', name: 'read_skill_file', input: { name: 'organize-files', path: 'references/find-recipes.md' } }] },
      { actions: [{ type: 'tool', name: 'shell', input: { command: `bash "${skillDir}/scripts/bulk-rename.sh" ~/Invoices --date-prefix --apply` } }] },
      { text: 'The invoices now start with their dates.' },
    ], 'Put the date in front of each invoice name in ~/Invoices', ['read-screen-text']);

    expect(await r.finished).toMatchObject({ status: 'done', answer: 'The invoices now start with their dates.' });
    expect(readdirSync(invoices).filter((f) => !f.startsWith('.')).sort()).toEqual(['2024-03-05_acme.pdf', '2024-04-11_globex.pdf']);
    expect(readFileSync(join(invoices, '2024-03-05_acme.pdf'), 'utf8')).toBe('acme.pdf');
    expect(readdirSync(invoices).some((f) => f.startsWith('.rename-undo-'))).toBe(true);
    expect(approvals).toEqual(['load_skill', 'read_skill_file', 'shell']);

    // What the model was told: the listing (without the disabled skill), the skill's body, the reference.
    const first = instructionsOf(requestsBefore);
    expect(first).toContain('- organize-files: Find and organise files');
    expect(first).toContain('- libreoffice-cli:');
    expect(first).not.toContain('read-screen-text');
    expect(functionOutputs(requestsBefore + 1)[0]).toContain(`Folder: ${skillDir}`);
    expect(functionOutputs(requestsBefore + 1)[0]).toContain('# Organising files');
    expect(functionOutputs(requestsBefore + 2)[0]).toContain('# find recipes');
    expect(functionOutputs(requestsBefore + 3)[0]).toContain('renamed 2 file(s)');

    // What the log says.
    const offered = ofType(store, r, 'skills_offered');
    expect(offered).toHaveLength(1);
    expect(offered[0]!.names).toEqual(expect.arrayContaining(['organize-files', 'libreoffice-cli', 'linux-desktop-basics']));
    expect(offered[0]!.names).not.toContain('read-screen-text');
    expect(ofType(store, r, 'skill_loaded')).toEqual([expect.objectContaining({ name: 'organize-files', source: 'builtin', by: 'model', dir: skillDir })]);
    const types = eventsOf(store, r).map((e) => e.type);
    expect(types.indexOf('skill_loaded')).toBeGreaterThan(types.indexOf('tool_called'));
    expect(ofType(store, r, 'run_started')[0]!.tools).toEqual(expect.arrayContaining(['shell', 'load_skill', 'read_skill_file']));
  }, 60_000);

  it('loads a skill named with $name before step 1 and uses its script to export a PDF', async () => {
    const csv = join(home, 'fruit.csv');
    writeFileSync(csv, 'name,qty\napple,3\npear,5\n');
    const script = join(BUILTIN_SKILLS_DIR, 'libreoffice-cli', 'scripts', 'convert.sh');
    const requestsBefore = 0; // setTrajectory starts a new request list
    const { run: r } = await run([
      { actions: [{ type: 'tool', name: 'shell', input: { command: `bash "${script}" pdf ~/fruit.csv` } }] },
      { text: 'Exported.' },
    ], 'Export ~/fruit.csv as a PDF with $libreoffice-cli');

    expect(await r.finished).toMatchObject({ status: 'done' });
    const pdf = join(home, 'fruit.pdf');
    expect(existsSync(pdf)).toBe(true);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    const events = eventsOf(store, r);
    const loaded = events.findIndex((e) => e.type === 'skill_loaded');
    expect(events[loaded]).toMatchObject({ name: 'libreoffice-cli', by: 'task', source: 'builtin' });
    expect(loaded).toBeGreaterThan(events.findIndex((e) => e.type === 'run_started'));
    expect(loaded).toBeLessThan(events.findIndex((e) => e.type === 'step_started'));
    // Its body was in the very first request's instructions.
    expect(instructionsOf(requestsBefore)).toContain('## Skill "libreoffice-cli" (loaded for this task');
    expect(instructionsOf(requestsBefore)).toContain('# LibreOffice from the command line');
  }, 90_000);
});
