// UI strings go through t(key, params). Each language is one file in this folder named by its code
// (en.ts, de.ts...) default-exporting a Catalogue; English is the reference for the keys.
import en from './en.ts';

/** A plain message, or plural forms chosen by params.count. `{name}` is replaced by params.name. */
export type Message = string | { one: string; other: string };
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, Message>;
export type Params = Record<string, string | number>;

const modules = import.meta.glob<{ default: Catalogue }>(['./*.ts', '!./index.ts', '!./*.test.ts'], { eager: true });
const catalogues = new Map<string, Catalogue>(
  Object.entries(modules).map(([path, mod]) => [path.replace(/^\.\/|\.ts$/g, ''), mod.default]),
);
catalogues.set('en', en);

let language = 'en';
let catalogue: Catalogue = en;
let plurals = new Intl.PluralRules('en');

export function availableLanguages(): string[] {
  return [...catalogues.keys()].sort();
}

/** Switches the language; unknown codes fall back to English. */
export function setLanguage(code: string): void {
  language = catalogues.has(code) ? code : 'en';
  catalogue = catalogues.get(language) ?? en;
  plurals = new Intl.PluralRules(language);
}

export function currentLanguage(): string {
  return language;
}

export function t(key: MessageKey, params?: Params): string {
  const message: Message = catalogue[key] ?? en[key];
  let text: string;
  if (typeof message === 'string') text = message;
  else text = plurals.select(Number(params?.['count'] ?? 0)) === 'one' ? message.one : message.other;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
