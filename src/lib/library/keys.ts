import { DarkroomError, describe } from '../api/errors';

/**
 * Object keys as in seed 003 (COS): `photos/2024/cat.jpg`. The part before the last
 * `/` is the folder, the rest the name. Keys are unique in the library.
 */

/** COS's own limit on an object key. */
export const MAX_KEY_BYTES = 850;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;

const encoder = new TextEncoder();

function bad(param: string, expected: string, value: unknown, why: string): DarkroomError {
	return new DarkroomError('invalid_parameter', `Expected ${expected} for ${param} but received ${describe(value)} (${why})`, param);
}

function checkSegments(path: string, param: string, expected: string, raw: unknown): void {
	if (encoder.encode(path).length > MAX_KEY_BYTES) throw bad(param, expected, raw, `longer than ${MAX_KEY_BYTES} bytes`);
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f]/.test(path)) throw bad(param, expected, raw, 'control characters are not allowed');
	if (path.includes('\\')) throw bad(param, expected, raw, 'use / between folders, not \\');
	for (const seg of path.split('/')) {
		if (seg === '') throw bad(param, expected, raw, 'empty path segment');
		if (seg === '.' || seg === '..') throw bad(param, expected, raw, `"${seg}" is not allowed as a path segment`);
	}
}

const KEY_EXPECTED = 'an object key like "photos/2024/cat.jpg"';
const FOLDER_EXPECTED = 'a folder like "photos/2024" ("" for the top level)';

/** A leading `/` is dropped (COS treats `/doc/pic.jpg` and `doc/pic.jpg` alike); a trailing one names a folder and is an error. */
export function normalizeKey(raw: unknown, param = 'key'): string {
	if (typeof raw !== 'string') throw new DarkroomError('invalid_parameter', `Expected ${KEY_EXPECTED} for ${param} but received ${describe(raw)}`, param);
	const key = raw.trim().replace(/^\/+/, '');
	if (key === '') throw bad(param, KEY_EXPECTED, raw, 'empty');
	if (key.endsWith('/')) throw bad(param, KEY_EXPECTED, raw, 'ends with /, which names a folder');
	checkSegments(key, param, KEY_EXPECTED, raw);
	return key;
}

/** Leading and trailing slashes are dropped: `/photos/2024/` → `photos/2024`. */
export function normalizeFolder(raw: unknown, param = 'folder'): string {
	if (typeof raw !== 'string') throw new DarkroomError('invalid_parameter', `Expected ${FOLDER_EXPECTED} for ${param} but received ${describe(raw)}`, param);
	const folder = raw.trim().replace(/^\/+|\/+$/g, '');
	if (folder === '') return '';
	checkSegments(folder, param, FOLDER_EXPECTED, raw);
	return folder;
}

/** A file name as given by a picker or a URL: the last path part, with characters keys refuse replaced. */
export function sanitizeName(raw: string): string {
	// eslint-disable-next-line no-control-regex
	const base = raw.split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '_').trim();
	return base === '.' || base === '..' ? '' : base;
}

export function splitKey(key: string): { folder: string; name: string } {
	const i = key.lastIndexOf('/');
	return i < 0 ? { folder: '', name: key } : { folder: key.slice(0, i), name: key.slice(i + 1) };
}

export function joinKey(folder: string, name: string): string {
	return folder ? `${folder}/${name}` : name;
}

/** `cat.jpg` taken → `cat-2.jpg`, then `cat-3.jpg`…: uploads that only name a file never fail on a repeat. */
export function uniqueKey(key: string, taken: (k: string) => boolean): string {
	if (!taken(key)) return key;
	const { folder, name } = splitKey(key);
	const dot = name.lastIndexOf('.');
	const stem = dot > 0 ? name.slice(0, dot) : name;
	const ext = dot > 0 ? name.slice(dot) : '';
	for (let n = 2; ; n++) {
		const k = joinKey(folder, `${stem}-${n}${ext}`);
		if (!taken(k)) return k;
	}
}

/** Every folder that holds a key, with its ancestors: `a/b/c.jpg` → `a`, `a/b`. Sorted. */
export function foldersOf(keys: Iterable<string>): string[] {
	const out = new Set<string>();
	for (const key of keys) {
		const parts = key.split('/');
		for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('/'));
	}
	return [...out].sort();
}

/** An array of strings or one comma-separated string; trimmed, de-duplicated, order kept. */
export function normalizeTags(raw: unknown, param = 'tags'): string[] {
	if (raw === undefined || raw === null) return [];
	const list = typeof raw === 'string' ? raw.split(',') : raw;
	if (!Array.isArray(list)) throw new DarkroomError('invalid_parameter', `Expected an array of strings or a comma-separated string for ${param} but received ${describe(raw)}`, param);
	const out: string[] = [];
	list.forEach((t, i) => {
		if (typeof t !== 'string') throw new DarkroomError('invalid_parameter', `Expected string for ${param}[${i}] but received ${describe(t)}`, `${param}[${i}]`);
		const tag = t.trim();
		if (tag === '') return;
		if (tag.length > MAX_TAG_LENGTH) throw new DarkroomError('invalid_parameter', `Expected a tag of at most ${MAX_TAG_LENGTH} characters for ${param}[${i}] but received ${describe(t)}`, `${param}[${i}]`);
		if (!out.includes(tag)) out.push(tag);
	});
	if (out.length > MAX_TAGS) throw new DarkroomError('invalid_parameter', `Expected at most ${MAX_TAGS} tags for ${param} but received ${out.length}`, param);
	return out;
}
