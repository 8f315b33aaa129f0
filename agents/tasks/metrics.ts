// OSWorld's metric functions that Deskpilot runs, by name. Each takes the `result` and `expected`
// values from the getters plus the evaluator's options, and scores 0..1 with a short reason.
import { readFile } from 'node:fs/promises';
import { SCRIPT_EXHAUSTED } from '../models/scripted.ts';
import { checkTabstops, compareLineSpacing, compareSubscriptContains } from './docx-format-metrics.ts';
import { UnsupportedError } from './errors.ts';
import { compareDocxFiles, compareImageList, compareImages, comparePptxFiles } from './office-metrics.ts';
import { comparePdfs } from './pdf-metrics.ts';
import { similarity } from './similarity.ts';
import { cellStyle, FORMAT_RULES, formatRule, pickXlsxSheet, pyMatch, STYLE_PROPS, xlsxBook } from './table-format-rules.ts';
import { tableViewRule } from './table-view-rules.ts';
import { checkDirectJsonObject, checkJsonSettings, isExpectedActiveTab, isExpectedTabs, isExpectedUrlPatternMatch } from './web-metrics.ts';
import { cellNumber, cellsEqual, cellText, readSheets, sheetDifference, type Sheet } from './sheets.ts';

export interface MetricOutcome {
  score: number;
  /** Why, in a line: shown in the report when the score is below 1. */
  detail?: string;
}

/** How the agent's run ended, for `infeasible`. */
export interface RunEnding {
  status: 'done' | 'failed' | 'aborted';
  answer?: string;
  reason?: string;
}

export interface MetricContext {
  run: RunEnding;
  signal?: AbortSignal;
}

export type Metric = (result: unknown, expected: unknown, options: Record<string, unknown>, ctx: MetricContext) => MetricOutcome | Promise<MetricOutcome>;

const pass = (detail?: string): MetricOutcome => ({ score: 1, ...(detail ? { detail } : {}) });
const fail = (detail: string): MetricOutcome => ({ score: 0, detail });
const show = (v: unknown, max = 120): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max)}...` : s;
};

/** The agent gave up (a `fail` action, OSWorld's FAIL), or said the task is infeasible. A script running out is neither. */
export function declaredInfeasible(run: RunEnding): boolean {
  // AgentRun words a model's `fail` action as "the model gave up: <reason>".
  if (run.status === 'failed' && run.reason?.startsWith('the model gave up') && !run.reason.includes(SCRIPT_EXHAUSTED)) return true;
  return run.status === 'done' && /\binfeasible\b/i.test(run.answer ?? '');
}

function rulesOf(expected: unknown, name: string): Record<string, unknown> {
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) throw new Error(`${name} needs expected {"type": "rule", "rules": {...}}, got ${show(expected)}`);
  return expected as Record<string, unknown>;
}

function text(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${name} needs a text result, got ${show(value)}`);
}

export { similarity };

function normaliseText(s: string, options: Record<string, unknown>): string {
  let t = s;
  if (options['ignore_blanks'] === true) t = t.replace(/[\t\n]/g, ' ').trim().replace(/\s+/g, ' ');
  if (options['ignore_case'] === true) t = t.toLowerCase();
  return t;
}

async function readText(path: unknown, which: string): Promise<string> {
  if (typeof path !== 'string') throw new Error(`compare_text_file needs a file path as ${which}, got ${show(path)}`);
  return readFile(path, 'utf8');
}

/** A check_cell rule's comparison, as OSWorld's _match_value_to_rule. */
export function matchValue(value: string, rule: { method?: unknown; ref?: unknown }): boolean {
  const method = String(rule.method ?? 'eq');
  const ref = rule.ref;
  if (method === 'eq') return cellsEqual(value, ref as string | number);
  if (method === 'ne') return !cellsEqual(value, ref as string | number);
  if (['lt', 'le', 'gt', 'ge'].includes(method)) {
    const x = cellNumber(value);
    const y = cellNumber(ref as string | number);
    if (x === undefined || y === undefined) return false;
    return method === 'lt' ? x < y : method === 'le' ? x <= y : method === 'gt' ? x > y : x >= y;
  }
  if (method.startsWith('approx')) {
    const tolerance = Number(method.split(':')[1] ?? '1e-6');
    const x = cellNumber(value);
    const y = cellNumber(ref as string | number);
    return x !== undefined && y !== undefined && Number.isFinite(tolerance) && Math.abs(x - y) <= tolerance;
  }
  if (method.startsWith('re')) {
    const flags = method.split('.').slice(1).map((f) => ({ I: 'i', IGNORECASE: 'i', M: 'm', MULTILINE: 'm', S: 's', DOTALL: 's' })[f.toUpperCase()] ?? '').join('');
    return new RegExp(String(ref), flags).test(value);
  }
  if (method === 'str_list_eq') {
    const want = Array.isArray(ref) ? ref.map(String) : [];
    return value.split(',').map((s) => s.trim()).join('\u0000') === want.join('\u0000');
  }
  throw new UnsupportedError(`compare_table check_cell method "${method}"`);
}

