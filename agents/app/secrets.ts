// Where API keys live. The app stores them encrypted (Electron's safeStorage); `deskpilot serve`
// keeps keys typed into the UI in memory only. Either way a key never goes back to the UI.

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
