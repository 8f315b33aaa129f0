// Planner adapter for Claude's computer tool through the Messages API (@anthropic-ai/sdk). The tool
// version is chosen by model (see computerToolFor); the screenshot is scaled to WXGA/XGA-like targets that
// stay within Claude's image budget (long edge <= 1568 px, <= ~1.15 MP), and display_width_px/_height_px
// are that image's size, so the model's coordinates are image pixels the loop maps through geometry.
// The API is stateless: the adapter keeps the conversation, answers every tool_use with a tool_result
// (is_error when an action failed or was rejected), caches the prompt prefix and prunes old screenshots
// in chunks so the cache is not broken every step.
import type Anthropic from '@anthropic-ai/sdk';
import sharp from 'sharp';
import { SCALE_TARGETS, targetFor } from '../desktop/geometry.ts';
import type { Size } from '../desktop/geometry.ts';
import type { Point } from '../desktop/actions.ts';
import type { ActionOutcome, Planner, PlannerContext, PlannerStep } from './planner.ts';
import { abortError, untilAborted } from './openai-client.ts';
import { anthropicError, createAnthropicClient, type AnthropicClientOptions } from './anthropic-client.ts';
import { parseClaudeMessage, type AnthropicPrice, type ToolUseInfo } from './anthropic-parse.ts';
import { BASH, EDITOR, companionTools, customTools } from './anthropic-tools.ts';
import { pruneImages, withCacheBreakpoints } from './anthropic-history.ts';

type Body = Anthropic.Beta.Messages.MessageCreateParamsNonStreaming;
type MessageParam = Anthropic.Beta.Messages.BetaMessageParam;
type Block = Anthropic.Beta.Messages.BetaContentBlockParam;
type ResultBlock = Anthropic.Beta.Messages.BetaTextBlockParam | Anthropic.Beta.Messages.BetaImageBlockParam;
type ResultContent = ResultBlock[];
type ToolParam = NonNullable<Body['tools']>[number];

export type ComputerToolVersion = 'computer_20250124' | 'computer_20251124' | 'computer_toolset_20260801';

export interface AnthropicOptions extends AnthropicClientOptions {
  model?: string;
  /** Overrides the version picked by model. */
  toolVersion?: ComputerToolVersion;
  /** Screenshot sizes to pick from; default SCALE_TARGETS (XGA 1024x768, WXGA 1280x800, 1366x768). */
  scaleTargets?: readonly Size[];
  maxTokens?: number;
  /** Screenshots kept in the conversation (the rest are dropped in chunks of the same size). */
  keepImages?: number;
  system?: string;
}

/** USD per million tokens (base input; cache reads 0.1x, writes 1.25x), by model family. */
export const CLAUDE_PRICES: ReadonlyArray<[RegExp, AnthropicPrice]> = [
  [/^claude-opus-4-(?:[5-9]|\d\d)/, { input: 5, output: 25 }],
  [/^claude-opus-4(?:-[01])?(?:-\d{8})?$/, { input: 15, output: 75 }],
  [/^claude-sonnet-4/, { input: 3, output: 15 }],
  [/^claude-3-7-sonnet/, { input: 3, output: 15 }],
  [/^claude-haiku-4-5/, { input: 1, output: 5 }],
];

export function claudePrice(model: string): AnthropicPrice | undefined {
  return CLAUDE_PRICES.find(([re]) => re.test(model))?.[1];
}

/**
 * The computer tool and beta header for a model, per Anthropic's computer-use docs:
 * computer_20251124 (zoom, beta computer-use-2025-11-24) for Claude Opus 4.5, 4.6, 4.7, Sonnet 4.6 and
 * later generations; computer_20250124 (beta computer-use-2025-01-24) for Sonnet 4.5, Haiku 4.5, Opus 4.1,
 * Sonnet 4, Opus 4 and Sonnet 3.7. The GA computer_toolset_20260801 (no beta header) is chosen by option.
 */
export function computerToolFor(model: string, override?: ComputerToolVersion): { version: ComputerToolVersion; beta?: string } {
  const pick = (version: ComputerToolVersion) => ({
    version,
    ...(version === 'computer_20251124' ? { beta: 'computer-use-2025-11-24' } : version === 'computer_20250124' ? { beta: 'computer-use-2025-01-24' } : {}),
  });
  if (override) return pick(override);
  const m = /claude-(opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:-|$)/.exec(model);
  if (!m) return pick('computer_20250124');
  const major = Number(m[2]);
  const minor = m[3] ? Number(m[3]) : 0;
  if (major >= 5) return pick('computer_20251124');
  if (major === 4 && ((m[1] === 'opus' && minor >= 5) || (m[1] === 'sonnet' && minor >= 6) || (m[1] === 'haiku' && minor >= 6))) return pick('computer_20251124');
  return pick('computer_20250124');
}

