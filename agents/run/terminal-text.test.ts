// Model text printed by `deskpilot run` and `runs show` must not carry escape sequences to the terminal.
import { describe, expect, it } from 'vitest';
import type { Run } from '../store/types.ts';
import { eventJson, formatEvent, runHeader, runsTable, type LoggedEvent } from './run-format.ts';
import { forTerminal, jsonForTerminal } from './terminal-text.ts';

const ESC = '\x1b';
const HOSTILE = [
  `${ESC}]52;c;cm0gLXJmIH4K${'\x07'}`, // OSC 52: write "rm -rf ~" to the clipboard
  `${ESC}]0;pwned${ESC}\\`, // OSC 0: the window title
  `${ESC}[2J${ESC}[H`, // clear the screen
  `${ESC}c`, // reset the terminal
  '\x9b31m', // C1 CSI
  '\x9d0;title\x9c', // C1 OSC
  'a\rb\x08\x00\x7f', // carriage return, backspace, NUL, DEL
  '\u202eevil\u202c', // a bidi override
].join(' ');

const base = { runId: 'R1', seq: 1, at: 0 };
const ev = (e: object) => ({ ...base, ...e }) as LoggedEvent;
// Any control left, printable or not (tab and newline are fine).
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('forTerminal', () => {
  it('removes escape sequences whole and control characters, keeping text, tabs and newlines', () => {
    const out = forTerminal(`thought:\t${HOSTILE}\nnext line`);
    expect(out).not.toMatch(CONTROLS);
    expect(out).not.toContain('cm0gLXJmIH4K'); // the clipboard payload goes with its sequence
    expect(out).not.toContain('pwned');
    expect(out).toContain('thought:\t');
    expect(out).toContain('\nnext line');
    expect(out).toContain('evil');
    expect(forTerminal('héllo wörld 日本 😀 — ok')).toBe('héllo wörld 日本 😀 — ok');
  });

  it('formatEvent strips thoughts, questions, answers, errors and the task', () => {
    const events = [
      ev({ type: 'model_responded', thought: HOSTILE, actions: 1, ms: 5 }),
      ev({ type: 'question_asked', actionId: 'a', question: HOSTILE }),
      ev({ type: 'question_answered', actionId: 'a', answer: HOSTILE }),
      ev({ type: 'model_error', kind: 'api', attempt: 1, message: HOSTILE, willRetry: false }),
      ev({ type: 'run_finished', steps: 1, answer: HOSTILE }),
      ev({ type: 'action_proposed', actionId: 'b', step: 1, action: { type: 'type', text: HOSTILE }, risks: [] }),
      ev({ type: 'run_started', task: HOSTILE, provider: 'p', display: ':1', screen: { width: 1, height: 1 }, options: { approve: 'never', maxSteps: 1, maxSeconds: 1 } }),
      ev({ type: 'from_a_newer_engine', text: HOSTILE }),
    ];
    for (const e of events) {
      const lines = formatEvent(e);
      expect(lines.length, e.type).toBeGreaterThan(0);
      for (const line of lines) expect(line, e.type).not.toMatch(CONTROLS);
    }
    expect(formatEvent(events[0]!)[0]).toContain('thought:');
  });

  it('run headers and tables are stripped too', () => {
    const run = { id: 'R1', threadId: 'T1', task: HOSTILE, status: 'done', provider: 'p', model: null, createdAt: 0, updatedAt: 0, endedAt: 1, answer: HOSTILE, error: HOSTILE, summary: null, options: {} } as Run;
    for (const line of [...runHeader(run, 1), ...runsTable([{ run, steps: 1 }])]) expect(line).not.toMatch(CONTROLS);
  });

  it('eventJson stays the exact JSON value, with no raw control character in the line', () => {
    const e = ev({ type: 'model_responded', thought: HOSTILE, actions: 0, ms: 1 });
    const line = eventJson(e);
    expect(line).not.toMatch(CONTROLS);
    expect(JSON.parse(line)).toEqual(e);
    expect(JSON.parse(jsonForTerminal(JSON.stringify({ s: '\x9b\u202e\x7f' })))).toEqual({ s: '\x9b\u202e\x7f' });
  });
});
