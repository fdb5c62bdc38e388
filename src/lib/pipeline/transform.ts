/**
 * Image transforms as stored by named transformations and carried in delivery URLs
 * (seed 000's `ImageTransform`: "width, height, format, crop…"). One transform has three
 * spellings, all turned into the same `image.process` request:
 *
 *  - an object: `{ width, height, fit, gravity, background, enlarge, kernel, rotate, flip,
 *    flop, format, quality }`, or `{ ops: [...], format?, quality? }` for anything process can do;
 *  - a compact string for URLs: `w_400,h_300,c_cover,g_north,f_webp,q_80`;
 *  - a named transformation: `t_<name>` in a string (looked up through `named`).
 *
 * Compact keys: w, h (pixels) · c (fit: cover, contain, fill, inside, outside; also pad =
 * contain, fit = inside, scale = fill, limit = inside without enlarging) · g (gravity:
 * center, north, south_east, …) · b (background colour for contain/rotate, e.g. b_ffffff or
 * b_transparent) · e_1 (allow enlarging) · k (kernel) · a (rotate degrees, clockwise) ·
 * fl_h / fl_v (mirror left-right / upside down) · f (jpeg, png, webp, avif) · q (1–100) ·
 * t (named transformation). Keys may come in any order, each at most once.
 *
 * Everything here is pure and validated with errors naming the part of the string at
 * fault, so a bad URL answers 400 before any bytes are read.
 */
import { DarkroomError, invalidParam } from '../api/errors';
import { FITS, KERNELS, normalizeGravity } from '../core/geometry';
import type { OutputFormat } from '../codecs/types';
import { isPlainObject } from './validate';

export interface ProcessRequestPart {
	ops: { op: string; params: Record<string, unknown> }[];
	format?: OutputFormat;
	quality?: number;
}

/** The object form of a transform (seed 000 ImageTransform). */
export interface ImageTransform {
	width?: number;
	height?: number;
	fit?: string;
	gravity?: string;
	background?: string;
	enlarge?: boolean;
	kernel?: string;
	rotate?: number;
	flip?: boolean;
	flop?: boolean;
	format?: OutputFormat;
	quality?: number;
	/** Any process ops, run after the geometry above. */
	ops?: { op: string; params?: Record<string, unknown> }[];
}

/** Looks up a named transformation; undefined when there is none of that name. */
export type NamedLookup = (name: string) => ImageTransform | string | undefined;

