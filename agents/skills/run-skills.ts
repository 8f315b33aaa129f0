// A run's skills, as start-run assembles them: the loader tools, the guard that applies
// allowed-tools, the instructions (the listing, and skills named with `$name` given whole) and the
// events that record what was offered and loaded before step 1.
import type { RunEvent } from '../run/events.ts';
import type { Tool } from '../tools/tool.ts';
import type { SkillCatalog } from './discovery.ts';
import { budgetChars, preloadedSkillsText, skillsListing, skillsNamedIn } from './instructions.ts';
import { SkillSession, type SkillLoadedEvent } from './session.ts';
import { createSkillTools, guardTools } from './skill-tools.ts';

export interface RunSkillsOptions {
  task: string;
  /** The model's context window in tokens, when known: the listing gets about 2% of it. */
  contextTokens?: number;
  /** Records a load the model makes during the run (the tools know the run's id). */
  record: (runId: string, event: SkillLoadedEvent) => void;
}

export interface RunSkills {
  session: SkillSession;
  /** load_skill and read_skill_file. */
  tools: Tool[];
  /** The run's tools with allowed-tools applied. */
  guard(tools: readonly Tool[]): Tool[];
  /** The instructions and the start events, once it is known whether the model can load skills itself. */
  start(canLoad: boolean): { instructions: string | undefined; events: RunEvent[] };
}

export function prepareRunSkills(catalog: SkillCatalog, opts: RunSkillsOptions): RunSkills {
  const session = new SkillSession(catalog, (event, runId) => opts.record(runId, event));
  return {
    session,
    tools: createSkillTools(session),
    guard: (tools) => guardTools(tools, session),
    start(canLoad) {
      const offered = catalog.offered();
      const named = skillsNamedIn(opts.task, new Set(offered.map((s) => s.name))).map((n) => session.lookup(n));
      // A model that cannot call load_skill is offered nothing it could not load.
      const listing = canLoad ? skillsListing(offered, budgetChars(opts.contextTokens)) : { text: '', described: [], listedOnly: [] };
      const events: RunEvent[] = [
        { type: 'skills_offered', names: [...listing.described, ...listing.listedOnly], listedOnly: listing.listedOnly },
        // Recorded by the loop right after run_started (the run has no id for the tool's hook yet).
        ...named.map((s) => session.markLoaded(s, 'task', '')),
      ];
      const instructions = [listing.text, preloadedSkillsText(named)].filter(Boolean).join('\n\n');
      return { instructions: instructions || undefined, events };
    },
  };
}
