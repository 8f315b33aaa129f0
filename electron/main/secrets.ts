// API keys encrypted with the OS keychain through safeStorage, kept as base64 in
// userData/secrets.json (written atomically, readable by the user only). Where the OS offers no
// real encryption, keys stay in memory and the log says why; they are never written in clear.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { safeStorage } from 'electron';
import { MemorySecrets, type SecretStore } from '../../agents/app/secrets.ts';

interface SecretsFile {
  version: 1;
  /** name -> base64 of safeStorage.encryptString(value) */
  secrets: Record<string, string>;
}

export class EncryptedSecrets implements SecretStore {
  readonly kind = 'encrypted' as const;
  private readonly sealed = new Map<string, string>();

  constructor(private readonly file: string) {
    if (!existsSync(file)) return;
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SecretsFile>;
      for (const [name, value] of Object.entries(parsed.secrets ?? {})) if (typeof value === 'string') this.sealed.set(name, value);
    } catch (err) {
      console.warn(`Deskpilot: ignoring unreadable ${file} (${(err as Error).message}); keys must be entered again`);
    }
  }

  get(name: string): string | undefined {
    const sealed = this.sealed.get(name);
    if (sealed === undefined) return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch (err) {
      // The keychain entry changed (another user, a reset keyring): the key is lost, not the app.
      console.warn(`Deskpilot: cannot decrypt the key for ${name} (${(err as Error).message}); enter it again in Settings`);
      return undefined;
    }
  }

  set(name: string, value: string | null): void {
    if (value === null || value === '') this.sealed.delete(name);
    else this.sealed.set(name, safeStorage.encryptString(value).toString('base64'));
    this.save();
  }

  has(name: string): boolean {
    return this.sealed.has(name);
  }

  private save(): void {
    const data: SecretsFile = { version: 1, secrets: Object.fromEntries(this.sealed) };
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    mkdirSync(dirname(this.file), { recursive: true });
    try {
      writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }
}

/** Call after app 'ready': safeStorage cannot tell before then on Linux. */
export function openSecrets(dataDir: string): SecretStore {
  const reason = whyNoEncryption();
  if (reason) {
    console.warn(`Deskpilot: API keys will be kept in memory only and forgotten on quit: ${reason}`);
    return new MemorySecrets();
  }
  return new EncryptedSecrets(join(dataDir, 'secrets.json'));
}

function whyNoEncryption(): string | undefined {
  if (!safeStorage.isEncryptionAvailable()) return 'the OS offers no encryption to safeStorage (no keychain or secret service)';
  // 'basic_text' encrypts with a fixed, public password: no better than clear text on disk.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return 'no secret service (gnome-keyring, KWallet) is running, so safeStorage would use a fixed password';
  }
  return undefined;
}
