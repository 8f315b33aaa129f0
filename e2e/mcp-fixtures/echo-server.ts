// A small MCP server for the tests (official SDK, stdio): `echo` (read-only) gives back its text,
// `touch` writes a file, `crash` makes the process exit mid-call.
import { writeFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'testsrv', version: '1' });
server.registerTool('echo', {
  description: 'Echo the text back, upper-cased.',
  inputSchema: z.object({ text: z.string() }),
  annotations: { readOnlyHint: true },
}, async ({ text }) => ({ content: [{ type: 'text', text: `ECHO: ${text.toUpperCase()}` }] }));
server.registerTool('touch', {
  description: 'Write a file.',
  inputSchema: z.object({ path: z.string(), text: z.string() }),
}, async ({ path, text }) => {
  writeFileSync(path, text);
  return { content: [{ type: 'text', text: `wrote ${path}` }] };
});
server.registerTool('crash', { description: 'Exit the server process.', inputSchema: z.object({}) }, async () => process.exit(3));

if (process.env['FIXTURE_FAIL_START']) {
  process.stderr.write('fixture: refusing to start (FIXTURE_FAIL_START)\n');
  process.exit(2);
}
await server.connect(new StdioServerTransport());
