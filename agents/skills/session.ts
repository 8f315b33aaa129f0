// The skills of one run: which are loaded, and what their `allowed-tools` let the run use.
//
// allowed-tools, as Deskpilot applies it (the spec calls the field experimental and leaves it to
// each agent):
// - Enforced: once a skill that declares allowed-tools is loaded, a call of a tool outside the
//   union of the lists of the loaded skills that declare one is refused before it runs, and the
//   model is told which tools it may use and why. `load_skill` and `read_skill_file` stay allowed.
//   Names are matched to our tools: shell, read_file, write_file, list_dir, or Claude-style
//   aliases (Bash, Bash(...) -> shell; Read -> read_file; Write, Edit -> write_file; LS, Glob -> list_dir).
// - Not enforced: what a permitted shell command does inside (Bash(git:*) permits the shell tool,
//   the pattern is shown, not checked), screen actions (clicks and typing are never limited), and
//   approvals: the list does not pre-approve anything; the policy and the approval mode still apply.
import type { RunEvent } from '../run/events.ts';
import type { SkillCatalog, SkillEntry } from './discovery.ts';

export const LOAD_SKILL = 'load_skill';
export const READ_SKILL_FILE = 'read_skill_file';

const ALIASES: Record<string, string> = {
  bash: 'shell', shell: 'shell', sh: 'shell',
  read: 'read_file', read_file: 'read_file',
  write: 'write_file', edit: 'write_file', multiedit: 'write_file', write_file: 'write_file',
  ls: 'list_dir', glob: 'list_dir', list_dir: 'list_dir',
};

/** Our tool name for an allowed-tools entry (`Bash(git:*)` -> shell), or the entry itself lowercased. */
export function toolNameFor(entry: string): string {
  const bare = entry.replace(/\(.*\)$/s, '').trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

export type SkillLoadedEvent = Extract<RunEvent, { type: 'skill_loaded' }>;

/** A tool call refused because the loaded skills do not allow that tool. */
export class SkillToolRefused extends Error {
  override name = 'SkillToolRefused';
}

export class SkillSession {
  private readonly loaded = new Map<string, SkillEntry>();

  constructor(
    readonly catalog: SkillCatalog,
    /** Told each load (by the task's `$name` or the model), to record it in the run's log. */
    private readonly onLoaded?: (event: SkillLoadedEvent, runId: string) => void,
  ) {}

  /** The skill `name` if the model may load it; an error naming what can be loaded if not. */
  lookup(name: string): SkillEntry {
    const skill = this.catalog.get(name);
    if (skill?.offered) return skill;
    const offered = this.catalog.offered().map((s) => s.name);
    const why = !skill ? 'there is no skill of that name' : !skill.enabled ? 'it is turned off in the settings' : 'it has errors and cannot be used';
    throw new Error(`cannot load the skill "${name}": ${why}. ${offered.length ? `Skills you can load: ${offered.join(', ')}` : 'No skills can be loaded in this run'}`);
  }

  /** Marks a skill loaded and records it; returns the event recorded. */
  markLoaded(skill: SkillEntry, by: 'task' | 'model', runId: string): SkillLoadedEvent {
    this.loaded.set(skill.name, skill);
    const event: SkillLoadedEvent = {
      type: 'skill_loaded', name: skill.name, source: skill.source, by, dir: skill.dir,
      ...(skill.frontmatter.allowedTools ? { allowedTools: skill.frontmatter.allowedTools } : {}),
    };
    if (runId) this.onLoaded?.(event, runId);
    return event;
  }

  get loadedNames(): string[] {
    return [...this.loaded.keys()];
  }

  /** The tools the loaded skills allow (our names), or undefined when none of them limits the tools. */
  allowedTools(): Set<string> | undefined {
    const lists = [...this.loaded.values()].flatMap((s) => (s.frontmatter.allowedTools ? [s.frontmatter.allowedTools] : []));
    if (lists.length === 0) return undefined;
    return new Set([LOAD_SKILL, READ_SKILL_FILE, ...lists.flat().map(toolNameFor)]);
  }

  /** Why a call of `tool` is refused now, or undefined when it may run. */
  refusal(tool: string): string | undefined {
    const allowed = this.allowedTools();
    if (!allowed || allowed.has(tool)) return undefined;
    const limiting = [...this.loaded.values()].filter((s) => s.frontmatter.allowedTools).map((s) => `"${s.name}" (${s.frontmatter.allowedTools!.join(' ')})`);
    return `the ${tool} tool is not allowed while the skill ${limiting.join(' and ')} is active: its allowed-tools permit only ${[...allowed].join(', ')}. Do this step with those tools or on the screen`;
  }
}
