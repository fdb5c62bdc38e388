import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, paginate, validateLimit, MAX_LIMIT } from '../../src/lib/library/cursor';

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
// Two assets share a timestamp: the id breaks the tie.
const items = [
	{ id: 'b', created_at: at(1) },
	{ id: 'a', created_at: at(1) },
	{ id: 'c', created_at: at(2) },
	{ id: 'd', created_at: at(3) },
	{ id: 'e', created_at: at(4) }
];

function walk(list: typeof items, order: 'asc' | 'desc', limit: number): string[][] {
	const pages: string[][] = [];
	let cursor: string | undefined;
	do {
		const { page, next_cursor } = paginate(list, { order, limit, after: decodeCursor(cursor, order) });
		pages.push(page.map((x) => x.id));
		cursor = next_cursor;
	} while (cursor);
	return pages;
}

describe('image.list pagination', () => {
	it('pages through every asset once, in a total order', () => {
		expect(walk(items, 'asc', 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
		expect(walk(items, 'desc', 2)).toEqual([['e', 'd'], ['c', 'b'], ['a']]);
		expect(walk(items, 'asc', 5)).toEqual([['a', 'b', 'c', 'd', 'e']]);
	});
	it('has no next_cursor on the last page, even an exactly full one', () => {
		expect(paginate(items, { order: 'asc', limit: 5 }).next_cursor).toBeUndefined();
		expect(paginate([], { order: 'asc', limit: 5 })).toEqual({ page: [] });
	});
	it('stays stable when assets are added or deleted between pages', () => {
		const first = paginate(items, { order: 'asc', limit: 2 });
		const changed = [...items.filter((x) => x.id !== 'b' && x.id !== 'c'), { id: 'f', created_at: at(5) }, { id: '0', created_at: at(0) }];
		const rest = paginate(changed, { order: 'asc', limit: 10, after: decodeCursor(first.next_cursor, 'asc') });
		expect(rest.page.map((x) => x.id)).toEqual(['d', 'e', 'f']);
	});
	it('cursor is opaque URL-safe text that round-trips', () => {
		const c = encodeCursor({ id: 'z9', created_at: at(7) }, 'desc');
		expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(decodeCursor(c, 'desc')).toEqual({ id: 'z9', created_at: at(7) });
		expect(decodeCursor(undefined, 'desc')).toBeUndefined();
		expect(decodeCursor('', 'desc')).toBeUndefined();
	});
	it('refuses cursors it did not make, and one from the other order', () => {
		const c = encodeCursor({ id: 'a', created_at: at(1) }, 'asc');
		for (const bad of ['not a cursor!', 'abc', 42, btoa('{"v":2}')]) {
			let e: any;
			try {
				decodeCursor(bad, 'asc');
			} catch (x) {
				e = x;
			}
			expect(e?.status, String(bad)).toBe(400);
			expect(e.param).toBe('cursor');
			expect(e.message).toMatch(/next_cursor returned by image\.list/);
		}
		expect(() => decodeCursor(c, 'desc')).toThrow(/made for order "asc"/);
	});
	it('validates limit', () => {
		expect(validateLimit(undefined)).toBe(50);
		expect(validateLimit(1)).toBe(1);
		expect(validateLimit(MAX_LIMIT)).toBe(MAX_LIMIT);
		for (const bad of [0, -1, 1.5, MAX_LIMIT + 1, '10']) expect(() => validateLimit(bad), String(bad)).toThrow(`Expected integer between 1 and ${MAX_LIMIT} for limit but received`);
	});
});
