// OSWorld's `rule_relativeTime` getter: expected values that depend on today's date ("tomorrow",
// "next Monday" to "next Friday", "5th next month"), filled into the task's templates ({DoW},
// {Month}, {Day0D}...). Today is the sandbox's local date, or the date in the rules' `timezone`, as
// OSWorld takes the VM's clock and converts it. Pure: the caller passes the clock.
import { z } from 'zod';

export const relativeTimeRulesSchema = z.looseObject({
  relativeTime: z.looseObject({ from: z.string().min(1), to: z.string().min(1).optional() }),
  expected: z.record(z.string(), z.unknown()),
  timezone: z.string().min(1).optional(),
});

export type RelativeTimeRules = z.infer<typeof relativeTimeRulesSchema>;

/** A calendar day; `weekday` counts from Monday = 0, as Python's `date.weekday()`. */
export interface Day {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

const fromUtc = (t: number): Day => {
  const d = new Date(t);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: (d.getUTCDay() + 6) % 7 };
};

/** The day `year-month-day` (month 1..12). */
export const dayOf = (year: number, month: number, day: number): Day => fromUtc(Date.UTC(year, month - 1, day));

const plus = (d: Day, days: number): Day => fromUtc(Date.UTC(d.year, d.month - 1, d.day + days));

const dateFormat = (timeZone: string | undefined): Intl.DateTimeFormat | undefined => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
  } catch {
    return undefined;
  }
};

/** The date at instant `now` in the first of `zones` that is a known IANA name, else in the process's own zone. */
export function dayAt(now: Date, ...zones: (string | undefined)[]): Day {
  // OSWorld keeps the VM's own time when the task's timezone is unknown.
  const format = zones.map(dateFormat).find((f, i) => f && zones[i]) ?? dateFormat(undefined)!;
  const part = (type: string) => Number(format.formatToParts(now).find((p) => p.type === type)!.value);
  return dayOf(part('year'), part('month'), part('day'));
}

/** The N-th of next month. */
const ofNextMonth = (today: Day, n: number): Day => (today.month === 12 ? dayOf(today.year + 1, 1, n) : dayOf(today.year, today.month + 1, n));

/** The first Monday of the month `months` ahead; the year rolls over as OSWorld rolls it (from September for 4, May for 8). */
function firstMondayLater(today: Day, months: 4 | 8): Day {
  const year = today.month >= 13 - months ? today.year + 1 : today.year;
  const first = dayOf(year, ((today.month + months - 1) % 12) + 1, 1);
  return plus(first, (7 - first.weekday) % 7);
}

/** Days to the coming Monday (a week ahead on a Monday). */
const toNextMonday = (t: Day) => 7 - t.weekday;

/** Each phrase's day, counted from today as OSWorld counts it. Friday and Saturday "next" mean this weekend until it starts. */
const PHRASES: Record<string, (today: Day) => Day> = {
  tomorrow: (t) => plus(t, 1),
  '5th next month': (t) => ofNextMonth(t, 5),
  '10th next month': (t) => ofNextMonth(t, 10),
  '11th next month': (t) => ofNextMonth(t, 11),
  'this month': (t) => t,
  'this Saturday': (t) => plus(t, 5 - t.weekday),
  'this Sunday': (t) => plus(t, 6 - t.weekday),
  'next Monday': (t) => plus(t, toNextMonday(t)),
  'next Monday split': (t) => plus(t, toNextMonday(t)),
  'week after next Monday split': (t) => plus(t, toNextMonday(t) + 7),
  'next Friday': (t) => plus(t, t.weekday < 4 ? 4 - t.weekday : toNextMonday(t) + 4),
  'next Friday split': (t) => PHRASES['next Friday']!(t),
  // OSWorld counts this one like "next Friday" unless it follows a Monday.
  'week after next Friday split': (t) => PHRASES['next Friday']!(t),
  'next Saturday': (t) => plus(t, t.weekday < 5 ? 5 - t.weekday : toNextMonday(t) + 5),
  'next Sunday': (t) => plus(t, t.weekday < 6 ? 6 - t.weekday : 7),
  'next week Friday': (t) => plus(t, toNextMonday(t) + 4),
  'next week Saturday': (t) => plus(t, toNextMonday(t) + 5),
  'next week Sunday': (t) => plus(t, toNextMonday(t) + 6),
  'week after next Friday': (t) => plus(t, toNextMonday(t) + 11),
  'week after next Saturday': (t) => plus(t, toNextMonday(t) + 12),
  'week after next Sunday': (t) => plus(t, toNextMonday(t) + 13),
  'first monday four months later': (t) => firstMondayLater(t, 4),
  'first monday eight months later': (t) => firstMondayLater(t, 8),
};

