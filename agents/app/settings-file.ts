// The app's settings: one JSON file, parsed with the contract's schema. A corrupt or invalid file
// is moved aside (never silently overwritten) and the defaults are used, with a warning to show.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';
import { settingsSchema, type Settings } from '../contract.ts';
import { DEFAULT_RUN_OPTIONS } from '../run/events.ts';

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  providers: [{ id: 'openai', preset: 'openai', label: 'OpenAI', adapter: 'openai-responses', baseURL: 'https://api.openai.com/v1', model: 'computer-use-preview' }],
  activeProvider: 'openai',
  // No limits until the user sets some; at a limit the run asks (raise or stop).
  run: { approve: DEFAULT_RUN_OPTIONS.approve, maxSteps: DEFAULT_RUN_OPTIONS.maxSteps, maxSeconds: DEFAULT_RUN_OPTIONS.maxSeconds, budgets: { atLimit: 'ask' } },
  screenshotSize: 'auto',
  historyImages: 3,
  keepScreenshotsDays: 30,
  runOn: 'current',
  language: 'en',
  skills: { disabled: [], folders: [] },
  tools: { onOwnScreen: false, extraFolders: [], maxCommandSeconds: 600 },
  maxParallelRuns: defaultParallelRuns(),
};

/** One run per core (2 on 2 cores): each sandbox's input worker and X server want about a core's share when busy. */
export function defaultParallelRuns(): number {
  return Math.max(1, Math.min(availableParallelism(), 32));
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export class SettingsFile {
  private current: Settings;
  /** Said once at start-up, e.g. that a corrupt file was set aside. */
  readonly warnings: string[] = [];

  constructor(private readonly path: string) {
    this.current = this.load();
  }

  get(): Settings {
    return this.current;
  }

  /** Merges a patch, checks the whole, and writes it atomically; an invalid result changes nothing. */
  update(patch: Partial<Omit<Settings, 'version'>>): Settings {
    // A patch of `run` without budgets, privacy or window rules (a client older than the form's fields for them) keeps those set.
    const { budgets, privacy, windows } = this.current.run;
    const run = patch.run && { budgets, privacy, windows, ...patch.run };
    const next = settingsSchema.safeParse({ ...this.current, ...patch, ...(run ? { run } : {}) });
    if (!next.success) throw new SettingsError(z.prettifyError(next.error));
    const problem = consistencyProblem(next.data);
    if (problem) throw new SettingsError(problem);
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(next.data, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
    this.current = next.data;
    return next.data;
  }

  private load(): Settings {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SETTINGS;
      this.warnings.push(`cannot read ${this.path} (${(err as Error).message}); using the default settings`);
      return DEFAULT_SETTINGS;
    }
    let problem: string;
    try {
      const parsed = settingsSchema.safeParse(migrate(JSON.parse(text)));
      if (parsed.success && !consistencyProblem(parsed.data)) return parsed.data;
      problem = parsed.success ? consistencyProblem(parsed.data)! : z.prettifyError(parsed.error);
    } catch (err) {
      problem = `not valid JSON: ${(err as Error).message}`;
    }
    const aside = `${this.path}.corrupt-${Date.now()}`;
    renameSync(this.path, aside);
    this.warnings.push(`the settings file was unusable (${problem.split('\n')[0]}); it was kept as ${aside} and the defaults are in use`);
    return DEFAULT_SETTINGS;
  }
}

/** Fills in what files written before a setting existed lack (the tools section), field by field. */
function migrate(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const file = raw as Record<string, unknown>;
  const tools = file.tools;
  if (tools === undefined) return { ...file, tools: DEFAULT_SETTINGS.tools };
  if (typeof tools === 'object' && tools !== null && !Array.isArray(tools)) return { ...file, tools: { ...DEFAULT_SETTINGS.tools, ...tools } };
  return file;
}

function consistencyProblem(s: Settings): string | undefined {
  const ids = s.providers.map((p) => p.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) return `two providers have the id "${dup}"`;
  if (s.providers.length > 0 && !ids.includes(s.activeProvider)) return `the active provider "${s.activeProvider}" is not in the list`;
  return undefined;
}
