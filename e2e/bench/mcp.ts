// MCP round trip: `screenshot` and `click` from the SDK client over stdio (`deskpilot mcp`) beside
// the same call through our own driver on a sandbox, in one run (figures move with load: compare as ratios).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { openTarget } from '../../agents/desktop/targets.ts';
import { timingRow, type Row } from './stats.ts';

const BIN = new URL('../../bin/deskpilot.js', import.meta.url).pathname;

/** Rows: MCP screenshot, driver capture, MCP click, driver click (median, p95 in ms). */
export async function benchMcp(samples = 20): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskpilot-bench-mcp-'));
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--data-dir', dataDir], env: { ...process.env } as Record<string, string>, stderr: 'ignore' }));
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
    if (r.isError) throw new Error(`${name}: ${JSON.stringify(r.content)}`);
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const out: number[] = [];
    await fn(); // warm-up
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    }
    return out;
  };
  const rows: Row[] = [];
  try {
    await call('sandbox_start', { apps: [] });
    rows.push(timingRow('mcp screenshot (stdio, 1024 px PNG)', await timed(() => call('screenshot', {}))));
    rows.push(timingRow('mcp click (stdio)', await timed(() => call('click', { x: 640, y: 400 }))));
    await call('sandbox_stop', {});
    const target = await openTarget({ kind: 'sandbox', launch: [] });
    try {
      rows.push(timingRow('driver capture (1024 px PNG)', await timed(() => target.driver.capture({ format: 'png', width: 1024 }))));
      rows.push(timingRow('driver click', await timed(() => target.driver.perform({ type: 'click', x: 640, y: 400 }))));
    } finally {
      await target.close();
    }
  } finally {
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