/** OSWorld's sheet index: 0 / "RI0" (result, by index), "EI0" (expected), "RNname" / "ENname" (by name). */
function pickSheet(idx: unknown, result: Sheet[], expected: Sheet[] | undefined): { sheet?: Sheet; label: string } {
  const s = typeof idx === 'number' ? `RI${idx}` : String(idx ?? 'RI0');
  const m = /^([RE])([IN])(.+)$/.exec(s);
  if (!m) throw new Error(`sheet index ${show(idx)} is not like RI0, EI0, RNSheet1`);
  const book = m[1] === 'R' ? result : expected;
  if (!book) throw new Error(`sheet index ${s} refers to the expected file, and the task gives none`);
  const sheet = m[2] === 'I' ? book[Number(m[3])] : book.find((sh) => sh.name === m[3]);
  return { ...(sheet ? { sheet } : {}), label: `${m[1] === 'R' ? 'result' : 'expected'} sheet ${m[3]}` };
}

const compareTable: Metric = async (result, expected, options, ctx) => {
  if (typeof result !== 'string') throw new Error(`compare_table needs the result file path (a vm_file getter), got ${show(result)}`);
  const expectedPath = typeof expected === 'string' ? expected : undefined;
  // Values come through LibreOffice, read once and only for the rules that need them.
  let values: Promise<[Sheet[], Sheet[] | undefined]> | undefined;
  const books = () => (values ??= Promise.all([readSheets(result, ctx.signal), expectedPath ? readSheets(expectedPath, ctx.signal) : undefined]));
  const rules = (options['rules'] as Record<string, unknown>[] | undefined) ?? [{ type: 'sheet_data', sheet_idx0: 'RI0', sheet_idx1: 'EI0' }];
  if (!Array.isArray(rules)) throw new Error('compare_table options.rules must be a list');
  for (const rule of rules) {
    const type = String(rule['type']);
    if (type === 'sheet_data' || type === 'sheet_print') {
      const [resultBook, expectedBook] = await books();
      const a = pickSheet(rule['sheet_idx0'], resultBook, expectedBook);
      const b = pickSheet(rule['sheet_idx1'], resultBook, expectedBook);
      if (!a.sheet || !b.sheet) return fail(`no ${!a.sheet ? a.label : b.label}`);
      const diff = sheetDifference({ ...a.sheet, name: a.label }, { ...b.sheet, name: b.label });
      if (diff) return fail(`sheets differ at ${diff}`);
    } else if (type === 'check_cell') {
      const coordinate = String(rule['coordinate']);
      const props = (rule['props'] ?? {}) as Record<string, { method?: unknown; ref?: unknown }>;
      for (const [prop, want] of Object.entries(props)) {
        if (prop === 'value') {
          const [resultBook, expectedBook] = await books();
          const { sheet, label } = pickSheet(rule['sheet_idx'] ?? 'RI0', resultBook, expectedBook);
          if (!sheet) return fail(`no ${label}`);
          const value = cellText(sheet, coordinate);
          if (!matchValue(value, want)) return fail(`${coordinate} is ${JSON.stringify(value)}; wanted ${String(want.method ?? 'eq')} ${show(want.ref)}`);
        } else {
          // A style property, read from the xlsx as openpyxl reads it.
          if (!STYLE_PROPS.has(prop)) throw new UnsupportedError(`compare_table check_cell property "${prop}"`);
          const { sheet, book, label } = pickXlsxSheet(rule['sheet_idx'] ?? 'RI0', await xlsxBook(result, 'result'), expectedPath ? await xlsxBook(expectedPath, 'expected') : undefined);
          if (!sheet || !book) return fail(`no ${label}`);
          const got = cellStyle(prop, book, sheet, coordinate);
          if (!pyMatch(got, want)) return fail(`${coordinate}'s ${prop} is ${show(got)}; wanted ${String(want.method ?? 'eq')} ${show(want.ref)}`);
        }
      }
    } else if (type === 'sheet_name' || type === 'freeze' || type === 'zoom') {
      const [resultBook, expectedBook] = type === 'sheet_name' ? await books() : [[], undefined];
      const outcome = await tableViewRule(type, rule, result, expectedPath, resultBook, expectedBook);
      if (outcome) return fail(outcome);
    } else if (FORMAT_RULES.has(type)) {
      const outcome = await formatRule(rule, result, expectedPath);
      if (outcome) return fail(outcome);
    } else {
      throw new UnsupportedError(`compare_table rule "${type}"`);
    }
  }
  return pass();
};

