// What a Responses request says beside the input, decided by model: the computer tool's type, a reasoning
// summary, and how the context is kept in bounds; plus the run's tools as function tools and the
// function_call_output items that answer their calls. Pure functions, so the bodies are unit-tested.
//
// By model name (each overridable in OpenAIResponsesOptions):
//   computer-use-preview*  -> tool computer_use_preview (display size, environment), truncation 'auto' (the
//                             preview model requires it), reasoning summary 'concise' (its one summarizer)
//   gpt-5*, o<digit>*      -> the GA tool {type:'computer'}, reasoning summary 'auto', server-side compaction
//                             (context_management) in place of the deprecated truncation
//   anything else          -> as computer-use-preview without the summary (Azure deployment names, compatible
//                             servers): the shape those endpoints have always been sent
import type OpenAI from 'openai';
import type { ActionOutcome, PlannerScreenshot, SafetyCheck } from './planner.ts';
import type { ResponseCall } from './openai-responses-parse.ts';
import type { ToolSpec } from '../tools/tool.ts';
import { toolOutcomeText } from './openai-tool-outcome.ts';

type InputItem = OpenAI.Responses.ResponseInputItem;

export type ComputerToolType = 'computer_use_preview' | 'computer';
export type ReasoningSummary = 'auto' | 'concise' | 'detailed';

export interface ModelDefaults {
  toolType: ComputerToolType;
  /** Undefined: the model has no reasoning summary to ask for. */
  reasoningSummary?: ReasoningSummary;
  /** Sent as truncation: 'auto' (the preview model refuses to run without it). */
  truncation: boolean;
  /** Sent as context_management compaction: the current models' way to stay within the context window. */
  compaction: boolean;
}

/** Tokens of context after which the server compacts the conversation (GPT-5.x: 400k windows and more). */
export const DEFAULT_COMPACT_THRESHOLD = 200_000;

const PREVIEW = /^computer-use-preview/;
const REASONING = /^(gpt-5|o\d)/;

export function modelDefaults(model: string): ModelDefaults {
  if (PREVIEW.test(model)) return { toolType: 'computer_use_preview', reasoningSummary: 'concise', truncation: true, compaction: false };
  if (REASONING.test(model)) return { toolType: 'computer', reasoningSummary: 'auto', truncation: false, compaction: true };
  return { toolType: 'computer_use_preview', truncation: true, compaction: false };
}

/** The run's tools as Responses function tools; strict off, as tool schemas may have optional fields. */
export function functionTools(tools: readonly ToolSpec[] | undefined): OpenAI.Responses.FunctionTool[] {
  return (tools ?? []).map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters, strict: false }));
}

/**
 * The output items answering the calls of the response we chain from, in its order: a computer call gets
 * the new screenshot (with the safety checks the operator acknowledged), a function call gets the tool's
 * output (its images as input_image parts), or why it did not run.
 */
export function callOutputs(calls: readonly ResponseCall[], outcomes: readonly ActionOutcome[], screenshot: PlannerScreenshot): InputItem[] {
  return calls.map((call): InputItem => {
    const mine = outcomes.filter((o) => o.callId === call.id);
    if (call.kind === 'computer') {
      const acks = dedupeChecks(mine.flatMap((o) => (o.status === 'performed' ? o.acknowledgedSafetyChecks ?? [] : [])));
      return {
        type: 'computer_call_output',
        call_id: call.id,
        output: { type: 'computer_screenshot', image_url: screenshot.dataUrl },
        ...(acks.length > 0 ? { acknowledged_safety_checks: acks } : {}),
      };
    }
    const o = mine[0];
    const text = o ? toolOutcomeText(o, call.name) : `The ${call.name} call was not performed.`;
    const images = o?.status === 'performed' ? o.tool?.images ?? [] : [];
    return {
      type: 'function_call_output',
      call_id: call.id,
      output: images.length === 0 ? text : [{ type: 'input_text', text }, ...images.map((i) => ({ type: 'input_image' as const, image_url: i.dataUrl, detail: 'auto' as const }))],
    };
  });
}

function dedupeChecks(checks: SafetyCheck[]): SafetyCheck[] {
  const seen = new Map<string, SafetyCheck>();
  for (const c of checks) if (!seen.has(c.id)) seen.set(c.id, { id: c.id, code: c.code, message: c.message });
  return [...seen.values()];
}
