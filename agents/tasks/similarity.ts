// Text similarity for the fuzzy metrics, in a module of its own so metric files can share it.

/** Similarity of two strings, 0..1: 1 - Indel distance / total length (rapidfuzz's `ratio`, OSWorld's fuzzy_match). */
export function similarity(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  // A shared prefix and suffix are common subsequence as they stand: only the middle needs the table
  // (documents compared with their expected version differ in a few places).
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const x = a.slice(start, a.length - end);
  const y = b.slice(start, b.length - end);
  // LCS length of the middles, two rows.
  let prev = new Uint32Array(y.length + 1);
  let cur = new Uint32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) cur[j] = x[i - 1] === y[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
  }
  return (2 * (start + end + prev[y.length]!)) / total;
}
