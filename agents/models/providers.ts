// Provider presets: which adapter and defaults each kind of endpoint needs, so a user picks
// "ollama" or "vllm" and gets settings that work instead of guessing them.
export type AdapterName = 'openai-responses' | 'openai-chat' | 'ui-tars' | 'anthropic' | 'gemini' | 'scripted';

export interface ProviderPreset {
  id: string;
  label: string;
  adapter: AdapterName;
  /** Undefined where the user must give one (Azure, custom). */
  baseURL?: string;
  model?: string;
  /** Environment variable holding the key; local servers take any key. */
  keyEnv?: string;
  /** Sent when no key is given: local servers want some Authorization header. */
  placeholderKey?: string;
  /** Adapter options that make this kind of server work. */
  chat?: { imagesPerRequest?: number; toolChoice?: boolean; parallelToolCalls?: boolean; stream?: boolean };
  notes?: string;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai', label: 'OpenAI', adapter: 'openai-responses', baseURL: 'https://api.openai.com/v1', model: 'computer-use-preview', keyEnv: 'OPENAI_API_KEY',
    notes: 'the computer tool follows the model: computer_use_preview for computer-use-preview, the GA computer tool for gpt-5.4 and other GPT-5.x models',
  },
  {
    id: 'azure-openai', label: 'Azure OpenAI', adapter: 'openai-responses', model: 'computer-use-preview', keyEnv: 'AZURE_OPENAI_API_KEY',
    notes: 'base URL: https://RESOURCE.openai.azure.com/openai/v1 ; model: your deployment name',
  },
  {
    id: 'ollama', label: 'Ollama', adapter: 'openai-chat', baseURL: 'http://127.0.0.1:11434/v1', model: 'qwen2.5vl:7b', placeholderKey: 'ollama',
    chat: { imagesPerRequest: 1, toolChoice: false, parallelToolCalls: false },
    notes: 'pull a vision model with tool support first, e.g. `ollama pull qwen2.5vl:7b`',
  },
  {
    id: 'vllm', label: 'vLLM', adapter: 'openai-chat', baseURL: 'http://127.0.0.1:8000/v1', placeholderKey: 'EMPTY',
    chat: { imagesPerRequest: 1, toolChoice: true },
    notes: 'start vLLM with automatic tool choice on and a tool-call parser for the model (its options enable-auto-tool-choice and tool-call-parser); to send more images per request, raise its limit-mm-per-prompt',
  },
  {
    id: 'ui-tars', label: 'UI-TARS (vLLM)', adapter: 'ui-tars', baseURL: 'http://127.0.0.1:8000/v1', model: 'ByteDance-Seed/UI-TARS-1.5-7B', placeholderKey: 'EMPTY',
    chat: { imagesPerRequest: 5 },
  },
  {
    id: 'lm-studio', label: 'LM Studio', adapter: 'openai-chat', baseURL: 'http://127.0.0.1:1234/v1', placeholderKey: 'lm-studio',
    chat: { imagesPerRequest: 1, toolChoice: false },
  },
  { id: 'openrouter', label: 'OpenRouter', adapter: 'openai-chat', baseURL: 'https://openrouter.ai/api/v1', keyEnv: 'OPENROUTER_API_KEY', chat: { imagesPerRequest: 3, toolChoice: true } },
  {
    id: 'anthropic', label: 'Anthropic (Claude)', adapter: 'anthropic', baseURL: 'https://api.anthropic.com', model: 'claude-sonnet-4-6', keyEnv: 'ANTHROPIC_API_KEY',
    notes: 'Claude computer tool: computer_20251124 with zoom for Opus 4.5+/Sonnet 4.6+, computer_20250124 for Sonnet 4.5, Haiku 4.5 and older',
  },
  {
    id: 'gemini', label: 'Google Gemini', adapter: 'gemini', baseURL: 'https://generativelanguage.googleapis.com', model: 'gemini-3.5-flash', keyEnv: 'GEMINI_API_KEY',
    notes: 'Gemini computer use; gemini-2.5-computer-use-preview-10-2025 speaks the older browser action set',
  },
  { id: 'custom', label: 'Custom OpenAI-compatible', adapter: 'openai-chat', notes: 'give the base URL and the model; choose another adapter if it is not a chat endpoint with tools' },
];

export function findPreset(id: string): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find((p) => p.id === id);
}
