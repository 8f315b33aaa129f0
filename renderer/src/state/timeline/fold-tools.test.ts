// Tool calls in the timeline fold: proposed, approved or edited or rejected, running with live
// output, finished with an exit code; cancelled when the run ends under them; output kept to a cap.
import { describe, expect, it } from 'vitest';
import type { LoggedRunEvent } from '../../../../agents/contract.ts';
import { statusLine } from './describe.ts';
import { applyEvent, foldEvents } from './fold.ts';
import { STARTED, logOf } from './fixtures.ts';
import { TOOL_OUTPUT_CAP, type TimelineState } from './types.ts';

const R = 'run1';

function live(events: LoggedRunEvent[]): TimelineState {
  let s = foldEvents(undefined, []);
  for (const e of events) s = applyEvent(s, e);
  expect(JSON.parse(JSON.stringify(s))).toEqual(JSON.parse(JSON.stringify(foldEvents(undefined, events))));
  return s;
}

type Events = Parameters<typeof logOf>[1];
const shell = (command: string, risks: string[] = []): Events => [
  STARTED,
  { type: 'step_started', step: 1 },
  { type: 'model_responded', step: 1, actions: 1, ms: 5 },
  { type: 'action_proposed', step: 1, actionId: 't', action: { type: 'tool', name: 'shell', input: { command } }, risks },
];
const toolOf = (s: TimelineState) => s.steps[0]!.actions[0]!;

