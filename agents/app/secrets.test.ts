import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecrets } from './secrets.ts';

describe('FileSecrets', () => {
  it('keeps keys across restarts, encrypted in owner-only files, and drops what was altered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-secrets-'));
    const a = new FileSecrets(dir);
    a.set('provider:openai', 'sk-live-0123456789abcdef');
    expect(a.get('provider:openai')).toBe('sk-live-0123456789abcdef');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('0123456789abcdef');
    for (const f of ['secrets.json', 'secrets.key']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);

    const b = new FileSecrets(dir); // a restart
    expect(b.get('provider:openai')).toBe('sk-live-0123456789abcdef');
    expect(b.has('provider:openai')).toBe(true);
    b.set('provider:openai', null);
    expect(new FileSecrets(dir).has('provider:openai')).toBe(false);

    b.set('x', 'value');
    const file = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as Record<string, { data: string }>;
    file['x']!.data = Buffer.from('tampered').toString('base64');
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(file));
    expect(new FileSecrets(dir).get('x')).toBeUndefined();
  });
});
