// Calls of the run's tools in the mock's scripted trajectories: a step `{ type: 'tool', name, input }`
// becomes a Responses function_call item or a chat tool call (streamed like any tool call), and the
// next request must answer it (function_call_output / role:'tool'), as the real APIs require.
import { randomBytes } from 'node:crypto';
import { isObject } from './http.ts';

/** A call of one of the run's tools (shell, files, skills, MCP), by name. */
export interface MockToolAction { type: 'tool'; name: string; input: Record<string, unknown> }

export function isToolAction(a: unknown): a is MockToolAction {
  return isObject(a) && a.type === 'tool' && typeof a.name === 'string' && isObject(a.input);
}

/** A Responses output item for the call. */
export function functionCallItem(a: MockToolAction): Record<string, unknown> {
  const hex = randomBytes(12).toString('hex');
  return { type: 'function_call', id: `fc_${hex}`, call_id: `call_${hex}`, name: a.name, arguments: JSON.stringify(a.input), status: 'completed' };
}

/** A chat tool call for the call. */
export function chatToolCall(a: MockToolAction): { id: string; type: 'function'; function: { name: string; arguments: string } } {
  return { id: `call_${randomBytes(12).toString('hex')}`, type: 'function', function: { name: a.name, arguments: JSON.stringify(a.input) } };
}

/** The call_ids a Responses request answers, with either kind of output item. */
export function answeredCallIds(body: Record<string, unknown>): string[] {
  const input = Array.isArray(body.input) ? body.input.filter(isObject) : [];
  return input.filter((i) => i.type === 'computer_call_output' || i.type === 'function_call_output').map((i) => String(i.call_id));
}

/** The call_ids of a reply's output that the next request must answer. */
export function callIdsOf(output: unknown[]): string[] {
  return output.filter(isObject).filter((o) => o.type === 'computer_call' || o.type === 'function_call').map((o) => String(o.call_id));
}
