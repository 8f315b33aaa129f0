// Corpus entries: replies a model or server really sends, broken or odd. A broken one must be refused
// with a ModelError whose message says what is wrong (`error`); an odd but valid one must give exactly
// `actions`, nothing guessed.
import type { AgentAction } from '../planner.ts';

interface Base {
  name: string;
  reply: unknown;
  /** Generated from a template (true) or written by hand from real outputs. */
  generated?: boolean;
  /** UI-TARS only: the coordinate mode to parse with (default relative-1000). */
  coordinates?: 'relative-1000' | 'absolute';
}
export interface BrokenEntry extends Base {
  error: RegExp;
  /** The ModelError kind expected; default 'malformed'. */
  kind?: 'malformed' | 'api';
}
export interface ValidEntry extends Base {
  actions: AgentAction[];
  answer?: string;
  /**
   * Parsed, but a point lies outside the screenshot: the loop's geometry (imageToScreen) refuses it and
   * tells the model, never clamping. Only the Responses parser leaves this check to the loop.
   */
  offscreen?: true;
}
export type CorpusEntry = BrokenEntry | ValidEntry;

export function isBroken(e: CorpusEntry): e is BrokenEntry {
  return 'error' in e;
}

/** The run's tools the corpora's replies were offered beside the computer tool. */
export const CORPUS_TOOL_NAMES = ['shell', 'read_file'] as const;

/** The screenshot sizes the corpora are written against. */
export const CHAT_IMAGE = { width: 1024, height: 640 } as const;
export const UI_TARS_IMAGE = { width: 896, height: 560 } as const;

/** Values that are not usable coordinates in tool-call arguments, as JSON text (1e999 arrives as Infinity, as from the wire). */
export const BAD_NUMBERS_JSON: { json: string; error: RegExp }[] = [
  { json: 'NaN', error: /not valid JSON/ },
  { json: 'Infinity', error: /not valid JSON/ },
  { json: '-Infinity', error: /not valid JSON/ },
  { json: '1e999', error: /expected number, received Infinity/ },
  { json: '-1e999', error: /expected number, received -Infinity/ },
  { json: '"12"', error: /expected number, received string/ },
  { json: '"NaN"', error: /expected number, received string/ },
  { json: '""', error: /expected number, received string/ },
  { json: 'true', error: /expected number, received boolean/ },
  { json: '[]', error: /expected number, received array/ },
  { json: '[10, 20]', error: /expected number, received array/ },
  { json: '{}', error: /expected number, received object/ },
  { json: '-1', error: /outside the 1024x640 screenshot/ },
  { json: '-0.5', error: /outside the 1024x640 screenshot/ },
  { json: '99999', error: /outside the 1024x640 screenshot/ },
  { json: '1e15', error: /outside the 1024x640 screenshot/ },
];
