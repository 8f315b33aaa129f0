// Secrets out of everything the store keeps: the keys in use (registered by whoever creates a
// planner) and key-shaped strings, replaced by "[redacted]" before text enters the log, so an
// endpoint that echoes a key cannot get it stored, shown, exported or sent to another model.
import { PROVIDER_PRESETS } from '../models/providers.ts';

export const REDACTED = '[redacted]';

/** Shorter keys are not redacted as literals: "ollama" or "k" would corrupt ordinary text. */
export const MIN_SECRET_LENGTH = 8;

// Keys local servers accept as "no key": words a user may type, never secrets.
const PLACEHOLDER_KEYS = new Set<string>([
  ...PROVIDER_PRESETS.flatMap((p) => (p.placeholderKey ? [p.placeholderKey] : [])),
  'not-needed', 'not-required', 'placeholder', 'no-key', 'none', 'dummy', 'EMPTY', 'sk-no-key-required',
]);

/** A key worth redacting wherever it appears: long enough, and not a local server's placeholder. */
export function isRealSecret(key: string | null | undefined): key is string {
  return typeof key === 'string' && key.trim().length >= MIN_SECRET_LENGTH && !PLACEHOLDER_KEYS.has(key.trim());
}

const hasDigitOrUpper = (s: string) => /[0-9A-Z]/.test(s);

// Each shape keeps what tells a reader what was there ("Authorization: Bearer ") and redacts the value.
// Token classes exclude quotes and backslashes, so redacting JSON text leaves it valid JSON.
const SHAPES: { re: RegExp; replace: (match: string, ...groups: string[]) => string }[] = [
  { re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, replace: () => REDACTED },
  {
    // Header or field names that hold a key, in headers, JSON (also escaped JSON) and query strings.
    re: /\b((?:proxy-)?authorization|x-api-key|x-goog-api-key|api[-_]?key|access[-_]?token)(\\?["']?\s*[:=]\s*\\?["']?)((?:Bearer|Basic|Token)\s+)?([^\s"'\\,;&<>]{8,})/gi,
    replace: (_m, name, sep, scheme = '') => `${name}${sep}${scheme}${REDACTED}`,
  },
  // A bearer token anywhere else: long, and with a digit, so "Bearer of bad news" stays.
  { re: /\b([Bb]earer\s+)([A-Za-z0-9._~+/-]{12,}=*)/g, replace: (m, prefix, token) => (/[0-9]/.test(token) ? `${prefix}${REDACTED}` : m) },
  // OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) keys; lowercase hyphenated words are left alone.
  { re: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g, replace: (m) => (hasDigitOrUpper(m.slice(3)) ? REDACTED : m) },
  { re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: () => REDACTED },
  { re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/g, replace: () => REDACTED },
  { re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, replace: () => REDACTED },
  { re: /\bxox[bpaors]-[A-Za-z0-9-]{10,}/g, replace: () => REDACTED },
];

/**
 * Where the key-shaped strings in `text` are ([start, end) offsets of the part `redact` would replace),
 * for masks that are not text: the OCR'd words of a screenshot (agents/desktop/secret-text.ts).
 */
export function keyShapedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const { re, replace } of SHAPES) {
    text.replace(re, (match: string, ...rest: unknown[]) => {
      const offset = rest.find((r) => typeof r === 'number') as number;
      const out = (replace as (m: string, ...g: unknown[]) => string)(match, ...rest);
      if (out === match) return match;
      // The replaced part: what the match and its replacement do not share at either end.
      let head = 0;
      while (head < match.length && match[head] === out[head]) head++;
      let tail = 0;
      while (tail < match.length - head && match[match.length - 1 - tail] === out[out.length - 1 - tail]) tail++;
      spans.push([offset + head, offset + match.length - tail]);
      return match;
    });
  }
  return spans;
}

/** JSON of `value` with every string in it, however deep, passed through `clean`: one pass, no copies. */
export function jsonWithCleanStrings(value: unknown, clean: (s: string) => string): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? clean(v) : v));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole occurrences of `secrets` (not inside a longer word), longest first. */
function literalPattern(secrets: Iterable<string>): RegExp | undefined {
  const list = [...secrets].sort((a, b) => b.length - a.length);
  if (list.length === 0) return undefined;
  return new RegExp(`(?<![A-Za-z0-9])(?:${list.map(escapeRe).join('|')})(?![A-Za-z0-9])`, 'g');
}

export class Redactor {
  readonly #secrets = new Set<string>();
  #literal: RegExp | undefined;

  constructor(secrets: Iterable<string | null | undefined> = []) {
    for (const s of secrets) this.addSecret(s);
  }

  /** Registers a key in use; placeholders and keys shorter than 8 characters are ignored (false). */
  addSecret(secret: string | null | undefined): boolean {
    if (!isRealSecret(secret)) return false;
    const key = secret.trim();
    if (this.#secrets.has(key)) return true;
    this.#secrets.add(key);
    this.#literal = literalPattern(this.#secrets);
    return true;
  }

  /** The registered keys and every key-shaped string replaced by "[redacted]". */
  redact(text: string): string {
    if (text.length < MIN_SECRET_LENGTH) return text;
    let out = this.redactKeys(text);
    for (const { re, replace } of SHAPES) out = out.replace(re, replace as (m: string, ...g: unknown[]) => string);
    return out;
  }

  /** Only whole occurrences of the registered keys: safe for text with exact meaning (JSON lines). */
  redactKeys(text: string): string {
    return this.#literal ? text.replace(this.#literal, REDACTED) : text;
  }
}
