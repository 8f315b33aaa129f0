// The `computer` function tool of the openai-chat planner and the parse of its replies. One tool with an
// `action` field (rather than one function per action) mirrors the OpenAI computer-use action objects,
// so each call's arguments go through the same toAgentActions as scripts and the Responses adapter.
// Every point must lie inside the screenshot the model was shown: nothing is clamped or guessed.
import type OpenAI from 'openai';
import { ModelError } from './planner.ts';
import type { AgentAction, PlannerStep, ProposedAction } from './planner.ts';
import type { Size } from '../desktop/geometry.ts';
import { parseKeys } from '../desktop/keys.ts';
import { clipText, EXTRA_ACTION_TYPES, OPENAI_ACTION_TYPES, parseToolArguments, toAgentActions, toToolAction } from './openai-actions.ts';
import type { ToolSpec } from '../tools/tool.ts';
import { finishNote, malformed, readCompletion } from './openai-chat-completion.ts';
import type { ChatReply } from './openai-chat-completion.ts';

export const COMPUTER_TOOL_NAME = 'computer';
export const CHAT_ACTION_TYPES = [...OPENAI_ACTION_TYPES, ...EXTRA_ACTION_TYPES] as const;

const number = (description: string) => ({ type: 'number', description });

/** The function tool sent with every request: flat parameters, since many servers cannot take oneOf. */
export const COMPUTER_TOOL: OpenAI.Chat.Completions.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: COMPUTER_TOOL_NAME,
    description: 'Operate the computer: one mouse or keyboard action per call, in screenshot pixels. '
      + 'Call it several times in one reply to perform several actions in order. '
      + 'End the task with action "done" (and an answer), "fail" (and a reason), or ask the operator with "ask_user".',
    parameters: {
      type: 'object',
      properties: {
        action: { type: 'string', enum: [...CHAT_ACTION_TYPES], description: 'What to do.' },
        x: number('click, double_click, move, scroll: x in pixels of the latest screenshot, 0 at the left.'),
        y: number('click, double_click, move, scroll: y in pixels of the latest screenshot, 0 at the top.'),
        button: { type: 'string', enum: ['left', 'right', 'wheel', 'back', 'forward'], description: 'click: the mouse button (default left).' },
        keys: { type: 'array', items: { type: 'string' }, description: 'keypress: keys pressed together, e.g. ["ctrl", "s"]. click, double_click: modifier keys held.' },
        path: {
          type: 'array',
          description: 'drag: the points from start to end (at least two).',
          items: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'] },
        },
        scroll_x: number('scroll: pixels to scroll right (negative: left).'),
        scroll_y: number('scroll: pixels to scroll down (negative: up).'),
        text: { type: 'string', description: 'type: the text to type.' },
        ms: { type: 'integer', description: 'wait: milliseconds (default 1000).' },
        answer: { type: 'string', description: 'done: the answer or a summary for the user.' },
        reason: { type: 'string', description: 'fail: why the task cannot be done.' },
        question: { type: 'string', description: 'ask_user: the question for the operator.' },
      },
      required: ['action'],
    },
  },
};

export interface ParsedChat {
  step: PlannerStep;
  reply: ChatReply;
  /** ids of the tool calls, in order; each needs a role:'tool' message next time. */
  callIds: string[];
}

export interface ChatParseOptions {
  /** The screenshot the model was shown: every point must be inside it. */
  image: Size;
  /** Names of the run's tools the model was offered beside `computer`; a call of any other name is refused. */
  toolNames?: readonly string[];
  price?: { input: number; output: number };
}

