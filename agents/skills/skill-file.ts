// SKILL.md in the open Agent Skills format (agentskills.io/specification): YAML frontmatter between
// `---` lines, then Markdown. Parsed with a real YAML library and checked field by field; every
// problem names the file, the field and what to fix, and one bad skill never stops the others.
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

export const SKILL_FILE = 'SKILL.md';
/** A SKILL.md larger than this is refused unread (the spec asks for under 500 lines). */
export const MAX_SKILL_FILE_BYTES = 256 * 1024;
export const MAX_NAME = 64;
export const MAX_DESCRIPTION = 1024;
export const MAX_COMPATIBILITY = 500;
/** The spec's advice: keep SKILL.md under 500 lines and move detail into references/. */
const ADVISED_LINES = 500;

const KNOWN_FIELDS = new Set(['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools']);
// Lowercase letters (any script, as the spec's "unicode lowercase alphanumeric"), digits, single hyphens inside.
const NAME_RE = /^[\p{Ll}\p{Lo}\p{Nd}]+(?:-[\p{Ll}\p{Lo}\p{Nd}]+)*$/u;

export interface SkillProblem {
  severity: 'error' | 'warning';
  file: string;
  /** The frontmatter field at fault, when there is one. */
  field?: string;
  /** What is wrong and what to do about it. */
  message: string;
}

export interface SkillFrontmatter {
  name: string;
  description: string;
  license?: string;
  compatibility?: string;
  metadata?: Record<string, string>;
  /** Tool names, from a space-separated string or a YAML list (both are in the spec). */
  allowedTools?: string[];
}

export interface ParsedSkill {
  /** Present when the frontmatter parsed; its fields may still have errors (see problems). */
  frontmatter: Partial<SkillFrontmatter>;
  /** The Markdown after the frontmatter (line endings normalised to \n). */
  body: string;
  problems: SkillProblem[];
}

export const hasErrors = (problems: readonly SkillProblem[]) => problems.some((p) => p.severity === 'error');

/** The number of characters as a person counts them (code points, not UTF-16 units). */
const chars = (s: string) => [...s].length;

/**
 * Parses and checks the text of a SKILL.md. `folderName` is the skill's folder (the name must equal
 * it); `file` is what problems call the file.
 */
