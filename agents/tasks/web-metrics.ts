// OSWorld's Chrome and JSON metrics: the active tab's URL, the open tabs, URL patterns, and a JSON
// object's keys against expected values.
import type { Metric, MetricOutcome } from './metrics.ts';

const pass = (): MetricOutcome => ({ score: 1 });
const fail = (detail: string): MetricOutcome => ({ score: 0, detail });
const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 120)}...` : s;
};

function rule(expected: unknown, name: string): Record<string, unknown> {
  if (typeof expected !== 'object' || expected === null) throw new Error(`${name} needs expected {"type": "rule", "rules": {...}}`);
  return expected as Record<string, unknown>;
}

const urlOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as { url?: unknown }).url === 'string' ? (v as { url: string }).url : undefined);

/** URLs compared as a browser shows them: a bare trailing slash does not count. */
const sameUrl = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '');

export const isExpectedActiveTab: Metric = (result, expected) => {
  const r = rule(expected, 'is_expected_active_tab');
  const url = urlOf(result);
  if (!url) return fail(`no active tab (got ${show(result)})`);
  if (r['type'] !== undefined && r['type'] !== 'url') throw new Error(`is_expected_active_tab: rule type ${show(r['type'])} is not checked (only "url")`);
  return sameUrl(url, String(r['url'])) ? pass() : fail(`the active tab is ${url}, expected ${String(r['url'])}`);
};

export const isExpectedTabs: Metric = (result, expected) => {
  const r = rule(expected, 'is_expected_tabs');
  if (!Array.isArray(result)) return fail(`no tab list (got ${show(result)})`);
  const got = result.map(urlOf).filter((u): u is string => !!u);
  const want = ((r['urls'] ?? []) as unknown[]).map(String);
  // As OSWorld: the same number of tabs, each expected URL among them, in any order (tab order is not read over CDP).
  return got.length === want.length && want.every((w) => got.some((u) => sameUrl(u, w))) ? pass() : fail(`open tabs ${show(got)}, expected ${show(want)}`);
};

export const isExpectedUrlPatternMatch: Metric = (result, expected) => {
  const r = rule(expected, 'is_expected_url_pattern_match');
  const url = urlOf(result);
  if (!url) return fail(`no URL (got ${show(result)})`);
  const patterns = ((r['expected'] ?? []) as unknown[]).map(String);
  const missing = patterns.filter((p) => !new RegExp(p).test(url));
  return missing.length === 0 ? pass() : fail(`${url} does not match ${show(missing)}`);
};

/** check_direct_json_object: each expected key equal in the result (or contained in it with expect_in_result). */
export const checkDirectJsonObject: Metric = (result, expected) => {
  const r = rule(expected, 'check_direct_json_object');
  let obj = result;
  if (typeof obj === 'string') {
    try {
      obj = JSON.parse(obj);
    } catch {
      return fail(`the result is not JSON: ${show(obj)}`);
    }
  }
  if (typeof obj !== 'object' || obj === null) return fail(`the result is not a JSON object: ${show(obj)}`);
  const want = (r['expected'] ?? {}) as Record<string, unknown>;
  const within = r['expect_in_result'] === true;
  for (const [key, value] of Object.entries(want)) {
    const got = (obj as Record<string, unknown>)[key];
    const ok = within ? String(got ?? '').includes(String(value)) : JSON.stringify(got) === JSON.stringify(value);
    if (!ok) return fail(`${key} is ${show(got)}, expected ${within ? 'to contain ' : ''}${show(value)}`);
  }
  return pass();
};