/** compare_csv: the two files' lines, trailing blanks ignored. */
const compareCsv: Metric = async (result, expected) => {
  if (typeof result !== 'string' || typeof expected !== 'string') throw new Error('compare_csv needs two file paths');
  const lines = async (p: string) => (await readFile(p, 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trimEnd());
  const [a, b] = [await lines(result), await lines(expected)];
  while (a.at(-1) === '') a.pop();
  while (b.at(-1) === '') b.pop();
  const i = a.findIndex((l, n) => l !== b[n]);
  if (i === -1 && a.length === b.length) return pass();
  const at = i === -1 ? Math.min(a.length, b.length) : i;
  return fail(`line ${at + 1}: ${show(a[at] ?? '(none)')} vs expected ${show(b[at] ?? '(none)')}`);
};

export const METRICS: Record<string, Metric> = {
  exact_match(result, expected) {
    const want = rulesOf(expected, 'exact_match')['expected'];
    const got = text(result, 'exact_match');
    return got === want ? pass() : fail(`got ${show(got)}, expected ${show(want)}`);
  },

  check_include_exclude(result, expected) {
    const rules = rulesOf(expected, 'check_include_exclude');
    // OSWorld scores a result its getter could not have (None, e.g. no active terminal) 0.
    if (result === null || result === undefined) return fail('there was no result to check (the getter found nothing)');
    const got = text(result, 'check_include_exclude');
    const missing = ((rules['include'] ?? []) as unknown[]).map(String).filter((s) => !got.includes(s));
    const present = ((rules['exclude'] ?? []) as unknown[]).map(String).filter((s) => got.includes(s));
    if (missing.length === 0 && present.length === 0) return pass();
    return fail([missing.length ? `missing ${show(missing)}` : '', present.length ? `contains excluded ${show(present)}` : ''].filter(Boolean).join('; ') + ` in ${show(got, 80)}`);
  },

  async compare_text_file(result, expected, options) {
    const [a, b] = [normaliseText(await readText(result, 'result'), options), normaliseText(await readText(expected, 'expected'), options)];
    if (a === b) return pass();
    const at = [...a].findIndex((ch, i) => ch !== b[i]);
    return fail(`the files differ at character ${at === -1 ? Math.min(a.length, b.length) : at}: ${show(a.slice(0, 80))} vs expected ${show(b.slice(0, 80))}`);
  },

  fuzzy_match(result, expected, options) {
    const rules = rulesOf(expected, 'fuzzy_match');
    const got = text(result, 'fuzzy_match');
    const ratio = similarity(got, text(rules['expected'], 'fuzzy_match expected'));
    const threshold = options['threshold'] ?? rules['threshold'];
    const shown = `similarity ${ratio.toFixed(3)}`;
    if (threshold === undefined) return { score: ratio, ...(ratio < 1 ? { detail: shown } : {}) };
    const t = Number(threshold);
    if (!Number.isFinite(t)) throw new Error(`fuzzy_match threshold must be a number, got ${show(threshold)}`);
    return ratio >= t ? pass() : fail(`${shown} is below the threshold ${t}`);
  },

  is_in_list(result, expected) {
    const want = rulesOf(expected, 'is_in_list')['expected'];
    // A list result is checked item by item; command output line by line.
    const items = Array.isArray(result) ? result.map(String) : text(result, 'is_in_list').split(/\r?\n/).map((l) => l.trim());
    return items.includes(String(want)) ? pass() : fail(`${show(want)} is not in ${show(items.filter(Boolean), 100)}`);
  },

  infeasible(_result, _expected, _options, ctx) {
    return declaredInfeasible(ctx.run) ? pass() : fail(`the task is infeasible and the agent did not say so (run ${ctx.run.status}${ctx.run.reason ? `: ${ctx.run.reason}` : ''})`);
  },

  compare_table: compareTable,
  compare_csv: compareCsv,
  compare_docx_files: compareDocxFiles,
  compare_line_spacing: compareLineSpacing,
  compare_subscript_contains: compareSubscriptContains,
  check_tabstops: checkTabstops,
  compare_pptx_files: comparePptxFiles,
  compare_images: compareImages,
  compare_pdfs: comparePdfs,
  compare_image_list: compareImageList,
  is_expected_active_tab: isExpectedActiveTab,
  is_expected_tabs: isExpectedTabs,
  is_expected_url_pattern_match: isExpectedUrlPatternMatch,
  check_direct_json_object: checkDirectJsonObject,
  check_json_settings: checkJsonSettings,
};

export const METRIC_NAMES = Object.keys(METRICS);
