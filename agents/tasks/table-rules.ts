// Which compare_table rules and check_cell properties Deskpilot checks; the rest are reported as
// unsupported before a task starts.
import { FORMAT_RULES, STYLE_PROPS, unsupportedFormatParts } from './table-format-rules.ts';

/** Rules read from a saved workbook: its values (through LibreOffice) and its xlsx XML (views, styles, validations, rows). */
export const TABLE_RULES = new Set(['sheet_data', 'sheet_print', 'check_cell', 'sheet_name', 'freeze', 'zoom', ...FORMAT_RULES]);

/** compare_table rules we cannot check (charts, pivot tables, filters, sparklines, columns...). */
export function unsupportedTableRules(func: string, options: Record<string, unknown>): string[] {
  if (func !== 'compare_table' || !Array.isArray(options['rules'])) return [];
  return (options['rules'] as Record<string, unknown>[]).flatMap((r) => {
    const type = String(r?.['type']);
    if (!TABLE_RULES.has(type)) return [`compare_table rule "${type}"`];
    if (FORMAT_RULES.has(type)) return unsupportedFormatParts(r);
    const props = type === 'check_cell' && typeof r['props'] === 'object' && r['props'] !== null ? Object.keys(r['props']) : [];
    return props.filter((p) => p !== 'value' && !STYLE_PROPS.has(p)).map((p) => `compare_table check_cell property "${p}"`);
  });
}
