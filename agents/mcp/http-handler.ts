// The Streamable HTTP transport of Deskpilot's MCP server, at /mcp in `deskpilot serve`. The server
// has already checked the token, the origin and the host; this only routes to MCP sessions.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { AppService } from '../app/app-service.ts';
import { DeskpilotMcp } from './server.ts';
import { readBody } from '../server/read-body.ts';

const MAX_BODY = 4 << 20;

export interface McpHttpHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

/** MCP over HTTP for serve: approvals come from the app's page, so risky actions wait for the operator. */
export function createMcpHttpHandler(app: AppService): McpHttpHandler {
  // The user's own screen is theirs to open to MCP clients, in the settings.
  const hub = new DeskpilotMcp({ app, canApprove: true, ownScreenBySettings: true });
  const transports = new Map<string, StreamableHTTPServerTransport>();

  const fail = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
  };

  return {
    async handle(req, res) {
      const sessionId = req.headers['mcp-session-id'];
      const known = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
      if (req.method !== 'POST') {
        if (!known) return fail(res, 400, 'no MCP session with this id: initialize first (POST /mcp)');
        return known.handleRequest(req, res);
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, MAX_BODY));
      } catch (err) {
        return fail(res, 400, `the body is not JSON: ${(err as Error).message}`);
      }
      if (known) return known.handleRequest(req, res, body);
      if (sessionId !== undefined) return fail(res, 404, 'this MCP session has ended: initialize a new one');
      if (!isInitializeRequest(body)) return fail(res, 400, 'no MCP session: the first request must be initialize');
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, transport),
      });
      transport.onclose = () => {
        if (transport.sessionId) transports.delete(transport.sessionId);
      };
      await hub.createServer().connect(transport);
      await transport.handleRequest(req, res, body);
    },
    async close() {
      await Promise.all([...transports.values()].map((t) => t.close().catch(() => undefined)));
      await hub.close();
    },
  };
}

