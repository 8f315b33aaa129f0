// The step editor's edits: moves and deletions keep chaining sensible, parameters take the old text
// as their default, and "name=text" lines parse.
import { describe, expect, it } from 'vitest';
import type { Automation } from '../../../agents/contract.ts';
import { autoIntent, deleteStep, makeParameter, moveStep, parseKeys, parseParamLines, setAction, setFindTimeout, toDraft, toolCommand, type Draft } from './automation-draft.ts';

const AUTOMATION: Automation = {
  format: 'deskpilot-automation', version: 3, name: 'invoice', params: [], allowHealing: false,
  steps: [
    { id: 's1', intent: "click 'Save'", action: { type: 'click', x: 10, y: 20, button: 'left' }, evidence: { point: { x: 10, y: 20 }, crop: 'a.png' } },
    { id: 's2', intent: 'type "INV-001"', action: { type: 'type', text: 'INV-001' } },
    { id: 's3', intent: 'press CTRL+S', action: { type: 'keypress', keys: ['CTRL', 'S'] }, chained: true },
    { id: 's4', intent: 'press ENTER', action: { type: 'keypress', keys: 'ENTER' }, chained: true },
  ],
};
const ids = (d: Draft) => d.steps.map((s) => `${s.id}${s.chained ? '+' : ''}`);

describe('automation draft', () => {
  it('drops the version, moves steps and unchains the ones whose neighbour changed', () => {
    const d = toDraft(AUTOMATION);
    expect('version' in d).toBe(false);
    expect(ids(d)).toEqual(['s1', 's2', 's3+', 's4+']);
    expect(ids(moveStep(d, 2, -1))).toEqual(['s1', 's3', 's2', 's4']);
    expect(ids(moveStep(d, 0, 1))).toEqual(['s2', 's1', 's3', 's4+']);
    expect(moveStep(d, 0, -1)).toBe(d);
    expect(moveStep(d, 3, 1)).toBe(d);
  });

  it('deletes a step; a chained step after a deleted group head takes its own screenshot', () => {
    const d = toDraft(AUTOMATION);
    expect(ids(deleteStep(d, 1))).toEqual(['s1', 's3', 's4+']);
    expect(ids(deleteStep(d, 2))).toEqual(['s1', 's2', 's4+']);
    expect(ids(deleteStep(d, 0))).toEqual(['s2', 's3+', 's4+']);
  });

  it('makes a typed text a parameter with the old text as default, and refuses a taken name', () => {
    const d = toDraft(AUTOMATION);
    const r = makeParameter(d, 1, ' invoice ');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.draft.steps[1]).toMatchObject({ action: { type: 'type', text: '{{invoice}}' }, intent: 'type "{{invoice}}"' });
    expect(r.draft.params).toEqual([{ name: 'invoice', default: 'INV-001' }]);
    expect(makeParameter(r.draft, 1, 'invoice')).toEqual({ ok: false, reason: 'taken' });
    expect(makeParameter(d, 0, 'x')).toEqual({ ok: false, reason: 'not-type' });
    expect(makeParameter(d, 1, '  ')).toEqual({ ok: false, reason: 'empty-name' });
  });

  it('keeps a written intent when the action changes, and follows an engine-written one', () => {
    const d = toDraft(AUTOMATION);
    expect(setAction(d, 0, { type: 'click', x: 1, y: 2, button: 'left' }).steps[0]!.intent).toBe("click 'Save'");
    expect(setAction(d, 3, { type: 'keypress', keys: parseKeys('CTRL + Q') }).steps[3]).toMatchObject({ intent: 'press CTRL+Q', action: { keys: ['CTRL', 'Q'] } });
    expect(autoIntent({ type: 'type', text: 'a"b' })).toBe('type "a\\"b"');
    expect(parseKeys('ENTER')).toBe('ENTER');
  });

  it('parses name=text lines, keeping spaces in the text', () => {
    expect(parseParamLines('invoice=INV-001\n\n who = ACME Ltd ')).toEqual({ ok: true, params: { invoice: 'INV-001', who: ' ACME Ltd ' } });
    expect(parseParamLines('oops')).toEqual({ ok: false, line: 'oops' });
    expect(parseParamLines('=x')).toEqual({ ok: false, line: '=x' });
  });
});

describe('tool steps', () => {
  it('reads as "shell: <command>" and its command edits as text, the intent following it', () => {
    const draft: Draft = {
      format: 'deskpilot-automation', name: 'tools', params: [], allowHealing: false,
      steps: [{ id: 's1', intent: 'shell: ls', action: { type: 'tool', name: 'shell', input: { command: 'ls', cwd: '/tmp' } } }],
    };
    expect(toolCommand(draft.steps[0]!.action)).toBe('ls');
    const edited = setAction(draft, 0, { type: 'tool', name: 'shell', input: { command: 'ls -l', cwd: '/tmp' } });
    expect(edited.steps[0]).toMatchObject({ intent: 'shell: ls -l', action: { input: { command: 'ls -l', cwd: '/tmp' } } });
    expect(toolCommand({ type: 'keypress', keys: 'a' })).toBeUndefined();
  });
});

describe('find timeout', () => {
  it('sets a step wait in ms and clears it back to the default', () => {
    const d = toDraft(AUTOMATION);
    const set = setFindTimeout(d, 0, 2500);
    expect(set.steps[0]!.findTimeoutMs).toBe(2500);
    expect('findTimeoutMs' in setFindTimeout(set, 0, undefined).steps[0]!).toBe(false);
  });
});
