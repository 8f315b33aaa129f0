// The approval card's edit box for a tool call: the call's input as JSON, and back.
import { t } from '../i18n/index.ts';

export type ToolInput = Record<string, unknown>;

export function toolInputText(input: ToolInput): string {
  return JSON.stringify(input, null, 2);
}

/** The edit box's text as a tool input (a JSON object), or why it is not one. */
export function parseToolEdit(text: string): { input: ToolInput } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: t('approval.badJson', { message: (err as Error).message }) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: t('approval.toolNotObject') };
  return { input: value as ToolInput };
}