export const RELATIVE_PHRASES: readonly string[] = Object.keys(PHRASES);

const MONDAYS = new Set(['next Monday', 'next Monday split', 'week after next Monday split']);
const FRIDAYS = new Set(['next Friday', 'next Friday split', 'week after next Friday split']);

/** The `to` day of a range: a Friday after a Monday is that week's, a Sunday after a Friday or Saturday that weekend's. */
function toDay(to: string, from: string, fromDay: Day, today: Day): Day {
  if (FRIDAYS.has(to) && MONDAYS.has(from)) return plus(fromDay, 4);
  const sameWeekend = (to === 'next Sunday' && ['next Friday', 'next Saturday'].includes(from))
    || (to === 'next week Sunday' && ['next week Friday', 'next week Saturday'].includes(from))
    || (to === 'week after next Sunday' && ['week after next Friday', 'week after next Saturday'].includes(from));
  return sameWeekend ? plus(fromDay, 6 - fromDay.weekday) : PHRASES[to]!(today);
}

const DOW = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const two = (n: number) => String(n).padStart(2, '0');

/** A template with the day's parts filled in; like OSWorld, only the first of each placeholder is replaced. */
export function formatDay(template: string, d: Day): string {
  const parts: [string, string][] = [
    ['{DoW}', DOW[d.weekday]!], ['{Month}', MONTHS[d.month - 1]!.slice(0, 3)], ['{DayD}', String(d.day)], ['{Year}', String(d.year)],
    ['{Month0D}', two(d.month)], ['{month}', MONTHS[d.month - 1]!.toLowerCase()], ['{MonthFull}', MONTHS[d.month - 1]!], ['{Day0D}', two(d.day)],
    ['{MonthD}', String(d.month)],
  ];
  return parts.reduce((s, [key, value]) => s.replace(key, () => value), template);
}

const SPLIT_FROM = new Set(['next Monday split', 'week after next Monday split']);
const SPLIT_TO = new Set(['next Friday split', 'week after next Friday split']);
const isText = (v: unknown) => typeof v === 'string';

/** The `expected` keys a range or single day fills: `time`; `from`/`to`; or the split pick-up and drop-off parts. */
function filledKeys(rules: RelativeTimeRules): { from: string[]; to: string[] } {
  const { from, to } = rules.relativeTime;
  if (to === undefined) return { from: ['time'], to: [] };
  return { from: SPLIT_FROM.has(from) ? ['puDay', 'puMonth', 'puYear'] : ['from'], to: SPLIT_TO.has(to) ? ['doDay', 'doMonth', 'doYear'] : ['to'] };
}

/** What is wrong with the rules' templates (a key the phrases fill that is missing or not text), if anything. */
export function relativeTimeProblem(rules: RelativeTimeRules): string | undefined {
  const { from, to } = filledKeys(rules);
  const bad = [...from, ...to].filter((k) => {
    const v = rules.expected[k];
    return k === 'time' ? !(isText(v) || (Array.isArray(v) && v.every(isText))) : !isText(v);
  });
  return bad.length ? `rules.expected needs ${bad.map((k) => `"${k}"`).join(', ')} as text (the template${bad.length > 1 ? 's' : ''} the relative time fills)` : undefined;
}

/** The phrases of the rules that we do not know how to count. */
export const unknownPhrases = (rules: RelativeTimeRules): string[] =>
  [rules.relativeTime.from, rules.relativeTime.to].filter((p): p is string => p !== undefined && !(p in PHRASES));

/**
 * The rules with `expected` filled for the day at `now` (in the rules' timezone, else `localZone`),
 * as OSWorld's getter returns them; the task's own rules are left untouched.
 */
export function resolveRelativeTime(rules: RelativeTimeRules, now: Date, localZone?: string): RelativeTimeRules {
  const unknown = unknownPhrases(rules);
  if (unknown.length) throw new Error(`relative time ${unknown.map((p) => `"${p}"`).join(', ')} is not one OSWorld defines`);
  const problem = relativeTimeProblem(rules);
  if (problem) throw new Error(problem);
  const today = dayAt(now, rules.timezone, localZone);
  const { from, to } = rules.relativeTime;
  const fromDay = PHRASES[from]!(today);
  const keys = filledKeys(rules);
  const expected: Record<string, unknown> = { ...rules.expected };
  const fill = (key: string, d: Day) => {
    const v = expected[key];
    expected[key] = Array.isArray(v) ? v.map((t) => formatDay(t as string, d)) : formatDay(v as string, d);
  };
  for (const k of keys.from) fill(k, fromDay);
  if (to !== undefined) {
    const day = toDay(to, from, fromDay, today);
    for (const k of keys.to) fill(k, day);
  }
  return { ...rules, relativeTime: { ...rules.relativeTime }, expected };
}
