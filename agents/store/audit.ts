// The audit trail: each run's events are hash-chained, so changing, removing or reordering one
// shows. An event's hash covers its run, seq, type, time, the stored (already redacted) JSON text
// and the hash before it; the first event of a run has no previous hash.
import { createHash } from 'node:crypto';

/** One event as the chain sees it: exactly what the database holds. */
export interface ChainRow {
  seq: number;
  type: string;
  at: number;
  data: string;
  prevHash: string | null;
  hash: string | null;
}

/** sha256 (hex) of a canonical JSON array of the event's fields and the previous hash. */
export function eventHash(runId: string, seq: number, type: string, at: number, data: string, prevHash: string | null): string {
  return createHash('sha256').update(JSON.stringify([runId, seq, type, at, data, prevHash])).digest('hex');
}

export type ChainVerdict =
  /** Every event is chained and every link holds; `head` is the last hash (compare it with an export's). */
  | { status: 'intact'; events: number; head: string | null; unchainedBefore?: number }
  /** Written before Deskpilot chained events: nothing to check. */
  | { status: 'not_chained'; events: number }
  /** `seq` is the first event found wrong, `problem` says how. */
  | { status: 'broken'; events: number; seq: number; problem: string };

const TERMINAL = new Set(['run_finished', 'run_failed', 'run_aborted', 'run_interrupted']);

/**
 * Checks a run's chain. Events written before the upgrade (no hash) may only come first; the first
 * chained one then starts afresh. `ended`: the run's row says it ended, so its log must end with a
 * final event (a cut-off tail shows even though the rest of the chain holds).
 */
export function verifyChain(runId: string, rows: readonly ChainRow[], ended = false): ChainVerdict {
  const events = rows.length;
  if (events === 0) return ended ? { status: 'broken', events, seq: 1, problem: 'the run ended but its log is empty: its events were removed' } : { status: 'intact', events, head: null };
  if (rows.every((r) => r.hash === null && r.prevHash === null)) return { status: 'not_chained', events };
  let prev: string | null = null;
  let chained = false;
  let unchainedBefore = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const broken = (problem: string): ChainVerdict => ({ status: 'broken', events, seq: r.seq, problem });
    if (r.seq !== i + 1) return broken(i === 0 ? `the log starts at seq ${r.seq}, not 1: earlier events were removed` : `seq ${i + 1} is missing (the next is ${r.seq}): an event was removed`);
    if (r.hash === null) {
      if (chained) return broken('this event has no hash, but earlier ones do: its hash was removed');
      unchainedBefore = r.seq;
      continue;
    }
    if (r.prevHash !== prev) {
      return broken(prev === null
        ? 'it names a previous hash, but no earlier event is chained: events before it were removed or changed'
        : 'its previous hash is not the hash of the event before it: an event was removed, inserted or moved');
    }
    if (eventHash(runId, r.seq, r.type, r.at, r.data, r.prevHash) !== r.hash) return broken('its content does not match its hash: the event was changed');
    chained = true;
    prev = r.hash;
  }
  const last = rows.at(-1)!;
  if (ended && !TERMINAL.has(last.type)) {
    return { status: 'broken', events, seq: last.seq + 1, problem: `the run ended but its log stops at seq ${last.seq} (${last.type}) without a final event: the last events were removed` };
  }
  return unchainedBefore ? { status: 'intact', events, head: prev, unchainedBefore } : { status: 'intact', events, head: prev };
}

/** One line for a person: what was checked and what was found. */
export function describeVerdict(runId: string, v: ChainVerdict): string {
  if (v.status === 'not_chained') return `${runId}: not chained (${v.events} events written before Deskpilot hash-chained its logs; nothing to verify)`;
  if (v.status === 'broken') return `${runId}: BROKEN at seq ${v.seq} of ${v.events}: ${v.problem}`;
  const partly = v.unchainedBefore ? `; events 1-${v.unchainedBefore} predate chaining and are not covered` : '';
  return `${runId}: intact (${v.events} events${v.head ? `, head ${v.head.slice(0, 16)}` : ''}${partly})`;
}
