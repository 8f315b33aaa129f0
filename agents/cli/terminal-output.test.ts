// What the CLI prints: the model's question without escape sequences, and key masking that never
// corrupts text (a short or placeholder key is not masked; a real one only where it appears whole).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../store/redact.ts';
import { OperatorConsole } from './terminal-prompts.ts';

describe('the operator console', () => {
  it('prints the model question and the action to approve without escape sequences', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => (printed += c.toString()));
    const operator = new OperatorConsole({ input, output, interactive: false, onInterrupt: () => undefined });
    input.write('blue\ny\n');
    const signal = new AbortController().signal;
    expect(await operator.answer('\x1b]52;c;ZWNobyBoaQ==\x07which \x1b[31mcolour\x1b[0m?\x1b[2J', signal)).toBe('blue');
    expect(await operator.approve('type "x\x1b]0;title\x07"', signal)).toEqual({ decision: 'approve' });
    operator.close();
    expect(printed).toContain('the agent asks: which colour?');
    expect(printed).toContain('approve type "x"?');
    expect(printed).not.toMatch(/[\x1b\x07]/);
  });
});

describe('key masking in CLI output (run, tasks)', () => {
  // The same masking runAgent and runTasks apply to every line they print.
  const mask = (secret: string | undefined) => {
    const keys = new Redactor([secret]);
    return (line: string) => keys.redactKeys(line);
  };

  it('leaves text alone for short and placeholder keys', () => {
    const json = JSON.stringify({ type: 'run_started', task: 'ask k about kittens in ollama or lm-studio', provider: 'ollama' });
    for (const key of ['k', 'ollama', 'lm-studio', 'EMPTY', 'not-needed']) expect(mask(key)(json)).toBe(json);
  });

  it('masks a real key where it appears whole, and the JSON line still parses', () => {
    const key = 'Zq8vN2pL5xR7tW1y';
    const line = JSON.stringify({ type: 'model_error', message: `bad key ${key}; not ${key}9 or x${key}` });
    const masked = mask(key)(line);
    expect(JSON.parse(masked)).toEqual({ type: 'model_error', message: `bad key [redacted]; not ${key}9 or x${key}` });
  });
});
