import { DarkroomError, describe, invalidParam } from '../api/errors';

/**
 * `image.list` pagination. Assets are ordered by (created_at, id) — a total order, so a
 * page boundary never splits or repeats an asset, even when assets are added or
 * deleted between pages. The cursor is the position of the last asset handed out,
 * base64url-encoded so callers treat it as opaque.
 */

export type ListOrder = 'desc' | 'asc';
export const LIST_ORDERS: readonly ListOrder[] = ['desc', 'asc'];
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface Position {
	created_at: string;
	id: string;
}

interface CursorBody {
	v: 1;
	o: ListOrder;
	c: string;
	i: string;
}

function toBase64Url(s: string): string {
	const bytes = new TextEncoder().encode(s);
	let bin = '';
	for (const b of bytes) bin += String.fromCharCode(b);
	return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): string {
	const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
	const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
	return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function encodeCursor(pos: Position, order: ListOrder): string {
	const body: CursorBody = { v: 1, o: order, c: pos.created_at, i: pos.id };
	return toBase64Url(JSON.stringify(body));
}

/** A cursor from another order (or not from image.list at all) is a 400 that says so. */
export function decodeCursor(raw: unknown, order: ListOrder, param = 'cursor'): Position | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const expected = 'a next_cursor returned by image.list';
	if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalidParam(param, expected, raw);
	let body: Partial<CursorBody>;
	try {
		body = JSON.parse(fromBase64Url(raw));
	} catch {
		throw invalidParam(param, expected, raw);
	}
	if (!body || body.v !== 1 || typeof body.c !== 'string' || typeof body.i !== 'string' || (body.o !== 'asc' && body.o !== 'desc'))
		throw invalidParam(param, expected, raw);
	if (body.o !== order)
		throw new DarkroomError('invalid_parameter', `The ${param} was made for order "${body.o}" but this call lists in order "${order}"; pass the same order on every page`, param);
	return { created_at: body.c, id: body.i };
}

export function validateLimit(raw: unknown, param = 'limit'): number {
	if (raw === undefined || raw === null) return DEFAULT_LIMIT;
	if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_LIMIT)
		throw new DarkroomError('invalid_parameter', `Expected integer between 1 and ${MAX_LIMIT} for ${param} but received ${describe(raw)}`, param);
	return raw;
}

export function comparePositions(a: Position, b: Position): number {
	if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One page of `items` (any order in; sorted here) after `after`, and the cursor of the next page if there is one. */
export function paginate<T extends Position>(items: readonly T[], opts: { order: ListOrder; limit: number; after?: Position }): { page: T[]; next_cursor?: string } {
	const sign = opts.order === 'asc' ? 1 : -1;
	const sorted = [...items].sort((a, b) => sign * comparePositions(a, b));
	const start = opts.after ? sorted.findIndex((x) => sign * comparePositions(x, opts.after!) > 0) : 0;
	if (start < 0) return { page: [] };
	const page = sorted.slice(start, start + opts.limit);
	const more = start + opts.limit < sorted.length;
	return more ? { page, next_cursor: encodeCursor(page[page.length - 1], opts.order) } : { page };
}
