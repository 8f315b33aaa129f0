// The environment a tool's process sees, and the context a run's tools work in. Least privilege:
// no API key, token or password of the app or the user reaches a command the model wrote.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { ToolContext, ToolOutputChunk } from './tool.ts';

// Names that hold secrets, or the app's own settings (the serve token, the data folder).
const SECRET_NAMES: RegExp[] = [
  /(?:^|_)(?:API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|KEY)$/i,
  /TOKEN/i,
  /SECRET/i,
  /PASS(?:WORD|WD|PHRASE)/i,
  /CREDENTIAL/i,
  /(?:^|_)AUTH(?:$|_)/i,
  /COOKIE/i,
  /SESSION_?ID/i,
  /^AWS_/i,
  /^AZURE_/i,
  /^OPENAI_/i,
  /^ANTHROPIC_/i,
  /^CLAUDE_/i,
  /^GEMINI_/i,
  /^GOOGLE_(?:API_KEY|APPLICATION_CREDENTIALS|GENAI|CLOUD)/i,
  /^OPENROUTER_/i,
  /^HF_|^HUGGING_?FACE/i,
  /^DESKPILOT_/i,
  /^npm_config_.*(?:auth|token|password|_key|cert)/i,
  /^SSH_AUTH_SOCK$|^GPG_AGENT_INFO$/,
  // Electron and Node flags could make a child process load code or skip checks.
  /^ELECTRON_|^NODE_OPTIONS$/,
];

// Values that look like keys whatever their variable is called.
const SECRET_VALUES: RegExp[] = [
  /^sk-[\w-]{12,}/, // OpenAI, Anthropic (sk-ant-...)
  /^(?:ghp|gho|ghs|ghu|ghr|github_pat)_\w{20,}/, // GitHub
  /^glpat-[\w-]{20,}/, // GitLab
  /^xox[abprs]-[\w-]{10,}/, // Slack
  /^AKIA[0-9A-Z]{16}$/, // AWS access key id
  /^AIza[\w-]{30,}/, // Google
  /^npm_\w{30,}/, // npm
  /^hf_\w{30,}/, // Hugging Face
  /^eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]+$/, // a JWT
  /:\/\/[^/\s:@]+:[^/\s@]+@/, // credentials inside a URL (a proxy with a password)
];

// What desktop programs need, kept whatever the name rules say (XDG_SESSION_ID is no secret);
// their values are still checked.
const KEPT_NAMES = /^(?:PATH|HOME|USER|LOGNAME|SHELL|TERM|DISPLAY|WAYLAND_DISPLAY|XAUTHORITY|LANG|LANGUAGE|LC_\w+|TZ|TMPDIR|XDG_\w+|DBUS_SESSION_BUS_ADDRESS)$/;

/** True when a variable (by name or by value) would hand a secret to a tool's process. */
export function isSecretVariable(name: string, value: string): boolean {
  return (!KEPT_NAMES.test(name) && SECRET_NAMES.some((re) => re.test(name))) || SECRET_VALUES.some((re) => re.test(value.trim()));
}

/** The environment a tool sees: `env` without keys, tokens, passwords or the app's own variables. */
export function scrubEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isSecretVariable(name, value)) continue;
    out[name] = value;
  }
  return out;
}

// What a sandbox inherits from this process beside its own HOME, DISPLAY, XDG dirs, TMPDIR and bus.
const SANDBOX_INHERITED = ['PATH', 'USER', 'LOGNAME', 'TERM', 'LANG', 'LANGUAGE', 'TZ'];

export interface ToolContextOptions {
  runId: string;
  /** A sandbox display (a VirtualDisplay fits): its HOME, DISPLAY, TMPDIR and bus. Absent: the user's own screen. */
  sandbox?: { env: Record<string, string> } | undefined;
  /** Folders the settings add to the file tools' roots. */
  extraRoots?: readonly string[] | undefined;
  /** The longest a command may run (from the settings); 10 minutes when not given. */
  maxTimeoutMs?: number | undefined;
  onOutput?: ((chunk: ToolOutputChunk) => void) | undefined;
  /** The environment to start from; this process's by default. */
  baseEnv?: Record<string, string | undefined> | undefined;
}

export const DEFAULT_MAX_TIMEOUT_MS = 10 * 60_000;

/**
 * The context a run's tools work in. In a sandbox: the sandbox's environment, its HOME as the
 * working folder and first root. On the user's own screen: this process's environment scrubbed,
 * the user's HOME as working folder and first root.
 */
export function toolContextFor(opts: ToolContextOptions): ToolContext {
  const base = opts.baseEnv ?? process.env;
  let env: Record<string, string>;
  if (opts.sandbox) {
    const inherited: Record<string, string | undefined> = {};
    for (const name of SANDBOX_INHERITED) inherited[name] = base[name];
    for (const [name, value] of Object.entries(base)) if (name.startsWith('LC_')) inherited[name] = value;
    // SHELL as the display's own apps have it: the shell tool runs bash.
    env = scrubEnvironment({ ...inherited, SHELL: '/bin/bash', ...opts.sandbox.env });
  } else {
    env = scrubEnvironment(base);
  }
  env['HOME'] ??= homedir();
  const home = resolve(env['HOME']);
  const extra = (opts.extraRoots ?? []).map((r) => resolve(home, r.replace(/^~(?=$|\/)/, home)));
  return {
    runId: opts.runId,
    env,
    cwd: home,
    roots: [home, ...extra.filter((r) => r !== home)],
    maxTimeoutMs: opts.maxTimeoutMs ?? DEFAULT_MAX_TIMEOUT_MS,
    sandboxed: Boolean(opts.sandbox),
    onOutput: opts.onOutput ?? (() => undefined),
  };
}
