// The one API contract between the engine and any UI: every command with zod schemas for its input
// and output, and the events pushed to subscribers. Electron IPC and `deskpilot serve` both carry
// exactly this; the renderer imports only its types.
import { z } from 'zod';
import { automationSchema } from './automations/automation.ts';
import type { InboxItem } from './automations/schedule-store.ts';
import {
  approvalDecisionSchema, approvalModeSchema, loggedRunEventSchema, runEventSchema, runOptionsSchema, type LoggedRunEvent, type RunEvent,
} from './run/events.ts';
import { RUN_STATUSES } from './store/types.ts';

const id = z.string().min(1).max(200);

// The event union and run options are defined once, in agents/run/events.ts; the contract carries them.
export { approvalModeSchema, approvalDecisionSchema, loggedRunEventSchema, runEventSchema, runOptionsSchema };
export type { LoggedRunEvent, RunEvent };

// --- entities ---

export const threadSchema = z.object({ id: z.string(), title: z.string(), createdAt: z.number(), updatedAt: z.number(), summary: z.string().nullable() });
export type Thread = z.infer<typeof threadSchema>;

export const runSchema = z.object({
  id: z.string(), threadId: z.string(), task: z.string(), status: z.enum(RUN_STATUSES), provider: z.string(), model: z.string().nullable(),
  createdAt: z.number(), updatedAt: z.number(), endedAt: z.number().nullable(), answer: z.string().nullable(), error: z.string().nullable(),
  summary: z.string().nullable(), options: z.record(z.string(), z.unknown()),
});
export type Run = z.infer<typeof runSchema>;

export const ADAPTERS = ['openai-responses', 'openai-chat', 'ui-tars', 'anthropic', 'gemini'] as const;
export const providerPresetSchema = z.object({
  id: z.string(), label: z.string(), adapter: z.enum(ADAPTERS), baseURL: z.string().optional(), model: z.string().optional(), notes: z.string().optional(),
});

/** A provider the user configured. Its key is stored apart, encrypted, and never sent to the UI. */
export const providerConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lowercase letters, digits and dashes'),
  preset: z.string(),
  label: z.string().min(1).max(80),
  adapter: z.enum(ADAPTERS),
  baseURL: z.union([z.url({ protocol: /^https?$/ }), z.literal('')]),
  model: z.string().max(200),
  /** The computer tool a Responses model is sent; absent or auto: chosen by model (GA `computer` for GPT-5.x, `computer_use_preview` for the preview model). */
  computerTool: z.enum(['auto', 'computer', 'computer_use_preview']).optional(),
});
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

export const SCREENSHOT_SIZES = ['auto', 'compact', 'standard'] as const;
export const LANGUAGES = ['en', 'zh-CN'] as const;

/** Tools (a terminal, files): on for the user's own screen only when asked; files beside the run's HOME; the longest a command may run. Older files get the defaults when loaded. */
export const toolSettingsSchema = z.object({
  onOwnScreen: z.boolean(),
  extraFolders: z.array(z.string().min(1).max(4096)).max(50),
  maxCommandSeconds: z.number().int().min(1).max(3600),
});
export type ToolSettingsConfig = z.infer<typeof toolSettingsSchema>;

/** An MCP server whose tools the agent may call: a command (stdio) or an HTTP URL. Env and header values may name a variable, `${NAME}`, so keys stay out of the file. */
export const mcpServerSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'use lowercase letters, digits and dashes'),
  name: z.string().trim().min(1).max(80),
  command: z.string().min(1).max(4096).optional(),
  args: z.array(z.string().max(4096)).max(100).optional(),
  env: z.record(z.string().max(200), z.string().max(4096)).optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  headers: z.record(z.string().max(200), z.string().max(4096)).optional(),
  enabled: z.boolean(),
  /** Its tools may change things without the operator's approval (read-only tools never need it). */
  trusted: z.boolean(),
}).refine((s) => (s.command === undefined) !== (s.url === undefined), { message: 'give a command to start the server, or its URL, not both' });

