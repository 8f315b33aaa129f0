// Each format's corpus with the parser it goes through, for the corpus test and the bench.
import type { AgentAction } from '../planner.ts';
import { parseResponsesOutput } from '../openai-responses-parse.ts';
import { parseChatCompletion } from '../openai-chat-parse.ts';
import { parseUITarsReply } from '../ui-tars-parse.ts';
import { parseClaudeMessage } from '../anthropic-parse.ts';
import { companionTools } from '../anthropic-tools.ts';
import { parseGeminiResponse } from '../gemini-parse.ts';
import { anthropicCorpus } from './anthropic.ts';
import { geminiCorpus, GEMINI_TOOLS } from './gemini.ts';
import { chatCorpus } from './chat.ts';
import { responsesCorpus } from './responses.ts';
import { uiTarsCorpus } from './ui-tars.ts';
import { CHAT_IMAGE, CORPUS_TOOL_NAMES, UI_TARS_IMAGE } from './types.ts';
import type { CorpusEntry } from './types.ts';

export interface Parsed { actions: AgentAction[]; answer?: string }
export type Parser = (e: CorpusEntry) => Parsed;

/** The run's tools the Claude and Gemini corpora are parsed with. */
const RUN_TOOLS = ['shell', 'read_file', 'list_dir', 'write_file', 'edit_file', 'load_skill'].map((name) => ({ name, description: name, parameters: {} }));

export const PARSERS: Record<'responses' | 'chat' | 'ui-tars' | 'anthropic' | 'gemini', { corpus: () => CorpusEntry[]; parse: Parser }> = {
  responses: {
    corpus: responsesCorpus,
    parse: (e) => {
      const { step } = parseResponsesOutput(e.reply, { toolNames: CORPUS_TOOL_NAMES });
      return { actions: step.actions.map((a) => a.action), ...(step.answer !== undefined ? { answer: step.answer } : {}) };
    },
  },
  chat: {
    corpus: chatCorpus,
    parse: (e) => {
      const { step } = parseChatCompletion(e.reply, { image: CHAT_IMAGE, toolNames: CORPUS_TOOL_NAMES });
      return { actions: step.actions.map((a) => a.action), ...(step.answer !== undefined ? { answer: step.answer } : {}) };
    },
  },
  'ui-tars': {
    corpus: uiTarsCorpus,
    parse: (e) => {
      const step = parseUITarsReply(e.reply, { image: UI_TARS_IMAGE, coordinates: e.coordinates ?? 'relative-1000' });
      return { actions: step.actions.map((a) => a.action), ...(step.answer !== undefined ? { answer: step.answer } : {}) };
    },
  },
  anthropic: {
    corpus: anthropicCorpus,
    parse: (e) => {
      const { step } = parseClaudeMessage(e.reply, { image: CHAT_IMAGE, tools: companionTools(RUN_TOOLS) });
      return { actions: step.actions.map((a) => a.action), ...(step.answer !== undefined ? { answer: step.answer } : {}) };
    },
  },
  gemini: {
    corpus: geminiCorpus,
    parse: (e) => {
      const { step } = parseGeminiResponse(e.reply, { image: CHAT_IMAGE, tools: GEMINI_TOOLS });
      return { actions: step.actions.map((a) => a.action), ...(step.answer !== undefined ? { answer: step.answer } : {}) };
    },
  },
};

