// The settings form's draft: what the server sent, minus key state, with numbers as typed text;
// turned back into a settings.update patch on save. Option lists are exhaustive over the contract's types.
import type { ProviderConfig, Settings, SettingsView } from '../../../agents/contract.ts';
import type { AppInfo, SettingsPatch } from '../state/settings-slice.ts';

type Preset = AppInfo['presets'][number];

export interface Draft {
  providers: ProviderConfig[];
  activeProvider: string;
  approve: Settings['run']['approve'];
  maxSteps: string;
  maxSeconds: string;
  screenshotSize: Settings['screenshotSize'];
  historyImages: string;
  keepScreenshotsDays: string;
  runOn: Settings['runOn'];
  language: Settings['language'];
  toolsOnOwnScreen: boolean;
  /** One folder a line. */
  extraFolders: string;
  maxCommandSeconds: string;
  /** Edited whole in the MCP section; saved as they are. */
  mcpServers: McpServer[];
  /** MCP clients (serve's /mcp) may act on the user's own screen. */
  mcpOwnScreen: boolean;
  /** Windows and budgets: lists one word a line, limits as typed (empty: none). */
  governance: GovernanceDraft;
}

type Run = Settings['run'];
type Privacy = NonNullable<Run['privacy']>;
type Budgets = NonNullable<Run['budgets']>;
export const BUDGET_LIMITS = ['runTokens', 'runCostUsd', 'threadTokens', 'threadCostUsd', 'dayTokens', 'dayCostUsd'] as const satisfies readonly (keyof Budgets)[];
export type BudgetLimit = (typeof BUDGET_LIMITS)[number];

export interface GovernanceDraft {
  denyClasses: string;
  denyTitles: string;
  allowClasses: string;
  allowTitles: string;
  /** On the user's own screen: ask before acting in a window not open when the run started. */
  askNew: boolean;
  privateClasses: string;
  privateTitles: string;
  /** What the form does not edit (screen areas, OCR masking): kept as saved. */
  privacyRest: Omit<Privacy, 'windowClasses' | 'windowTitles'>;
  limits: Record<BudgetLimit, string>;
  atLimit: Budgets['atLimit'];
}

export type McpServer = NonNullable<Settings['mcpServers']>[number];

const keys = <T extends string>(r: Record<T, true>) => Object.keys(r) as T[];
export const ADAPTERS = keys<ProviderConfig['adapter']>({ 'openai-responses': true, 'openai-chat': true, 'ui-tars': true, anthropic: true, gemini: true });
export const APPROVE_MODES = keys<Settings['run']['approve']>({ always: true, risky: true, never: true });
export const SCREENSHOT_SIZES = keys<Settings['screenshotSize']>({ auto: true, compact: true, standard: true });
export const RUN_ON = keys<Settings['runOn']>({ current: true, sandbox: true });
export const LANGUAGES = keys<Settings['language']>({ en: true, 'zh-CN': true });
export const AT_LIMIT = keys<Budgets['atLimit']>({ ask: true, stop: true });

export function toDraft(s: SettingsView): Draft {
  return {
    providers: s.providers.map(({ id, preset, label, adapter, baseURL, model }) => ({ id, preset, label, adapter, baseURL, model })),
    activeProvider: s.activeProvider,
    approve: s.run.approve,
    maxSteps: String(s.run.maxSteps),
    maxSeconds: String(s.run.maxSeconds),
    screenshotSize: s.screenshotSize,
    historyImages: String(s.historyImages),
    keepScreenshotsDays: String(s.keepScreenshotsDays),
    runOn: s.runOn,
    language: s.language,
    toolsOnOwnScreen: s.tools.onOwnScreen,
    extraFolders: s.tools.extraFolders.join('\n'),
    maxCommandSeconds: String(s.tools.maxCommandSeconds),
    mcpServers: s.mcpServers ?? [],
    mcpOwnScreen: s.mcpOwnScreen === true,
    governance: toGovernanceDraft(s.run),
  };
}

const joined = (words: readonly string[] | undefined) => (words ?? []).join('\n');

function toGovernanceDraft(run: Run): GovernanceDraft {
  const { windowClasses, windowTitles, ...privacyRest } = run.privacy ?? {};
  const budgets = run.budgets;
  return {
    denyClasses: joined(run.windows?.deny?.classes), denyTitles: joined(run.windows?.deny?.titles),
    allowClasses: joined(run.windows?.allow?.classes), allowTitles: joined(run.windows?.allow?.titles),
    askNew: run.windows?.askNew !== false,
    privateClasses: joined(windowClasses), privateTitles: joined(windowTitles), privacyRest,
    limits: Object.fromEntries(BUDGET_LIMITS.map((k) => [k, budgets?.[k] === undefined ? '' : String(budgets[k])])) as Record<BudgetLimit, string>,
    atLimit: budgets?.atLimit ?? 'ask',
  };
}

/** A list box as the contract takes it: absent when empty. */
const words = (text: string) => {
  const list = lines(text);
  return list.length ? list : undefined;
};

/** Classes and titles as one match, absent when both are empty (an empty allow list would allow nothing). */
const match = (classes: string, titles: string) => {
  const m = { classes: words(classes), titles: words(titles) };
  return m.classes || m.titles ? m : undefined;
};

/** The run settings' governance part; always whole objects, so clearing a list clears it. */
function governancePatch(g: GovernanceDraft): Pick<Run, 'windows' | 'privacy' | 'budgets'> {
  const limits = Object.fromEntries(BUDGET_LIMITS.flatMap((k) => (g.limits[k].trim() === '' ? [] : [[k, num(g.limits[k])]])));
  return {
    windows: { deny: match(g.denyClasses, g.denyTitles), allow: match(g.allowClasses, g.allowTitles), askNew: g.askNew },
    privacy: { ...g.privacyRest, windowClasses: words(g.privateClasses), windowTitles: words(g.privateTitles) },
    budgets: { ...limits, atLimit: g.atLimit },
  };
}

/** Numbers typed as text; an empty or bad field goes as NaN so the server's validation names it. */
const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** The folders box: one a line, blank lines and surrounding spaces dropped. */
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');

export function toPatch(d: Draft): SettingsPatch {
  return {
    providers: d.providers,
    activeProvider: d.activeProvider,
    run: { approve: d.approve, maxSteps: num(d.maxSteps), maxSeconds: num(d.maxSeconds), ...governancePatch(d.governance) },
    screenshotSize: d.screenshotSize,
    historyImages: num(d.historyImages),
    keepScreenshotsDays: num(d.keepScreenshotsDays),
    runOn: d.runOn,
    language: d.language,
    tools: { onOwnScreen: d.toolsOnOwnScreen, extraFolders: lines(d.extraFolders), maxCommandSeconds: num(d.maxCommandSeconds) },
    mcpServers: d.mcpServers,
    mcpOwnScreen: d.mcpOwnScreen,
  };
}

/** A provider id from the preset's, unique among the existing ones and valid for the contract. */
export function newProviderId(presetId: string, taken: readonly string[]): string {
  const base = presetId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 34) || 'provider';
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

export function providerFromPreset(preset: Preset, taken: readonly string[]): ProviderConfig {
  return { id: newProviderId(preset.id, taken), preset: preset.id, label: preset.label, adapter: preset.adapter, baseURL: preset.baseURL ?? '', model: preset.model ?? '' };
}
