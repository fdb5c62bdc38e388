import { describe, expect, it } from 'vitest';
import { foldersOf, joinKey, normalizeFolder, normalizeKey, normalizeTags, sanitizeName, splitKey, uniqueKey } from '../../src/lib/library/keys';
import { isAssetId, newAssetId, sha256Hex } from '../../src/lib/library/ids';

const err = (fn: () => unknown) => {
	try {
		fn();
	} catch (e) {
		return e as { status: number; param: string; message: string };
	}
	throw new Error('expected a rejection');
};

describe('object keys (seed 003)', () => {
	it('keeps a good key and drops a leading slash', () => {
		expect(normalizeKey('photos/2024/cat.jpg')).toBe('photos/2024/cat.jpg');
		expect(normalizeKey('/doc/pic.jpg')).toBe('doc/pic.jpg');
		expect(normalizeKey(' 猫.jpg ')).toBe('猫.jpg');
	});
	it('refuses bad keys, naming the parameter and the reason', () => {
		for (const [raw, why] of [
			['', /empty/],
			['a//b.jpg', /empty path segment/],
			['a/../b.jpg', /"\.\." is not allowed/],
			['photos/', /names a folder/],
			['a\\b.jpg', /use \//],
			['a\u0001b', /control characters/],
			['x'.repeat(851), /850 bytes/]
		] as const) {
			const e = err(() => normalizeKey(raw, 'key'));
			expect(e.status).toBe(400);
			expect(e.param).toBe('key');
			expect(e.message).toMatch(why);
		}
		expect(err(() => normalizeKey(42)).message).toBe('Expected an object key like "photos/2024/cat.jpg" for key but received 42 of type number');
	});
	it('normalises folders; "" is the top level', () => {
		expect(normalizeFolder('/photos/2024/')).toBe('photos/2024');
		expect(normalizeFolder('')).toBe('');
		expect(normalizeFolder('/')).toBe('');
		expect(err(() => normalizeFolder('a//b')).param).toBe('folder');
	});
	it('splits and joins', () => {
		expect(splitKey('a/b/c.jpg')).toEqual({ folder: 'a/b', name: 'c.jpg' });
		expect(splitKey('c.jpg')).toEqual({ folder: '', name: 'c.jpg' });
		expect(joinKey('', 'c.jpg')).toBe('c.jpg');
		expect(joinKey('a', 'c.jpg')).toBe('a/c.jpg');
	});
	it('sanitises names from pickers and URLs', () => {
		expect(sanitizeName('C:\\Users\\me\\cat.jpg')).toBe('cat.jpg');
		expect(sanitizeName('/x/y/..')).toBe('');
		expect(sanitizeName('a\u0000b.png')).toBe('a_b.png');
	});
	it('makes a taken key unique before the extension', () => {
		const taken = new Set(['p/cat.jpg', 'p/cat-2.jpg', 'README']);
		expect(uniqueKey('p/cat.jpg', (k) => taken.has(k))).toBe('p/cat-3.jpg');
		expect(uniqueKey('README', (k) => taken.has(k))).toBe('README-2');
		expect(uniqueKey('p/dog.jpg', (k) => taken.has(k))).toBe('p/dog.jpg');
	});
	it('lists every folder with its ancestors', () => {
		expect(foldersOf(['a/b/c.jpg', 'a/d.jpg', 'x.jpg', 'z/y/w/v.png'])).toEqual(['a', 'a/b', 'z', 'z/y', 'z/y/w']);
	});
});

describe('tags', () => {
	it('accepts arrays and comma-separated strings, trimmed and de-duplicated', () => {
		expect(normalizeTags(['cat', ' pet ', 'cat', ''])).toEqual(['cat', 'pet']);
		expect(normalizeTags('cat, pet,,cat')).toEqual(['cat', 'pet']);
		expect(normalizeTags(undefined)).toEqual([]);
	});
	it('refuses non-strings, long tags and too many, naming the element', () => {
		expect(err(() => normalizeTags(['a', 3])).param).toBe('tags[1]');
		expect(err(() => normalizeTags(['x'.repeat(65)])).message).toMatch(/at most 64 characters for tags\[0\]/);
		expect(err(() => normalizeTags(Array.from({ length: 51 }, (_, i) => `t${i}`))).message).toMatch(/at most 50 tags/);
		expect(err(() => normalizeTags({ a: 1 })).param).toBe('tags');
	});
});

describe('asset ids', () => {
	it('are 26 base32 characters from 128 random bits', () => {
		const ids = new Set(Array.from({ length: 2000 }, () => newAssetId()));
		expect(ids.size).toBe(2000);
		for (const id of ids) expect(isAssetId(id), id).toBe(true);
		expect(newAssetId(() => new Uint8Array(17))).toBe('0'.repeat(26));
		expect(newAssetId(() => new Uint8Array(17).fill(255))).toBe('z'.repeat(25) + 'w');
	});
	it('reject look-alikes', () => {
		expect(isAssetId('0'.repeat(25))).toBe(false);
		expect(isAssetId('i'.repeat(26))).toBe(false); // not in Crockford's alphabet
		expect(isAssetId('A'.repeat(26))).toBe(false);
	});
	it('etag is the hex SHA-256', async () => {
		expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});
