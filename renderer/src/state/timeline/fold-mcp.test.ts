// An MCP server left out of a run is a warning note: before the first step on the run, later on the step; the run goes on.
import { describe, expect, it } from 'vitest';
import { applyEvent, foldEvents } from './fold.ts';
import { STARTED, logOf, plainStep } from './fixtures.ts';

describe('mcp_server_failed in the timeline', () => {
  it('is a run-level note before the first step, and the run is still running', () => {
    const events = logOf('r', [STARTED, { type: 'mcp_server_failed', server: 'Broken server', message: 'MCP server "Broken server" did not start: the program was not found' }]);
    const s = foldEvents(undefined, events);
    expect(s.notes).toEqual([expect.objectContaining({ kind: 'mcp_server_failed', server: 'Broken server', text: expect.stringMatching(/did not start/), seq: 2 })]);
    expect(s.status).toBe('running');
    expect(s.outcome).toBeUndefined();
  });

  it('lands on the current step when it comes later, keeping the identity of the steps it did not touch', () => {
    const before = foldEvents(undefined, logOf('r', [STARTED, ...plainStep(1), ...plainStep(2)]));
    const after = applyEvent(before, logOf('r', [{ type: 'mcp_server_failed', server: 'Slow', message: 'it did not answer within 15 seconds' }], { seq: before.lastSeq + 1, at: 1_800_000_000_000 })[0]!);
    expect(after.steps[0]).toBe(before.steps[0]);
    expect(after.steps[1]).not.toBe(before.steps[1]);
    expect(after.steps[1]!.notes.at(-1)).toMatchObject({ kind: 'mcp_server_failed', server: 'Slow' });
    expect(before.steps[1]!.notes.some((n) => n.kind === 'mcp_server_failed')).toBe(false);
  });
});
