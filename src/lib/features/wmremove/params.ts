/**
 * Validation of seed 004's request (darkroom.watermark_removal.remove), on the page, before any
 * byte is read. JSON-typed parameters (rectangles, watermarkNames, excludeKeywords, offset) may be
 * given as values or as JSON strings (the seed sends them as multipart form fields); booleans may be
 * true/false or "true"/"false".
 */
import { DarkroomError, describe, invalidParam } from '../../api/errors';
import type { Keyword, KeywordRule, Selection } from './keywords';
import type { Offset, Rect } from './geometry';

export interface WmRemoveParams {
	/** Explicit rectangles: OCR, watermarkNames, excludeKeywords and offset are then unused. */
	rectangles?: Rect[];
	selection: Selection;
	offset?: Offset;
	ocrOnly: boolean;
	show: boolean;
	/** Seed 004: sync: true = asynchronous (answer 52000 at once, POST the result to callback). */
	async: boolean;
	callback?: string;
}

/** The image parameters in the seed's order of precedence (image_file > image_url > image_base64), then Darkroom's `image`. */
export const IMAGE_KEYS = ['imageFile', 'image_file', 'image_url', 'imageUrl', 'image_base64', 'imageBase64', 'image'] as const;
/** Authentication parameters of the cloud service: accepted and ignored (nothing leaves the device). */
const AUTH_KEYS = ['appId', 'salt', 'x-access-api-sign', 'x-access-api-token', 'sign', 'token'];
const NAME_KEYS = ['watermarkNames', 'markName', 'markNames'];
export const KNOWN_KEYS = [...IMAGE_KEYS, 'rectangles', ...NAME_KEYS, 'excludeKeywords', 'offset', 'sync', 'callback', 'ocrOnly', 'show', ...AUTH_KEYS];

const RULES: readonly KeywordRule[] = ['similar', 'absolute', 'default'];

