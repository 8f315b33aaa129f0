// Automations in a real SQLite file (the store's migrations) and their JSON files: versions bump,
// history stays, the file mirrors the current version, delete removes all of it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempStore } from '../store/testdata/temp-store.ts';
import { AUTOMATION_FORMAT } from './automation.ts';
import { AutomationStore } from './automation-store.ts';

const tmp = useTempStore();

const draft = (text: string) => ({
  format: AUTOMATION_FORMAT, name: 'fill form', params: [], allowHealing: false,
  steps: [{ id: 's1', intent: `type ${text}`, action: { type: 'type' as const, text } }],
});

describe('AutomationStore', () => {
  it('saves version 1, then bumps the version and keeps the history', () => {
    const store = tmp.open();
    let t = 1000;
    const automations = new AutomationStore(store.db, join(tmp.dir(), 'automations'), () => t++);
    const v1 = automations.save(draft('one'));
    const v2 = automations.save(draft('two'));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(automations.get('fill form')!.steps[0]!.action).toEqual({ type: 'type', text: 'two' });
    expect(automations.get('fill form', 1)!.steps[0]!.action).toEqual({ type: 'type', text: 'one' });
    expect(automations.get('fill form', 3)).toBeUndefined();
    expect(automations.versions('fill form')).toEqual([{ version: 1, createdAt: 1000 }, { version: 2, createdAt: 1001 }]);
    expect(automations.list()).toEqual([{ name: 'fill form', version: 2, steps: 1, params: [], createdAt: 1000, updatedAt: 1001 }]);

    const file = JSON.parse(readFileSync(join(tmp.dir(), 'automations', 'fill form.json'), 'utf8'));
    expect(file).toEqual(v2);
  });

  it('refuses a bad name or an invalid automation, and writes nothing', () => {
    const store = tmp.open();
    const automations = new AutomationStore(store.db, join(tmp.dir(), 'automations'));
    expect(() => automations.save({ ...draft('x'), name: '../etc' })).toThrow(/not a valid automation name/);
    expect(() => automations.save({ ...draft('x'), steps: [] })).toThrow(/at least one step/);
    expect(automations.list()).toEqual([]);
    expect(existsSync(join(tmp.dir(), 'automations'))).toBe(false);
  });

  it('deletes the automation, its history and its file', () => {
    const store = tmp.open();
    const automations = new AutomationStore(store.db, join(tmp.dir(), 'automations'));
    automations.save(draft('a'));
    automations.save(draft('b'));
    expect(automations.delete('fill form')).toBe(true);
    expect(automations.get('fill form')).toBeUndefined();
    expect(automations.versions('fill form')).toEqual([]);
    expect(existsSync(automations.filePath('fill form'))).toBe(false);
    expect(automations.delete('fill form')).toBe(false);
    // A new automation of the same name starts over.
    expect(automations.save(draft('c')).version).toBe(1);
  });

  it('is visible to a second connection (the CLI and the app share the file)', () => {
    const a = new AutomationStore(tmp.open().db, join(tmp.dir(), 'automations'));
    a.save(draft('shared'));
    const b = new AutomationStore(tmp.open().db, join(tmp.dir(), 'automations'));
    expect(b.get('fill form')!.version).toBe(1);
  });
});
