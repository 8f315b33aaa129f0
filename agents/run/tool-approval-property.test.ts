// Property: whatever tool calls the model makes and whatever the operator decides, no call that
// needs approval reaches a tool without it, no rejected call reaches it at all, and every approved,
// edited or unguarded call reaches it exactly once (an edit as edited). The real AgentRun, a real
// store, the real shell tool's risk assessment and the policy corpus's commands; the tool's run
// records instead of starting processes, so every case is cheap and all of them run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureOptions, DesktopDriver, Screenshot, SettleResult } from '../desktop/driver.ts';
import type { Size } from '../desktop/geometry.ts';
import type { Planner, PlannerStep } from '../models/planner.ts';
import { Store } from '../store/store.ts';
import { createShellTool, type ShellInput } from '../tools/shell.ts';
import type { Tool } from '../tools/tool.ts';
import { AgentRun } from './agent-run.ts';
import type { ApprovalDecision, ApprovalMode, RunEvent } from './events.ts';
import { FLAGGED, HARMLESS } from './policy-corpus.ts';
import { RunTools } from './run-tools.ts';

const SIZE: Size = { width: 64, height: 40 };
let png: Buffer;
let dir: string;
let store: Store;

beforeAll(async () => {
  png = await sharp({ create: { ...SIZE, channels: 3, background: '#204060' } }).png().toBuffer();
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-tool-approval-'));
  store = Store.open(join(dir, 'deskpilot.db'));
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const staticDriver: DesktopDriver = {
  display: ':none',
  screenSize: async () => SIZE,
  capture: async (_o: CaptureOptions): Promise<Screenshot> => ({ data: png, format: 'png', screen: SIZE, image: SIZE, scaleX: 1, scaleY: 1, capturedAt: Date.now(), method: 'nut' }),
  perform: async () => undefined,
  settle: async (): Promise<SettleResult> => ({ ms: 0, settled: true }),
  close: async () => undefined,
};

/** Replies with the given batches of shell calls, then done. */
class ToolCallingPlanner implements Planner {
  readonly name = 'tool-calls';
  private i = 0;
  constructor(private readonly batches: string[][]) {}
  imageSizeFor(screen: Size): Size {
    return screen;
  }
  async next(): Promise<PlannerStep> {
    const batch = this.batches[this.i];
    this.i += 1;
    if (!batch) return { actions: [{ action: { type: 'done' } }] };
    return { actions: batch.map((command, j) => ({ action: { type: 'tool', name: 'shell', input: { command } }, callId: `c${this.i}-${j}` })) };
  }
}

// Typed text rows of the corpus that read as commands (one line, no key presses): risky and harmless.
const commandsOf = (rows: typeof FLAGGED) => rows.flatMap(([input]) => (typeof input === 'string' && !input.slice(0, -1).includes('\n') ? [input.replace(/\n$/, '')] : []));
const RISKY = commandsOf(FLAGGED).filter((c) => createShellTool().risk({ command: c }, {} as never).length > 0);
const HARMLESS_COMMANDS = commandsOf(HARMLESS).filter((c) => c.trim() && createShellTool().risk({ command: c }, {} as never).length === 0);

type Answer = { kind: 'approve' } | { kind: 'reject' } | { kind: 'edit'; command: string };
const answerArb: fc.Arbitrary<Answer> = fc.oneof(
  fc.constant({ kind: 'approve' as const }),
  fc.constant({ kind: 'reject' as const }),
  fc.constantFrom(...HARMLESS_COMMANDS).map((command) => ({ kind: 'edit' as const, command: `${command} # edited` })),
);
const commandArb = fc.oneof(fc.constantFrom(...RISKY), fc.constantFrom(...HARMLESS_COMMANDS));
const caseArb = fc.record({
  mode: fc.constantFrom<ApprovalMode>('always', 'risky', 'never'),
  batches: fc.array(fc.array(commandArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  answers: fc.array(answerArb, { minLength: 12, maxLength: 12 }),
});

describe('tool calls and approvals', () => {
  it('has corpus commands of both kinds to draw from', () => {
    expect(RISKY.length).toBeGreaterThan(40);
    expect(HARMLESS_COMMANDS.length).toBeGreaterThan(20);
  });

  it('no call that needs approval reaches a tool unapproved; approved and edited calls reach it once, as decided', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ mode, batches, answers }) => {
        cases += 1;
        const ran: string[] = [];
        const shell = createShellTool();
        const recording: Tool<ShellInput> = { ...shell, run: async (input) => (ran.push(input.command), { output: 'ok', isError: false, truncated: false }) };
        const tools = new RunTools([recording as Tool], { env: {}, cwd: '/tmp', roots: ['/tmp'], maxTimeoutMs: 1000, sandboxed: true });
        const run = AgentRun.start({ store, driver: staticDriver, planner: new ToolCallingPlanner(batches), tools }, { task: 'property', provider: 'test', options: { approve: mode, maxSteps: 10 } });
        let n = 0;
        const unsubscribe = store.subscribe<RunEvent>((e) => {
          if (e.runId !== run.id || e.type !== 'approval_requested') return;
          const a = answers[n++ % answers.length]!;
          const decision: ApprovalDecision = a.kind === 'approve' ? { decision: 'approve' } : a.kind === 'reject' ? { decision: 'reject', reason: 'no' } : { decision: 'edit_tool', input: { command: a.command } };
          setImmediate(() => run.control.decide(e.actionId, decision));
        });
        const result = await run.finished;
        unsubscribe();
        expect(result.status).toBe('done');

        const events = store.readEvents<RunEvent>(run.id);
        const expected: string[] = [];
        for (const p of events) {
          if (p.type !== 'action_proposed' || p.action.type !== 'tool') continue;
          const command = String(p.action.input['command']);
          const risky = createShellTool().risk({ command }, {} as never).length > 0;
          const needs = mode === 'always' || (mode === 'risky' && risky);
          const asked = events.some((e) => e.type === 'approval_requested' && e.actionId === p.actionId);
          expect(asked, `approval asked for "${command}" in mode ${mode}`).toBe(needs);
          const decided = events.find((e): e is Extract<typeof e, { type: 'approval_decided' }> => e.type === 'approval_decided' && e.actionId === p.actionId);
          const called = events.filter((e) => e.type === 'tool_called' && e.actionId === p.actionId);
          if (needs && !decided) {
            expect(called, `"${command}" ran without a decision`).toEqual([]);
            continue;
          }
          if (decided?.decision === 'reject') {
            expect(called, `rejected "${command}" ran`).toEqual([]);
            break; // the rest of the batch is skipped; later batches are checked on their own
          }
          const runs = decided?.decision === 'edit_tool' ? String(decided.input['command']) : command;
          expect(called.length, `"${runs}" ran ${called.length} times`).toBe(1);
          // The decision came before the call.
          if (decided) expect(decided.seq).toBeLessThan(called[0]!.seq);
          expected.push(runs);
        }
        // The tool saw exactly the calls the log says ran, in order, and nothing else.
        const calledInLog = events.flatMap((e) => (e.type === 'tool_called' ? [String(e.input['command'])] : []));
        expect(ran).toEqual(calledInLog);
        for (const c of expected) expect(ran).toContain(c);
      }),
      { numRuns: 60 },
    );
    expect(cases).toBe(60);
  }, 120_000);
});