/** A chat completion (JSON or assembled stream) -> a PlannerStep. Throws ModelError('malformed'). */
export function parseChatCompletion(raw: unknown, opts: ChatParseOptions): ParsedChat {
  const reply = readCompletion(raw, opts.price);
  const common = { ...(reply.id ? { responseId: reply.id } : {}), ...(reply.usage ? { usage: reply.usage } : {}) };
  const reasoning = reply.reasoning?.trim() ?? '';
  const text = reply.content.trim();
  const note = finishNote(reply.finishReason);

  if (reply.toolCalls.length > 0) {
    const actions: ProposedAction[] = [];
    reply.toolCalls.forEach((call, i) => {
      const where = `tool call ${i} (${call.id})`;
      const tools = opts.toolNames ?? [];
      if (call.name !== COMPUTER_TOOL_NAME && !tools.includes(call.name)) {
        const offered = tools.length > 0 ? `the tools are ${[COMPUTER_TOOL_NAME, ...tools].map((n) => JSON.stringify(n)).join(', ')}` : `the only tool is "${COMPUTER_TOOL_NAME}"`;
        throw malformed(`${where} calls an unknown function ${clip(call.name)}; ${offered}${note}`, raw);
      }
      let parsed: AgentAction[];
      try {
        parsed = call.name === COMPUTER_TOOL_NAME
          ? toolArgumentsToActions(call.arguments, opts.image, reply.finishReason)
          : [toToolAction(call.name, call.arguments, tools, finishNote(reply.finishReason))];
      } catch (err) {
        if (!(err instanceof ModelError)) throw err;
        throw malformed(`${where}: ${err.message}`, raw);
      }
      for (const action of parsed) actions.push({ action, callId: call.id, raw: call.arguments });
    });
    const thought = [reasoning, text].filter(Boolean).join('\n\n');
    const done = actions.find((a) => a.action.type === 'done')?.action;
    const answer = done?.type === 'done' ? done.answer : undefined;
    return { reply, callIds: reply.toolCalls.map((c) => c.id), step: { ...common, ...(thought ? { thought } : {}), actions, ...(answer !== undefined ? { answer } : {}) } };
  }
  const withThought = reasoning ? { thought: reasoning } : {};
  if (reply.refusal) {
    const reason = `the model refused: ${reply.refusal}`;
    return { reply, callIds: [], step: { ...common, ...withThought, actions: [{ action: { type: 'fail', reason }, raw: reply.refusal }] } };
  }
  // A reply cut off mid-sentence is not an answer; only a finished text reply ends the task.
  if (text && reply.finishReason !== 'length' && reply.finishReason !== 'content_filter') {
    return { reply, callIds: [], step: { ...common, ...withThought, answer: text, actions: [{ action: { type: 'done', answer: text }, raw: reply.content }] } };
  }
  if (text) throw malformed(`the reply has text but no tool call${note}`, raw);
  throw malformed(`the reply has neither a tool call nor text${note}`, raw);
}

/** One call's arguments -> actions. Throws ModelError naming the fault. */
export function toolArgumentsToActions(args: unknown, image: Size, finishReason?: string): AgentAction[] {
  const value = parseToolArguments(args, finishNote(finishReason));
  // Models often fill every parameter of the schema, with null for the unused ones.
  const fields = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
  const { action, type, ...rest } = fields as { action?: unknown; type?: unknown; [k: string]: unknown };
  if (action !== undefined && type !== undefined && action !== type) {
    throw new ModelError(`the arguments name two actions: action ${JSON.stringify(action)} and type ${JSON.stringify(type)}`, 'malformed', args);
  }
  const name = action ?? type;
  if (name === undefined) throw new ModelError(`the arguments have no "action"; expected one of ${CHAT_ACTION_TYPES.join(', ')}`, 'malformed', args);
  const actions = toAgentActions({ ...rest, type: name }, { extras: true });
  for (const a of actions) checkAction(a, image);
  return actions;
}

/**
 * Points outside the image and unknown key names are malformed at parse time (the same bounds as
 * geometry.imageToScreen), so the model is re-asked rather than an action guessed.
 */
export function checkAction(a: AgentAction, image: Size): void {
  const inside = (x: number, y: number, what: string) => {
    if (!(x >= 0 && y >= 0 && x < image.width && y < image.height)) {
      throw new ModelError(`${a.type}: ${what} (${x}, ${y}) is outside the ${image.width}x${image.height} screenshot`, 'malformed', a);
    }
  };
  switch (a.type) {
    case 'click':
    case 'double_click':
    case 'triple_click':
    case 'move':
      inside(a.x, a.y, 'point');
      break;
    case 'drag':
      a.path.forEach((p, i) => inside(p.x, p.y, i === 0 ? 'start point' : i === a.path.length - 1 ? 'end point' : `point ${i}`));
      break;
    case 'scroll':
    case 'mouse_down':
    case 'mouse_up':
      if ((a.x === undefined) !== (a.y === undefined)) throw new ModelError(`${a.type}: x and y must be given together`, 'malformed', a);
      if (a.x !== undefined && a.y !== undefined) inside(a.x, a.y, 'point');
      break;
    default:
      break;
  }
  const keys = a.type === 'keypress' ? a.keys : 'keys' in a ? a.keys : undefined;
  if (keys !== undefined) {
    try {
      parseKeys(keys);
    } catch (err) {
      throw new ModelError(`${a.type}: ${(err as Error).message}`, 'malformed', a);
    }
  }
}

export const clip = clipText;

/** The run's tools as chat function tools, sent beside `computer` (a tool named `computer` would shadow it and is left out). */
export function chatFunctionTools(tools: readonly ToolSpec[] | undefined): OpenAI.Chat.Completions.ChatCompletionFunctionTool[] {
  return (tools ?? []).filter((t) => t.name !== COMPUTER_TOOL_NAME).map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}
