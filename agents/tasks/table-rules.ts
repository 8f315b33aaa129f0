// Which compare_table rules and check_cell properties Deskpilot checks; the rest are reported as
// unsupported before a task starts.

/** Rules read from a saved workbook: its values (through LibreOffice) and its sheet XML (xlsx). */
export const TABLE_RULES = new Set(['sheet_data', 'sheet_print', 'check_cell', 'sheet_name', 'freeze', 'zoom']);

/** compare_table rules we cannot check (styles, charts, pivot tables, filters...). */
export function unsupportedTableRules(func: string, options: Record<string, unknown>): string[] {
  if (func !== 'compare_table' || !Array.isArray(options['rules'])) return [];
  return (options['rules'] as Record<string, unknown>[]).flatMap((r) => {
    const type = String(r?.['type']);
    if (!TABLE_RULES.has(type)) return [`compare_table rule "${type}"`];
    const props = type === 'check_cell' && typeof r['props'] === 'object' && r['props'] !== null ? Object.keys(r['props']) : [];
    return props.filter((p) => p !== 'value').map((p) => `compare_table check_cell property "${p}"`);
  });
}
