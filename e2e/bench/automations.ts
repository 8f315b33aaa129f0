// Automations at 1280x800 in mousepad: a 22-step agent run (click a word, End, type; 7 lines; save) through the real OpenAI SDK and the mock
// server (at once, then again with a model latency of 1.5 s per reply), the automation compiled from it replayed in place
// and after the window moved (model calls must be 0), and the time to find one target again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutomationStore } from '../../agents/automations/automation-store.ts';
import { compileRun } from '../../agents/automations/compile.ts';
import { throughLens } from '../../agents/automations/evidence.ts';
import { decodeGray } from '../../agents/automations/gray.ts';
import { locateByShape } from '../../agents/automations/locate.ts';
import { template } from '../../agents/automations/match.ts';
import { ocrWords } from '../../agents/automations/ocr.ts';
import { startReplay } from '../../agents/automations/replay.ts';
import { xdotoolProbe } from '../../agents/automations/window-probe.ts';
import { startDisplay } from '../../agents/desktop/display.ts';
import { scalingFor, screenToImage } from '../../agents/desktop/geometry.ts';
import { NutDriver } from '../../agents/desktop/nut-driver.ts';
import { OpenAIResponsesPlanner } from '../../agents/models/openai-responses.ts';
import { AgentRun } from '../../agents/run/agent-run.ts';
import { Store } from '../../agents/store/store.ts';
import { startMockOpenAI, type MockTurn } from '../mock-openai/server.ts';
import { closeNote, openNote, place } from '../support/note-window.ts';
import { printRows, timingRow } from './stats.ts';

const LINES = 7;
// Words tesseract reads without fail (it confuses "01" and "ol").
const LABELS = ['apple', 'banana', 'cherry', 'damson', 'elder', 'fennel', 'grape', 'hazel', 'indigo', 'juniper'];
const TEXT = LABELS.slice(0, LINES).map((w) => `${w} alpha bravo`).join('\n') + '\n';
const EXPECTED = TEXT.replace(/bravo\n/g, 'bravo ok\n');
const PLACE = { x: 20, y: 20, width: 1000, height: 700 };
const KEY = 'sk-bench-automations';
/** A hosted computer-use model's reply time per step, on the low side (they take 2-10 s). */
const LATENCY_MS = 1500;