export function parseSkillText(raw: string, opts: { file: string; folderName?: string }): ParsedSkill {
  const { file } = opts;
  const problems: SkillProblem[] = [];
  const err = (message: string, field?: string) => problems.push({ severity: 'error', file, message, ...(field ? { field } : {}) });
  const warn = (message: string, field?: string) => problems.push({ severity: 'warning', file, message, ...(field ? { field } : {}) });

  // A BOM and Windows line endings are common from editors on other systems: tolerated.
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') {
    err('SKILL.md must start with YAML frontmatter: a line "---", then name: and description:, then another "---" line');
    return { frontmatter: {}, body: text, problems };
  }
  const close = lines.findIndex((l, i) => i > 0 && l.trimEnd() === '---');
  if (close < 0) {
    err('the frontmatter is not closed: add a line "---" after the last field');
    return { frontmatter: {}, body: '', problems };
  }
  const yamlText = lines.slice(1, close).join('\n');
  const body = lines.slice(close + 1).join('\n').replace(/^\n+/, '');

  const doc = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors.slice(0, 3)) {
      // The frontmatter starts on the file's second line.
      const line = e.linePos?.[0] ? ` (line ${e.linePos[0].line + 1})` : '';
      err(`the frontmatter is not valid YAML${line}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}. Check indentation and quote values that contain ": " or start with a special character`);
    }
    return { frontmatter: {}, body, problems };
  }
  const contents = doc.contents;
  if (!isMap(contents)) {
    err('the frontmatter must be a set of "field: value" lines (a YAML mapping), with at least name and description');
    return { frontmatter: {}, body, problems };
  }
  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  } catch {
    // The yaml library refuses alias expansion that would explode in size (a "billion laughs" file).
    err('the frontmatter expands YAML aliases (&name / *name) too many times: write the values out plainly');
    return { frontmatter: {}, body, problems };
  }
  const fm: Partial<SkillFrontmatter> = {};

  for (const key of Object.keys(data)) {
    if (!KNOWN_FIELDS.has(key)) warn(`"${key}" is not a field of the Agent Skills format (name, description, license, compatibility, metadata, allowed-tools): other tools may refuse it; move it under metadata:`, key);
  }

  // name
  const name = data['name'];
  if (name === undefined || name === null) err('name is missing: add "name: <folder name>" (lowercase letters, digits and hyphens)', 'name');
  else if (typeof name !== 'string') err(`name must be text, not ${describe(name)}: write it in lowercase letters, digits and hyphens${typeof name === 'number' ? ' and quote it' : ''}`, 'name');
  else {
    const problem = nameProblem(name);
    if (problem) err(problem, 'name');
    else if (opts.folderName !== undefined && name.normalize('NFKC') !== opts.folderName.normalize('NFKC')) {
      err(`name "${name}" differs from its folder "${opts.folderName}": rename the folder to "${name}" or set name: ${opts.folderName}`, 'name');
    }
    fm.name = name;
  }

  // description
  const description = data['description'];
  if (description === undefined || description === null) err('description is missing: add one saying what the skill does and when to use it (up to 1024 characters)', 'description');
  else if (typeof description !== 'string') err(`description must be text, not ${describe(description)}`, 'description');
  else if (description.trim() === '') err('description is empty: say what the skill does and when to use it', 'description');
  else {
    const n = chars(description);
    if (n > MAX_DESCRIPTION) err(`description is ${n} characters; the limit is ${MAX_DESCRIPTION}: shorten it and move detail into the body`, 'description');
    fm.description = description.trim();
  }

  // license
  const license = data['license'];
  if (license !== undefined && license !== null) {
    if (typeof license !== 'string' || license.trim() === '') err('license must be text: a license name (e.g. Apache-2.0) or the name of a bundled license file', 'license');
    else fm.license = license.trim();
  }

  // compatibility
  const compatibility = data['compatibility'];
  if (compatibility !== undefined && compatibility !== null) {
    if (typeof compatibility !== 'string' || compatibility.trim() === '') err('compatibility must be text (1 to 500 characters) naming what the skill needs, or be left out', 'compatibility');
    else if (chars(compatibility) > MAX_COMPATIBILITY) err(`compatibility is ${chars(compatibility)} characters; the limit is ${MAX_COMPATIBILITY}: shorten it`, 'compatibility');
    else fm.compatibility = compatibility.trim();
  }

  // metadata: a string -> string map; other scalars are taken as text with a warning.
  const metadata = data['metadata'];
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) err('metadata must be a mapping of keys to text values (indented "key: value" lines)', 'metadata');
    else {
      const map: Record<string, string> = {};
      for (const [k, v] of Object.entries(metadata as Record<string, unknown>)) {
        if (typeof v === 'string') map[k] = v;
        else if (typeof v === 'number' || typeof v === 'boolean') {
          map[k] = String(v);
          warn(`metadata.${k} is ${describe(v)}, not text: quote it (${k}: "${String(v)}") so every tool reads the same value`, 'metadata');
        } else err(`metadata.${k} must be text, not ${describe(v)}: metadata maps keys to text values only`, 'metadata');
      }
      fm.metadata = map;
    }
  }

  // allowed-tools: the spec accepts a space-separated string or a YAML list of strings.
  const allowed = data['allowed-tools'];
  if (allowed !== undefined && allowed !== null) {
    const node = contents.get('allowed-tools', true);
    if (typeof allowed === 'string') fm.allowedTools = allowed.split(/\s+/).filter(Boolean);
    else if (isSeq(node) && node.items.every((i) => isScalar(i) && typeof i.value === 'string')) fm.allowedTools = (allowed as string[]).map((s) => s.trim()).filter(Boolean);
    else err('allowed-tools must be a space-separated list of tool names (e.g. "shell read_file") or a YAML list of names', 'allowed-tools');
  }

  if (body.trim() === '') warn('the body is empty: below the frontmatter, write the steps that do the job');
  else if (body.split('\n').length > ADVISED_LINES) warn(`the body has ${body.split('\n').length} lines; the format advises under ${ADVISED_LINES}: move detail into references/`);
  return { frontmatter: fm, body, problems };
}

