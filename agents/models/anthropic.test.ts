import { describe, expect, it } from 'vitest';
import { claudePrice, computerToolFor } from './anthropic.ts';
import { pruneImages, withCacheBreakpoints } from './anthropic-history.ts';
import type Anthropic from '@anthropic-ai/sdk';

type MessageParam = Anthropic.Beta.Messages.BetaMessageParam;

describe('Claude computer tool by model', () => {
  it('follows Anthropic\'s table: 20251124 for Opus 4.5+ and Sonnet 4.6+, 20250124 before', () => {
    for (const m of ['claude-opus-4-5', 'claude-opus-4-5-20251101', 'claude-opus-4-6', 'claude-opus-4-7', 'claude-sonnet-4-6', 'claude-haiku-5-5']) {
      expect(computerToolFor(m), m).toEqual({ version: 'computer_20251124', beta: 'computer-use-2025-11-24' });
    }
    for (const m of ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5', 'claude-opus-4-1', 'claude-sonnet-4-20250514', 'claude-opus-4-20250514', 'claude-3-7-sonnet-latest', 'some-proxy-model']) {
      expect(computerToolFor(m), m).toEqual({ version: 'computer_20250124', beta: 'computer-use-2025-01-24' });
    }
    expect(computerToolFor('claude-sonnet-4-6', 'computer_toolset_20260801')).toEqual({ version: 'computer_toolset_20260801' });
  });

  it('prices the families per million tokens', () => {
    expect(claudePrice('claude-sonnet-4-6')).toEqual({ input: 3, output: 15 });
    expect(claudePrice('claude-opus-4-6')).toEqual({ input: 5, output: 25 });
    expect(claudePrice('claude-opus-4-1')).toEqual({ input: 15, output: 75 });
    expect(claudePrice('claude-haiku-4-5')).toEqual({ input: 1, output: 5 });
    expect(claudePrice('mystery')).toBeUndefined();
  });
});

describe('the conversation as sent', () => {
  const image = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'x' } };
  const turn = (n: number): MessageParam[] => [
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${n}`, content: [{ type: 'text', text: 'ok' }, image] }] },
    { role: 'assistant', content: [{ type: 'tool_use', id: `t${n + 1}`, name: 'computer', input: { action: 'screenshot' } }] },
  ];
  const count = (ms: MessageParam[]) => JSON.stringify(ms).split('"type":"image"').length - 1;

  it('drops older screenshots 3 at a time and never touches the history it was given', () => {
    const history = [{ role: 'user', content: [{ type: 'text', text: 'task' }, image] } as MessageParam, { role: 'assistant', content: [{ type: 'text', text: 'a' }] } as MessageParam, ...[1, 2, 3, 4, 5, 6, 7].flatMap(turn)];
    const before = JSON.stringify(history);
    const sizes = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => count(pruneImages(history.slice(0, 2 * n), 3)));
    expect(sizes).toEqual([1, 2, 3, 4, 5, 3, 4, 5]);
    expect(JSON.stringify(history)).toBe(before);
  });

  it('marks the last block of the two latest user turns for caching', () => {
    const marked = withCacheBreakpoints([...turn(1), ...turn(2), ...turn(3)].slice(0, 5));
    const flags = marked.map((m) => JSON.stringify(m).includes('cache_control'));
    expect(flags).toEqual([false, false, true, false, true]);
  });
});