const SYSTEM = [
  'You operate a Linux desktop through the computer tool on behalf of the user. After each of your actions you get a new screenshot.',
  'Do the task step by step and check the screenshot after each step. When the task is done, reply with a short final answer and no tool call.',
  'If you cannot do the task, say why in your final answer.',
].join('\n');

export class AnthropicPlanner implements Planner {
  readonly name = 'anthropic';
  readonly supportsTools = true;
  readonly model: string;
  private readonly client: Anthropic;
  private readonly opts: AnthropicOptions;
  private history: MessageParam[] = [];
  /** tool_use blocks of the last accepted reply: each needs a tool_result next. */
  private pending: ToolUseInfo[] = [];
  private cursor: Point | undefined;

  constructor(opts: AnthropicOptions = {}) {
    this.opts = opts;
    this.model = opts.model ?? 'claude-sonnet-4-6';
    this.client = createAnthropicClient(opts);
  }

  imageSizeFor(screen: Size): Size {
    // The targets keep the long edge <= 1366 and <= 1.05 MP: within Claude's 1568 px / 1.15 MP, so the
    // API never resizes the image again and the model's pixels are the ones we sent.
    return targetFor(screen, this.opts.scaleTargets ?? SCALE_TARGETS);
  }

  async next(ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep> {
    if (signal.aborted) throw abortError(signal);
    const turn = await this.userTurn(ctx);
    const body = this.buildBody(ctx, turn);
    let reply: unknown;
    try {
      reply = await untilAborted((s) => this.client.beta.messages.create(body, { signal: s }), signal);
    } catch (err) {
      throw anthropicError(err, signal, this.opts);
    }
    const tools = companionTools(ctx.tools);
    const parsed = parseClaudeMessage(reply, { image: ctx.screenshot.image, tools, ...(this.cursor ? { cursor: this.cursor } : {}), ...(claudePrice(this.model) ? { price: claudePrice(this.model)! } : {}) });
    // Only a usable reply joins the conversation: a re-ask repeats the same user turn with the correction.
    this.history.push(turn, { role: 'assistant', content: (reply as { content: Block[] }).content });
    this.pending = parsed.toolUses;
    this.cursor = parsed.cursor;
    return parsed.step;
  }

  /** The request for a step; exposed for tests and the bench. */
  buildBody(ctx: PlannerContext, turn: MessageParam): Body {
    const tool = computerToolFor(this.model, this.opts.toolVersion);
    const { width, height } = ctx.screenshot.image;
    const computer = (tool.version === 'computer_toolset_20260801'
      ? { type: tool.version }
      : { type: tool.version, name: 'computer', display_width_px: width, display_height_px: height, ...(tool.version === 'computer_20251124' ? { enable_zoom: true } : {}) }) as ToolParam;
    const c = companionTools(ctx.tools);
    const tools: ToolParam[] = [
      computer,
      ...(c.bash ? [{ type: 'bash_20250124', name: BASH } as ToolParam] : []),
      ...(c.editor ? [{ type: 'text_editor_20250728', name: EDITOR } as ToolParam] : []),
      ...customTools(ctx.tools, c).map((t) => ({ name: t.name, description: t.description, input_schema: { type: 'object', ...t.parameters } }) as ToolParam),
    ];
    const system = [this.opts.system ?? SYSTEM, ctx.instructions].filter(Boolean).join('\n\n');
    const messages = withCacheBreakpoints(pruneImages([...this.history, turn], this.opts.keepImages ?? 3));
    return {
      model: this.model,
      max_tokens: this.opts.maxTokens ?? 4096,
      system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
      tools,
      messages,
      ...(tool.beta ? { betas: [tool.beta] } : {}),
    };
  }

  private async userTurn(ctx: PlannerContext): Promise<MessageParam> {
    const texts = [
      ...ctx.outcomes.filter((o) => !o.callId || !this.pending.some((p) => p.id === o.callId)).flatMap(outcomeText),
      ...ctx.userMessages,
      ...(ctx.correction ? [ctx.correction] : []),
    ].map((text): Block => ({ type: 'text', text }));
    if (this.history.length === 0 || this.pending.length === 0) {
      const opening = this.history.length === 0
        ? [ctx.task, ...(ctx.threadSummary ? [`Earlier in this thread:\n${ctx.threadSummary}`] : [])].map((text): Block => ({ type: 'text', text }))
        : [];
      return { role: 'user', content: [...opening, ...texts, imageBlock(ctx.screenshot.dataUrl)] };
    }
    const lastComputer = this.pending.map((p) => p.kind).lastIndexOf('computer');
    const results: Block[] = [];
    for (const [i, use] of this.pending.entries()) {
      const r = await this.result(use, ctx, i === lastComputer);
      results.push({ type: 'tool_result', tool_use_id: use.id, content: r.content, ...(r.isError ? { is_error: true } : {}) });
    }
    return { role: 'user', content: [...results, ...texts] };
  }

  /** One tool_use's answer: the outcome of its actions (all share its id), or what the adapter answered itself. */
  private async result(use: ToolUseInfo, ctx: PlannerContext, withScreenshot: boolean): Promise<{ content: ResultContent; isError: boolean }> {
    const outcomes = ctx.outcomes.filter((o) => o.callId === use.id);
    const bad = outcomes.find((o) => o.status === 'rejected' || o.status === 'failed');
    const shot: ResultBlock[] = withScreenshot ? [imageBlock(ctx.screenshot.dataUrl)] : [];
    const text = (t: string): ResultBlock => ({ type: 'text', text: t });
    if (outcomes.length === 0) return { content: [text('This action was not performed.'), ...shot], isError: true };
    if (bad?.status === 'rejected') return { content: [text(`The operator rejected this action: ${bad.reason}`), ...shot], isError: true };
    if (bad?.status === 'failed') return { content: [text(`The action failed: ${bad.error}`), ...shot], isError: true };
    if (use.local?.kind === 'error') return { content: [text(use.local.text), ...shot], isError: true };
    if (use.local?.kind === 'text') return { content: [text(use.local.text), ...shot], isError: false };
    if (use.local?.kind === 'zoom') return { content: [...(await zoomBlocks(ctx, use.local.region)), ...shot], isError: false };
    const tool = outcomes.flatMap((o) => (o.status === 'performed' && o.tool ? [o.tool] : []))[0];
    if (tool) return { content: [text(tool.output || '(no output)'), ...(tool.images ?? []).map((im) => imageBlock(im.dataUrl)), ...shot], isError: tool.isError };
    const answered = outcomes.find((o) => o.status === 'answered');
    if (answered?.status === 'answered') return { content: [text(`The user answered: ${answered.answer}`), ...shot], isError: false };
    return { content: [...(use.note ? [text(use.note)] : []), ...shot], isError: false };
  }
}

function outcomeText(o: ActionOutcome): string[] {
  switch (o.status) {
    case 'performed': return [];
    case 'rejected': return [`The operator rejected an action: ${o.reason}`];
    case 'failed': return [`An action failed: ${o.error}`];
    case 'answered': return [`The user answered: ${o.answer}`];
  }
}

export function imageBlock(dataUrl: string): Anthropic.Beta.Messages.BetaImageBlockParam {
  const m = /^data:(image\/(?:png|jpeg|gif|webp));base64,(.*)$/s.exec(dataUrl);
  if (!m) throw new Error('a screenshot must be a base64 PNG, JPEG, GIF or WebP data URL');
  return { type: 'image', source: { type: 'base64', media_type: m[1] as 'image/png', data: m[2]! } };
}

/**
 * zoom: the region cut from this step's screenshot and enlarged (at most 4x) to fit the display size. The
 * screenshot is the model's own resolution (the full screen when it is not larger than the target, as at
 * 1280x800); Deskpilot cannot capture a larger image through its driver port, and the note says so.
 */
async function zoomBlocks(ctx: PlannerContext, region: [number, number, number, number]): Promise<ResultBlock[]> {
  const [x1, y1, x2, y2] = region.map(Math.round) as [number, number, number, number];
  const { width: W, height: H } = ctx.screenshot.image;
  const left = Math.min(Math.max(0, x1), W - 1);
  const top = Math.min(Math.max(0, y1), H - 1);
  const width = Math.max(1, Math.min(W, x2) - left);
  const height = Math.max(1, Math.min(H, y2) - top);
  const factor = Math.min(4, W / width, H / height);
  const source = Buffer.from(ctx.screenshot.dataUrl.slice(ctx.screenshot.dataUrl.indexOf(',') + 1), 'base64');
  const png = await sharp(source).extract({ left, top, width, height })
    .resize(Math.max(1, Math.round(width * Math.max(1, factor))), Math.max(1, Math.round(height * Math.max(1, factor))), { kernel: 'lanczos3' })
    .png().toBuffer();
  return [
    { type: 'text', text: `Region [${left}, ${top}, ${left + width}, ${top + height}] of the screenshot taken after this step, enlarged ${Math.max(1, factor).toFixed(2)}x.` },
    imageBlock(`data:image/png;base64,${png.toString('base64')}`),
  ];
}
