// `models list` says which presets can call tools; `models test` accepts exactly the names `run` accepts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, CliError } from './command.ts';
import { modelsCommands } from './models-commands.ts';
import { PROVIDER_NAMES } from '../models/create-planner.ts';
import { PROVIDER_PRESETS } from '../models/providers.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

async function run(argv: string[]): Promise<{ code?: number; out: string; error?: unknown }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await runCli(modelsCommands, argv), out };
  } catch (error) {
    return { out, error };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('deskpilot models', () => {
  it('lists every preset with whether its adapter calls tools (ui-tars does not)', async () => {
    const { code, out } = await run(['models', 'list']);
    expect(code).toBe(0);
    const lines = out.split('\n').filter((l) => /^\S/.test(l));
    expect(lines).toHaveLength(PROVIDER_PRESETS.length);
    expect(lines.find((l) => l.startsWith('ui-tars '))).toMatch(/no tools \(screen only; skills as text\)$/);
    expect(lines.find((l) => l.startsWith('openai '))).toMatch(/ tools$/);
    expect(lines.find((l) => l.startsWith('vllm '))).toMatch(/ tools$/);
  });

  it('accepts every provider name run accepts, adapter names included', async () => {
    expect(PROVIDER_NAMES).toContain('openai-chat');
    // openai-chat is known: what is missing is its base URL, as with `run`, not "unknown provider".
    const chat = await run(['models', 'test', '--provider', 'openai-chat', '--api-key', 'k']);
    expect(chat.error).toBeInstanceOf(CliError);
    expect((chat.error as Error).message).toMatch(/needs --base-url/);
    expect((chat.error as Error).message).not.toMatch(/unknown provider/);

    const scripted = await run(['models', 'test', '--provider', 'scripted']);
    expect((scripted.error as Error).message).toMatch(/no endpoint to test/);

    const unknown = await run(['models', 'test', '--provider', 'nope']);
    expect(unknown.error).toBeInstanceOf(CliError);
    expect((unknown.error as Error).message).toMatch(/unknown provider "nope": use one of .*openai-chat/);
  });
});
