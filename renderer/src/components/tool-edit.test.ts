// Editing a tool call's input in the approval card: an object goes through, anything else is refused with words.
import { describe, expect, it } from 'vitest';
import { parseToolEdit, toolInputText } from './tool-edit.ts';

describe('parseToolEdit', () => {
  it('round-trips an input', () => {
    const input = { command: 'echo edited > ~/edited.txt', timeout: 10 };
    expect(parseToolEdit(toolInputText(input))).toEqual({ input });
  });

  it.each([
    ['{"command": "ls"', /^Not valid JSON: /],
    ['', /^Not valid JSON: /],
    ['"ls"', /must be a JSON object/],
    ['["ls"]', /must be a JSON object/],
    ['null', /must be a JSON object/],
  ])('refuses %j', (text, message) => {
    const r = parseToolEdit(text);
    expect('error' in r && r.error).toMatch(message);
  });
});
