// How much text the store keeps per field: a 10 MB answer must not become a 10 MB row in every
// list, summary and next request. What is cut says so, with the number of characters cut.

/** Any string inside an event (a thought, an error body, an answer in run_finished). */
export const EVENT_STRING_MAX = 64 * 1024;
/** A run's answer and error, and its task. */
export const RUN_TEXT_MAX = 16 * 1024;
/** One line of a run's or a thread's summary. */
export const SUMMARY_LINE_MAX = 500;
/** A whole summary: the thread's goes into every later run's request and into threads.list. */
export const SUMMARY_MAX = 4 * 1024;
/** A thread's title (the contract takes up to 200). */
export const TITLE_MAX = 200;

/** `text` cut to at most `max` characters (plus the note), never splitting a surrogate pair. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… [${text.length - end} characters cut]`;
}

/** Each line capped, then the oldest (first) lines dropped until the whole fits in `max`. */
export function capSummary(summary: string, lineMax = SUMMARY_LINE_MAX, max = SUMMARY_MAX): string {
  if (summary.length <= lineMax && !summary.includes('\n')) return summary;
  const lines = summary.split('\n').map((l) => capText(l, lineMax));
  let total = lines.reduce((n, l) => n + l.length + 1, -1);
  while (lines.length > 1 && total > max) total -= lines.shift()!.length + 1;
  return capText(lines.join('\n'), max);
}
