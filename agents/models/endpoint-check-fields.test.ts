// models test sends each model what a run would: the computer tool chosen by model (or as the settings
// override it) and the token limit under the field the server takes. A real local HTTP server records it.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEndpoint } from './endpoint-check.ts';

let server: Server;
let url = '';
const bodies: Record<string, unknown>[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST') bodies.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.startsWith('/v1/models')) return res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-5.1', object: 'model' }, { id: 'qwen-vl', object: 'model' }] }));
      if (req.url?.startsWith('/v1/responses')) return res.end(JSON.stringify({ id: 'resp_1', object: 'response', output: [], status: 'completed' }));
      res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('models test sends what a run would', () => {
  it('a GPT-5.x Responses model gets the GA computer tool and no truncation; the settings can override it', async () => {
    bodies.length = 0;
    await checkEndpoint({ baseURL: url, apiKey: 'sk-x', model: 'gpt-5.1', adapter: 'openai-responses', timeoutMs: 5000 });
    const tools = bodies.at(-1)!['tools'] as { type: string }[];
    expect(tools).toEqual([{ type: 'computer' }]);
    expect(bodies.at(-1)!['truncation']).toBeUndefined();
    await checkEndpoint({ baseURL: url, apiKey: 'sk-x', model: 'gpt-5.1', adapter: 'openai-responses', timeoutMs: 5000, computerTool: 'computer_use_preview' });
    expect((bodies.at(-1)!['tools'] as { type: string }[])[0]!.type).toBe('computer_use_preview');
  });

  it('a chat server other than OpenAI gets max_tokens, never max_completion_tokens', async () => {
    bodies.length = 0;
    await checkEndpoint({ baseURL: url, apiKey: 'sk-x', model: 'qwen-vl', adapter: 'openai-chat', timeoutMs: 5000 });
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) {
      expect(b['max_tokens']).toEqual(expect.any(Number));
      expect(b['max_completion_tokens']).toBeUndefined();
    }
  });
});