/** Why a name breaks the format's rules, or undefined when it is a valid name. */
export function nameProblem(name: string): string | undefined {
  const suggestion = suggestName(name);
  const hint = suggestion && suggestion !== name ? ` (e.g. "${suggestion}")` : '';
  if (name === '') return 'name is empty: use 1 to 64 lowercase letters, digits and hyphens';
  if (chars(name) > MAX_NAME) return `name is ${chars(name)} characters; the limit is ${MAX_NAME}: shorten it`;
  if (name !== name.normalize('NFKC')) return `name "${name}" is not in normal form: retype it${hint}`;
  if (name !== name.toLowerCase()) return `name "${name}" has capitals: use lowercase letters only${hint}`;
  if (name.startsWith('-') || name.endsWith('-')) return `name "${name}" starts or ends with a hyphen: remove it${hint}`;
  if (name.includes('--')) return `name "${name}" has two hyphens in a row: use one${hint}`;
  if (!NAME_RE.test(name)) return `name "${name}" may only hold lowercase letters, digits and hyphens${hint}`;
  return undefined;
}

/** A valid name close to `raw` (what `skills new` would make of it), or '' when nothing is left. */
export function suggestName(raw: string): string {
  return [...raw.normalize('NFKC').toLowerCase().replace(/[^\p{Ll}\p{Lo}\p{Nd}]+/gu, '-').replace(/-+/g, '-').replace(/^-|-$/g, '')].slice(0, MAX_NAME).join('').replace(/-$/, '');
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  if (typeof v === 'object' && v !== null) return 'a mapping';
  return `the ${typeof v} ${JSON.stringify(v)}`;
}

export interface SkillFileRead extends ParsedSkill {
  /** The skill's folder. */
  dir: string;
  file: string;
  /** The raw text (empty when it was refused unread). */
  text: string;
}

/** Reads `<dir>/SKILL.md` and checks it; a missing, unreadable or huge file is an error, never a throw. */
export async function readSkillFolder(dir: string, folderName = basename(dir)): Promise<SkillFileRead> {
  const file = join(dir, SKILL_FILE);
  const fail = (message: string): SkillFileRead => ({ dir, file, text: '', body: '', frontmatter: {}, problems: [{ severity: 'error', file, message }] });
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return fail(`${SKILL_FILE} is not a file: a skill folder needs a ${SKILL_FILE} file`);
    size = info.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fail(`there is no ${SKILL_FILE} in ${dir}: a skill folder needs one (name and description in YAML frontmatter, then instructions)`);
    return fail(`cannot read ${SKILL_FILE}: ${(e as Error).message}`);
  }
  if (size > MAX_SKILL_FILE_BYTES) {
    return fail(`${SKILL_FILE} is ${Math.round(size / 1024)} KB; the limit is ${MAX_SKILL_FILE_BYTES / 1024} KB: keep the instructions short and move detail into references/`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return fail(`cannot read ${SKILL_FILE}: ${(e as Error).message}`);
  }
  if (text.includes('\u0000')) return fail(`${SKILL_FILE} is not a text file (it holds NUL bytes): save it as UTF-8 text`);
  return { dir, file, text, ...parseSkillText(text, { file, folderName }) };
}
