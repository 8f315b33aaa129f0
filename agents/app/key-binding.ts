// A key is bound to the address it was given for: whoever can change a provider's base URL (anyone
// with the serve token) must not be able to send the user's key to a host of their choosing.
// - A key entered in Settings is bound to the origin of the provider's URL at that moment; the
//   binding is kept in the same secret store, under `<provider id>@origin`.
// - A key from the environment (OPENAI_API_KEY...) is bound to the preset's default URL; for
//   presets without one (Azure), to the provider's URL in the settings the app started with.
//   A provider added or repointed later must be given its key in Settings.
// - Changing a provider's origin deletes its stored key (settings.update), and a key is never sent
//   to an origin it is not bound to (checked again where the planner is made).
import type { ProviderConfig, Settings } from '../contract.ts';
import { findPreset } from '../models/providers.ts';
import { CommandError } from './command-error.ts';
import type { SecretStore } from './secrets.ts';

/** The SDK's own default when the OpenAI preset is left without a URL. */
const OPENAI_DEFAULT_URL = 'https://api.openai.com/v1';

const bindingName = (providerId: string) => `${providerId}@origin`;

/** Where requests for this provider go: its URL, else its preset's. */
export function effectiveURL(provider: Pick<ProviderConfig, 'baseURL' | 'preset'>): string | undefined {
  const preset = findPreset(provider.preset);
  return provider.baseURL || preset?.baseURL || (provider.preset === 'openai' ? OPENAI_DEFAULT_URL : undefined);
}

export function originOf(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  return new URL(url).origin;
}

/**
 * The app's secret store with every key bound to an address. It is a SecretStore so that the run
 * host, which takes one, can be given it unchanged; `keysFor` then checks the bindings.
 */
export class KeyRing implements SecretStore {
  readonly kind: SecretStore['kind'];
  /** provider id -> the origin its environment key may go to (presets without a default URL). */
  private readonly envOrigins = new Map<string, string>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly env: Record<string, string | undefined>,
    startup: Settings,
  ) {
    this.kind = secrets.kind;
    for (const p of startup.providers) {
      const origin = originOf(effectiveURL(p));
      if (!origin) continue;
      if (!findPreset(p.preset)?.baseURL) this.envOrigins.set(p.id, origin);
      // Keys stored before bindings existed: the settings on disk at start-up are the user's own.
      if (secrets.has(p.id) && !secrets.has(bindingName(p.id))) secrets.set(bindingName(p.id), origin);
    }
  }

  get(name: string): string | undefined {
    return this.secrets.get(name);
  }

  set(name: string, value: string | null): void {
    this.secrets.set(name, value);
  }

  has(name: string): boolean {
    return this.secrets.has(name);
  }

  /** Stores a key for the provider's current address (null or '' deletes it). */
  setKey(provider: ProviderConfig, apiKey: string | null): void {
    const origin = originOf(effectiveURL(provider));
    if (apiKey && !origin) throw new CommandError('bad_input', `${provider.label} has no base URL yet: set one before its key, so the key is only sent there`);
    this.secrets.set(provider.id, apiKey || null);
    this.secrets.set(bindingName(provider.id), apiKey ? origin! : null);
  }

  /** Deletes the stored key of every provider whose origin changed or that is gone; returns their ids. */
  dropMoved(before: Settings, after: Settings): string[] {
    const dropped: string[] = [];
    for (const old of before.providers) {
      const now = after.providers.find((p) => p.id === old.id);
      if (now && originOf(effectiveURL(now)) === originOf(effectiveURL(old))) continue;
      if (!this.secrets.has(old.id)) continue;
      this.setKey(old, null);
      dropped.push(old.id);
    }
    return dropped;
  }

  /** The environment variable whose key may go to this provider's current address, if any. */
  envKeyName(provider: ProviderConfig): string | undefined {
    const keyEnv = findPreset(provider.preset)?.keyEnv;
    if (!keyEnv || !this.env[keyEnv]) return undefined;
    return this.envOriginFor(provider) === originOf(effectiveURL(provider)) ? keyEnv : undefined;
  }

  /** Whether a stored key exists and is bound to the provider's current address. */
  hasBoundKey(provider: ProviderConfig): boolean {
    return this.secrets.has(provider.id) && this.secrets.get(bindingName(provider.id)) === originOf(effectiveURL(provider));
  }

  /** The keys that may be sent to this provider now; throws, saying what to do, when a key exists but is bound elsewhere. */
  keysFor(provider: ProviderConfig): { apiKey: string | undefined; envKey: string | undefined } {
    const apiKey = this.hasBoundKey(provider) ? this.secrets.get(provider.id) : undefined;
    const keyEnv = this.envKeyName(provider);
    const envKey = keyEnv ? this.env[keyEnv] : undefined;
    if (apiKey || envKey) return { apiKey, envKey };
    const where = originOf(effectiveURL(provider)) ?? 'its base URL';
    if (this.secrets.has(provider.id)) {
      throw new CommandError('bad_input', `${provider.label}: its key was given for ${this.secrets.get(bindingName(provider.id)) ?? 'another address'}, not ${where}: enter the key again for the new address in Settings`);
    }
    const presetKeyEnv = findPreset(provider.preset)?.keyEnv;
    if (presetKeyEnv && this.env[presetKeyEnv]) {
      throw new CommandError('bad_input', `${provider.label}: the key in ${presetKeyEnv} is only sent to ${this.envOriginFor(provider) ?? 'the address set when Deskpilot started'}, not ${where}: enter the key again for the new address in Settings`);
    }
    return { apiKey: undefined, envKey: undefined };
  }

  private envOriginFor(provider: ProviderConfig): string | undefined {
    const presetURL = findPreset(provider.preset)?.baseURL;
    return presetURL ? originOf(presetURL) : this.envOrigins.get(provider.id);
  }
}

/** The keys the run host may use for a provider: bound ones through a KeyRing, or the store as is. */
export function keysFor(secrets: SecretStore, env: Record<string, string | undefined>, provider: ProviderConfig): { apiKey: string | undefined; envKey: string | undefined } {
  if (secrets instanceof KeyRing) return secrets.keysFor(provider);
  // A bare store (tests of the run host alone) has no bindings: only the preset's own address gets the env key.
  const keyEnv = findPreset(provider.preset)?.keyEnv;
  const envKey = keyEnv && originOf(findPreset(provider.preset)?.baseURL) === originOf(effectiveURL(provider)) ? env[keyEnv] : undefined;
  return { apiKey: secrets.get(provider.id), envKey };
}
