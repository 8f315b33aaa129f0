// The tools that disclose skills progressively: `load_skill` gives a skill's instructions (SKILL.md's
// body), its folder and its file list; `read_skill_file` reads one of its files on demand. Both are
// read-only. Scripts are not run here: they run through the `shell` tool, under its policy.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ToolInputError, type Tool, type ToolResult } from '../tools/tool.ts';
import { listSkillFiles, resolveSkillPath, SkillPathError } from './skill-folder.ts';
import { LOAD_SKILL, READ_SKILL_FILE, type SkillSession } from './session.ts';
import type { SkillEntry } from './discovery.ts';

/** The most of a skill file the model is given at once. */
export const MAX_SKILL_FILE_READ = 128 * 1024;

const loadInput = z.strictObject({ name: z.string().min(1).max(128).describe('The skill\'s name, as listed under "Skills".') });
const readInput = z.strictObject({
  name: z.string().min(1).max(128).describe('The skill\'s name.'),
  path: z.string().min(1).max(1024).describe('A file of the skill relative to its folder, under references/, assets/ or scripts/ (e.g. references/REFERENCE.md).'),
});

const ok = (output: string): ToolResult => ({ output, isError: false, truncated: false });

const kb = (n: number) => (n < 1024 ? `${n} B` : `${Math.round(n / 102.4) / 10} KB`);

/** What load_skill answers: where the skill is, what it holds, and its instructions. */
export async function loadedSkillText(skill: SkillEntry): Promise<string> {
  const { files, more } = await listSkillFiles(skill.dir);
  const listed = files.filter((f) => f.path !== 'SKILL.md').map((f) => `${f.path} (${kb(f.size)})`);
  const allowed = skill.frontmatter.allowedTools;
  return [
    `Skill "${skill.name}" (${skill.source === 'builtin' ? 'built in' : skill.source === 'user' ? 'the user\'s' : 'from a skills folder'}).`,
    `Folder: ${skill.dir}`,
    `Files: ${listed.length ? listed.join(', ') + (more ? ', and more' : '') : 'none besides SKILL.md'}`,
    'Read a file with read_skill_file; run a script with the shell tool by its full path, e.g. bash ' + `"${skill.dir}/scripts/NAME.sh"`,
    ...(allowed ? [`While this skill is active the run may use only these tools: ${allowed.join(' ')}`] : []),
    ...(skill.frontmatter.compatibility ? [`Needs: ${skill.frontmatter.compatibility}`] : []),
    '',
    skill.body.trim(),
  ].join('\n');
}

export function createLoadSkillTool(session: SkillSession): Tool<z.infer<typeof loadInput>> {
  return {
    name: LOAD_SKILL,
    description: 'Load a skill listed under "Skills" in your instructions: returns its step-by-step instructions, its folder and its files. ' +
      'Call it as soon as a task matches a skill\'s description, before doing the task another way.',
    input: loadInput,
    readOnly: true,
    risk: () => [],
    run: async (input, ctx) => {
      let skill: SkillEntry;
      try {
        skill = session.lookup(input.name.trim());
      } catch (err) {
        throw new ToolInputError((err as Error).message);
      }
      const text = await loadedSkillText(skill);
      session.markLoaded(skill, 'model', ctx.runId);
      return ok(text);
    },
  };
}

export function createReadSkillFileTool(session: SkillSession): Tool<z.infer<typeof readInput>> {
  return {
    name: READ_SKILL_FILE,
    description: 'Read a file of a skill (under its references/, assets/ or scripts/ folder), by a path relative to the skill\'s folder.',
    input: readInput,
    readOnly: true,
    risk: () => [],
    run: async (input) => {
      let path: string;
      try {
        const skill = session.lookup(input.name.trim());
        path = await resolveSkillPath(skill.dir, input.path);
      } catch (err) {
        if (err instanceof SkillPathError) throw new ToolInputError(err.message);
        throw new ToolInputError((err as Error).message);
      }
      const data = await readFile(path);
      if (data.subarray(0, 8000).includes(0)) {
        return ok(`${input.path} is a binary file (${kb(data.length)}); use it by its path: ${path}`);
      }
      const truncated = data.length > MAX_SKILL_FILE_READ;
      const text = data.subarray(0, MAX_SKILL_FILE_READ).toString('utf8');
      return { output: truncated ? `${text}\n[cut at ${kb(MAX_SKILL_FILE_READ)} of ${kb(data.length)}; read the rest with the shell tool]` : text, isError: false, truncated };
    },
  };
}

/** The skill tools of a run. */
export function createSkillTools(session: SkillSession): Tool[] {
  return [createLoadSkillTool(session), createReadSkillFileTool(session)] as Tool[];
}

/** Wraps a run's tools so a call the loaded skills' allowed-tools do not permit is refused before it runs. */
export function guardTools(tools: readonly Tool[], session: SkillSession): Tool[] {
  return tools.map((tool): Tool => ({
    ...tool,
    run: (input, ctx, signal) => {
      const refused = session.refusal(tool.name);
      if (refused) return Promise.resolve({ output: `Refused: ${refused}.`, isError: true, truncated: false });
      return tool.run(input, ctx, signal);
    },
  }));
}
