// Whether a task can run here, found without starting anything: the config steps, getters, metrics
// and apps it needs that Deskpilot lacks, and the remote files not yet in the cache. `tasks check`
// prints this; `tasks run` refuses a task for the same reasons (one function for both).
import { basename, extname } from 'node:path';
import { isCached, isRemote } from './file-cache.ts';
import { libreofficeHas, onPath } from './machine.ts';
import { METRICS } from './metrics.ts';
import { unknownPhrases } from './relative-time.ts';
import { splitCommand } from './sandbox.ts';
import type { ConfigStep, Getter, Task } from './task-schema.ts';
import { unsupportedTableRules } from './table-rules.ts';

export type Readiness = 'ready' | 'needs files' | 'unsupported';

export interface TaskSupport {
  status: Readiness;
  /** Each step, getter, metric or app Deskpilot lacks, e.g. `func "compare_pdfs"`, `app "gimp" (not installed)`. */
  unsupported: string[];
  /** Remote files (http URLs) the task needs, in order. */
  files: string[];
  /** Those of `files` not in the cache. */
  missing: string[];
}

/** Programs that are ours (shims) or need nothing: python is python3, socat forwarding is not needed. */
const PROVIDED = new Set(['python', 'python3', 'socat', 'sleep', 'echo', 'true', 'false', 'bash', 'sh', 'cd', 'export', 'rm', 'mkdir', 'cp', 'mv', 'touch', 'cat', 'kill', 'pkill', 'killall', 'sudo']);
const CHROME_NAMES = new Set(['google-chrome', 'google-chrome-stable', 'chromium', 'chromium-browser', 'chrome']);
const LIBREOFFICE_NAMES = new Set(['libreoffice', 'soffice', 'localc', 'lowriter', 'loimpress']);

/** The LibreOffice module a file opens in, by extension. */
export function officeModuleFor(path: string): 'calc' | 'writer' | 'impress' | undefined {
  const ext = extname(path).toLowerCase();
  if (['.csv', '.tsv', '.xlsx', '.xls', '.ods'].includes(ext)) return 'calc';
  if (['.docx', '.doc', '.odt', '.rtf'].includes(ext)) return 'writer';
  if (['.pptx', '.ppt', '.odp'].includes(ext)) return 'impress';
  return undefined;
}

/** The apps a file type opens in here (like xdg-open with OSWorld's apps), beyond LibreOffice's. */
export const OTHER_OPENERS: Record<string, string> = {
  '.png': 'gimp', '.jpg': 'gimp', '.jpeg': 'gimp', '.xcf': 'gimp', '.bmp': 'gimp', '.gif': 'gimp', '.webp': 'gimp',
  '.mp4': 'vlc', '.mp3': 'vlc', '.mkv': 'vlc', '.avi': 'vlc', '.wav': 'vlc', '.webm': 'vlc', '.ogg': 'vlc',
  '.html': 'chromium', '.htm': 'chromium', '.pdf': 'chromium',
};

const TEXT_OPENED = new Set(['.txt', '.md', '.log', '.json', '.py', '.sh', '.conf', '.cfg', '.ini', '.yaml', '.yml', '.xml', '.css', '.js', '.ts', '']);

/** What a program or file needs that is not installed; empty when it can run. */
function appNeeds(program: string, args: string[]): string[] {
  const name = basename(program);
  if (PROVIDED.has(name)) return [];
  if (CHROME_NAMES.has(name)) return onPath('chromium') ? [] : ['app "chromium" (not installed)'];
  if (LIBREOFFICE_NAMES.has(name)) {
    const flag = args.find((a) => /^--(calc|writer|impress)$/.test(a))?.slice(2);
    const fromFile = args.map(officeModuleFor).find(Boolean);
    const module = (flag ?? fromFile ?? { localc: 'calc', lowriter: 'writer', loimpress: 'impress' }[name]) as 'calc' | 'writer' | 'impress' | undefined;
    if (!onPath('soffice')) return ['app "libreoffice" (not installed)'];
    return module && !libreofficeHas(module) ? [`app "libreoffice-${module}" (not installed)`] : [];
  }
  return onPath(name) ? [] : [`app "${name}" (not installed)`];
}

