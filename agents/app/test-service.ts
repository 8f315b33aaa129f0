// An AppService on a fresh data folder for tests: real SQLite, real files, keys in memory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppService, type AppServiceOptions } from './app-service.ts';
import { MemorySecrets } from './secrets.ts';

export async function openTestService(opts: Partial<AppServiceOptions> = {}): Promise<AppService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dp-app-'));
  return AppService.open({ dataDir, transport: 'http', secrets: new MemorySecrets(), env: {}, ...opts });
}
