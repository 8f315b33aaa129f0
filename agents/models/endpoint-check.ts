// `deskpilot models test`: checks an endpoint step by step (reachable, key accepted, model present,
// vision accepted, tools accepted) and says plainly which step failed and what to try.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import sharp from 'sharp';
import type { AdapterName } from './providers.ts';
import { checkAnthropic, checkGemini } from './endpoint-check-native.ts';
import { maxTokensFieldFor } from './openai-chat.ts';
import { modelDefaults, type ComputerToolType } from './openai-responses-request.ts';

export interface EndpointCheckInput {
  baseURL: string;
  apiKey: string;
  model: string;
  adapter: AdapterName;
  timeoutMs?: number;
  /** The computer tool a run would send (else chosen by model, as the Responses adapter does). */
  computerTool?: ComputerToolType | undefined;
}

export interface CheckResult {
  check: 'reachable' | 'key accepted' | 'model present' | 'vision accepted' | 'tools accepted';
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
}

// A 32x32 image with a red square: big enough for any server's minimum image size.
export async function probeImage(): Promise<string> {
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ffffff' } })
    .composite([{ input: await sharp({ create: { width: 16, height: 16, channels: 3, background: '#ff0000' } }).png().toBuffer(), left: 8, top: 8 }])
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

function explain(err: unknown): { status?: number; text: string } {
  if (err instanceof APIConnectionTimeoutError) return { text: 'no reply before the timeout' };
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? `${err.cause.message}${err.cause.cause instanceof Error ? `: ${err.cause.cause.message}` : ''}` : '';
    return { text: `cannot connect${cause ? ` (${cause})` : ''}` };
  }
  if (err instanceof APIError) return { ...(err.status !== undefined ? { status: err.status } : {}), text: `HTTP ${err.status ?? '?'}: ${err.message}` };
  return { text: (err as Error).message };
}

export async function checkEndpoint(input: EndpointCheckInput): Promise<CheckResult[]> {
  // Claude and Gemini are checked through their own SDKs and endpoints.
  if (input.adapter === 'anthropic') return checkAnthropic(input, await probeImage());
  if (input.adapter === 'gemini') return checkGemini(input, await probeImage());
  const client = new OpenAI({ baseURL: input.baseURL, apiKey: input.apiKey, timeout: input.timeoutMs ?? 30_000, maxRetries: 0 });
  const results: CheckResult[] = [];
  const skipRest = (from: CheckResult['check'][], why: string) => {
    for (const check of from) results.push({ check, status: 'skipped', detail: why });
    return results;
  };

  // 1-3: the model list tells reachability, the key and the model at once where servers have it.
  let ids: string[] | undefined;
  try {
    const page = await client.models.list();
    ids = page.data.map((m) => m.id);
    results.push({ check: 'reachable', status: 'ok', detail: `${input.baseURL} answered` });
    results.push({ check: 'key accepted', status: 'ok', detail: 'the model list was returned' });
  } catch (err) {
    const e = explain(err);
    if (e.status === undefined) {
      results.push({ check: 'reachable', status: 'failed', detail: `${input.baseURL}: ${e.text}. Is the server running, and is the base URL right (it usually ends in /v1)?` });
      return skipRest(['key accepted', 'model present', 'vision accepted', 'tools accepted'], 'the endpoint is not reachable');
    }
    results.push({ check: 'reachable', status: 'ok', detail: `${input.baseURL} answered` });
    if (e.status === 401 || e.status === 403) {
      results.push({ check: 'key accepted', status: 'failed', detail: `the API key was refused (${e.text}). Check the key and that it belongs to this endpoint.` });
      return skipRest(['model present', 'vision accepted', 'tools accepted'], 'the key was refused');
    }
    results.push({ check: 'key accepted', status: 'skipped', detail: `the server has no model list (${e.text}); the next checks tell` });
  }
  if (ids) {
    if (ids.includes(input.model)) results.push({ check: 'model present', status: 'ok', detail: `${input.model} is served` });
    else {
      results.push({ check: 'model present', status: 'failed', detail: `${input.model} is not among the ${ids.length} models served${ids.length ? ` (e.g. ${ids.slice(0, 5).join(', ')})` : ''}. Choose one of them as the model.` });
      return skipRest(['vision accepted', 'tools accepted'], 'the model is not served');
    }
  } else results.push({ check: 'model present', status: 'skipped', detail: 'no model list to look in' });

  const image = await probeImage();
  if (input.adapter === 'openai-responses') {
    try {
      await client.responses.create({ model: input.model, max_output_tokens: 16, input: [{ role: 'user', content: [{ type: 'input_text', text: 'Reply with the word OK.' }, { type: 'input_image', image_url: image, detail: 'low' }] }] });
      results.push({ check: 'vision accepted', status: 'ok', detail: 'a request with an image was answered' });
    } catch (err) {
      results.push({ check: 'vision accepted', status: 'failed', detail: `a request with an image failed: ${explain(err).text}` });
      return skipRest(['tools accepted'], 'images were refused');
    }
    try {
      // The same tool and fields a run would send this model.
      const defaults = modelDefaults(input.model);
      const tool: OpenAI.Responses.Tool = (input.computerTool ?? defaults.toolType) === 'computer' ? { type: 'computer' } : { type: 'computer_use_preview', display_width: 1024, display_height: 768, environment: 'linux' };
      await client.responses.create({ model: input.model, ...(defaults.truncation ? { truncation: 'auto' as const } : {}), tools: [tool], input: [{ role: 'user', content: [{ type: 'input_text', text: 'Take a screenshot.' }] }] });
      results.push({ check: 'tools accepted', status: 'ok', detail: 'the computer tool was accepted' });
    } catch (err) {
      results.push({ check: 'tools accepted', status: 'failed', detail: `the computer tool was refused: ${explain(err).text}. This model may not support computer use: try the openai-chat adapter.` });
    }
    return results;
  }

  try {
    await client.chat.completions.create({ model: input.model, [maxTokensFieldFor(input.baseURL)]: 16, messages: [{ role: 'user', content: [{ type: 'text', text: 'Reply with the word OK.' }, { type: 'image_url', image_url: { url: image } }] }] });
    results.push({ check: 'vision accepted', status: 'ok', detail: 'a message with an image was answered' });
  } catch (err) {
    results.push({ check: 'vision accepted', status: 'failed', detail: `a message with an image failed: ${explain(err).text}. Is this a vision model?` });
    return skipRest(['tools accepted'], 'images were refused');
  }
  if (input.adapter === 'ui-tars') {
    results.push({ check: 'tools accepted', status: 'skipped', detail: 'the ui-tars adapter needs no tools: actions come as text' });
    return results;
  }
  try {
    await client.chat.completions.create({
      model: input.model, [maxTokensFieldFor(input.baseURL)]: 64,
      messages: [{ role: 'user', content: 'Call the ping tool.' }],
      tools: [{ type: 'function', function: { name: 'ping', description: 'Answers pong.', parameters: { type: 'object', properties: {}, additionalProperties: false } } }],
    });
    results.push({ check: 'tools accepted', status: 'ok', detail: 'a request with a function tool was answered' });
  } catch (err) {
    results.push({ check: 'tools accepted', status: 'failed', detail: `a request with a function tool failed: ${explain(err).text}. Enable tool calling on the server (vLLM: --enable-auto-tool-choice), or use the ui-tars adapter for UI-TARS models.` });
  }
  return results;
}
