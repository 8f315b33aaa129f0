// Text similarity for the fuzzy metrics, in a module of its own so metric files can share it.

/** Similarity of two strings, 0..1: 1 - Indel distance / total length (rapidfuzz's `ratio`, OSWorld's fuzzy_match). */
export function similarity(a: string, b: string): number {
  if (a.length + b.length === 0) return 1;
  // LCS length, two rows.
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
  }
  return (2 * prev[b.length]!) / (a.length + b.length);
}
