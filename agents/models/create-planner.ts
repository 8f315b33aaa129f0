// One place that turns "--provider X" (a preset such as ollama or vllm, or an adapter name) and its
// options into a Planner, for `deskpilot run`, `deskpilot tasks run` and the app. Each adapter (and
// its SDK) is loaded when chosen: the SDKs together cost seconds of CPU at every CLI start.
import type { Size } from '../desktop/geometry.ts';
import type { Planner } from './planner.ts';
import { findPreset, PROVIDER_PRESETS, type AdapterName, type ProviderPreset } from './providers.ts';

export interface PlannerRequest {
  provider: string;
  adapter?: AdapterName;
  baseURL?: string;
  model?: string;
  apiKey?: string;
  script?: string;
  imagesPerRequest?: number;
  toolChoice?: boolean;
  stream?: boolean;
  timeoutMs?: number;
  /** A reply's body: longest silence, and the whole attempt (defaults 60 s and 300 s). */
  idleTimeoutMs?: number;
  totalTimeoutMs?: number;
  /** openai-responses: the computer tool to send, overriding the choice by model (openai-responses-request.ts). */
  computerTool?: 'computer' | 'computer_use_preview';
  /** The screenshot sizes to pick from (agents/desktop/geometry); each adapter has its own default. */
  scaleTargets?: readonly Size[];
  env?: Record<string, string | undefined>;
}

export interface PlannerChoice {
  planner: Planner;
  provider: string;
  adapter: AdapterName;
  model?: string;
  /** The key in use, so that whatever prints can mask it. */
  secret?: string;
}

/** A user mistake in the provider settings: the message says what to give. */
export class ProviderError extends Error {
  override name = 'ProviderError';
}

const ADAPTERS: AdapterName[] = ['openai-responses', 'openai-chat', 'ui-tars', 'anthropic', 'gemini', 'scripted'];

export const PROVIDER_NAMES = [...new Set([...PROVIDER_PRESETS.map((p) => p.id), ...ADAPTERS])];

export function presetFor(provider: string): ProviderPreset {
  const preset = findPreset(provider);
  if (preset) return preset;
  if (provider === 'openai-responses') return { ...findPreset('openai')!, id: provider };
  if (provider === 'openai-chat') return { id: provider, label: 'OpenAI-compatible chat', adapter: 'openai-chat', keyEnv: 'OPENAI_API_KEY' };
  if (provider === 'scripted') return { id: provider, label: 'scripted', adapter: 'scripted' };
  throw new ProviderError(`unknown provider "${provider}": use one of ${PROVIDER_NAMES.join(', ')}`);
}

export async function createPlanner(req: PlannerRequest): Promise<PlannerChoice> {
  const env = req.env ?? process.env;
  const preset = presetFor(req.provider);
  const adapter = req.adapter ?? preset.adapter;
  if (!ADAPTERS.includes(adapter)) throw new ProviderError(`unknown adapter "${adapter}": use one of ${ADAPTERS.join(', ')}`);
  if (adapter === 'scripted') {
    if (!req.script) throw new ProviderError('the scripted provider needs --script FILE (a JSON array of steps)');
    const { ScriptedPlanner } = await import('./scripted.ts');
    return { planner: await ScriptedPlanner.fromFile(req.script), provider: req.provider, adapter };
  }
  if (req.script) throw new ProviderError('--script is only for the scripted provider');
  const baseURL = req.baseURL ?? preset.baseURL;
  if (!baseURL && preset.id !== 'openai' && preset.id !== 'openai-responses') throw new ProviderError(`the ${preset.label} provider needs --base-url${preset.notes ? ` (${preset.notes})` : ''}`);
  if (baseURL !== undefined && !URL.canParse(baseURL)) throw new ProviderError(`--base-url must be a URL such as http://127.0.0.1:8000/v1, not "${baseURL}"`);
  const apiKey = req.apiKey ?? (preset.keyEnv ? env[preset.keyEnv] || undefined : undefined) ?? preset.placeholderKey;
  if (!apiKey) throw new ProviderError(`the ${preset.label} provider needs an API key: set ${preset.keyEnv ?? 'OPENAI_API_KEY'} (or pass --api-key KEY)`);
  const model = req.model ?? preset.model;
  const common = { apiKey, ...(baseURL ? { baseURL } : {}), ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}), idleTimeoutMs: req.idleTimeoutMs, totalTimeoutMs: req.totalTimeoutMs, ...(req.scaleTargets ? { scaleTargets: req.scaleTargets } : {}) };
  const chat = {
    ...(req.imagesPerRequest ?? preset.chat?.imagesPerRequest ? { imagesPerRequest: req.imagesPerRequest ?? preset.chat?.imagesPerRequest } : {}),
    ...(req.stream ?? preset.chat?.stream ? { stream: true } : {}),
  };
  let planner: Planner & { model?: string };
  if (adapter === 'anthropic') planner = new (await import('./anthropic.ts')).AnthropicPlanner({ ...common, ...(model ? { model } : {}) });
  else if (adapter === 'gemini') planner = new (await import('./gemini.ts')).GeminiPlanner({ ...common, ...(model ? { model } : {}) });
  else if (adapter === 'openai-responses') planner = new (await import('./openai-responses.ts')).OpenAIResponsesPlanner({ ...common, ...(model ? { model } : {}), ...(req.computerTool ? { toolType: req.computerTool } : {}) });
  else {
    if (!model) throw new ProviderError(`the ${preset.label} provider needs --model (the name the server serves)`);
    if (adapter === 'ui-tars') planner = new (await import('./ui-tars.ts')).UITarsPlanner({ ...common, ...chat, model });
    else {
      const toolChoice = req.toolChoice ?? preset.chat?.toolChoice;
      planner = new (await import('./openai-chat.ts')).OpenAIChatPlanner({ ...common, ...chat, model, ...(toolChoice !== undefined ? { toolChoice } : {}), ...(preset.chat?.parallelToolCalls !== undefined ? { parallelToolCalls: preset.chat.parallelToolCalls } : {}) });
    }
  }
  return { planner, provider: req.provider, adapter, ...(planner.model ?? model ? { model: planner.model ?? model } : {}), secret: apiKey };
}
