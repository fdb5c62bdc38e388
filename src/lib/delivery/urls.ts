/**
 * The shape of delivery URLs, shared by the page (which builds them) and the service worker
 * (which answers them):
 *
 *   /cdn/<id>                          the stored original
 *   /cdn/<id>/<transform>              rendered: `w_400,h_300,c_cover,f_webp,q_80` or `t_<name>`
 *   /cos/<object key>?<rule>           seed 003 style: `?imageMogr2/thumbnail/400x/format/webp`,
 *                                      `?imageView2/1/w/200/h/200`, `?style/<name>`
 *   …?exp=<unix seconds>&sig=<base64url>   signed (see sign.ts); required when the URL says so
 *
 * Ids are library ids (letters, digits, `_` and `-`); object keys are URL-encoded per segment.
 */
import { invalidParam } from '../api/errors';
import { parseTransformString, transformToString, type ImageTransform } from '../pipeline/transform';
import { parseCosRule } from '../pipeline/cos-rule';

export const CDN_PREFIX = '/cdn/';
export const COS_PREFIX = '/cos/';
const ID = /^[A-Za-z0-9_-]{1,128}$/;

export type DeliveryTarget =
	| { kind: 'cdn'; id: string; transform?: string }
	| { kind: 'cos'; key: string; rule?: string };

export interface ParsedDelivery {
	target: DeliveryTarget;
	/** The part of the URL a signature covers: path plus the rule query, without exp/sig. */
	signedPart: string;
	exp?: number;
	sig?: string;
}

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

/** `w_400,f_webp` from a transform object or string, checked. */
export function transformSegment(transform: ImageTransform | string | undefined, param = 'transform'): string | undefined {
	if (transform === undefined || transform === null) return undefined;
	if (typeof transform === 'string') {
		parseTransformString(transform, param);
		return transform.trim();
	}
	const s = transformToString(transform);
	return s === '' ? undefined : s;
}

export function checkId(id: unknown, param = 'image_id'): string {
	if (typeof id !== 'string' || !ID.test(id)) throw invalidParam(param, 'a library id (letters, digits, "_" or "-")', id);
	return id;
}

/** Path of a delivery URL for a library asset. */
export function cdnPath(id: string, transform?: string): string {
	return `${CDN_PREFIX}${encodeURIComponent(checkId(id))}${transform ? '/' + transform.split(',').map(encodeURIComponent).join(',') : ''}`;
}

/** Path + query of a seed 003 style URL for a stored object key. */
export function cosPath(key: string, rule?: string): string {
	const path = COS_PREFIX + key.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');
	if (!rule) return path;
	parseCosRule(rule);
	return `${path}?${rule.replace(/^\?/, '')}`;
}

/**
 * Reads a delivery URL (absolute or a path). Returns undefined for anything that is not one,
 * so the service worker lets other requests through.
 */
export function parseDeliveryUrl(url: string | URL, base = 'http://localhost'): ParsedDelivery | undefined {
	const u = typeof url === 'string' ? new URL(url, base) : url;
	let rule: string | undefined;
	let exp: number | undefined;
	let sig: string | undefined;
	// The query is the rule itself for /cos/ (imageMogr2/… is not key=value; ci-process=… is,
	// and keeps all its parameters), plus exp and sig, which are never part of the rule.
	const rest: string[] = [];
	for (const part of u.search.replace(/^\?/, '').split('&')) {
		if (part === '') continue;
		const [k, v] = part.split('=');
		if (k === 'exp' && v !== undefined) exp = /^\d{1,12}$/.test(v) ? Number(v) : NaN;
		else if (k === 'sig' && v !== undefined) sig = decodeURIComponent(v);
		else rest.push(part);
	}
	if (rest.length) rule = /^ci-process=/i.test(rest[0]) ? rest.join('&') : safeDecode(rest[0]);
	const path = u.pathname;
	if (path.startsWith(CDN_PREFIX)) {
		const rest = path.slice(CDN_PREFIX.length).split('/');
		if (rest.length < 1 || rest.length > 2 || rest[0] === '') return undefined;
		const id = decodeURIComponent(rest[0]);
		const transform = rest[1] ? decodeURIComponent(rest[1]) : undefined;
		return { target: { kind: 'cdn', id, transform }, signedPart: path, exp, sig };
	}
	if (path.startsWith(COS_PREFIX)) {
		const key = path.slice(COS_PREFIX.length).split('/').map(decodeURIComponent).join('/');
		if (key === '') return undefined;
		return { target: { kind: 'cos', key, rule }, signedPart: rule ? `${path}?${rule}` : path, exp, sig };
	}
	return undefined;
}
