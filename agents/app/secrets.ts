// Where API keys live. The app stores them encrypted (Electron's safeStorage); `deskpilot serve`
// stores them encrypted in its data folder (FileSecrets). Either way a key never goes back to the UI.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretStore {
  /** 'encrypted': kept on disk, encrypted by the OS keychain; 'memory': gone when the process ends. */
  readonly kind: 'encrypted' | 'memory';
  get(name: string): string | undefined;
  set(name: string, value: string | null): void;
  has(name: string): boolean;
}

export class MemorySecrets implements SecretStore {
  readonly kind = 'memory' as const;
  private readonly values = new Map<string, string>();

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  set(name: string, value: string | null): void {
    if (value === null || value === '') this.values.delete(name);
    else this.values.set(name, value);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
}

interface Sealed { iv: string; tag: string; data: string }

/**
 * Keys encrypted at rest in the data folder: AES-256-GCM with a random key kept in `secrets.key`
 * (owner-only, 0600) beside `secrets.json` (0600). It protects a copied or backed-up secrets file,
 * not against someone who can read the whole data folder as this user; the OS keyring does better
 * where there is one (the desktop app uses it through safeStorage).
 */
export class FileSecrets implements SecretStore {
  readonly kind = 'encrypted' as const;
  private readonly key: Buffer;
  private readonly file: string;
  private sealed: Record<string, Sealed>;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    const keyFile = join(dataDir, 'secrets.key');
    if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    this.key = readFileSync(keyFile);
    if (this.key.length !== 32) throw new Error(`${keyFile} is not a Deskpilot key file (32 bytes): move it aside and type the keys again`);
    this.file = join(dataDir, 'secrets.json');
    this.sealed = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, Sealed>) : {};
  }

  get(name: string): string | undefined {
    const s = this.sealed[name];
    if (!s) return undefined;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(s.iv, 'base64'));
      d.setAuthTag(Buffer.from(s.tag, 'base64'));
      return Buffer.concat([d.update(Buffer.from(s.data, 'base64')), d.final()]).toString('utf8');
    } catch {
      return undefined; // sealed with another key file, or altered: as if never set
    }
  }

  set(name: string, value: string | null): void {
    const next = { ...this.sealed };
    if (value === null || value === '') delete next[name];
    else {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', this.key, iv);
      const data = Buffer.concat([c.update(value, 'utf8'), c.final()]);
      next[name] = { iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
    this.sealed = next;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}