function json(v: unknown, param: string): unknown {
	if (typeof v !== 'string') return v;
	const t = v.trim();
	if (t === '') return undefined;
	if (!/^[[{]/.test(t)) return v;
	try {
		return JSON.parse(t);
	} catch {
		throw new DarkroomError('invalid_parameter', `Expected JSON for ${param} but received ${describe(v)} (not valid JSON)`, param);
	}
}

export function bool(v: unknown, param: string, def: boolean): boolean {
	if (v === undefined || v === null || v === '') return def;
	if (v === true || v === 'true' || v === 1 || v === '1') return true;
	if (v === false || v === 'false' || v === 0 || v === '0') return false;
	throw invalidParam(param, 'boolean (true or false)', v);
}

function integer(v: unknown, param: string): number {
	const n = typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v;
	if (typeof n !== 'number' || !Number.isInteger(n)) throw invalidParam(param, 'integer', v);
	return n;
}

export function parseRectangles(raw: unknown): Rect[] | undefined {
	const v = json(raw, 'rectangles');
	if (v === undefined || v === null) return undefined;
	const list = Array.isArray(v) ? v : [v];
	if (list.length === 0) return undefined; // empty: detect the text, as when omitted
	return list.map((r, i) => {
		const p = `rectangles[${i}]`;
		let x: unknown, y: unknown, w: unknown, h: unknown;
		if (Array.isArray(r) && r.length === 4) [x, y, w, h] = r;
		else if (r && typeof r === 'object' && !Array.isArray(r)) {
			const o = r as Record<string, unknown>;
			x = o.x ?? o.left;
			y = o.y ?? o.top;
			w = o.w ?? o.width;
			h = o.h ?? o.height;
		} else throw invalidParam(p, 'a rectangle { x, y, w, h } (or [x, y, w, h])', r);
		const rect = { x: integer(x, `${p}.x`), y: integer(y, `${p}.y`), w: integer(w, `${p}.w`), h: integer(h, `${p}.h`) };
		if (rect.x < 0) throw invalidParam(`${p}.x`, 'integer ≥ 0', rect.x);
		if (rect.y < 0) throw invalidParam(`${p}.y`, 'integer ≥ 0', rect.y);
		if (rect.w < 1) throw invalidParam(`${p}.w`, 'positive integer', rect.w);
		if (rect.h < 1) throw invalidParam(`${p}.h`, 'positive integer', rect.h);
		return rect;
	});
}

export function parseKeywords(raw: unknown, param: string): Keyword[] | undefined {
	const v = json(raw, param);
	if (v === undefined || v === null) return undefined;
	const list = Array.isArray(v) ? v : [v];
	if (list.length === 0) return undefined;
	return list.map((k, i) => {
		const p = `${param}[${i}]`;
		if (typeof k === 'string') {
			if (!k.trim()) throw invalidParam(p, 'non-empty string', k);
			return { value: k, rule: 'default' as const };
		}
		if (!k || typeof k !== 'object' || Array.isArray(k)) throw invalidParam(p, '{ value, rule } or a string', k);
		const o = k as Record<string, unknown>;
		if (typeof o.value !== 'string' || !o.value.trim()) throw invalidParam(`${p}.value`, 'non-empty string', o.value);
		// Seed: a wrong or empty rule means `default`.
		const rule = typeof o.rule === 'string' && (RULES as readonly string[]).includes(o.rule.trim().toLowerCase()) ? (o.rule.trim().toLowerCase() as KeywordRule) : 'default';
		return { value: o.value, rule };
	});
}

/**
 * offset: { "+x": 5, "-w": 10, … } (amounts ≥ 0, the sign in the key), or { x: "+5", w: "-10" } /
 * { x: 5, w: -10 } (the sign in the value), or a string "+x5 -w10" / "+x 5, -w 10".
 */
export function parseOffset(raw: unknown): Offset | undefined {
	const v = json(raw, 'offset');
	if (v === undefined || v === null) return undefined;
	const o: Offset = { x: 0, y: 0, w: 0, h: 0 };
	if (typeof v === 'string') {
		const re = /([+-])\s*([xywh])\s*[:=]?\s*(\d+)/gi;
		const rest = v.replace(re, '').replace(/[\s,;]/g, '');
		if (rest) throw invalidParam('offset', 'signed amounts such as "+x5 -y5 +w10 +h10"', v);
		for (const m of v.matchAll(re)) o[m[2].toLowerCase() as keyof Offset] += (m[1] === '-' ? -1 : 1) * Number(m[3]);
		return o;
	}
	if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam('offset', 'an object such as { "+x": 5, "-w": 10 }', v);
	for (const [key, val] of Object.entries(v as Record<string, unknown>)) {
		const m = /^\s*([+-]?)\s*([xywh])\s*$/i.exec(key);
		if (!m) throw new DarkroomError('invalid_parameter', `Unknown key ${JSON.stringify(key)} in offset (use +x, +y, +w, +h, -x, -y, -w, -h)`, 'offset');
		const axis = m[2].toLowerCase() as keyof Offset;
		const n = integer(val, `offset.${key}`);
		if (m[1]) {
			if (n < 0) throw invalidParam(`offset.${key}`, 'integer ≥ 0 (the sign is in the key)', val);
			o[axis] += m[1] === '-' ? -n : n;
		} else o[axis] += n;
	}
	return o;
}

export function parseCallback(raw: unknown): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (typeof raw !== 'string') throw invalidParam('callback', 'an http(s) URL', raw);
	let u: URL;
	try {
		u = new URL(raw, typeof location !== 'undefined' ? location.href : undefined);
	} catch {
		throw invalidParam('callback', 'an http(s) URL', raw);
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalidParam('callback', 'an http(s) URL', raw);
	return u.href;
}

/** Validates everything but the image itself (resolved by the caller). */
export function parseWmRemoveParams(req: Record<string, unknown>): WmRemoveParams {
	for (const k of Object.keys(req))
		if (!KNOWN_KEYS.includes(k) && k !== 'idempotency_key')
			throw new DarkroomError('invalid_parameter', `Unknown parameter ${k} for watermark_removal.remove (known: image_file, image_url, image_base64, rectangles, watermarkNames, excludeKeywords, offset, sync, callback, ocrOnly, show)`, k);
	const rectangles = parseRectangles(req.rectangles);
	const nameKey = NAME_KEYS.find((k) => req[k] !== undefined);
	const names = nameKey ? parseKeywords(req[nameKey], nameKey) : undefined;
	const exclude = parseKeywords(req.excludeKeywords, 'excludeKeywords');
	const offset = parseOffset(req.offset);
	// Seed precedence: rectangles > watermarkNames > excludeKeywords > all text.
	const selection: Selection = names ? { mode: 'names', keywords: names } : exclude ? { mode: 'exclude', keywords: exclude } : { mode: 'all' };
	const isAsync = bool(req.sync, 'sync', false);
	const callback = parseCallback(req.callback);
	if (isAsync && !callback) throw new DarkroomError('invalid_parameter', 'Missing required parameter callback (an http(s) URL): sync is true, so the result is POSTed there', 'callback');
	const p: WmRemoveParams = { selection, ocrOnly: bool(req.ocrOnly, 'ocrOnly', false), show: bool(req.show, 'show', false), async: isAsync };
	if (rectangles) p.rectangles = rectangles;
	if (offset && !rectangles) p.offset = offset;
	if (callback) p.callback = callback;
	return p;
}
