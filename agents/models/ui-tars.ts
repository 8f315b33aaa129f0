// Planner adapter for UI-TARS (1.0/1.5, and Doubao's UI-TARS models) over Chat Completions, without
// tools: the model answers in its own text format ("Thought: ... Action: click(start_box='(x,y)')"),
// parsed by ui-tars-parse.ts. In 'absolute' mode the screenshot is sent at its smart-resized size, so
// the model's pixels are the pixels of the image it saw.
import sharp from 'sharp';
import type { ActionOutcome, Planner, PlannerContext, PlannerScreenshot, PlannerStep } from './planner.ts';
import { targetFor } from '../desktop/geometry.ts';
import type { Size } from '../desktop/geometry.ts';
import { ChatTransport } from './openai-chat-transport.ts';
import type { ChatBody, ChatContentPart, ChatMessage, ChatTransportOptions } from './openai-chat-transport.ts';
import { contextTexts, imagePart, limitImages, outcomeText, textPart } from './openai-chat-history.ts';
import { finishNote, malformed, readCompletion } from './openai-chat-completion.ts';
import { parseUITarsReply } from './ui-tars-parse.ts';
import { smartResize } from './ui-tars-geometry.ts';
import type { UITarsCoordinates } from './ui-tars-geometry.ts';

export interface UITarsOptions extends ChatTransportOptions {
  /** The served model name; default ui-tars-1.5-7b. */
  model?: string;
  /** 'relative-1000' (default, 0..1000 of the image) or 'absolute' (pixels of the smart-resized image). */
  coordinates?: UITarsCoordinates;
  /** smart_resize bounds for 'absolute' (UI-TARS's defaults: 100*28*28 and 16384*28*28). */
  minPixels?: number;
  maxPixels?: number;
  /** Screenshots kept per request; default 5, UI-TARS's own context (all text, the last 5 images). */
  imagesPerRequest?: number;
  temperature?: number;
  maxTokens?: number;
  /** Replaces the computer-use prompt (the task is appended after it, under "## User Instruction"). */
  systemPrompt?: string;
  /** 'user' (default): the prompt opens the first user message, as UI-TARS was trained; 'system': a system message. */
  promptRole?: 'user' | 'system';
  /** The language asked for in the Thought part; default English. */
  language?: string;
  /** Image sizes the screen is scaled to; default UI_TARS_SCALE_TARGETS. */
  scaleTargets?: readonly Size[];
}

/**
 * Default image sizes: sides multiples of 28 (so smart_resize leaves them as they are) and at most
 * 2x2 high-detail tiles (765 OpenAI-style tokens; 640-768 Qwen2.5-VL tokens).
 */
export const UI_TARS_SCALE_TARGETS: readonly Size[] = [
  { width: 1008, height: 756 }, // 4:3
  { width: 896, height: 560 }, // 16:10
  { width: 1008, height: 560 }, // ~16:9 (1.8)
];

/** The UI-TARS computer-use prompt: its output format and action space, which the model was trained on. */
export function uiTarsPrompt(language = 'English'): string {
  return `You are a GUI agent. You are given a task and your action history, with screenshots. You need to perform the next action to complete the task.

## Output Format
\`\`\`
Thought: ...
Action: ...
\`\`\`

## Action Space

click(start_box='<|box_start|>(x1,y1)<|box_end|>')
left_double(start_box='<|box_start|>(x1,y1)<|box_end|>')
right_single(start_box='<|box_start|>(x1,y1)<|box_end|>')
drag(start_box='<|box_start|>(x1,y1)<|box_end|>', end_box='<|box_start|>(x3,y3)<|box_end|>')
hotkey(key='ctrl c') # Split keys with a space and use lowercase. Do not use more than 3 keys in one hotkey action.
type(content='xxx') # Use escape characters \\', \\", and \\n in content. To submit your input, end content with \\n.
scroll(start_box='<|box_start|>(x1,y1)<|box_end|>', direction='down or up or right or left') # Show more information on the \`direction\` side.
wait() # Sleep for 5s and take a screenshot to check for any changes.
finished(content='xxx') # The task is complete; content is the answer or a summary. Use escape characters \\', \\", and \\n in content.
call_user() # Submit the task and call the user when the task is unsolvable, or when you need the user's help.

## Note
- Use ${language} in \`Thought\` part.
- Write a small plan and finally summarize your next action (with its target element) in one sentence in \`Thought\` part.
`;
}

export class UITarsPlanner implements Planner {
  readonly name = 'ui-tars';
  /** UI-TARS answers in its own text actions only: no function calls, so skills reach it as text. */
  readonly supportsTools = false;
  readonly model: string;
  readonly coordinates: UITarsCoordinates;
  private readonly transport: ChatTransport;
  private readonly opts: UITarsOptions;
  private history: ChatMessage[] = [];