/** The program a command starts (the first word of a shell line, past variable assignments). */
function programOf(command: string | string[], shell: boolean): { program: string; args: string[] } | undefined {
  try {
    const argv = Array.isArray(command) ? (shell ? splitCommand(command.join(' ')) : command) : splitCommand(command);
    const words = argv.filter((w, i) => !(i === 0 && /^\w+=/.test(w)));
    const start = words.findIndex((w) => !/^\w+=/.test(w));
    if (start < 0) return undefined;
    return { program: words[start]!, args: words.slice(start + 1) };
  } catch {
    return undefined;
  }
}

function stepNeeds(step: ConfigStep, where: string): string[] {
  switch (step.type) {
    case 'unsupported':
      return [`${where} step "${step.name}"`];
    case 'launch':
    case 'execute': {
      const p = programOf(step.command, step.shell);
      return p ? appNeeds(p.program, p.args) : [];
    }
    case 'open': {
      const module = officeModuleFor(step.path);
      if (module) return appNeeds('libreoffice', [`--${module}`]);
      const ext = extname(step.path).toLowerCase();
      const other = OTHER_OPENERS[ext];
      if (other) return appNeeds(other, []);
      return TEXT_OPENED.has(ext) ? [] : [`${where} open of ${ext} files (no app known for them)`];
    }
    case 'chrome_open_tabs':
    case 'chrome_close_tabs':
      return appNeeds('chromium', []);
    default:
      return [];
  }
}

function getterNeeds(g: Getter | undefined): string[] {
  if (!g) return [];
  if (g.type === 'unsupported') return [`getter "${g.name}"`];
  if (g.type === 'chrome') return appNeeds('chromium', []);
  if (g.type === 'rule_relativeTime') return unknownPhrases(g.rules).map((p) => `getter "rule_relativeTime" with "${p}" (not a relative time OSWorld defines)`);
  // xterm prints its screen through the print command xrdb gives it when the sandbox starts.
  if (g.type === 'vm_terminal_output') return onPath('xrdb') ? [] : ['getter "vm_terminal_output" needs xrdb (not installed; it comes with x11-xserver-utils)'];
  return [];
}

/** Every source a task's downloads and cloud_file getters name. */
function sources(task: Task): string[] {
  const steps = [...task.config, ...task.evaluator.postconfig];
  const fromSteps = steps.flatMap((s) => (s.type === 'download' ? s.files.map((f) => f.url) : []));
  const fromGetters = task.evaluator.metrics.flatMap((m) => [m.result, m.expected]).flatMap((g) => (g?.type === 'cloud_file' ? (Array.isArray(g.path) ? g.path : [g.path]) : []));
  return [...new Set([...fromSteps, ...fromGetters])];
}

/** Programs a metric runs, with the package that brings each. */
const METRIC_TOOLS: Record<string, { program: string; pkg: string }> = { compare_pdfs: { program: 'pdftotext', pkg: 'poppler-utils' } };

function metricNeeds(func: string): string[] {
  if (!(func in METRICS)) return [`func "${func}"`];
  const tool = METRIC_TOOLS[func];
  return tool && !onPath(tool.program) ? [`func "${func}" needs ${tool.program} (not installed; it comes with ${tool.pkg})`] : [];
}

/** Sources with a scheme we do not fetch (neither http(s) nor file://). */
const otherSchemes = (task: Task): string[] =>
  sources(task).filter((u) => /^[a-z][a-z0-9+.-]*:\/\//i.test(u) && !isRemote(u) && !u.startsWith('file://')).map((u) => `file source ${u} (only http(s), file:// and files next to the task)`);

/** Every part of a task Deskpilot cannot run here, without the files (they can be fetched). */
export function unsupportedParts(task: Task): string[] {
  return [
    ...task.config.flatMap((s) => stepNeeds(s, 'config')),
    ...task.evaluator.postconfig.flatMap((s) => stepNeeds(s, 'postconfig')),
    ...task.evaluator.metrics.flatMap((m) => [...metricNeeds(m.func), ...getterNeeds(m.result), ...getterNeeds(m.expected), ...unsupportedTableRules(m.func, m.options)]),
    ...otherSchemes(task),
  ].filter((v, i, all) => all.indexOf(v) === i);
}

/** Ready, needs files (listed) or unsupported (each reason). With no cache folder every remote file counts as missing. */
export function taskSupport(task: Task, cacheDir?: string): TaskSupport {
  const unsupported = unsupportedParts(task);
  const files = sources(task).filter(isRemote);
  const missing = files.filter((u) => !cacheDir || !isCached(u, cacheDir));
  const status: Readiness = unsupported.length ? 'unsupported' : missing.length ? 'needs files' : 'ready';
  return { status, unsupported, files, missing };
}
