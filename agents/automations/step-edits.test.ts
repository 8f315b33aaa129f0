import { describe, expect, it } from 'vitest';
import { AUTOMATION_FORMAT, AutomationError, parseAutomation } from './automation.ts';
import { applyEdit, type Draft } from './step-edits.ts';

const draft: Draft = {
  format: AUTOMATION_FORMAT,
  name: 'demo',
  params: [],
  allowHealing: false,
  steps: [
    { id: 's1', intent: 'click at (10, 10)', action: { type: 'click', x: 10, y: 10, button: 'left' }, evidence: { point: { x: 10, y: 10 } } },
    { id: 's2', intent: 'type "INV-7 for INV-7"', action: { type: 'type', text: 'INV-7 for INV-7' } },
    { id: 's3', intent: 'press ctrl+s', action: { type: 'keypress', keys: ['ctrl', 's'] }, chained: true },
  ],
};

const edited = (line: string, from = draft): Draft => {
  const r = applyEdit(from, line);
  if (!('draft' in r)) throw new Error(`expected a draft from ${line}`);
  parseAutomation({ ...r.draft, version: 1 }); // every edit leaves a valid automation
  return r.draft;
};

describe('applyEdit', () => {
  it('deletes and renumbers', () => {
    expect(edited('d 1').steps.map((s) => [s.id, s.action.type])).toEqual([['s1', 'type'], ['s2', 'keypress']]);
  });

  it('gives a step its own screenshot when the step it was chained to is deleted or moved away', () => {
    expect(edited('d 2').steps.map((s) => s.chained)).toEqual([undefined, undefined]);
    expect(edited('m 2 1').steps.map((s) => [s.action.type, s.chained])).toEqual([['type', undefined], ['click', undefined], ['keypress', undefined]]);
    const chainedLater = { ...draft, steps: [draft.steps[0]!, { ...draft.steps[1]!, chained: true }, draft.steps[2]!] };
    expect(edited('d 1', chainedLater).steps[0]!.chained).toBeUndefined();
  });

  it('moves a step and unchains it', () => {
    const d = edited('m 3 1');
    expect(d.steps.map((s) => s.action.type)).toEqual(['keypress', 'click', 'type']);
    expect(d.steps[0]!.chained).toBeUndefined();
  });

  it('parameterizes every occurrence, with the text as default', () => {
    const d = edited('p invoice=INV-7');
    expect(d.steps[1]!.action).toEqual({ type: 'type', text: '{{invoice}} for {{invoice}}' });
    expect(d.params).toEqual([{ name: 'invoice', default: 'INV-7' }]);
    expect(() => applyEdit(d, 'p invoice=for')).toThrow(/already a parameter/);
    expect(() => applyEdit(draft, 'p other=never typed')).toThrow(/never typed/);
  });

  it('sets typed text (with \\n escapes) and replaces an action, dropping the old evidence', () => {
    expect(edited('t 2 hello\\nworld').steps[1]!.action).toEqual({ type: 'type', text: 'hello\nworld' });
    const d = edited('a 1 {"type":"double_click","x":40,"y":50}');
    expect(d.steps[0]).toEqual({ id: 's1', intent: 'double-click at (40, 50)', action: { type: 'double_click', x: 40, y: 50 } });
  });

  it('explains mistakes and changes nothing', () => {
    for (const [line, why] of [['d 0', /no step 0/], ['m 1 9', /no step 9/], ['t 1 x', /does not type text/], ['a 1 {nope', /not valid JSON/], ['a 1 {"type":"fly"}', /not an action/], ['x', /unknown command/], ['p =x', /NAME=TEXT/]] as const) {
      expect(() => applyEdit(draft, line)).toThrow(AutomationError);
      expect(() => applyEdit(draft, line)).toThrow(why);
    }
    const one = edited('d 1', edited('d 1'));
    expect(() => applyEdit(one, 'd 1')).toThrow(/at least one step/);
    expect(draft.steps).toHaveLength(3);
  });

  it('says save and quit', () => {
    expect(applyEdit(draft, 's')).toEqual({ save: true });
    expect(applyEdit(draft, ' q ')).toEqual({ quit: true });
  });
});
