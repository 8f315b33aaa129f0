// What a model is told about one call of the run's tools (shell, files, skills, MCP), as the text of a
// Responses function_call_output or a chat role:'tool' message. Shared so both formats say the same.
import type { ActionOutcome } from './planner.ts';

/** The answer to one tool call: its output, with a note when it did not succeed, or why it did not run. */
export function toolOutcomeText(o: ActionOutcome, name: string): string {
  switch (o.status) {
    case 'performed': {
      if (!o.tool) return `The ${name} call was performed.`;
      const output = o.tool.output === '' ? '(no output)' : o.tool.output;
      return o.tool.isError ? `Error: the ${o.tool.name} call did not succeed.\n${output}` : output;
    }
    case 'rejected':
      return `The operator rejected the ${name} call: ${o.reason}`;
    case 'failed':
      return `The ${name} call failed: ${o.error}`;
    case 'answered':
      return `The user answered: ${o.answer}`;
  }
}