export const settingsSchema = z.object({
  version: z.literal(1),
  providers: z.array(providerConfigSchema),
  activeProvider: z.string(),
  // budgets: optional, so files written before them load; every run started from the settings gets them.
  run: runOptionsSchema.pick({ approve: true, maxSteps: true, maxSeconds: true, budgets: true, privacy: true, windows: true }),
  /** auto: the adapter's own size; compact: 1024 wide; standard: up to 1366 wide. */
  screenshotSize: z.enum(SCREENSHOT_SIZES),
  /** Screenshots sent with each request (chat-style adapters keep this many in the history). */
  historyImages: z.number().int().min(1).max(10),
  /** Screenshots of ended runs older than this are deleted at start-up; 0 keeps them forever. */
  keepScreenshotsDays: z.number().int().min(0).max(3650),
  /** Where runs happen when no display is given: the user's own screen, or a fresh virtual one. */
  runOn: z.enum(['current', 'sandbox']),
  language: z.enum(LANGUAGES),
  /** Skills turned off (by name) and extra folders of skills; optional so older files load (no zod default: a partial update would reset it). */
  skills: z.object({ disabled: z.array(z.string().max(128)).max(1000), folders: z.array(z.string().min(1).max(4096)).max(50) }).optional(),
  tools: toolSettingsSchema,
  /** Runs at once; a run started beyond this waits as `queued` until a slot frees. Absent (older files): one per core. */
  maxParallelRuns: z.number().int().min(1).max(32).optional(),
  /** MCP servers whose tools join every run's tools; optional so older files load. */
  mcpServers: z.array(mcpServerSchema).max(50).optional(),
  /** MCP clients of `deskpilot serve` (/mcp) may act on the user's own screen, not only on sandboxes; absent: no. */
  mcpOwnScreen: z.boolean().optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

/** What the UI sees of the settings: everything but keys, and for each provider whether a key is set. */
export const settingsViewSchema = settingsSchema.extend({
  providers: z.array(providerConfigSchema.extend({ hasKey: z.boolean(), keyFromEnv: z.string().optional() })),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

export const checkResultSchema = z.object({
  check: z.enum(['reachable', 'key accepted', 'model present', 'vision accepted', 'tools accepted']),
  status: z.enum(['ok', 'failed', 'skipped']),
  detail: z.string(),
});

// --- skills ---

const skillName = z.string().trim().min(1).max(128);
export const skillProblemSchema = z.object({ severity: z.enum(['error', 'warning']), file: z.string(), field: z.string().optional(), message: z.string() });
/** A skill as the Skills view lists it: where it came from, whether it is on, offered, overriding, and its problems. */
export const skillSummarySchema = z.object({
  name: z.string(), description: z.string().optional(), source: z.enum(['builtin', 'user', 'folder']), dir: z.string(),
  enabled: z.boolean(), offered: z.boolean(), overrides: z.string().optional(), overriddenBy: z.string().optional(),
  license: z.string().optional(), compatibility: z.string().optional(), allowedTools: z.array(z.string()).optional(),
  errors: z.array(skillProblemSchema), warnings: z.array(skillProblemSchema),
});
export type SkillSummary = z.infer<typeof skillSummarySchema>;

// --- automations ---

export { automationSchema };
export type Automation = z.infer<typeof automationSchema>;

/** Where a replay happens: the screen the app drives, or a fresh sandbox display. */
export const replayTargetSchema = z.enum(['current', 'sandbox']);
export type ReplayTarget = z.infer<typeof replayTargetSchema>;
const automationName = z.string().trim().min(1).max(64);
const paramValues = z.record(z.string().max(64), z.string().max(10_000));

export const scheduleViewSchema = z.object({
  cron: z.string(),
  /** A run missed while nothing was running fires once at the next start. */
  runMissed: z.boolean(),
  target: replayTargetSchema,
  /** When it fires next (ms), if it ever does. */
  nextRun: z.number().optional(),
});
export type ScheduleView = z.infer<typeof scheduleViewSchema>;

export const inboxItemSchema = z.object({
  id: z.string(), automation: z.string(), runId: z.string().nullable(), status: z.enum(['succeeded', 'failed', 'needs_attention']),
  trigger: z.enum(['schedule', 'missed', 'manual']), summary: z.string(), answer: z.string().nullable(), createdAt: z.number(), readAt: z.number().nullable(),
  archivedAt: z.number().nullable(),
});
export type InboxEntry = z.infer<typeof inboxItemSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inboxAgrees: Same<InboxEntry, InboxItem> = true;
void inboxAgrees;

/** The most CSV text a page may send for a run over rows (the serve body limit is 1 MiB). */
export const ROWS_CSV_MAX = 512 * 1024;
/**
 * A run over the rows of a file sent from the page: its progress, then a result per row and the results CSV.
 * `cancelling`: Cancel was asked and the row running then is being aborted; `cancelled` rows were not run or were aborted.
 */
export const rowBatchSchema = z.object({
  id: z.string(), automation: z.string(), fileName: z.string(), total: z.number().int(), done: z.number().int(),
  state: z.enum(['running', 'cancelling', 'done', 'failed', 'cancelled']),
  results: z.array(z.object({ row: z.number().int(), status: z.enum(['succeeded', 'failed', 'cancelled']), runId: z.string(), reason: z.string() })),
  /** Where the results CSV was written (in the data folder), and its text for a download. */
  resultsFile: z.string().nullable(), resultsCsv: z.string().nullable(), error: z.string().nullable(),
});
export type RowBatch = z.infer<typeof rowBatchSchema>;

export const automationSummarySchema = z.object({
  name: z.string(), version: z.number().int(), description: z.string().optional(), steps: z.number().int(), params: z.array(z.string()),
  createdAt: z.number(), updatedAt: z.number(), schedule: scheduleViewSchema.nullable(),
  /** The newest inbox item of this automation: how its last scheduled or run-now replay went. */
  last: inboxItemSchema.pick({ status: true, runId: true, summary: true, createdAt: true }).optional(),
});
export type AutomationSummary = z.infer<typeof automationSummarySchema>;

// --- recording a demonstration ---

/** A demonstration being recorded on the app's own display: live counts of what the hook saw. */
export const recordingStatusSchema = z.object({
  active: z.boolean(),
  display: z.string().optional(),
  startedAt: z.number().optional(),
  /** Raw input events seen so far, and how many of them were pointer presses. */
  events: z.number().int().nonnegative(),
  presses: z.number().int().nonnegative(),
  /** Why recording stopped early (the display went away); stop still keeps what was recorded. */
  error: z.string().optional(),
}).strict();
export type RecordingStatus = z.infer<typeof recordingStatusSchema>;

// --- commands ---

const none = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

/** A page's live view: it names itself so a takeover gives input to that page only. */
const viewer = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a viewer id of 8 to 64 letters, digits, _ or -');

export const commands = {
  'app.info': {
    input: none,
    output: z.object({
      version: z.string(), transport: z.enum(['ipc', 'http']), dataDir: z.string(),
      /** The display runs use, or null when each run gets a sandbox. */
      display: z.string().nullable(),
      /** The screen this process can drive (--display or DISPLAY), whatever the settings say; null when it has none. */
      ownDisplay: z.string().nullable().optional(),
      presets: z.array(providerPresetSchema),
      /** Said once at start-up: a corrupt settings file set aside, runs recovered after a crash. */
      warnings: z.array(z.string()),
    }),
  },
  'threads.list': { input: z.object({ search: z.string().max(200).optional(), limit: z.number().int().positive().max(1000).optional() }).strict(), output: z.array(threadSchema) },
  'threads.create': { input: z.object({ title: z.string().trim().min(1).max(200) }).strict(), output: threadSchema },
  'threads.rename': { input: z.object({ threadId: id, title: z.string().trim().min(1).max(200) }).strict(), output: threadSchema },
  'threads.delete': { input: z.object({ threadId: id }).strict(), output: ok },
  /** What a thread's runs came to, for its view: runs, steps begun, tokens, cost in USD (null when unknown). */
  'threads.totals': {
    input: z.object({ threadId: id }).strict(),
    output: z.object({ runs: z.number().int(), steps: z.number().int(), tokens: z.number(), costUsd: z.number().nullable() }),
  },
  'runs.list': { input: z.object({ threadId: id.optional(), limit: z.number().int().positive().max(1000).optional() }).strict(), output: z.array(runSchema) },
  'runs.get': { input: z.object({ runId: id }).strict(), output: runSchema },
  'runs.events': {
    input: z.object({ runId: id, afterSeq: z.number().int().nonnegative().default(0), limit: z.number().int().positive().max(100_000).optional() }).strict(),
    output: z.object({ events: z.array(loggedRunEventSchema), lastSeq: z.number().int() }),
  },
  'runs.start': {
    input: z.object({
      task: z.string().trim().min(1, 'describe the task').max(10_000),
      threadId: id.optional(),
      /** A configured provider's id; the active one when omitted. */
      providerId: z.string().optional(),
      options: runOptionsSchema.partial().optional(),
      /** Where this run happens: the screen this process drives, or a fresh sandbox; the settings' choice when omitted. */
      runOn: z.enum(['current', 'sandbox']).optional(),
    }).strict(),
    output: runSchema,
  },
  'runs.control': { input: z.object({ runId: id, action: z.enum(['pause', 'resume', 'abort']) }).strict(), output: ok },
  /** Pause, resume or abort every active and queued run (queued ones are only aborted); how many it reached. */
  'runs.controlAll': { input: z.object({ action: z.enum(['pause', 'resume', 'abort']) }).strict(), output: z.object({ count: z.number().int() }) },
  'runs.steer': { input: z.object({ runId: id, text: z.string().trim().min(1, 'write a message for the agent').max(10_000) }).strict(), output: ok },
  /** Pauses a sandboxed run and gives the live view of the page named `viewer` the sandbox's mouse and keyboard. */
  'runs.takeover': { input: z.object({ runId: id, viewer }).strict(), output: ok },
  /**
   * Where the page named `viewer` opens the live view of a sandboxed run: a WebSocket URL of one use, soon
   * expiring (the desktop app's loopback socket with a token of its own). A page of `deskpilot serve` needs
   * none: it opens serve's /api/vnc/<runId> socket with its own token.
   */
  'runs.liveView': { input: z.object({ runId: id, viewer }).strict(), output: z.object({ url: z.string() }) },
  /** Ends a takeover: the model is told what the operator did (a steering message) and the run resumes. */
  'runs.handback': { input: z.object({ runId: id }).strict(), output: z.object({ ok: z.literal(true), actions: z.number().int() }) },
  'approvals.decide': { input: z.object({ runId: id, actionId: id, decision: approvalDecisionSchema }).strict(), output: ok },
  'questions.answer': { input: z.object({ runId: id, actionId: id, answer: z.string().max(10_000) }).strict(), output: ok },
  'runs.export': {
    input: z.object({ runId: id, format: z.enum(['json', 'html']) }).strict(),
    output: z.object({ filename: z.string(), mime: z.string(), content: z.string() }),
  },
  'settings.get': { input: none, output: settingsViewSchema },
  'settings.update': {
    input: settingsSchema.omit({ version: true }).partial().strict(),
    output: settingsViewSchema,
  },
  'settings.setKey': { input: z.object({ providerId: z.string(), apiKey: z.string().max(4096).nullable() }).strict(), output: z.object({ hasKey: z.boolean() }) },
  'settings.testConnection': { input: z.object({ providerId: z.string() }).strict(), output: z.object({ ok: z.boolean(), results: z.array(checkResultSchema) }) },
  'automations.list': { input: none, output: z.array(automationSummarySchema) },
  'automations.get': {
    input: z.object({ name: automationName, version: z.number().int().positive().optional() }).strict(),
    output: z.object({ automation: automationSchema, versions: z.array(z.object({ version: z.number().int(), createdAt: z.number() })), schedule: scheduleViewSchema.nullable() }),
  },
  /** Saves the next version (the store numbers it): edits, reordering, deletions, parameters. */
  'automations.save': { input: z.object({ automation: automationSchema.omit({ version: true }) }).strict(), output: automationSchema },
  /** "Save as automation" on an ended run; `params` maps a name to text the run typed. */
  'automations.fromRun': {
    input: z.object({
      runId: id, name: automationName, params: paramValues.optional(), description: z.string().max(2000).optional(),
      /** Save as a new version when the name exists (else that is a conflict). */
      overwrite: z.boolean().optional(),
    }).strict(),
    output: z.object({ automation: automationSchema, warnings: z.array(z.string()) }),
  },
  'automations.delete': { input: z.object({ name: automationName }).strict(), output: ok },
  /** "New agent task": a prompt automation made in the app; its provider is the Settings' active one (no provider fields: the key and address stay there). */
  'automations.createPrompt': {
    input: z.object({
      name: automationName, task: z.string().trim().min(1, 'describe the task').max(20_000), tools: z.boolean(), skills: z.boolean(),
      /** A fresh sandbox, or the screen this app drives. */
      target: replayTargetSchema, maxSeconds: z.number().int().positive().max(7 * 24 * 3600).optional(), budgetUsd: z.number().positive().max(100_000).optional(),
    }).strict(),
    output: automationSchema,
  },
  /** "Run for each row": the CSV's text (read in the page) replayed once per row, as `automations run --rows` does; poll automations.rowBatch. */
  'automations.runRows': {
    input: z.object({ name: automationName, fileName: z.string().trim().min(1).max(200), csv: z.string().min(1, 'the file is empty').max(ROWS_CSV_MAX, 'the file is larger than 512 KB'), target: replayTargetSchema.optional() }).strict(),
    output: rowBatchSchema,
  },
  'automations.rowBatch': { input: z.object({ batchId: id }).strict(), output: rowBatchSchema },
  /** Cancel: rows not started are not run, the row running now is aborted; the batch ends `cancelled`. Asking again, or after it ended, changes nothing. */
  'automations.cancelRows': { input: z.object({ batchId: id }).strict(), output: rowBatchSchema },
  /** Run now: a replay without the model; its outcome lands in the inbox. */
  'automations.run': { input: z.object({ name: automationName, params: paramValues.optional(), target: replayTargetSchema.optional() }).strict(), output: runSchema },
  /** Runs of the automation, newest first: its replays (any version), and a prompt automation's agent runs. */
  'automations.history': { input: z.object({ name: automationName, limit: z.number().int().positive().max(1000).optional() }).strict(), output: z.array(runSchema) },
  'automations.schedule': {
    input: z.object({ name: automationName, cron: z.string().trim().min(1, 'give a cron expression').max(200), runMissed: z.boolean().optional(), target: replayTargetSchema.optional() }).strict(),
    output: scheduleViewSchema,
  },
  'automations.unschedule': { input: z.object({ name: automationName }).strict(), output: ok },
  /** Records the operator's own input on the display the app's runs use (never a sandbox). */
  'recordings.start': { input: none, output: z.object({ display: z.string(), startedAt: z.number() }) },
  /** Stops and returns the draft (not saved): the step editor opens it, and automations.save makes v1. */
  'recordings.stop': {
    input: z.object({ name: automationName, description: z.string().max(2000).optional() }).strict(),
    output: z.object({ automation: automationSchema.omit({ version: true }), warnings: z.array(z.string()) }),
  },
  'recordings.cancel': { input: none, output: ok },
  'recordings.status': { input: none, output: recordingStatusSchema },
  'skills.list': { input: none, output: z.object({ skills: z.array(skillSummarySchema), notes: z.array(z.string()) }) },
  /** A skill's SKILL.md as text (render it as text or sanitised markdown, never as HTML) and its files. */
  'skills.get': {
    input: z.object({ name: skillName, dir: z.string().max(4096).optional() }).strict(),
    output: z.object({ skill: skillSummarySchema, text: z.string(), files: z.array(z.object({ path: z.string(), size: z.number() })) }),
  },
  'skills.setEnabled': { input: z.object({ name: skillName, enabled: z.boolean() }).strict(), output: skillSummarySchema },
  /** Installs a skill folder or .zip (a path on the machine running the engine) into the user's skills folder. */
  'skills.install': { input: z.object({ path: z.string().trim().min(1).max(4096), overwrite: z.boolean().optional() }).strict(), output: z.object({ skill: skillSummarySchema, warnings: z.array(z.string()) }) },
  'skills.new': { input: z.object({ name: skillName, description: z.string().max(1024).optional() }).strict(), output: skillSummarySchema },
  /** Save as skill: a skill in the user's folder whose script replays the automation (deskpilot automations run). */
  'skills.fromAutomation': {
    input: z.object({ automation: z.string().trim().min(1).max(128), name: skillName.optional(), description: z.string().max(1024).optional(), overwrite: z.boolean().optional() }).strict(),
    output: z.object({ skill: skillSummarySchema, warnings: z.array(z.string()) }),
  },
  /** Save as skill: a skill whose script repeats the shell commands of a run that finished done. */
  'skills.fromRun': {
    input: z.object({ runId: z.string().min(1).max(64), name: skillName.optional(), description: z.string().max(1024).optional(), overwrite: z.boolean().optional() }).strict(),
    output: z.object({ skill: skillSummarySchema, warnings: z.array(z.string()) }),
  },
  /** Starts an MCP server of the settings and lists its tools (the settings' Test button). */
  'mcp.test': {
    input: z.object({ id: z.string().min(1).max(32) }).strict(),
    output: z.object({ tools: z.array(z.object({ name: z.string(), description: z.string(), readOnly: z.boolean() })) }),
  },
  'inbox.list': { input: z.object({ limit: z.number().int().positive().max(1000).optional(), filter: z.enum(['all', 'unread', 'attention', 'archived']).optional() }).strict(), output: z.array(inboxItemSchema) },
  /** Read or unread again; archive or bring back. */
  'inbox.mark': { input: z.object({ id, read: z.boolean().optional(), archived: z.boolean().optional() }).strict(), output: ok },
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<C extends CommandName> = z.input<Commands[C]['input']>;
export type CommandOutput<C extends CommandName> = z.output<Commands[C]['output']>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

// --- pushed to subscribers ---

export type AppEvent =
  | { kind: 'run_event'; event: LoggedRunEvent }
  /** A run's row changed (created, status, outcome). */
  | { kind: 'run_updated'; run: Run }
  /** Threads were created, renamed or deleted: lists should be fetched again. */
  | { kind: 'threads_changed' }
  /** Automations, schedules or the inbox changed: their lists should be fetched again. */
  | { kind: 'automations_changed' }
  /** A recording started, stopped or was cancelled; while it goes, its counts at most every 500 ms. */
  | { kind: 'recording_changed'; status: RecordingStatus };

/** A command's failure as both transports carry it. `code` says what kind of mistake it was. */
export interface CommandFailure {
  error: { code: 'bad_input' | 'not_found' | 'conflict' | 'failed' | 'unknown_command'; message: string };
}

/** What both transports give the renderer. */
export interface DeskpilotApi {
  call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>>;
  onEvent(callback: (event: AppEvent) => void): () => void;
}
