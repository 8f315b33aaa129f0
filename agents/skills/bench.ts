// Skills benchmark: discovery of 200 skills (median of runs, target <= 100 ms) and the instruction
// tokens 50 skills add to a request (target <= 2,500). Tokens are estimated as characters / 4, not
// counted by a tokenizer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverSkills } from './discovery.ts';
import { estimateTokens, skillsListing } from './instructions.ts';

export interface SkillsBench {
  skills: number;
  discoveryMedianMs: number;
  discoveryRuns: number;
  /** The skills block for 50 skills with realistic (about 250-character) descriptions. */
  instructionChars50: number;
  instructionTokens50: number;
  described50: number;
}

/** Writes `n` skills, each with a realistic description, a body and a script, into `root`. */
export function writeBenchSkills(root: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const name = `bench-skill-${String(i).padStart(3, '0')}`;
    mkdirSync(join(root, name, 'scripts'), { recursive: true });
    const description = `Converts and checks report files of kind ${i} (CSV, XLSX, PDF) from the command line and files them by date. ` +
      'Use when the task mentions these reports, their folder, or exporting them, rather than clicking through the GUI.';
    writeFileSync(join(root, name, 'SKILL.md'), `---\nname: ${name}\ndescription: ${description}\nlicense: Apache-2.0\nmetadata:\n  version: "1.0"\n---\n# Steps\n${'Run the script, check its output, report the result.\n'.repeat(40)}`);
    writeFileSync(join(root, name, 'scripts', 'run.sh'), '#!/usr/bin/env bash\necho ok\n');
  }
}

export async function benchSkills(opts: { skills?: number; runs?: number } = {}): Promise<SkillsBench> {
  const count = opts.skills ?? 200;
  const runs = opts.runs ?? 15;
  const root = mkdtempSync(join(tmpdir(), 'skills-bench-'));
  try {
    writeBenchSkills(root, count);
    const times: number[] = [];
    await discoverSkills({ userDir: root, builtinDir: null }); // warm the file cache and the JIT
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const catalog = await discoverSkills({ userDir: root, builtinDir: null });
      times.push(performance.now() - t0);
      if (catalog.offered().length !== count) throw new Error(`expected ${count} skills, found ${catalog.offered().length}`);
    }
    times.sort((a, b) => a - b);
    const catalog = await discoverSkills({ userDir: root, builtinDir: null });
    const block = skillsListing(catalog.offered().slice(0, 50));
    return {
      skills: count, discoveryRuns: runs, discoveryMedianMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10,
      instructionChars50: block.text.length, instructionTokens50: estimateTokens(block.text), described50: block.described.length,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchSkills();
  process.stdout.write(`skills: discovery of ${r.skills} skills ${r.discoveryMedianMs} ms median of ${r.discoveryRuns} (target <= 100); ` +
    `50 skills add ${r.instructionChars50} chars ~ ${r.instructionTokens50} tokens at 4 chars/token (target <= 2,500), ${r.described50} described\n`);
}
