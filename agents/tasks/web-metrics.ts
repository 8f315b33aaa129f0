// OSWorld's Chrome and JSON metrics: the active tab's URL, the open tabs, URL patterns, a JSON
// object's keys against expected values, and a JSON settings file's keys.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
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

/** Python's == on JSON values: objects equal whatever their key order, 1 equal to 1.0. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * check_direct_json_object: each expected key equal in the result; with expect_in_result, an expected
 * text must be within the result's and an expected list must share an item with the result's list.
 */
export const checkDirectJsonObject: Metric = (result, expected) => {
  const r = rule(expected, 'check_direct_json_object');
  let obj = result;
  if (typeof obj === 'string') {
    try {
      // As OSWorld: single quotes read as double (a Python dict's repr).
      obj = JSON.parse(obj.trim().replace(/'/g, '"'));
    } catch {
      return fail(`the result is not JSON: ${show(obj)}`);
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return fail(`the result is not a JSON object: ${show(obj)}`);
  const want = (r['expected'] ?? {}) as Record<string, unknown>;
  const within = r['expect_in_result'] === true;
  for (const [key, value] of Object.entries(want)) {
    const got = (obj as Record<string, unknown>)[key];
    if (!within) {
      if (!jsonEqual(got, value)) return fail(`${key} is ${show(got)}, expected ${show(value)}`);
    } else if (Array.isArray(value)) {
      if (!Array.isArray(got) || !value.some((v) => got.some((g) => jsonEqual(g, v)))) return fail(`${key} is ${show(got)}, expected a list holding one of ${show(value)}`);
    } else if (typeof value === 'string') {
      if (typeof got !== 'string' || !got.includes(value)) return fail(`${key} is ${show(got)}, expected to contain ${show(value)}`);
    } else {
      return fail(`${key}: expect_in_result checks only texts and lists, and the task expects ${show(value)}`);
    }
  }
  return pass();
};

/** check_json_settings: the JSON file (a settings.json) holds each expected key with the expected value. */
export const checkJsonSettings: Metric = async (result, expected) => {
  const r = rule(expected, 'check_json_settings');
  if (typeof result !== 'string') return fail(`no settings file to read (got ${show(result)})`);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(result, 'utf8'));
  } catch (err) {
    // As OSWorld (json.load): comments or trailing commas make the file unreadable, and the score 0.
    return fail(`${basename(result)} is not plain JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail(`${basename(result)} does not hold a JSON object`);
  const want = r['expected'];
  if (typeof want !== 'object' || want === null || Array.isArray(want)) throw new Error(`check_json_settings needs expected {"expected": {key: value...}}, got ${show(want)}`);
  for (const [key, value] of Object.entries(want)) {
    if (!Object.hasOwn(data, key)) return fail(`${basename(result)} has no "${key}" (expected ${show(value)})`);
    const got = (data as Record<string, unknown>)[key];
    if (!jsonEqual(got, value)) return fail(`"${key}" is ${show(got)} in ${basename(result)}, expected ${show(value)}`);
  }
  return pass();
};
