// `deskpilot models test` for the Claude and Gemini adapters, through their own SDKs: the model's page
// tells reachability, the key and the model at once; then a request with an image, then one with the
// computer tool as the adapter sends it. Each failure says which step and what to try.
import Anthropic, { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { ApiError, Environment, GoogleGenAI } from '@google/genai';
import { computerToolFor } from './anthropic.ts';
import { isLegacyGemini } from './gemini.ts';
import { EXCLUDED_3, EXCLUDED_LEGACY } from './gemini-actions.ts';
import { causes } from './openai-client.ts';
import type { CheckResult, EndpointCheckInput } from './endpoint-check.ts';

type Check = CheckResult['check'];
const ALL: Check[] = ['reachable', 'key accepted', 'model present', 'vision accepted', 'tools accepted'];

/** Runs the steps in order; the first failure skips the rest with its reason. */
async function steps(run: (ok: (check: Check, detail: string) => void) => Promise<void>, explain: (err: unknown) => { status?: number; text: string }, input: EndpointCheckInput, current: () => Check): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  try {
    await run((check, detail) => results.push({ check, status: 'ok', detail }));
    return results;
  } catch (err) {
    const e = explain(err);
    let at = current();
    if (at === 'model present' || at === 'key accepted' || at === 'reachable') {
      // The model's page answers the first three at once: which one failed depends on the status.
      if (e.status === undefined) at = 'reachable';
      else {
        results.push({ check: 'reachable', status: 'ok', detail: `${input.baseURL} answered` });
        if (e.status === 401 || e.status === 403 || (e.status === 400 && /api key/i.test(e.text))) at = 'key accepted';
        else {
          results.push({ check: 'key accepted', status: 'ok', detail: 'the request was not refused for its key' });
          at = 'model present';
        }
      }
    }
    const hint: Record<Check, string> = {
      reachable: 'Is the base URL right, and can this machine reach it?',
      'key accepted': 'Check the key and that it belongs to this service.',
      'model present': 'Choose a model this key can use.',
      'vision accepted': 'Is this a vision model?',
      'tools accepted': 'This model may not support computer use: pick one that does.',
    };
    results.push({ check: at, status: 'failed', detail: `${e.text}. ${hint[at]}` });
    for (const check of ALL.slice(ALL.indexOf(at) + 1)) results.push({ check, status: 'skipped', detail: `${at} failed` });
    return results;
  }
}

export async function checkAnthropic(input: EndpointCheckInput, image: string): Promise<CheckResult[]> {
  const client = new Anthropic({ baseURL: input.baseURL, apiKey: input.apiKey, timeout: input.timeoutMs ?? 30_000, maxRetries: 0, logLevel: 'off' });
  let at: Check = 'reachable';
  const explain = (err: unknown) => {
    if (err instanceof APIConnectionError) return { text: `cannot connect (${causes(err.cause) || err.message})` };
    if (err instanceof APIError) return { ...(err.status !== undefined ? { status: err.status } : {}), text: `HTTP ${err.status ?? '?'}: ${err.message}` };
    return { text: (err as Error).message };
  };
  return steps(async (ok) => {
    const info = await client.models.retrieve(input.model);
    ok('reachable', `${input.baseURL} answered`);
    ok('key accepted', 'the model page was returned');
    ok('model present', `${info.id} is available`);
    at = 'vision accepted';
    const data = image.slice(image.indexOf(',') + 1);
    await client.messages.create({ model: input.model, max_tokens: 16, messages: [{ role: 'user', content: [{ type: 'text', text: 'Reply with the word OK.' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data } }] }] });
    ok('vision accepted', 'a message with an image was answered');
    at = 'tools accepted';
    const tool = computerToolFor(input.model);
    const computer = (tool.version === 'computer_toolset_20260801' ? { type: tool.version } : { type: tool.version, name: 'computer', display_width_px: 1280, display_height_px: 800 }) as Anthropic.Beta.Messages.BetaToolUnion;
    await client.beta.messages.create({ model: input.model, max_tokens: 64, tools: [computer], ...(tool.beta ? { betas: [tool.beta] } : {}), messages: [{ role: 'user', content: 'Take a screenshot.' }] });
    ok('tools accepted', `the ${tool.version} computer tool was accepted`);
  }, explain, input, () => at);
}

export async function checkGemini(input: EndpointCheckInput, image: string): Promise<CheckResult[]> {
  const ai = new GoogleGenAI({ apiKey: input.apiKey, httpOptions: { baseUrl: input.baseURL, timeout: input.timeoutMs ?? 30_000 } });
  let at: Check = 'reachable';
  const explain = (err: unknown) => {
    if (err instanceof ApiError) return { status: err.status, text: `HTTP ${err.status}: ${err.message}` };
    if (err instanceof TypeError) return { text: `cannot connect (${causes(err.cause) || err.message})` };
    if (err instanceof Error && err.name === 'AbortError') return { text: 'no reply before the timeout' };
    return { text: (err as Error).message };
  };
  return steps(async (ok) => {
    const info = await ai.models.get({ model: input.model });
    ok('reachable', `${input.baseURL} answered`);
    ok('key accepted', 'the model page was returned');
    ok('model present', `${info.name ?? input.model} is available`);
    at = 'vision accepted';
    const inlineData = { mimeType: 'image/png', data: image.slice(image.indexOf(',') + 1) };
    await ai.models.generateContent({ model: input.model, contents: [{ role: 'user', parts: [{ text: 'Reply with the word OK.' }, { inlineData }] }] });
    ok('vision accepted', 'a request with an image was answered');
    at = 'tools accepted';
    const legacy = isLegacyGemini(input.model);
    await ai.models.generateContent({
      model: input.model,
      contents: [{ role: 'user', parts: [{ text: 'Take a screenshot.' }, { inlineData }] }],
      config: { tools: [{ computerUse: { environment: legacy ? Environment.ENVIRONMENT_BROWSER : Environment.ENVIRONMENT_DESKTOP, excludedPredefinedFunctions: [...(legacy ? EXCLUDED_LEGACY : EXCLUDED_3)] } }] },
    });
    ok('tools accepted', 'the computerUse tool was accepted');
  }, explain, input, () => at);
}
