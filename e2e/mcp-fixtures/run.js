// Starts a TypeScript fixture through tsx, as bin/deskpilot.js does: node e2e/mcp-fixtures/run.js echo-server.ts
import { register } from 'tsx/esm/api';

register();
await import(new URL(process.argv[2], import.meta.url).href);
