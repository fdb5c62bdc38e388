import { derived, get, writable } from 'svelte/store';
import { en, type MessageKey } from './en';
import { zh } from './zh';

/**
 * A tiny store-based i18n. In components: `$t('run.button')`, `$t('result.size', { kb: 12 })`.
 * Outside components (or for a one-off string): `translate('run.button')`.
 */
export type Locale = 'en' | 'zh';
export type { MessageKey };
export type MessageParams = Record<string, string | number>;
/** A message that is translated where it is shown (validation results carry these). */
export interface Message {
	key: MessageKey;
	params?: MessageParams;
}

export const LOCALES: readonly { id: Locale; label: string }[] = [
	{ id: 'en', label: 'English' },
	{ id: 'zh', label: '简体中文' }
];

export const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, zh };

const STORAGE_KEY = 'darkroom.lang';

export const locale = writable<Locale>('en');

/** `{name}` placeholders are replaced by params; unknown keys fall back to English, then to the key. */
export function format(locale: Locale, key: MessageKey, params?: MessageParams): string {
	const template = dictionaries[locale][key] ?? en[key] ?? key;
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export const t = derived(locale, (l) => (key: MessageKey, params?: MessageParams) => format(l, key, params));

export function translate(key: MessageKey, params?: MessageParams): string {
	return format(get(locale), key, params);
}

export function isLocale(v: unknown): v is Locale {
	return v === 'en' || v === 'zh';
}

/** zh, zh-CN, zh-Hans-SG, … → zh; everything else → en. */
export function localeFromLanguage(lang: string | undefined | null): Locale {
	return lang && /^zh\b/i.test(lang) ? 'zh' : 'en';
}

/** Saved choice first, then the browser's language. Call once on the client. */
export function initLocale(): Locale {
	let saved: string | null = null;
	try {
		saved = localStorage.getItem(STORAGE_KEY);
	} catch {
		/* storage may be blocked */
	}
	const l = isLocale(saved) ? saved : localeFromLanguage(navigator.languages?.[0] ?? navigator.language);
	locale.set(l);
	return l;
}

export function setLocale(l: Locale): void {
	locale.set(l);
	try {
		localStorage.setItem(STORAGE_KEY, l);
	} catch {
		/* storage may be blocked: the choice lasts for this page */
	}
}

/** The value for `<html lang>`. */
export function htmlLang(l: Locale): string {
	return l === 'zh' ? 'zh-CN' : 'en';
}
