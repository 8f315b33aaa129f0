// Policy check time per action over the corpus, for `npm run bench` (printed, never asserted).
// Each corpus case is one action judged by a PolicySession after its earlier actions were performed;
// only the judging is timed. Run alone with `npx tsx agents/run/policy-bench.ts`.
import { pathToFileURL } from 'node:url';
import type { AgentAction } from '../models/planner.ts';
import { type CorpusInput, FLAGGED, HARMLESS } from './policy-corpus.ts';
import { PolicySession } from './policy.ts';

export interface PolicyBench {
  /** Median and p95 over the corpus of each case's median µs per check. */
  medianUs: number;
  p95Us: number;
  /** The slowest case's median µs, and which case it is. */
  maxUs: number;
  slowest: string;
  cases: number;
  rows: { name: string; value: string }[];
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

function actionsOf(input: CorpusInput): AgentAction[] {
  return typeof input === 'string' ? [{ type: 'type', text: input }] : Array.isArray(input) ? input : [input];
}

export function benchPolicy({ rounds = 50 } = {}): PolicyBench {
  const corpus = [...FLAGGED, ...HARMLESS].map(([input]) => actionsOf(input));
  const perCase = corpus.map(() => [] as number[]);
  for (let r = 0; r < rounds + 5; r++) {
    corpus.forEach((actions, i) => {
      const session = new PolicySession();
      for (const a of actions.slice(0, -1)) session.performed(a);
      const proposed = { action: actions.at(-1)! };
      const t = process.hrtime.bigint();
      session.assess(proposed);
      const us = Number(process.hrtime.bigint() - t) / 1000;
      if (r >= 5) perCase[i]!.push(us); // the first rounds warm the JIT up
    });
  }
  const medians = perCase.map((s) => quantile(s.sort((a, b) => a - b), 0.5));
  const sorted = [...medians].sort((a, b) => a - b);
  const medianUs = quantile(sorted, 0.5);
  const p95Us = quantile(sorted, 0.95);
  const maxUs = sorted.at(-1)!;
  const slowest = JSON.stringify(corpus[medians.indexOf(maxUs)]).slice(0, 80);
  return {
    medianUs, p95Us, maxUs, slowest, cases: corpus.length,
    rows: [
      { name: `policy check per action (${corpus.length} corpus cases)`, value: `median ${medianUs.toFixed(1)} µs, p95 ${p95Us.toFixed(1)} µs` },
      { name: 'slowest corpus case', value: `${maxUs.toFixed(1)} µs: ${slowest}` },
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { name, value } of benchPolicy().rows) console.log(`${name}: ${value}`);
}