export async function benchAutomations(samples = 30): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'deskpilot-bench-automations-'));
  const [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: KEY })]);
  const driver = await NutDriver.start({ display: display.display, env: display.env });
  const store = Store.open(join(dir, 'bench.db'));
  const file = join(display.env.HOME!, 'bench-note.txt');
  try {
    let note = await openNote(display, file, TEXT, PLACE);

    // Where each line ends, read once with tesseract, as the model's points (1024x640 image px).
    const planner = new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: KEY, timeoutMs: 10_000, maxRetries: 1 });
    const shot = await driver.capture({ format: 'png' });
    const scaling = scalingFor(shot.screen, { target: planner.imageSizeFor(shot.screen) });
    const words = await ocrWords(shot.data);
    const turns: MockTurn[] = [];
    for (let i = 1; i <= LINES; i++) {
      const label = LABELS[i - 1]!;
      const w = words.find((x) => x.text.includes(label)); // the caret can read as a leading "l"
      if (!w) throw new Error(`tesseract did not find ${label} on the screen: ${words.map((x) => x.text).join(' ')}`);
      const p = screenToImage({ x: w.left + w.width - Math.floor(w.height / 2), y: w.top + Math.floor(w.height / 2) }, scaling);
      turns.push({ actions: [{ type: 'click', x: p.x, y: p.y, button: 'left' }] }, { actions: [{ type: 'keypress', keys: ['END'] }] }, { actions: [{ type: 'type', text: ' ok' }] });
    }
    turns.push({ actions: [{ type: 'keypress', keys: ['CTRL', 'S'] }] }, { text: 'All lines end in ok.' });
    const runAgent = async () => {
      mock.setTrajectory(turns);
      const t0 = performance.now();
      const agent = AgentRun.start({ store, driver, planner }, { task: 'end every line with " ok" and save', provider: planner.name, model: planner.model, options: { approve: 'never', maxSteps: 40 } });
      const result = await agent.finished;
      const ms = performance.now() - t0;
      if (result.status !== 'done' || readFileSync(file, 'utf8') !== EXPECTED) throw new Error(`the agent run did not do the task: ${result.status} ${result.reason ?? ''}`);
      return { id: agent.id, ms, calls: mock.requests.length };
    };
    const { id: agentId, ms: agentMs, calls: agentCalls } = await runAgent();
    const { automation: compiled } = await compileRun(store, agentId, { name: 'bench lines', window: await xdotoolProbe(display.env)() });
    const automation = new AutomationStore(store.db, join(dir, 'automations')).save(compiled);

    // The same run against a model that takes LATENCY_MS per reply, as hosted computer-use models do.
    await closeNote(display, note);
    note = await openNote(display, file, TEXT, PLACE);
    mock.setLatency(LATENCY_MS);
    const slow = await runAgent();
    mock.setLatency(0);

    const replayOnce = async (movedBy?: { x: number; y: number }) => {
      await closeNote(display, note);
      note = await openNote(display, file, TEXT, PLACE);
      if (movedBy) await place(display, note.id, { ...PLACE, x: PLACE.x + movedBy.x, y: PLACE.y + movedBy.y });
      const before = mock.requests.length;
      const t = performance.now();
      const { run, planner: replayer } = await startReplay({ store, driver }, automation, { probe: xdotoolProbe(display.env), options: { approve: 'never' } });
      const result = await run.finished;
      const ms = performance.now() - t;
      if (result.status !== 'done' || readFileSync(file, 'utf8') !== EXPECTED) throw new Error(`the replay did not do the task: ${result.status} ${result.reason ?? ''}`);
      return { ms, calls: mock.requests.length - before, counts: replayer.counts };
    };
    const inPlace = await replayOnce();
    const moved = await replayOnce({ x: 150, y: 60 });

    // Re-locating one target on a screen where its window moved: decode, scaling lens, search.
    await closeNote(display, note);
    note = await openNote(display, file, TEXT, { ...PLACE, x: PLACE.x + 150, y: PLACE.y + 60 });
    const screen = await driver.capture({ format: 'png' });
    const step = automation.steps.find((s) => s.evidence?.crop)!;
    const evidence = step.evidence!;
    const crop = template(await decodeGray(store.readBlob(evidence.crop!)));
    const templateMs: number[] = [];
    const checkMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      const gray = await decodeGray(screen.data);
      const seen = evidence.scale ? await throughLens(gray, evidence.scale) : gray;
      const r = locateByShape({ evidence, crop, screen: seen });
      templateMs.push(performance.now() - t);
      if (!r.found || r.how !== 'relocated:template') throw new Error(`the moved target was not found by template: ${r.detail}`);
      const t2 = performance.now();
      locateByShape({ evidence: { ...evidence, point: r.point }, crop, screen: seen });
      checkMs.push(performance.now() - t2);
    }

    const n = automation.steps.length;
    printRows(`Automations: a ${n}-step automation vs the agent run that made it (mousepad, 1280x800)`, [
      { name: 'agent run through the mock (wall)', value: `${(agentMs / 1000).toFixed(2)} s, ${agentCalls} model calls` },
      { name: 'replay in place (wall)', value: `${(inPlace.ms / 1000).toFixed(2)} s, ${inPlace.calls} model calls`, target: '0 calls' },
      { name: 'replay, window moved (wall)', value: `${(moved.ms / 1000).toFixed(2)} s, ${moved.calls} model calls; ${moved.counts.relocated} relocated, ${moved.counts.replayed} as recorded`, target: '0 calls' },
      { name: 'speed-up, replay vs instant-mock agent run', value: `${(agentMs / inPlace.ms).toFixed(1)}x (same per-step capture and settle; no model time)` },
      { name: `agent run, model replying in ${LATENCY_MS / 1000} s (wall)`, value: `${(slow.ms / 1000).toFixed(2)} s, ${slow.calls} model calls` },
      { name: `speed-up, replay vs that agent run`, value: `${(slow.ms / inPlace.ms).toFixed(1)}x`, target: '>= 5x' },
      timingRow('re-locate a moved target (decode + lens + template search)', templateMs, '<= 200 ms'),
      timingRow('check a target at its recorded point', checkMs),
    ]);
  } finally {
    store.close();
    await driver.close();
    await mock.close();
    await display.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