  constructor(opts: UITarsOptions = {}) {
    this.opts = opts;
    this.model = opts.model ?? 'ui-tars-1.5-7b';
    this.coordinates = opts.coordinates ?? 'relative-1000';
    this.transport = new ChatTransport(opts);
    if (opts.imagesPerRequest !== undefined && (!Number.isInteger(opts.imagesPerRequest) || opts.imagesPerRequest < 1)) {
      throw new RangeError(`imagesPerRequest must be a whole number >= 1, got ${opts.imagesPerRequest}`);
    }
  }

  imageSizeFor(screen: Size): Size {
    return targetFor(screen, this.opts.scaleTargets ?? UI_TARS_SCALE_TARGETS);
  }

  /** The size of the image the model sees for a screenshot of `image` (smart-resized in 'absolute' mode). */
  modelImageFor(image: Size): Size {
    if (this.coordinates !== 'absolute') return { ...image };
    return smartResize(image, {
      ...(this.opts.minPixels !== undefined ? { minPixels: this.opts.minPixels } : {}),
      ...(this.opts.maxPixels !== undefined ? { maxPixels: this.opts.maxPixels } : {}),
    });
  }

  get messages(): readonly ChatMessage[] {
    return this.history;
  }

  async next(ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep> {
    const image = ctx.screenshot.image;
    const modelImage = this.modelImageFor(image);
    const shot = await resized(ctx.screenshot, modelImage);
    const turn = this.turnMessages(ctx, shot);
    const raw = await this.transport.complete(this.buildBody(turn, ctx.instructions), signal);
    const reply = readCompletion(raw);
    const note = finishNote(reply.finishReason);
    if (reply.toolCalls.length > 0) throw malformed(`the reply has ${reply.toolCalls.length} tool call(s); UI-TARS answers in text ("Thought: ... Action: ...")`, raw);
    let step: PlannerStep;
    if (reply.refusal && !reply.content.trim()) {
      step = { actions: [{ action: { type: 'fail', reason: `the model refused: ${reply.refusal}` }, raw: reply.refusal }] };
    } else {
      try {
        step = parseUITarsReply(reply.content, { image, coordinates: this.coordinates, modelImage });
      } catch (err) {
        throw note ? malformed(`${(err as Error).message}${note}`, raw) : err;
      }
    }
    this.history = limitImages([...this.history, ...turn, { role: 'assistant', content: reply.content }], this.opts.imagesPerRequest ?? 5);
    return { ...step, ...(reply.id ? { responseId: reply.id } : {}), ...(reply.usage ? { usage: reply.usage } : {}) };
  }

  buildBody(turn: ChatMessage[], instructions?: string): ChatBody {
    const o = this.opts;
    const system: ChatMessage[] = o.promptRole === 'system' ? [{ role: 'system', content: [o.systemPrompt ?? uiTarsPrompt(o.language), instructions].filter(Boolean).join('\n\n') }] : [];
    return {
      model: this.model,
      messages: limitImages([...system, ...this.history, ...turn], o.imagesPerRequest ?? 5),
      ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
      ...(o.maxTokens !== undefined ? { max_tokens: o.maxTokens } : {}),
    };
  }

  turnMessages(ctx: PlannerContext, shot: PlannerScreenshot = ctx.screenshot): ChatMessage[] {
    const first = this.history.length === 0;
    const o = this.opts;
    const opening = first
      // Without tools, skills reach UI-TARS as text: the run's instructions follow its prompt.
      ? [o.promptRole === 'system' ? `## User Instruction\n${ctx.task}` : `${[o.systemPrompt ?? uiTarsPrompt(o.language), ctx.instructions].filter(Boolean).join('\n\n')}\n## User Instruction\n${ctx.task}`]
      : [];
    const texts = [...opening, ...outcomeTexts(ctx.outcomes), ...contextTexts(ctx)];
    const content: ChatContentPart[] = [...texts.map(textPart), imagePart(shot)];
    return [{ role: 'user', content }];
  }
}

/** Outcomes in order; UI-TARS actions have no call ids, so they are numbered as the model wrote them. */
function outcomeTexts(outcomes: ActionOutcome[]): string[] {
  const label = (i: number) => (outcomes.length > 1 ? `action ${i + 1}` : 'the action');
  return outcomes.flatMap((o, i) => outcomeText(o, label(i)) ?? []);
}

/** The screenshot at the size the model must see; unchanged when it already is. */
async function resized(shot: PlannerScreenshot, size: Size): Promise<PlannerScreenshot> {
  if (shot.image.width === size.width && shot.image.height === size.height) return shot;
  const comma = shot.dataUrl.indexOf(',');
  if (!shot.dataUrl.startsWith('data:') || comma < 0) throw new Error('the screenshot is not a data: URL');
  const png = await sharp(Buffer.from(shot.dataUrl.slice(comma + 1), 'base64')).resize(size.width, size.height, { fit: 'fill' }).png().toBuffer();
  return { dataUrl: `data:image/png;base64,${png.toString('base64')}`, image: { ...size } };
}
