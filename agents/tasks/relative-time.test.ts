// rule_relativeTime on fixed clocks, with the rules of OSWorld's own Chrome tasks (ids below), and
// the getter through the evaluator with the system clock pinned.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VirtualDisplay } from '../desktop/display.ts';
import { evaluate } from './evaluator.ts';
import { dayAt, dayOf, formatDay, relativeTimeProblem, resolveRelativeTime, type RelativeTimeRules } from './relative-time.ts';
import type { TaskSandbox } from './sandbox.ts';
import { unsupportedParts } from './task-support.ts';
import { parseTask, TaskFormatError } from './task-schema.ts';

const at = (iso: string) => new Date(iso);
const expectedAt = (rules: RelativeTimeRules, iso: string, zone = 'UTC') => resolveRelativeTime(rules, at(iso), zone).expected;

describe('the relative days of OSWorld tasks', () => {
  it('fc6d8143 (Delta, tomorrow): the next day, across a year end', () => {
    const rules = { relativeTime: { from: 'tomorrow' }, expected: { start: 'JFK', end: 'ORD', time: '{DoW}, {Month} {Day0D}, {Year}' } };
    expect(expectedAt(rules, '2024-03-14T10:00:00Z')).toEqual({ start: 'JFK', end: 'ORD', time: 'Fri, Mar 15, 2024' });
    expect(expectedAt(rules, '2024-12-31T10:00:00Z')).toEqual({ start: 'JFK', end: 'ORD', time: 'Wed, Jan 01, 2025' });
  });

  it('6c4c23a1 (Delta miles, 5th next month): December rolls into January', () => {
    const rules = { relativeTime: { from: '5th next month' }, expected: { category: 'Miles', end: 'NYC', start: 'SEA', time: '{DoW}, {Month} {Day0D}, {Year}' } };
    expect(expectedAt(rules, '2024-03-14T10:00:00Z')['time']).toBe('Fri, Apr 05, 2024');
    expect(expectedAt(rules, '2024-12-20T10:00:00Z')['time']).toBe('Sun, Jan 05, 2025');
  });

  it('82bc8d6a (Qatar, next Monday): a list of templates, a week ahead on a Monday, other keys kept', () => {
    const rules = { expect_in_result: true, relativeTime: { from: 'next Monday' }, expected: { fromStation: ['BOM'], time: ['{Year}-{Month0D}-{Day0D}'], toStation: ['STO', 'ARN'] } };
    const resolved = resolveRelativeTime(rules, at('2024-03-14T10:00:00Z'), 'UTC');
    expect(resolved).toEqual({ ...rules, expected: { ...rules.expected, time: ['2024-03-18'] } });
    expect(expectedAt(rules, '2024-03-18T10:00:00Z')['time']).toEqual(['2024-03-25']);
    // The task's own rules keep their templates for the next evaluation.
    expect(rules.expected.time).toEqual(['{Year}-{Month0D}-{Day0D}']);
  });

  it('1704f00f (rentalcars, next Monday to next Friday): the Friday of that Monday\'s week, not this week\'s', () => {
    const rules = { relativeTime: { from: 'next Monday', to: 'next Friday' }, expected: { from: '{DoW}, {DayD} {Month} {Year}, 10:00', to: '{DoW}, {DayD} {Month} {Year}, 10:00' } };
    expect(expectedAt(rules, '2024-03-14T10:00:00Z')).toEqual({ from: 'Mon, 18 Mar 2024, 10:00', to: 'Fri, 22 Mar 2024, 10:00' });
  });

  it('1704f00f, later version (split parts in Europe/Zurich): the day is Zurich\'s, not the machine\'s', () => {
    const rules = {
      relativeTime: { from: 'next Monday split', to: 'next Friday split' }, timezone: 'Europe/Zurich',
      expected: { doDay: '{DayD}', doMonth: '{MonthD}', doYear: '{Year}', puDay: '{DayD}', puMonth: '{MonthD}', puYear: '{Year}' },
    };
    // Sunday 23:30 in UTC is already Monday 00:30 in Zurich: next Monday is a week later.
    expect(expectedAt(rules, '2024-03-17T23:30:00Z')).toEqual({ puDay: '25', puMonth: '3', puYear: '2024', doDay: '29', doMonth: '3', doYear: '2024' });
    expect(expectedAt({ ...rules, timezone: undefined }, '2024-03-17T23:30:00Z')).toEqual({ puDay: '18', puMonth: '3', puYear: '2024', doDay: '22', doMonth: '3', doYear: '2024' });
  });

  it('da46d875 (MBTA, first Monday eight months later): the year rolls from May, and December is a month', () => {
    const rules = { relativeTime: { from: 'first monday eight months later' }, expected: { content: 'Apply for Transportation Access Pass (TAP) CharlieCard non-auto approval', time: '{MonthFull} {Day0D}, 10:15 AM' } };
    expect(expectedAt(rules, '2024-03-14T10:00:00Z')['time']).toBe('November 04, 10:15 AM');
    expect(expectedAt(rules, '2024-04-10T10:00:00Z')['time']).toBe('December 02, 10:15 AM');
    expect(expectedAt(rules, '2024-05-02T10:00:00Z')['time']).toBe('January 06, 10:15 AM');
  });

  it('Tripadvisor (next week Friday to next week Sunday, America/New_York): the weekend after the coming Monday', () => {
    const rules = {
      relativeTime: { from: 'next week Friday', to: 'next week Sunday' }, timezone: 'America/New_York',
      expected: { adult: 'Rooms/Guests1 Room, 2 Guests', from: 'Check In{DoW}, {Month} {Day0D}', to: 'Check Out{DoW}, {Month} {Day0D}' },
    };
    // Monday 02:00 UTC is still Sunday evening in New York.
    expect(expectedAt(rules, '2024-03-18T02:00:00Z')).toMatchObject({ from: 'Check InFri, Mar 22', to: 'Check OutSun, Mar 24' });
    expect(expectedAt({ ...rules, timezone: 'Not/AZone' }, '2024-03-18T02:00:00Z', 'UTC')).toMatchObject({ from: 'Check InFri, Mar 29', to: 'Check OutSun, Mar 31' });
  });

  it('AccuWeather (this month): the month\'s name in lower case', () => {
    expect(expectedAt({ relativeTime: { from: 'this month' }, expected: { time: '{month}-weather' } }, '2024-03-14T10:00:00Z')).toEqual({ time: 'march-weather' });
  });

  it('next Friday to next Sunday is one weekend: this one until Friday, then the next', () => {
    const rules = { relativeTime: { from: 'next Friday', to: 'next Sunday' }, expected: { from: '{Year}-{Month0D}-{Day0D}', to: '{Year}-{Month0D}-{Day0D}' } };
    expect(expectedAt(rules, '2024-03-14T10:00:00Z')).toEqual({ from: '2024-03-15', to: '2024-03-17' });
    expect(expectedAt(rules, '2024-03-15T10:00:00Z')).toEqual({ from: '2024-03-22', to: '2024-03-24' });
    expect(expectedAt(rules, '2024-03-16T10:00:00Z')).toEqual({ from: '2024-03-22', to: '2024-03-24' });
  });
});