describe('a tool call in the timeline', () => {
  it('runs with live output in order, then finishes with its exit code and time', () => {
    const running = live(logOf(R, [
      ...shell('for i in 1 2 3; do echo line$i; done'),
      { type: 'tool_called', actionId: 't', name: 'shell', input: { command: 'for i in 1 2 3; do echo line$i; done', timeout: 120 } },
      { type: 'tool_output', actionId: 't', stream: 'stdout', text: 'line1\n' },
      { type: 'tool_output', actionId: 't', stream: 'stderr', text: 'warn\n' },
      { type: 'tool_output', actionId: 't', stream: 'stdout', text: 'line2\n' },
      { type: 'tool_output', actionId: 't', stream: 'stdout', text: 'line3\n' },
    ]));
    const a = toolOf(running);
    expect(a.state).toBe('running');
    expect(a.tool).toMatchObject({ name: 'shell', running: true, input: { command: 'for i in 1 2 3; do echo line$i; done', timeout: 120 }, keptChars: 23, droppedChars: 0 });
    expect(a.tool!.chunks).toEqual([{ stream: 'stdout', text: 'line1\n' }, { stream: 'stderr', text: 'warn\n' }, { stream: 'stdout', text: 'line2\nline3\n' }]);
    expect(statusLine(running)).toBe('Step 1: running shell: for i in 1 2 3; do echo line$i; done');
    expect(running.status).toBe('running');

    const done = applyEvent(running, { type: 'tool_finished', actionId: 't', ms: 1234, isError: false, exitCode: 0, truncated: false, output: 'line1\n…\nexit code 0', runId: R, seq: running.lastSeq + 1, at: 0 });
    expect(toolOf(done)).toMatchObject({ state: 'performed', ms: 1234 });
    expect(toolOf(done).tool).toMatchObject({ running: false, exitCode: 0, ms: 1234, isError: false, timedOut: false, truncated: false, result: 'line1\n…\nexit code 0' });
    expect(done.totals.actionMs).toBe(1234);
    expect(statusLine(done)).toBe('Step 1: shell: for i in 1 2 3; do echo line$i; done finished');
  });

  it('a failing or timed-out command is failed, with its exit code or the time limit', () => {
    const s = live(logOf(R, [
      ...shell('sleep 300'),
      { type: 'tool_called', actionId: 't', name: 'shell', input: { command: 'sleep 300' } },
      { type: 'tool_finished', actionId: 't', ms: 120_010, isError: true, truncated: false, timedOut: true, output: 'timed out after 120 s' },
    ]));
    expect(toolOf(s).state).toBe('failed');
    expect(toolOf(s).tool).toMatchObject({ timedOut: true, isError: true, exitCode: undefined });
  });

  it('keeps object identity: output changes only its own action, never the previous state', () => {
    const base = live(logOf(R, [...shell('yes'), { type: 'tool_called', actionId: 't', name: 'shell', input: { command: 'yes' } }, { type: 'tool_output', actionId: 't', stream: 'stdout', text: 'y\n' }]));
    const before = JSON.stringify(base);
    const next = applyEvent(base, { type: 'tool_output', actionId: 't', stream: 'stdout', text: 'y\n', runId: R, seq: base.lastSeq + 1, at: 0 });
    expect(JSON.stringify(base)).toBe(before);
    expect(toolOf(next).tool).not.toBe(toolOf(base).tool);
    expect(toolOf(next).tool!.chunks).not.toBe(toolOf(base).tool!.chunks);
    expect(toolOf(next).tool!.chunks[0]!.text).toBe('y\ny\n');
    expect(next.started).toBe(base.started);
  });

  it('keeps at most the last 256 KB of output and counts what it dropped', () => {
    const big = 'x'.repeat(100 * 1024);
    const events: Events = [...shell('cat big'), { type: 'tool_called', actionId: 't', name: 'shell', input: { command: 'cat big' } }];
    for (let i = 0; i < 4; i++) events.push({ type: 'tool_output', actionId: 't', stream: i % 2 ? 'stderr' : 'stdout', text: big });
    events.push({ type: 'tool_output', actionId: 't', stream: 'stdout', text: 'tail\n' });
    const tool = toolOf(live(logOf(R, events))).tool!;
    expect(tool.keptChars).toBe(TOOL_OUTPUT_CAP);
    expect(tool.chunks.reduce((n, c) => n + c.text.length, 0)).toBe(TOOL_OUTPUT_CAP);
    expect(tool.droppedChars).toBe(4 * big.length + 5 - TOOL_OUTPUT_CAP);
    expect(tool.chunks.at(-1)).toEqual({ stream: 'stdout', text: 'tail\n' });
    expect(tool.chunks.map((c) => c.stream)).toEqual(['stderr', 'stdout', 'stderr', 'stdout']);
  });

  it('an approval shows the call, and an edit_tool runs the edited input', () => {
    const events = logOf(R, [
      ...shell('rm -rf ~/x', ['shell: deletes a folder recursively']),
      { type: 'approval_requested', actionId: 't', reasons: ['shell: deletes a folder recursively'] },
    ]);
    const waiting = live(events);
    expect(waiting.status).toBe('waiting');
    expect(statusLine(waiting)).toBe('Waiting for your approval: shell: rm -rf ~/x');
    expect(toolOf(waiting)).toMatchObject({ state: 'awaiting_approval', risks: ['shell: deletes a folder recursively'] });
    const edited = live([...events, ...logOf(R, [
      { type: 'approval_decided', actionId: 't', decision: 'edit_tool', input: { command: 'echo edited > ~/edited.txt' } },
    ], { seq: events.length + 1, at: 0 })]);
    expect(toolOf(edited)).toMatchObject({ state: 'edited', edited: true, action: { type: 'tool', name: 'shell', input: { command: 'echo edited > ~/edited.txt' } } });
    expect(toolOf(edited).tool!.input).toEqual({ command: 'echo edited > ~/edited.txt' });
    expect(edited.pendingApprovals).toEqual([]);
    expect(statusLine(edited)).toBe('Step 1: shell: echo edited > ~/edited.txt');
  });

  it('a rejected call keeps its reason and never runs', () => {
    const s = live(logOf(R, [
      ...shell('rm -rf ~', ['shell: deletes your home']),
      { type: 'approval_requested', actionId: 't', reasons: ['shell: deletes your home'] },
      { type: 'approval_decided', actionId: 't', decision: 'reject', reason: 'not my home' },
    ]));
    expect(toolOf(s)).toMatchObject({ state: 'rejected', rejectReason: 'not my home' });
    expect(toolOf(s).tool).toMatchObject({ running: false, exitCode: undefined, chunks: [] });
  });

  it('a run aborted while a tool runs leaves it cancelled and no longer running', () => {
    const s = live(logOf(R, [
      ...shell('sleep 300'),
      { type: 'tool_called', actionId: 't', name: 'shell', input: { command: 'sleep 300' } },
      { type: 'tool_output', actionId: 't', stream: 'stdout', text: 'started\n' },
      { type: 'run_aborted', reason: 'aborted by the operator', steps: 1 },
    ]));
    expect(toolOf(s).state).toBe('cancelled');
    expect(toolOf(s).tool).toMatchObject({ running: false, chunks: [{ stream: 'stdout', text: 'started\n' }] });
    expect(s.status).toBe('aborted');
  });

  it('a tool that streams nothing keeps what the model was told', () => {
    const s = live(logOf(R, [
      STARTED,
      { type: 'step_started', step: 1 },
      { type: 'action_proposed', step: 1, actionId: 'r', action: { type: 'tool', name: 'read_file', input: { path: '~/notes.txt' } }, risks: [] },
      { type: 'tool_called', actionId: 'r', name: 'read_file', input: { path: '~/notes.txt' } },
      { type: 'tool_finished', actionId: 'r', ms: 3, isError: false, truncated: false, output: 'hello\n' },
    ]));
    expect(toolOf(s)).toMatchObject({ state: 'performed' });
    expect(toolOf(s).tool).toMatchObject({ name: 'read_file', result: 'hello\n', chunks: [] });
  });
});
