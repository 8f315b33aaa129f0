// A Planner that replays an automation without a model: each call returns the next step (or the
// steps the original run performed together) with its target found again on the current
// screenshot. So a replay is an AgentRun like any other: same events, pause, abort, approvals.
import { actionPoints, type Point } from '../desktop/actions.ts';
import type { Size } from '../desktop/geometry.ts';
import type { ActionOutcome, AgentAction, Planner, PlannerContext, PlannerStep, ProposedAction } from '../models/planner.ts';
import type { A11yFinder } from './a11y.ts';
import { resolveParams, substitute, substituteTool, type Automation, type Step, type StepAction } from './automation.ts';
import { throughLens } from './evidence.ts';
import { decodeGray, encodePng, type Gray } from './gray.ts';
import { confirmWeak, DEFAULT_THRESHOLDS, locateByA11y, locateByShape, locateByText, type Found, type How, type NotFound, type Thresholds } from './locate.ts';
import { template, type Template } from './match.ts';
import { ocrWords, type OcrWord } from './ocr.ts';
import type { WindowInfo, WindowProbe } from './window-probe.ts';

const ASK_HELP = 'Answer "retry" once it is on screen, "x,y" for the screen point to use, "skip" to leave the step out, or "stop".';

export interface Verification {
  verified: boolean;
  detail: string;
}

export interface ReplayPlannerOptions {
  /** Values for {{param}}s; defaults fill the rest, and a missing one throws here, before any run. */
  params?: Record<string, string>;
  /** Reads an evidence crop; a throw means the file is gone and the step replays unchecked. */
  readBlob?: (ref: string) => Buffer;
  /** The active window, for points relative to their window. */
  probe?: WindowProbe;
  /**
   * Components by accessibility name and role (atspiProbe(env) for a display): a step whose target
   * the screen no longer shows where or as it was is looked for by its recorded name, before OCR.
   */
  a11y?: A11yFinder;
  /** Takes over a step whose target cannot be found, if the automation allows healing. */
  heal?: Planner;
  /**
   * An operator is watching (run now in the app, a terminal): a target that cannot be found is put
   * to them as a question (retry, skip, a point, or stop) instead of failing the run.
   */
  askOperator?: boolean;
  /** Runs the automation's evaluator after the last step. */
  verify?: (evaluator: Record<string, unknown>, signal: AbortSignal) => Promise<Verification>;
  thresholds?: Thresholds;
  /** How long a missing target is looked for again (the screen may still be changing) before the accessibility name, OCR and failing. */
  findTimeoutMs?: number;
  /** Pause between looks. */
  retryMs?: number;
  /** Look for the recorded word with tesseract as the last resort (default true). */
  ocr?: boolean;
  /** Model calls a healed step may take before the replay gives up on it. */
  maxHealCalls?: number;
  now?: () => number;
}

export interface ReplayCounts {
  replayed: number;
  relocated: number;
  unchecked: number;
  healed: number;
}

interface Located {
  step: Step;
  index: number;
  result: Found | NotFound | undefined;
}

export class ReplayPlanner implements Planner {
  readonly name = 'automation';
  readonly failWording = 'the replay stopped';
  readonly model: string;
  readonly counts: ReplayCounts = { replayed: 0, relocated: 0, unchecked: 0, healed: 0 };
  private readonly values: Record<string, string>;
  private readonly opts: Required<Pick<ReplayPlannerOptions, 'findTimeoutMs' | 'retryMs' | 'ocr' | 'maxHealCalls' | 'now' | 'thresholds'>> & ReplayPlannerOptions;
  private cursor = 0;
  /** What the previous reply was, to read its outcomes. */
  private last: { kind: 'steps' | 'wait' | 'heal' | 'ask'; from: number } | undefined;
  /** The operator's answer to "target not found": a point to use for the next look's missing step. */
  private operatorPoint: { index: number; point: Point } | undefined;
  private misunderstood = 0;
  private searchSince: number | undefined;
  private attempts = 0;
  private healing: { from: number; to: number; calls: number } | undefined;
  private crops = new Map<string, Template | undefined>();
  private loaded: Promise<void> | undefined;

