// The cost redaction and caps add to each append, for `npm run bench` (printed, never asserted):
// the store's own pass over a typical step's events, against plain JSON.stringify of the same events.
// Run alone with `npx tsx agents/store/redact-bench.ts`.
import { pathToFileURL } from 'node:url';
import { jsonWithCleanStrings, Redactor } from './redact.ts';
import { stepEvents } from './testdata/step-events.ts';
import { capText, EVENT_STRING_MAX } from './text-caps.ts';

export interface RedactionBench {
  /** Median and p95 µs per event of the store's redact-and-cap serialisation. */
  perEventUs: { median: number; p95: number };
  /** Median µs per event of plain JSON.stringify, the cost without redaction. */
  plainUs: number;
  rows: { name: string; value: string }[];
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/** Times `fn` over every event, `rounds` times; µs per event for each round, sorted. */
function perEvent(events: object[], rounds: number, fn: (e: object) => string): number[] {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    for (const e of events) fn(e);
    samples.push(Number(process.hrtime.bigint() - t) / 1000 / events.length);
  }
  return samples.sort((a, b) => a - b);
}

export function benchRedaction({ rounds = 200 } = {}): RedactionBench {
  // Two keys registered, as in an app with a cloud key and a local server's key.
  const redactor = new Redactor(['sk-proj-Qw3rTy7uIoP1aSdF9gHjK2lZxC5vBnM8', 'local-server-key-0123456789']);
  const clean = (s: string) => capText(redactor.redact(s), EVENT_STRING_MAX);
  const events = Array.from({ length: 10 }, (_, i) => stepEvents(i + 1)).flat();
  perEvent(events, 20, (e) => jsonWithCleanStrings(e, clean)); // warm-up: JIT
  perEvent(events, 20, (e) => JSON.stringify(e));
  const cleaned = perEvent(events, rounds, (e) => jsonWithCleanStrings(e, clean));
  const plain = perEvent(events, rounds, (e) => JSON.stringify(e));
  const perEventUs = { median: quantile(cleaned, 0.5), p95: quantile(cleaned, 0.95) };
  const plainUs = quantile(plain, 0.5);
  return {
    perEventUs,
    plainUs,
    rows: [
      { name: 'redaction + caps per event (typical step event, ~300 B)', value: `median ${perEventUs.median.toFixed(1)} µs, p95 ${perEventUs.p95.toFixed(1)} µs` },
      { name: 'plain JSON.stringify per event (baseline)', value: `median ${plainUs.toFixed(1)} µs` },
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { name, value } of benchRedaction().rows) console.log(`${name}: ${value}`);
}
