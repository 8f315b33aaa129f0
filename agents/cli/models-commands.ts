// deskpilot models list | test: the provider presets, and a step-by-step check of an endpoint.
import { checkEndpoint } from '../models/endpoint-check.ts';
import { presetFor, ProviderError } from '../models/create-planner.ts';
import { PROVIDER_PRESETS, type AdapterName } from '../models/providers.ts';
import { CliError, type Command } from './command.ts';

/** The adapters whose endpoints `models test` can check. */
const TESTABLE: AdapterName[] = ['openai-responses', 'openai-chat', 'ui-tars', 'anthropic', 'gemini'];

/** Whether the adapter lets the model call the run's tools (shell, files, skills, MCP) beside the screen. */
export function toolsNote(adapter: AdapterName): string {
  return adapter === 'ui-tars' ? 'no tools (screen only; skills as text)' : 'tools';
}

export const modelsCommands: Command[] = [
  {
    path: ['models', 'list'],
    usage: 'models list',
    summary: 'list the provider presets (adapter, base URL, default model, whether the model can call tools)',
    async run() {
      for (const p of PROVIDER_PRESETS) {
        process.stdout.write(`${p.id.padEnd(13)} ${p.adapter.padEnd(17)} ${(p.baseURL ?? '(give --base-url)').padEnd(34)} ${(p.model ?? '(give --model)').padEnd(31)} ${toolsNote(p.adapter)}${p.notes ? `\n${' '.repeat(14)}${p.notes}` : ''}\n`);
      }
      return 0;
    },
  },
  {
    path: ['models', 'test'],
    usage: 'models test --provider ID [--base-url URL] [--model NAME] [--api-key KEY] [--adapter NAME]',
    summary: 'check an endpoint: reachable, key accepted, model present, vision accepted, tools accepted',
    options: { provider: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' }, 'api-key': { type: 'string' }, adapter: { type: 'string' }, 'timeout-ms': { type: 'string' } },
    async run({ values }) {
      const id = typeof values.provider === 'string' ? values.provider : 'custom';
      // The same names `run` accepts (presets and adapter names), from the same place.
      let preset;
      try {
        preset = presetFor(id);
      } catch (err) {
        if (err instanceof ProviderError) throw new CliError(err.message);
        throw err;
      }
      const adapter = (values.adapter as AdapterName | undefined) ?? preset.adapter;
      if (adapter === 'scripted') throw new CliError('the scripted provider replays a file and has no endpoint to test');
      if (!TESTABLE.includes(adapter)) throw new CliError(`--adapter must be one of ${TESTABLE.join(', ')}`);
      const baseURL = (values['base-url'] as string | undefined) ?? preset.baseURL;
      if (!baseURL) throw new CliError(`the ${preset.label} preset needs --base-url${preset.notes ? ` (${preset.notes})` : ''}`);
      const model = (values.model as string | undefined) ?? preset.model;
      if (!model) throw new CliError(`the ${preset.label} preset needs --model`);
      const apiKey = (values['api-key'] as string | undefined) ?? (preset.keyEnv ? process.env[preset.keyEnv] : undefined) ?? preset.placeholderKey;
      if (!apiKey) throw new CliError(`no API key: give --api-key or set ${preset.keyEnv}`);
      process.stdout.write(`Checking ${preset.label} at ${baseURL}, model ${model}, adapter ${adapter}\n`);
      const results = await checkEndpoint({ baseURL, apiKey, model, adapter, ...(values['timeout-ms'] ? { timeoutMs: Number(values['timeout-ms']) } : {}) });
      for (const r of results) process.stdout.write(`  ${r.status === 'ok' ? 'ok     ' : r.status === 'failed' ? 'FAILED ' : 'skipped'}  ${r.check}: ${r.detail}\n`);
      const failed = results.find((r) => r.status === 'failed');
      process.stdout.write(failed ? `\n${failed.check} failed: ${failed.detail}\n` : '\nThe endpoint works with Deskpilot.\n');
      return failed ? 1 : 0;
    },
  },
];