  constructor(readonly automation: Automation, opts: ReplayPlannerOptions = {}) {
    this.values = resolveParams(automation, opts.params ?? {});
    this.model = `${automation.name}@v${automation.version}`;
    this.opts = { findTimeoutMs: 3000, retryMs: 250, ocr: true, maxHealCalls: 5, now: Date.now, thresholds: DEFAULT_THRESHOLDS, ...opts };
  }

  /** Steps are in screen pixels, so the replay sees the screen unscaled. */
  imageSizeFor(screen: Size): Size {
    return { width: screen.width, height: screen.height };
  }

  /** Loop steps a replay needs at least (one per group of chained steps, plus the final one). */
  get loopSteps(): number {
    return this.automation.steps.filter((s) => !s.chained).length + 1;
  }

  async next(ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep> {
    signal.throwIfAborted();
    await (this.loaded ??= this.load());
    const steps = this.automation.steps;
    const problem = this.last && this.last.kind !== 'wait' ? ctx.outcomes.find((o) => o.status === 'failed' || o.status === 'rejected') : undefined;
    if (problem && this.last) {
      const why = problem.status === 'failed' ? problem.error : problem.status === 'rejected' ? problem.reason : '';
      return fail(`${this.label(this.last.from)} was not performed (${why}); the replay stopped there`);
    }
    // A tool step that ran but reported an error (a command's non-zero exit) did not do what was recorded.
    const toolError = this.last?.kind === 'steps' ? ctx.outcomes.findIndex((o) => o.status === 'performed' && o.tool?.isError) : -1;
    if (toolError >= 0 && this.last) {
      const o = ctx.outcomes[toolError] as Extract<ActionOutcome, { status: 'performed' }>;
      return fail(`${this.label(this.last.from + toolError)} failed: ${o.tool!.name} reported an error (${clip(o.tool!.output)}); the replay stopped there`);
    }
    if (this.healing) {
      const healed = await this.healStep(ctx, signal);
      if (healed) return healed;
    }
    if (this.last?.kind === 'ask') {
      const answered = this.onAnswer(ctx);
      if (answered) return answered;
    }
    if (this.cursor >= steps.length) return this.finish(signal);

    const group = this.groupAt(this.cursor);
    // Keys and typing need no look at the screen: decode it only for pointer steps.
    const screen = group.some((s) => s.evidence) ? await decodeGray(dataUrlBytes(ctx.screenshot.dataUrl)) : EMPTY;
    const lenses = new Map<number, Gray>();
    const seen = async (scale: number | undefined) => {
      if (!scale) return screen;
      if (!lenses.has(scale)) lenses.set(scale, await throughLens(screen, scale));
      return lenses.get(scale)!;
    };
    const window = group.some((s) => s.evidence?.window) ? await this.opts.probe?.(signal) : undefined;
    let located: Located[] = [];
    for (const [i, step] of group.entries()) {
      const e = step.evidence;
      located.push({ step, index: this.cursor + i, result: e ? locateByShape({ evidence: e, crop: this.cropOf(step), screen: await seen(e.scale), window, thresholds: this.opts.thresholds }) : undefined });
    }
    const told = this.operatorPoint;
    this.operatorPoint = undefined;
    if (told) {
      located = located.map((l) => (l.index === told.index ? { ...l, result: { found: true, how: 'relocated:operator', point: told.point, detail: `at (${told.point.x}, ${told.point.y}), as the operator said` } } : l));
    }
    let missing = located.find((l) => l.result && !l.result.found);
    if (missing) {
      const since = (this.searchSince ??= this.opts.now());
      // A step may say how long its target takes to appear (a slow app); else the replay's default.
      if (this.opts.now() - since < (missing.step.findTimeoutMs ?? this.opts.findTimeoutMs)) {
        this.attempts++;
        this.last = { kind: 'wait', from: missing.index };
        // A slightly different pause each time: the loop would call the same action on an unchanged screen a loop.
        const ms = this.opts.retryMs + this.attempts;
        return {
          thought: `${this.label(missing.index)}: not found yet (${missing.result!.detail}); looking again in ${ms} ms (attempt ${this.attempts + 1})`,
          actions: [{ action: { type: 'wait', ms }, raw: { replay: { step: missing.step.id, index: missing.index + 1, how: 'waiting' } } }],
        };
      }
      located = await this.byFallbacks(located, screen, window, signal);
      missing = located.find((l) => l.result && !l.result.found);
    }
    signal.throwIfAborted();
    this.searchSince = undefined;
    this.attempts = 0;
    if (missing) {
      const reason = `${this.label(missing.index)}: target not found on screen (${(missing.result as NotFound).detail})`;
      if (this.automation.allowHealing && this.opts.heal) {
        this.healing = { from: this.cursor, to: this.cursor + group.length, calls: 0 };
        const healed = await this.healStep(ctx, signal, reason);
        if (healed) return healed;
        return this.next({ ...ctx, outcomes: [] }, signal);
      }
      if (this.opts.askOperator) {
        this.last = { kind: 'ask', from: missing.index };
        return {
          thought: `${reason}; asking the operator`,
          actions: [{ action: { type: 'ask_user', question: `${reason}. ${ASK_HELP}` }, raw: { replay: { step: missing.step.id, index: missing.index + 1, how: 'asking' } } }],
        };
      }
      return fail(`${reason}${this.automation.allowHealing ? '; healing is allowed but no model was given to heal with' : ''}`);
    }

    const from = this.cursor;
    this.cursor += group.length;
    this.last = { kind: 'steps', from };
    const notes: string[] = [];
    const actions: ProposedAction[] = located.map(({ step, index, result }) => {
      const found = result as Found | undefined;
      const action = this.prepare(step.action, found ? { from: step.evidence!.point, to: found.point } : undefined);
      this.count(found?.how);
      notes.push(`${this.label(index)}: ${found ? found.detail : 'replayed'}`);
      const replay = { step: step.id, index: index + 1, how: found?.how ?? 'replayed', ...(found?.score !== undefined ? { score: round(found.score) } : {}), ...(found ? { from: step.evidence!.point, to: found.point } : {}) };
      return { action, raw: { replay } };
    });
    return { thought: notes.join('; '), actions };
  }

  /** Steps from `i` that the original run performed in one go. */
  private groupAt(i: number): Step[] {
    const steps = this.automation.steps;
    const group = [steps[i]!];
    while (steps[i + group.length]?.chained) group.push(steps[i + group.length]!);
    return group;
  }

  private label(i: number): string {
    const s = this.automation.steps[i];
    return `step ${i + 1}/${this.automation.steps.length} ${s ? s.intent : ''}`.trimEnd();
  }

  private cropOf(step: Step): Template | undefined {
    const ref = step.evidence?.crop;
    if (!ref || !this.opts.readBlob) return undefined;
    return this.crops.get(ref);
  }

  /** Decodes every crop once, before the first step, so a missing file is known early. */
  async load(): Promise<void> {
    for (const s of this.automation.steps) {
      const ref = s.evidence?.crop;
      if (!ref || this.crops.has(ref) || !this.opts.readBlob) continue;
      try {
        this.crops.set(ref, template(await decodeGray(this.opts.readBlob(ref))));
      } catch {
        this.crops.set(ref, undefined);
      }
    }
  }

  /** Missing crops, by step, for a warning before the run. */
  get missingCrops(): string[] {
    return this.automation.steps.flatMap((s, i) => (s.evidence?.crop && this.crops.has(s.evidence.crop) && !this.crops.get(s.evidence.crop) ? [this.label(i)] : []));
  }

  /**
   * The slower strategies, once the shape ones gave up: the accessibility name (about 0.1 s: the app
   * is asked, and its answer is exact where it exposes one), then the recorded word by OCR (about 0.5 s
   * over the whole screen, and a read that can go wrong).
   */
  private async byFallbacks(located: Located[], screen: Gray, window: WindowInfo | undefined, signal: AbortSignal): Promise<Located[]> {
    let words: OcrWord[] | undefined;
    const out: Located[] = [];
    for (const l of located) {
      const e = l.step.evidence;
      if (!l.result || l.result.found || !e) {
        out.push(l);
        continue;
      }
      let result: Found | NotFound = l.result;
      const failed = (r: NotFound): NotFound => ({ found: false, ...(result.found || result.best === undefined ? {} : { best: result.best }), detail: `${result.detail}; ${r.detail}` });
      if (e.a11y && this.opts.a11y) {
        const finder = this.opts.a11y;
        // The real finder never throws; an injected one that does leaves the step to OCR.
        const r = await locateByA11y(e, finder, window, screen, signal).catch((err: unknown): NotFound => {
          if (signal.aborted) throw err;
          return { found: false, detail: `looking up accessible ${e.a11y!.role} '${e.a11y!.name}' failed: ${(err as Error).message}` };
        });
        result = r.found ? r : failed(r);
      }
      if (!result.found && e.text && this.opts.ocr) {
        // OCR is the last resort: if tesseract fails, the step is simply not found (unless the run was aborted).
        words ??= await ocrWords(await encodePng(screen), signal ? { signal } : {}).catch((err: unknown) => {
          if (signal.aborted) throw err;
          return [];
        });
        const r = await locateByText(e, screen, window, words, signal);
        result = r.found ? r : failed(r);
      }
      // A weak match is acted on only where the name or the word says the target is.
      const weak = l.result.weak;
      if (result.found && weak) result = confirmWeak(e, weak, result) ?? result;
      out.push({ ...l, result });
    }
    return out;
  }

  /** The step's action for the driver: params filled in, points moved with the target. */
  private prepare(a: StepAction, move: { from: Point; to: Point } | undefined): AgentAction {
    // A tool call has no target on screen: only its parameters are filled in.
    if (a.type === 'tool') return substituteTool(a, this.values);
    const dx = move ? move.to.x - move.from.x : 0;
    const dy = move ? move.to.y - move.from.y : 0;
    const shift = (p: Point) => ({ x: p.x + dx, y: p.y + dy });
    switch (a.type) {
      case 'type':
        return { type: 'type', text: substitute(a.text, this.values) };
      case 'click':
        return { type: 'click', ...shift(a), button: a.button, ...(a.keys ? { keys: a.keys } : {}) };
      case 'double_click':
      case 'triple_click':
        return { type: a.type, ...shift(a), ...(a.keys ? { keys: a.keys } : {}) };
      case 'move':
        return { type: 'move', ...shift(a) };
      case 'drag':
        return { type: 'drag', path: a.path.map(shift), button: a.button };
      case 'scroll':
      case 'mouse_down':
      case 'mouse_up': {
        const p = actionPoints(a)[0];
        const { x: _x, y: _y, ...rest } = a;
        return { ...rest, ...(p ? shift(p) : {}) } as AgentAction;
      }
      default:
        return a;
    }
  }

  /** Acts on the operator's answer to "target not found"; undefined means look again (now with their point, if given). */
  private onAnswer(ctx: PlannerContext): PlannerStep | undefined {
    const index = this.last!.from;
    this.last = undefined;
    const answer = (ctx.outcomes.find((o) => o.status === 'answered') as { answer?: string } | undefined)?.answer?.trim().toLowerCase() ?? '';
    const point = /^\(?\s*(\d+)\s*[, ]\s*(\d+)\s*\)?$/.exec(answer);
    const understood = point || ['skip', 'stop', 'abort', 'retry', ''].includes(answer);
    if (understood) this.misunderstood = 0;
    if (point) {
      this.operatorPoint = { index, point: { x: Number(point[1]), y: Number(point[2]) } };
      return undefined;
    }
    if (answer === 'skip') {
      const group = this.groupAt(this.cursor);
      this.cursor += group.length;
      this.last = { kind: 'wait', from: index };
      // A visible no-op, so the timeline shows the step was left out.
      return { thought: `${this.label(index)}: skipped, as the operator said`, actions: [{ action: { type: 'wait', ms: 0 }, raw: { replay: { step: this.automation.steps[index]!.id, index: index + 1, how: 'skipped' } } }] };
    }
    if (answer === 'stop' || answer === 'abort') return fail(`${this.label(index)}: target not found, and the operator stopped the replay`);
    if (answer === '' || answer === 'retry') return undefined;
    // No one may be there to answer (a script's stdin, "no operator"): do not ask forever.
    if (++this.misunderstood >= 3) return fail(`${this.label(index)}: target not found, and the operator's answers were not understood (last: "${answer}")`);
    this.last = { kind: 'ask', from: index };
    return { thought: `did not understand "${answer}"`, actions: [{ action: { type: 'ask_user', question: `Did not understand "${answer}". ${ASK_HELP}` } }] };
  }

  private count(how: How | undefined): void {
    if (how === undefined || how === 'replayed') this.counts.replayed++;
    else if (how === 'unchecked') this.counts.unchecked++;
    else this.counts.relocated++;
  }

  /** One model call for a step being healed; undefined once the healer says the step is done. */
  private async healStep(ctx: PlannerContext, signal: AbortSignal, reason?: string): Promise<PlannerStep | undefined> {
    const h = this.healing!;
    const heal = this.opts.heal!;
    const intents = this.automation.steps.slice(h.from, h.to).map((s) => s.intent).join(', then ');
    if (h.calls >= this.opts.maxHealCalls) return fail(`${this.label(h.from)}: healing took ${h.calls} model calls without finishing the step`);
    h.calls++;
    const reply = await heal.next({
      ...ctx,
      task: `${ctx.task}\n\nYou are helping a saved automation that could not find its target on the screen. Do only this step: ${intents}. Reply done as soon as that step is done; do nothing else.`,
      outcomes: h.calls === 1 ? [] : ctx.outcomes,
    }, signal);
    const gaveUp = reply.actions.find((p) => p.action.type === 'fail');
    if (gaveUp && gaveUp.action.type === 'fail') return fail(`${this.label(h.from)}: the model could not heal it: ${gaveUp.action.reason ?? 'no reason given'}`);
    const end = reply.actions.findIndex((p) => p.action.type === 'done');
    const actions = end < 0 ? reply.actions : reply.actions.slice(0, end);
    if (actions.length === 0) {
      // The healer says the step is done: go on replaying after it.
      this.cursor = h.to;
      this.healing = undefined;
      this.counts.healed++;
      return undefined;
    }
    if (end >= 0) {
      this.cursor = h.to;
      this.healing = undefined;
      this.counts.healed++;
    }
    this.last = { kind: 'heal', from: h.from };
    return {
      thought: `${reason ? `${reason}; ` : ''}healing ${this.label(h.from)} with the model${reply.thought ? `: ${reply.thought}` : ''}`,
      actions: actions.map((p) => ({ ...p, raw: { replay: { step: this.automation.steps[h.from]!.id, index: h.from + 1, how: 'healed' }, model: p.raw } })),
      ...(reply.usage ? { usage: reply.usage } : {}),
      ...(reply.responseId ? { responseId: reply.responseId } : {}),
    };
  }

  private async finish(signal: AbortSignal): Promise<PlannerStep> {
    const c = this.counts;
    const parts = [`${c.replayed} as recorded`, c.relocated ? `${c.relocated} relocated` : '', c.unchecked ? `${c.unchecked} unchecked` : '', c.healed ? `${c.healed} healed` : ''].filter(Boolean);
    const summary = `replayed ${this.automation.steps.length} steps (${parts.join(', ')})`;
    const evaluator = this.automation.evaluator;
    if (!evaluator) return { thought: summary, answer: summary, actions: [{ action: { type: 'done', answer: summary } }] };
    if (!this.opts.verify) {
      const answer = `${summary}; not verified: nothing to run the evaluator with`;
      return { thought: answer, answer, actions: [{ action: { type: 'done', answer } }] };
    }
    const v = await this.opts.verify(evaluator, signal);
    if (!v.verified) return fail(`${summary}, but the evaluator did not verify the result: ${v.detail}`);
    const answer = `${summary}; verified${v.detail ? `: ${v.detail}` : ''}`;
    return { thought: answer, answer, actions: [{ action: { type: 'done', answer } }] };
  }
}

function fail(reason: string): PlannerStep {
  return { thought: reason, actions: [{ action: { type: 'fail', reason } }] };
}

function dataUrlBytes(url: string): Buffer {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0) throw new Error('the screenshot is not a data URL');
  return Buffer.from(url.slice(comma + 1), 'base64');
}

const EMPTY: Gray = { width: 0, height: 0, data: new Uint8Array(0) };

const clip = (s: string, max = 200) => (s.length > max ? `...${s.slice(-max)}` : s).trim() || 'no output';

const round = (n: number) => Math.round(n * 1000) / 1000;
