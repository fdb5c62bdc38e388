/**
 * MaskPoly parsing: one polygon [[x, y], …] (a 2-D array) or a list of them (3-D), given as
 * an array, as JSON text, or as URL-safe base64 of the JSON (with or without padding; the
 * standard alphabet is accepted too). Every problem is a 400 naming the parameter.
 */
import { DarkroomError, describe } from '../../api/errors';
import type { Polygon } from './types';

const MAX_POLYGONS = 1000;
const MAX_POINTS = 100_000;
const MAX_TEXT = 4 * 1024 * 1024;

function bad(param: string, problem: string): DarkroomError {
	return new DarkroomError('invalid_parameter', `Invalid ${param}: ${problem}`, param);
}

/** URL-safe (or standard) base64 → UTF-8 text, or undefined when it is not base64 at all. */
export function decodeBase64Text(s: string): string | undefined {
	let t = s.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t) || t.replace(/=+$/, '').length % 4 === 1) return undefined;
	t = t.replace(/=+$/, '');
	while (t.length % 4) t += '=';
	let bin: string;
	try {
		bin = atob(t);
	} catch {
		return undefined;
	}
	const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return undefined;
	}
}

function parseText(text: string, param: string): unknown {
	const t = text.trim();
	if (t === '') throw bad(param, 'empty string (expected polygons as JSON or URL-safe base64 of the JSON)');
	if (t.length > MAX_TEXT) throw bad(param, `${t.length} characters is over the ${MAX_TEXT} limit`);
	let json = t;
	if (!t.startsWith('[')) {
		const decoded = decodeBase64Text(t);
		if (decoded === undefined) throw bad(param, `not JSON and not URL-safe base64 of JSON (received ${describe(text)})`);
		json = decoded.trim();
		if (!json.startsWith('[')) throw bad(param, 'the base64 decodes to something that is not a JSON array of points');
	}
	try {
		return JSON.parse(json);
	} catch (e) {
		throw bad(param, `malformed JSON (${e instanceof Error ? e.message : String(e)})`);
	}
}

const isPoint = (v: unknown): boolean => Array.isArray(v) && v.length === 2 && typeof v[0] !== 'object' && typeof v[1] !== 'object';

/** Parses and checks MaskPoly; returns one or more polygons of finite [x, y] points, ≥ 3 each. */
export function parsePolygons(value: unknown, param = 'MaskPoly'): Polygon[] {
	const data = typeof value === 'string' ? parseText(value, param) : value;
	if (!Array.isArray(data)) throw bad(param, `expected a polygon [[x, y], …], a list of polygons, or their JSON / URL-safe base64, but received ${describe(value)}`);
	if (data.length === 0) throw bad(param, 'no polygons (an empty array)');
	// 2-D (one polygon: its first item is a point) or 3-D (a list of polygons).
	const list: unknown[] = isPoint(data[0]) ? [data] : data;
	if (list.length > MAX_POLYGONS) throw bad(param, `${list.length} polygons is over the ${MAX_POLYGONS} limit`);
	const out: Polygon[] = [];
	let total = 0;
	list.forEach((poly, i) => {
		const where = list.length === 1 && list[0] === data ? param : `${param}[${i}]`;
		if (!Array.isArray(poly)) throw bad(param, `${where} should be a polygon [[x, y], …] but is ${describe(poly)}`);
		if (poly.length < 3) throw bad(param, `${where} has ${poly.length} point${poly.length === 1 ? '' : 's'}; a polygon needs at least 3`);
		total += poly.length;
		if (total > MAX_POINTS) throw bad(param, `more than ${MAX_POINTS} points in all`);
		const pts: Polygon = [];
		poly.forEach((p, j) => {
			if (!Array.isArray(p) || p.length !== 2)
				throw bad(param, `${where}[${j}] should be a point [x, y] but is ${Array.isArray(p) ? `an array of length ${p.length}` : describe(p)}`);
			const [x, y] = p;
			if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y))
				throw bad(param, `${where}[${j}] should hold two finite numbers but holds ${describe(typeof x !== 'number' || !Number.isFinite(x) ? x : y)}`);
			pts.push([x, y]);
		});
		out.push(pts);
	});
	return out;
}

/** Bounding box of a polygon. */
export function polygonBounds(poly: Polygon): { x0: number; y0: number; x1: number; y1: number } {
	let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
	for (const [x, y] of poly) {
		if (x < x0) x0 = x;
		if (x > x1) x1 = x;
		if (y < y0) y0 = y;
		if (y > y1) y1 = y;
	}
	return { x0, y0, x1, y1 };
}
