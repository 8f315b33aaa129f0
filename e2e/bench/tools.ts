// Tools beside the mouse: a tool call's own overhead, the same chore done GUI-only and hybrid
// against the mock model replying in 1.5 s (steps and wall time; the file checked each time), and
// the loop's overhead per step with tools registered.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlanner } from '../../agents/models/create-planner.ts';
import { ScriptedPlanner } from '../../agents/models/scripted.ts';
import { startRun } from '../../agents/run/start-run.ts';
import type { RunEvent } from '../../agents/run/events.ts';
import { Store } from '../../agents/store/store.ts';
import { benchToolOverhead } from '../../agents/tools/bench.ts';
import { startMockOpenAI, type MockTurn } from '../mock-openai/server.ts';
import { printRows, timingRow } from './stats.ts';

const KEY = 'sk-bench-tools-0123456789';
const LATENCY_MS = 1500;
const LINES = 8;
const EXPECTED = Array.from({ length: LINES }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

// GUI-only: the agent types one command per step into the sandbox's xterm and looks at the result,
// as screen-only agents do; hybrid: one shell call writes the lines and checks them.
const guiTurns = (): MockTurn[] => [
  { actions: [{ type: 'wait' }] }, // the terminal comes up and takes the focus
  ...Array.from({ length: LINES }, (_, i): MockTurn => ({ actions: [{ type: 'type', text: `echo 'line ${i + 1}' >> ~/report.txt\n` }] })),
  { actions: [{ type: 'type', text: 'cat ~/report.txt\n' }] },
  { text: 'The report has its lines.' },
];
const hybridTurns = (): MockTurn[] => [
  { actions: [{ type: 'tool', name: 'shell', input: { command: `for i in $(seq 1 ${LINES}); do echo "line $i"; done > ~/report.txt && cat ~/report.txt` } }] },
  { text: 'The report has its lines.' },
];

export async function benchTools(): Promise<void> {
  const overhead = await benchToolOverhead();
  printRows('Tool calls (shell)', [
    { name: 'spawn to first output byte, login shell', median: overhead.spawnToFirstByteMs.median, p95: overhead.spawnToFirstByteMs.p95, target: '<= 20 ms median' },
    { name: 'spawn to first output byte, bash -c', median: overhead.spawnToFirstByteNoLoginMs.median, p95: overhead.spawnToFirstByteNoLoginMs.p95 },
    { name: 'bare spawn of /bin/echo (the machine)', median: overhead.spawnBaselineMs.median, p95: overhead.spawnBaselineMs.p95 },
    { name: 'abort to process group gone', median: overhead.abortToGoneMs.median, p95: overhead.abortToGoneMs.p95, target: '<= 200 ms' },
  ]);

  const dir = mkdtempSync(join(tmpdir(), 'deskpilot-bench-tools-'));
  const store = Store.open(join(dir, 'bench.db'));
  const mock = await startMockOpenAI({ apiKey: KEY });
  try {
    mock.setLatency(LATENCY_MS);
    const chore = async (name: string, turns: MockTurn[]) => {
      mock.setTrajectory(turns);
      const { planner } = await createPlanner({ provider: 'openai-responses', baseURL: mock.url, apiKey: KEY, model: 'computer-use-preview' });
      let home = '';
      const t0 = performance.now();
      const { run, closed } = await startRun({ kind: 'sandbox' }, { store, planner, provider: 'openai-responses', task: name, options: { approve: 'never', maxSteps: 30 } }, {
        onDisplay: (d) => {
          home = d.env?.['HOME'] ?? '';
        },
      });
      const result = await run.finished;
      const seconds = (performance.now() - t0) / 1000;
      const content = readFileSync(join(home, 'report.txt'), 'utf8');
      await closed;
      if (result.status !== 'done' || content !== EXPECTED) throw new Error(`${name} run ended ${result.status} (${result.reason ?? ''}) with ${JSON.stringify(content)}`);
      return { steps: result.steps, seconds };
    };
    const gui = await chore('GUI-only', guiTurns());
    const hybrid = await chore('hybrid', hybridTurns());
    printRows(`The same chore (${LINES} lines into a file), mock model replying in ${LATENCY_MS / 1000} s, sandbox start included`, [
      { name: 'GUI-only (typing into xterm)', value: `${gui.steps} steps, ${gui.seconds.toFixed(1)} s` },
      { name: 'hybrid (one shell call)', value: `${hybrid.steps} steps, ${hybrid.seconds.toFixed(1)} s` },
      { name: 'hybrid speed-up', value: `${(gui.seconds / hybrid.seconds).toFixed(1)}x`, target: '>= 2x' },
    ]);

    // Loop overhead with tools registered: a scripted run of pointer moves on a static screen.
    const steps = 40;
    const script = Array.from({ length: steps }, (_, i) => ({ actions: [{ type: 'move', x: 100 + (i % 2), y: 100 }] }));
    script.push({ actions: [{ type: 'done' }] } as never);
    const { run, closed } = await startRun({ kind: 'sandbox', launch: [] }, { store, planner: new ScriptedPlanner(script), provider: 'scripted', task: 'bench', options: { approve: 'never', maxSteps: steps + 5 }, tools: 'default' });
    const result = await run.finished;
    await closed;
    if (result.status !== 'done') throw new Error(`bench run ended ${result.status}: ${result.reason}`);
    if (run.tools.length === 0) throw new Error('the bench run had no tools');
    const events = store.readEvents<RunEvent>(run.id);
    const starts = events.filter((e) => e.type === 'step_started');
    const modelMs = new Map(events.flatMap((e) => (e.type === 'model_responded' ? [[e.step, e.ms] as const] : [])));
    const perStep: number[] = [];
    for (let i = 1; i < starts.length; i++) perStep.push(starts[i]!.at - starts[i - 1]!.at - (modelMs.get(starts[i - 1]!.step) ?? 0));
    printRows(`Agent loop with ${run.tools.length} tools registered, scripted planner, static screen`, [timingRow(`overhead per step (${perStep.length} steps)`, perStep.slice(2), '<= 60 ms median')]);
  } finally {
    await mock.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