const FORMATS: Record<string, OutputFormat> = { jpeg: 'jpeg', jpg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif' };
const FIT_ALIASES: Record<string, string> = { pad: 'contain', fit: 'inside', scale: 'fill', limit: 'inside' };
const OBJECT_KEYS = ['width', 'height', 'fit', 'gravity', 'position', 'background', 'enlarge', 'kernel', 'rotate', 'flip', 'flop', 'format', 'quality', 'ops'];
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_SIDE = 65535;
/** A named transformation may refer to another; a cycle or a deep chain is an error. */
const MAX_DEPTH = 8;

function intIn(v: unknown, param: string, min: number, max: number): number {
	const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw invalidParam(param, `an integer from ${min} to ${max}`, v);
	return n;
}

function formatOf(v: unknown, param: string): OutputFormat {
	const f = typeof v === 'string' ? FORMATS[v.toLowerCase()] : undefined;
	if (!f) throw invalidParam(param, 'one of jpeg, png, webp, avif', v);
	return f;
}

/** Validates a transformation name (used in `t_<name>` and in `style/<name>`). */
export function checkName(v: unknown, param = 'name'): string {
	if (typeof v !== 'string' || !NAME_PATTERN.test(v)) throw invalidParam(param, 'a name of 1–64 letters, digits, "_", "-" or "." starting with a letter or digit', v);
	return v;
}

/** Parses the compact string form into the object form (names are not resolved here). */
export function parseTransformString(s: string, param = 'transform'): ImageTransform & { named?: string } {
	if (typeof s !== 'string') throw invalidParam(param, 'a transform string such as "w_400,h_300,c_cover,f_webp,q_80"', s);
	const text = s.trim();
	if (text === '') throw invalidParam(param, 'a transform string such as "w_400,h_300,c_cover,f_webp,q_80"', s);
	if (text.length > 1024) throw invalidParam(param, 'a transform string of at most 1024 characters', `${text.length} characters`);
	const t: ImageTransform & { named?: string } = {};
	const seen = new Set<string>();
	for (const part of text.split(',')) {
		const m = /^([a-z]+)_(.+)$/.exec(part.trim());
		if (!m) throw invalidParam(param, `parts of the form key_value (w_400, c_cover, f_webp, …); "${part}" is not one`, s);
		const [, key, value] = m;
		const where = `${param} (${key}_)`;
		if (seen.has(key)) throw invalidParam(param, `each key at most once; ${key}_ is repeated`, s);
		seen.add(key);
		switch (key) {
			case 'w':
				t.width = intIn(value, where, 1, MAX_SIDE);
				break;
			case 'h':
				t.height = intIn(value, where, 1, MAX_SIDE);
				break;
			case 'c': {
				const v = value.toLowerCase();
				if (v === 'limit') t.enlarge = false;
				const fit = FIT_ALIASES[v] ?? v;
				if (!(FITS as readonly string[]).includes(fit)) throw invalidParam(where, `a fit: ${FITS.join(', ')} (or pad, fit, scale, limit)`, value);
				t.fit = fit;
				break;
			}
			case 'g':
				normalizeGravity(value, where);
				t.gravity = value.toLowerCase();
				break;
			case 'b':
				t.background = /^[0-9a-f]{3}([0-9a-f]{3}([0-9a-f]{2})?)?$/i.test(value) ? `#${value}` : value;
				break;
			case 'e':
				if (value !== '1' && value !== '0') throw invalidParam(where, '1 (allow enlarging) or 0', value);
				t.enlarge = value === '1';
				break;
			case 'k':
				if (!(KERNELS as readonly string[]).includes(value) && value !== 'ai') throw invalidParam(where, `a kernel: ${[...KERNELS, 'ai'].join(', ')}`, value);
				t.kernel = value;
				break;
			case 'a': {
				const n = Number(value);
				if (!/^-?\d+(\.\d+)?$/.test(value) || Math.abs(n) > 360) throw invalidParam(where, 'degrees from -360 to 360', value);
				t.rotate = n;
				break;
			}
			case 'fl':
				if (value === 'h') t.flop = true;
				else if (value === 'v') t.flip = true;
				else if (value === 'hv' || value === 'vh') t.flip = t.flop = true;
				else throw invalidParam(where, 'h (mirror left-right), v (upside down) or hv', value);
				break;
			case 'f':
				t.format = formatOf(value, where);
				break;
			case 'q':
				t.quality = intIn(value, where, 1, 100);
				break;
			case 't':
				t.named = checkName(value, where);
				break;
			default:
				throw invalidParam(param, `known keys w, h, c, g, b, e, k, a, fl, f, q, t; "${key}_" is not one`, s);
		}
	}
	if (t.named && seen.size > 1) {
		// A named transformation plus overrides: allowed for output keys only, which apply last.
		for (const k of seen) if (k !== 't' && k !== 'f' && k !== 'q') throw invalidParam(param, `t_ combined only with f_ and q_ (the named transformation holds the geometry); found ${k}_`, s);
	}
	return t;
}

/** The compact string for a transform object (the inverse of parseTransformString). */
export function transformToString(t: ImageTransform): string {
	const parts: string[] = [];
	if (t.width !== undefined) parts.push(`w_${t.width}`);
	if (t.height !== undefined) parts.push(`h_${t.height}`);
	if (t.fit !== undefined) parts.push(`c_${t.fit}`);
	if (t.gravity !== undefined) parts.push(`g_${t.gravity.replace(/[\s-]+/g, '_')}`);
	if (t.background !== undefined) parts.push(`b_${t.background.replace(/^#/, '')}`);
	if (t.enlarge !== undefined) parts.push(`e_${t.enlarge ? 1 : 0}`);
	if (t.kernel !== undefined) parts.push(`k_${t.kernel}`);
	if (t.rotate !== undefined) parts.push(`a_${t.rotate}`);
	if (t.flip || t.flop) parts.push(`fl_${t.flop ? 'h' : ''}${t.flip ? 'v' : ''}`);
	if (t.format !== undefined) parts.push(`f_${t.format}`);
	if (t.quality !== undefined) parts.push(`q_${t.quality}`);
	if (t.ops?.length) throw new DarkroomError('invalid_parameter', 'A transform with ops has no compact string form; save it as a named transformation and use t_<name>', 'transform');
	return parts.join(',');
}

/** Checks the object form (types and ranges); the ops themselves are validated by process. */
export function normalizeTransformObject(raw: unknown, param = 'transform'): ImageTransform {
	if (!isPlainObject(raw)) throw invalidParam(param, 'a transform object ({ width, height, fit, format, … } or { ops }) or a string such as "w_400,f_webp"', raw);
	for (const k of Object.keys(raw)) if (!OBJECT_KEYS.includes(k)) throw invalidParam(`${param}.${k}`, `a known transform key (${OBJECT_KEYS.join(', ')})`, k);
	const t: ImageTransform = {};
	const p = (k: string) => `${param}.${k}`;
	if (raw.width !== undefined) t.width = intIn(raw.width, p('width'), 1, MAX_SIDE);
	if (raw.height !== undefined) t.height = intIn(raw.height, p('height'), 1, MAX_SIDE);
	if (raw.fit !== undefined) {
		const fit = typeof raw.fit === 'string' ? (FIT_ALIASES[raw.fit] ?? raw.fit) : raw.fit;
		if (typeof fit !== 'string' || !(FITS as readonly string[]).includes(fit)) throw invalidParam(p('fit'), `one of ${FITS.join(', ')}`, raw.fit);
		if (raw.fit === 'limit') t.enlarge = false;
		t.fit = fit;
	}
	const gravity = raw.gravity ?? raw.position;
	if (gravity !== undefined) {
		normalizeGravity(gravity, p(raw.gravity !== undefined ? 'gravity' : 'position'));
		t.gravity = String(gravity);
	}
	if (raw.background !== undefined) {
		if (typeof raw.background !== 'string') throw invalidParam(p('background'), 'a colour string', raw.background);
		t.background = raw.background;
	}
	for (const k of ['enlarge', 'flip', 'flop'] as const)
		if (raw[k] !== undefined) {
			if (typeof raw[k] !== 'boolean') throw invalidParam(p(k), 'a boolean', raw[k]);
			t[k] = raw[k] as boolean;
		}
	if (raw.kernel !== undefined) {
		if (typeof raw.kernel !== 'string' || (!(KERNELS as readonly string[]).includes(raw.kernel) && raw.kernel !== 'ai')) throw invalidParam(p('kernel'), `one of ${[...KERNELS, 'ai'].join(', ')}`, raw.kernel);
		t.kernel = raw.kernel;
	}
	if (raw.rotate !== undefined) {
		if (typeof raw.rotate !== 'number' || !Number.isFinite(raw.rotate) || Math.abs(raw.rotate) > 360) throw invalidParam(p('rotate'), 'degrees from -360 to 360', raw.rotate);
		t.rotate = raw.rotate;
	}
	if (raw.format !== undefined) t.format = formatOf(raw.format, p('format'));
	if (raw.quality !== undefined) t.quality = intIn(raw.quality, p('quality'), 1, 100);
	if (raw.ops !== undefined) {
		if (!Array.isArray(raw.ops) || raw.ops.length === 0 || raw.ops.length > 100) throw invalidParam(p('ops'), 'an array of 1–100 { op, params }', raw.ops);
		raw.ops.forEach((o, i) => {
			if (!isPlainObject(o) || typeof o.op !== 'string' || (o.params !== undefined && !isPlainObject(o.params))) throw invalidParam(`${p('ops')}[${i}]`, 'an object { op, params }', o);
		});
		t.ops = (raw.ops as { op: string; params?: Record<string, unknown> }[]).map((o) => ({ op: o.op, params: { ...(o.params ?? {}) } }));
	}
	return t;
}

/** Turns one transform (any spelling) into process ops and output options. */
export function transformToRequest(raw: unknown, named: NamedLookup = () => undefined, param = 'transform', depth = 0): ProcessRequestPart {
	if (depth > MAX_DEPTH) throw invalidParam(param, `named transformations nested at most ${MAX_DEPTH} deep (is there a cycle?)`, raw);
	if (typeof raw === 'string') {
		const t = parseTransformString(raw, param);
		if (t.named) {
			const target = named(t.named);
			if (target === undefined) throw new DarkroomError('not_found', `No named transformation "${t.named}" (create it with image.transformation.create)`, param);
			const inner = transformToRequest(target, named, param, depth + 1);
			if (t.format) inner.format = t.format;
			if (t.quality !== undefined) inner.quality = t.quality;
			return inner;
		}
		return objectToRequest(t);
	}
	return objectToRequest(normalizeTransformObject(raw, param));
}

function objectToRequest(t: ImageTransform): ProcessRequestPart {
	const ops: ProcessRequestPart['ops'] = [];
	if (t.width !== undefined || t.height !== undefined) {
		const params: Record<string, unknown> = {};
		if (t.width !== undefined) params.width = t.width;
		if (t.height !== undefined) params.height = t.height;
		if (t.fit !== undefined) params.fit = t.fit;
		if (t.gravity !== undefined) params.position = t.gravity;
		if (t.background !== undefined) params.background = t.background;
		if (t.enlarge !== undefined) params.enlarge = t.enlarge;
		if (t.kernel !== undefined) params.kernel = t.kernel;
		ops.push({ op: 'resize', params });
	}
	if (t.rotate) ops.push({ op: 'rotate', params: t.background !== undefined ? { degrees: t.rotate, background: t.background } : { degrees: t.rotate } });
	if (t.flip) ops.push({ op: 'flip', params: {} });
	if (t.flop) ops.push({ op: 'flop', params: {} });
	for (const o of t.ops ?? []) ops.push({ op: o.op, params: o.params ?? {} });
	const out: ProcessRequestPart = { ops };
	if (t.format) out.format = t.format;
	if (t.quality !== undefined) out.quality = t.quality;
	return out;
}
