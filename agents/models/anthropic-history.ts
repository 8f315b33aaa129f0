// The conversation as sent to Claude: older screenshots dropped in chunks (so the cached prefix stays the
// same for several steps) and cache breakpoints on the most recent user turns. Both work on copies.
import type Anthropic from '@anthropic-ai/sdk';

type MessageParam = Anthropic.Beta.Messages.BetaMessageParam;
type Block = Anthropic.Beta.Messages.BetaContentBlockParam;

const DROPPED = '(an older screenshot, left out to save context)';

/**
 * Keeps the newest `keep` images; the older ones are replaced by a short note, `keep` at a time, so the
 * request prefix changes once every `keep` steps instead of every step (as Anthropic's reference loop does).
 */
export function pruneImages(messages: MessageParam[], keep: number): MessageParam[] {
  let total = 0;
  for (const m of messages) forEachImage(m, () => total++);
  let drop = Math.max(0, total - keep);
  drop -= drop % Math.max(1, keep);
  if (drop === 0) return messages;
  return messages.map((m) => {
    if (!Array.isArray(m.content) || drop === 0) return m;
    const content = m.content.map((b): Block => {
      if (b.type === 'image' && drop > 0) {
        drop--;
        return { type: 'text', text: DROPPED };
      }
      if (b.type === 'tool_result' && Array.isArray(b.content)) {
        return { ...b, content: b.content.map((c) => (c.type === 'image' && drop-- > 0 ? { type: 'text' as const, text: DROPPED } : c)) };
      }
      return b;
    });
    return { ...m, content } as MessageParam;
  });
}

function forEachImage(m: MessageParam, fn: () => void): void {
  if (!Array.isArray(m.content)) return;
  for (const b of m.content) {
    if (b.type === 'image') fn();
    if (b.type === 'tool_result' && Array.isArray(b.content)) for (const c of b.content) if (c.type === 'image') fn();
  }
}

/** cache_control on the last block of the last `turns` user messages (with the system prompt's, 3 of the 4 allowed). */
export function withCacheBreakpoints(messages: MessageParam[], turns = 2): MessageParam[] {
  let left = turns;
  const out = [...messages];
  for (let i = out.length - 1; i >= 0 && left > 0; i--) {
    const m = out[i]!;
    if (m.role !== 'user' || !Array.isArray(m.content) || m.content.length === 0) continue;
    const content = [...m.content];
    const last = content.at(-1)!;
    if (last.type === 'thinking' || last.type === 'redacted_thinking') continue;
    content[content.length - 1] = { ...last, cache_control: { type: 'ephemeral' } } as Block;
    out[i] = { ...m, content } as MessageParam;
    left--;
  }
  return out;
}
