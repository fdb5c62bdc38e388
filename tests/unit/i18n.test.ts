import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { en } from '../../src/lib/i18n/en';
import { zh } from '../../src/lib/i18n/zh';
import { format, locale, localeFromLanguage, t } from '../../src/lib/i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionaries', () => {
	it('en and zh have identical key sets', () => {
		const enKeys = Object.keys(en).sort();
		const zhKeys = Object.keys(zh).sort();
		expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
		expect(enKeys.filter((k) => !(k in zh))).toEqual([]);
		expect(zhKeys).toEqual(enKeys);
	});

	it('has no empty strings', () => {
		for (const [name, dict] of Object.entries({ en, zh })) {
			for (const [k, v] of Object.entries(dict)) {
				expect(typeof v, `${name}.${k}`).toBe('string');
				expect((v as string).trim().length, `${name}.${k} is empty`).toBeGreaterThan(0);
			}
		}
	});

	it('uses the same {placeholders} in both languages', () => {
		for (const k of Object.keys(en) as (keyof typeof en)[]) {
			expect(placeholders(zh[k]), k).toEqual(placeholders(en[k]));
		}
	});
});

describe('i18n runtime', () => {
	it('fills placeholders and follows the locale store', () => {
		expect(format('en', 'run.all', { n: 3 })).toBe('Run on all (3)');
		locale.set('zh');
		expect(get(t)('run.button')).toBe(zh['run.button']);
		locale.set('en');
		expect(get(t)('run.button')).toBe('Run');
	});

	it('maps browser languages', () => {
		expect(localeFromLanguage('zh-CN')).toBe('zh');
		expect(localeFromLanguage('zh-Hant-TW')).toBe('zh');
		expect(localeFromLanguage('zh')).toBe('zh');
		expect(localeFromLanguage('en-GB')).toBe('en');
		expect(localeFromLanguage('fr')).toBe('en');
		expect(localeFromLanguage(undefined)).toBe('en');
	});
});
