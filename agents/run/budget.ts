// Budgets: tokens and cost per run, per thread and per day, checked after every model reply. At a
// limit the run asks the operator (raise or stop) or stops, as the options say.
import type { Budgets, RunEvent } from './events.ts';

export type BudgetScope = 'run' | 'thread' | 'day';
export type BudgetMeasure = 'tokens' | 'cost';

export interface BudgetHit {
  scope: BudgetScope;
  measure: BudgetMeasure;
  used: number;
  limit: number;
}

export interface UsageTotals {
  tokens: number;
  costUsd: number;
}

/** What the tracker needs from the store: the usage already logged by a thread's runs, or since a time. */
export interface UsageSource {
  usageTotals(filter: { threadId?: string; since?: number }): UsageTotals;
}

const KEYS: Record<BudgetScope, Record<BudgetMeasure, keyof Budgets>> = {
  run: { tokens: 'runTokens', cost: 'runCostUsd' },
  thread: { tokens: 'threadTokens', cost: 'threadCostUsd' },
  day: { tokens: 'dayTokens', cost: 'dayCostUsd' },
};

/** Local midnight of the day `now` falls in: a day's budget is the user's calendar day. */
export function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export class BudgetTracker {
  /** Limits as raised by the operator during this run. */
  private readonly limits: Partial<Record<keyof Budgets, number>> = {};

  constructor(
    readonly budgets: Budgets,
    private readonly source: UsageSource,
    private readonly threadId: string,
    private readonly now: () => number = Date.now,
  ) {
    for (const [k, v] of Object.entries(budgets)) if (typeof v === 'number') this.limits[k as keyof Budgets] = v;
  }

  get any(): boolean {
    return Object.keys(this.limits).length > 0;
  }

  /** The first limit reached (run, then thread, then day), given this run's own totals so far. */
  check(run: UsageTotals): BudgetHit | undefined {
    const totals: Record<BudgetScope, () => UsageTotals> = {
      run: () => run,
      // The log already holds this run's replies: the thread and the day include them.
      thread: () => this.source.usageTotals({ threadId: this.threadId }),
      day: () => this.source.usageTotals({ since: startOfDay(this.now()) }),
    };
    for (const scope of ['run', 'thread', 'day'] as const) {
      const tokenLimit = this.limits[KEYS[scope].tokens];
      const costLimit = this.limits[KEYS[scope].cost];
      if (tokenLimit === undefined && costLimit === undefined) continue;
      const used = totals[scope]();
      if (tokenLimit !== undefined && used.tokens >= tokenLimit) return { scope, measure: 'tokens', used: used.tokens, limit: tokenLimit };
      if (costLimit !== undefined && used.costUsd >= costLimit) return { scope, measure: 'cost', used: used.costUsd, limit: costLimit };
    }
    return undefined;
  }

  /** The operator allowed more: the new limit, or as much again as the old one. */
  raise(hit: BudgetHit, to?: number): number {
    const next = to !== undefined && to > hit.used ? to : hit.used + (this.budgets[KEYS[hit.scope][hit.measure]] as number);
    this.limits[KEYS[hit.scope][hit.measure]] = next;
    return next;
  }
}

export const describeHit = (h: BudgetHit): string =>
  `the ${h.scope === 'run' ? "run's" : h.scope === 'thread' ? "thread's" : "day's"} ${h.measure === 'tokens' ? 'token' : 'cost'} budget is reached: ` +
  (h.measure === 'tokens' ? `${Math.round(h.used).toLocaleString('en')} of ${h.limit.toLocaleString('en')} tokens used` : `$${h.used.toFixed(4)} of $${h.limit.toFixed(2)} spent`);

export const budgetQuestion = (h: BudgetHit): string =>
  `${describeHit(h)[0]!.toUpperCase()}${describeHit(h).slice(1)}. Answer "raise" to allow as much again (or give a new limit, e.g. "raise 50000"), or "stop" to end the run.`;

/** The operator's answer: stop, or raise (to a number when one is given). */
export function readBudgetAnswer(answer: string): { stop: true } | { stop: false; to?: number } {
  const text = answer.trim().toLowerCase();
  if (!/\b(raise|more|continue|go on|yes|ok)\b/.test(text) && !/\d/.test(text)) return { stop: true };
  const n = /(\d[\d,_]*(?:\.\d+)?)/.exec(text)?.[1];
  return n ? { stop: false, to: Number(n.replace(/[,_]/g, '')) } : { stop: false };
}

export const budgetEvent = (step: number, h: BudgetHit, atLimit: 'ask' | 'stop'): RunEvent => ({ type: 'budget_reached', step, ...h, atLimit });
