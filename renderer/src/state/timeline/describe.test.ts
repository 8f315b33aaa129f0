// Action descriptions as the timeline and the approval cards show them.
import { describe, expect, it } from 'vitest';
import { describeAction, describeToolCall } from './describe.ts';

describe('describeAction', () => {
  it.each([
    [{ type: 'click', x: 412, y: 230, button: 'left' }, 'click (412, 230)'],
    [{ type: 'click', x: 1.6, y: 2.4, button: 'right', keys: ['ctrl'] }, 'right click (2, 2) with ctrl'],
    [{ type: 'type', text: 'hello' }, 'type "hello"'],
    [{ type: 'keypress', keys: ['ctrl', 's'] }, 'keypress ctrl+s'],
    [{ type: 'drag', path: [{ x: 1, y: 2 }, { x: 3, y: 4 }], button: 'left' }, 'drag (1, 2) → (3, 4)'],
    [{ type: 'scroll', direction: 'down', amount: 3, x: 5, y: 6 }, 'scroll down 3 (5, 6)'],
    [{ type: 'wait', ms: 500 }, 'wait 500 ms'],
    [{ type: 'ask_user', question: 'Which file?' }, 'ask: Which file?'],
  ] as const)('%o', (action, text) => {
    expect(describeAction(action as never)).toBe(text);
  });

  it('shortens long typed text unless asked for all of it', () => {
    const text = 'x'.repeat(200);
    expect(describeAction({ type: 'type', text }).length).toBeLessThan(80);
    expect(describeAction({ type: 'type', text }, Infinity)).toBe(`type "${text}"`);
  });
});

describe('describeToolCall', () => {
  it.each([
    ['shell', { command: 'ls -la ~' }, 'shell: ls -la ~'],
    ['read_file', { path: '~/notes.txt' }, 'read_file ~/notes.txt'],
    ['write_file', { path: '~/a.txt', content: 'hi' }, 'write_file ~/a.txt'],
    ['list_dir', { path: '/tmp' }, 'list_dir /tmp'],
    ['load_skill', { name: 'organize-files' }, 'load_skill {"name":"organize-files"}'],
  ] as const)('%s %o', (name, input, text) => {
    expect(describeToolCall(name, input)).toBe(text);
    expect(describeAction({ type: 'tool', name, input })).toBe(text);
  });

  it('shortens a long command unless asked for all of it', () => {
    const command = `echo ${'y'.repeat(200)}`;
    expect(describeToolCall('shell', { command }).length).toBeLessThan(80);
    expect(describeToolCall('shell', { command }, Infinity)).toBe(`shell: ${command}`);
  });
});
