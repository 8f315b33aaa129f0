// The skills block of a run's instructions: each offered skill's name and description within a
// budget (about 2% of the model's context, or 8,000 characters when the context is not known; the
// rest by name only), how to load one, and how their scripts run. Skills loaded before step 1 (named
// with `$name` in the task) are given whole, which is also how adapters without tools get them.
import type { SkillEntry } from './discovery.ts';
import { LOAD_SKILL, READ_SKILL_FILE } from './session.ts';

export const DEFAULT_BUDGET_CHARS = 8_000;
/** Tokens are estimated as characters / 4 (English prose with a BPE tokenizer; an estimate, not a count). */
export const CHARS_PER_TOKEN = 4;
/** A preloaded skill's body beyond this is cut (the model can load it whole with load_skill). */
const MAX_PRELOADED_CHARS = 32_000;

export function budgetChars(contextTokens?: number): number {
  return contextTokens && contextTokens > 0 ? Math.round(contextTokens * 0.02 * CHARS_PER_TOKEN) : DEFAULT_BUDGET_CHARS;
}

export const estimateTokens = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);

export interface SkillsBlock {
  text: string;
  /** Offered with their descriptions. */
  described: string[];
  /** Offered by name only: beyond the budget. */
  listedOnly: string[];
}

/** One line per skill; the description is kept on one line so a crafted one cannot open a new section. */
const line = (s: SkillEntry) => `- ${s.name}: ${(s.frontmatter.description ?? '').replace(/\s+/g, ' ').trim()}`;

/**
 * The listing of the skills the model may load. The user's own skills are described first, then the
 * built-ins, each by name; whatever does not fit the budget is listed by name.
 */
export function skillsListing(offered: readonly SkillEntry[], budget = DEFAULT_BUDGET_CHARS): SkillsBlock {
  if (offered.length === 0) return { text: '', described: [], listedOnly: [] };
  const rank = (s: SkillEntry) => (s.source === 'builtin' ? 1 : 0);
  const ordered = [...offered].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const head = [
    '## Skills',
    `Skills are folders of instructions and scripts for particular jobs. When the task matches a skill's description, call ${LOAD_SKILL} with its name first and follow what it says.`,
    `Read a skill's references/ and assets/ files with ${READ_SKILL_FILE}. Run its scripts with the shell tool, giving the full path of the skill's folder that ${LOAD_SKILL} tells you (scripts run under the same approvals as any command).`,
  ].join('\n');
  let used = head.length;
  const described: string[] = [];
  const rest: string[] = [];
  const lines: string[] = [];
  for (const s of ordered) {
    const l = line(s);
    // Names of the rest must fit too: keep room for them.
    if (rest.length === 0 && used + l.length + 1 <= budget) {
      lines.push(l);
      described.push(s.name);
      used += l.length + 1;
    } else rest.push(s.name);
  }
  const tail = rest.length ? [`More skills (load one to see what it does): ${rest.join(', ')}`] : [];
  return { text: [head, '<available_skills>', ...lines, '</available_skills>', ...tail].join('\n'), described, listedOnly: rest };
}

/** Skills given whole in the instructions (named with `$name`, or for a model that cannot call tools). */
export function preloadedSkillsText(skills: readonly SkillEntry[]): string {
  return skills.map((s) => {
    const body = s.body.trim();
    const cut = body.length > MAX_PRELOADED_CHARS ? `${body.slice(0, MAX_PRELOADED_CHARS)}\n[the rest is cut]` : body;
    return [`## Skill "${s.name}" (loaded for this task; its folder: ${s.dir})`, cut].join('\n');
  }).join('\n\n');
}

/** `$name` mentions in a task that name one of `names`, in order, each once. */
export function skillsNamedIn(task: string, names: ReadonlySet<string>): string[] {
  const found: string[] = [];
  // `$` at a word start, then a skill-shaped name; `$HOME` and `$5` only count if a skill has that name.
  for (const m of task.matchAll(/(?<![\p{L}\p{Nd}$])\$([\p{Ll}\p{Lo}\p{Nd}]+(?:-[\p{Ll}\p{Lo}\p{Nd}]+)*)/gu)) {
    const name = m[1]!;
    if (names.has(name) && !found.includes(name)) found.push(name);
  }
  return found;
}