describe('templates and rules', () => {
  it('replaces only the first of each placeholder, as OSWorld does', () => {
    expect(formatDay('{Year}/{Year} {DoW} {Day0D}.{Month0D} {MonthD}/{DayD} $&', dayOf(2024, 3, 5))).toBe('2024/{Year} Tue 05.03 3/5 $&');
  });

  it('takes the date in the zone asked for, else the first known one', () => {
    expect(dayAt(at('2024-03-17T23:30:00Z'), 'Europe/Zurich')).toEqual({ year: 2024, month: 3, day: 18, weekday: 0 });
    expect(dayAt(at('2024-03-17T23:30:00Z'), 'Nowhere/Else', 'UTC')).toEqual({ year: 2024, month: 3, day: 17, weekday: 6 });
  });

  it('names a missing template and refuses an unknown phrase', () => {
    expect(relativeTimeProblem({ relativeTime: { from: 'next Monday split', to: 'next Friday' }, expected: { puDay: '{DayD}', to: 3 } })).toBe('rules.expected needs "puMonth", "puYear", "to" as text (the templates the relative time fills)');
    expect(() => resolveRelativeTime({ relativeTime: { from: 'in a fortnight' }, expected: { time: '{DayD}' } }, at('2024-03-14T10:00:00Z'))).toThrow('"in a fortnight" is not one OSWorld defines');
  });

  it('is checked when the task loads: bad templates fail, unknown phrases are unsupported', () => {
    const task = (rules: unknown) => parseTask({ id: 't', instruction: 'x', evaluator: { func: 'check_direct_json_object', result: { type: 'rule', rules: {} }, expected: { type: 'rule_relativeTime', rules } } });
    expect(() => task({ relativeTime: { from: 'tomorrow' }, expected: { date: '{DayD}' } })).toThrow(TaskFormatError);
    expect(unsupportedParts(task({ relativeTime: { from: 'tomorrow' }, expected: { time: '{DayD}' } }))).toEqual([]);
    expect(unsupportedParts(task({ relativeTime: { from: 'in a fortnight' }, expected: { time: '{DayD}' } }))).toEqual(['getter "rule_relativeTime" with "in a fortnight" (not a relative time OSWorld defines)']);
  });
});

describe('the getter in an evaluation', () => {
  afterEach(() => vi.useRealTimers());

  it('scores an answer for the pinned day 1 and yesterday\'s date 0', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at('2024-03-14T10:00:00Z'));
    const sandbox = { display: { env: { HOME: '/nonexistent', TZ: 'UTC' } } as unknown as VirtualDisplay, taskDir: '.', warnings: [] } satisfies TaskSandbox;
    const task = (answer: string) => parseTask({
      id: 't', instruction: 'x',
      evaluator: { func: 'check_direct_json_object', result: { type: 'rule', rules: { time: answer } }, expected: { type: 'rule_relativeTime', rules: { relativeTime: { from: 'tomorrow' }, expected: { time: '{DoW}, {Month} {Day0D}, {Year}' } } } },
    });
    const signal = new AbortController().signal;
    expect((await evaluate(task('Fri, Mar 15, 2024'), sandbox, { status: 'done' }, signal)).score).toBe(1);
    expect((await evaluate(task('Thu, Mar 14, 2024'), sandbox, { status: 'done' }, signal)).score).toBe(0);
  });
});
