// The automation format: its schema, names, and parameters ({{name}} in typed text).
import { describe, expect, it } from 'vitest';
import { AUTOMATION_FORMAT, AutomationError, assertName, parameterize, parseAutomation, placeholders, resolveParams, substitute, type Automation, type Step } from './automation.ts';

const steps: Step[] = [
  { id: 's1', intent: "click 'Invoice'", action: { type: 'click', x: 10, y: 20, button: 'left' }, evidence: { point: { x: 10, y: 20 }, crop: 'sha256-' + 'a'.repeat(64) + '.png', cropOffset: { x: 48, y: 24 }, text: 'Invoice', textOffset: { x: -3, y: 1 } } },
  { id: 's2', intent: 'type', action: { type: 'type', text: 'INV-001 for ACME, INV-001 again' } },
  { id: 's3', intent: 'press ctrl+s', action: { type: 'keypress', keys: ['CTRL', 'S'] }, chained: true },
];

const base = (over: Partial<Automation> = {}): Automation => ({ format: AUTOMATION_FORMAT, version: 1, name: 'send invoice', params: [], allowHealing: false, steps, ...over });

describe('automation schema', () => {
  it('parses its own JSON back', () => {
    const a = base();
    expect(parseAutomation(JSON.stringify(a))).toEqual(a);
  });

  it('names the field at fault', () => {
    expect(() => parseAutomation({ ...base(), steps: [{ id: 's1', intent: 'x', action: { type: 'click', x: -1, y: 0 } }] })).toThrow(/steps\.0\.action\.x/);
    expect(() => parseAutomation({ ...base(), format: 'other' })).toThrow(/format/);
    expect(() => parseAutomation('{oops')).toThrow(/not valid JSON/);
    expect(() => parseAutomation({ ...base(), steps: [] })).toThrow(/at least one step/);
  });

  it('checks an evaluator as OSWorld does', () => {
    const evaluator = { func: 'compare_text_file', result: { type: 'vm_file', path: '~/a.txt' }, expected: { type: 'cloud_file', path: 'a.txt' } };
    expect(parseAutomation({ ...base(), evaluator }).evaluator).toEqual(evaluator);
    expect(() => parseAutomation({ ...base(), evaluator: { result: {} } })).toThrow(/evaluator/);
  });

  it('accepts names of lowercase words, digits, "-", "_" and spaces', () => {
    for (const ok of ['a', 'send invoice', 'daily-report_2', '9lives', 'x'.repeat(64)]) expect(assertName(ok)).toBe(ok);
    for (const bad of ['', ' lead', '-x', 'Caps', 'a/b', '../up', 'x'.repeat(65), 'dot.json']) expect(() => assertName(bad), bad).toThrow(AutomationError);
  });
});

describe('parameters', () => {
  it('turns every occurrence of a typed value into {{name}}, longest value first', () => {
    const out = parameterize(steps, { client: 'ACME', invoice: 'INV-001' });
    expect(out[1]!.action).toEqual({ type: 'type', text: '{{invoice}} for {{client}}, {{invoice}} again' });
    expect(out[1]!.intent).toBe('type "{{invoice}} for {{client}}, {{invoice}} again"');
    expect(out[0]).toEqual(steps[0]);
  });

  it('refuses a value the run never typed, an empty value and a bad name', () => {
    expect(() => parameterize(steps, { invoice: 'INV-999' })).toThrow(/never typed "INV-999" \(for invoice\)/);
    expect(() => parameterize(steps, { invoice: '' })).toThrow(/empty value/);
    expect(() => parameterize(steps, { invoice: 'INV-001', prefix: 'INV' })).toThrow(`"INV" (for prefix) only inside invoice's value "INV-001"`);
    expect(() => parameterize(steps, { '9x': 'ACME' })).toThrow(/not a valid parameter name/);
  });

  it('needs every placeholder declared', () => {
    const s = parameterize(steps, { invoice: 'INV-001' });
    expect(placeholders({ steps: s })).toEqual(new Set(['invoice']));
    expect(() => parseAutomation({ ...base(), steps: s })).toThrow(/\{\{invoice\}\} but params does not declare it/);
    expect(parseAutomation({ ...base(), steps: s, params: [{ name: 'invoice' }] }).params).toEqual([{ name: 'invoice' }]);
  });

  it('resolves values before a run: given, else default; missing and unknown ones are errors', () => {
    const a = base({ params: [{ name: 'invoice' }, { name: 'client', default: 'ACME' }] });
    expect(resolveParams(a, { invoice: 'INV-7' })).toEqual({ invoice: 'INV-7', client: 'ACME' });
    expect(() => resolveParams(a, {})).toThrow('automation "send invoice" needs --param invoice=VALUE');
    expect(() => resolveParams(a, { invoice: 'x', colour: 'red' })).toThrow(/no parameter "colour" \(its parameters: invoice, client\)/);
  });

  it('substitutes values, spaces inside the braces allowed', () => {
    expect(substitute('{{ invoice }} / {{client}} / {not}', { invoice: 'A', client: 'B' })).toBe('A / B / {not}');
    expect(() => substitute('{{x}}', {})).toThrow(/no value for \{\{x\}\}/);
  });
});
