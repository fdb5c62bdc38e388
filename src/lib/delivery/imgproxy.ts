/**
 * Named transformations exported as signed imgproxy URLs, for users who outgrow one device
 * and serve their images from an imgproxy cluster. The user gives the hex key and salt
 * imgproxy was started with (IMGPROXY_KEY / IMGPROXY_SALT), the host, and where the source
 * image lives (a URL imgproxy can fetch: https://, s3://, local:///…).
 *
 * Signature (imgproxy's documented scheme): URL-safe base64, unpadded, of
 * HMAC-SHA256(key, salt ‖ path), where path is everything after the signature, starting "/".
 * Source URLs are base64url-encoded, so any character is safe; the extension gives the format.
 *
 * Mapping: cover → rs:fill, inside → rs:fit, fill → rs:force, contain → rs:fit with extend
 * (ex:1) and bg:, gravity → g:no/so/ea/we/noea/nowe/soea/sowe/ce, enlarge → the rs: enlarge
 * flag, rotate (multiples of 90) → rot:, flip/flop → fl:, quality → q:, format → extension.
 * Fits and ops imgproxy cannot express (outside, free angles, process ops) are refused with
 * a clear error rather than exported as something else.
 */
import { DarkroomError, invalidParam } from '../api/errors';
import { normalizeGravity, type Anchor } from '../core/geometry';
import { parseColor } from '../core/color';
import { normalizeTransformObject, parseTransformString, type ImageTransform } from '../pipeline/transform';
import { base64url } from './sign';

export interface ImgproxyTarget {
	/** e.g. https://img.example.com (no trailing path). */
	host: string;
	/** Hex-encoded key and salt, as imgproxy's IMGPROXY_KEY / IMGPROXY_SALT. */
	key: string;
	salt: string;
}

const GRAVITY: Record<Anchor, string> = {
	center: 'ce',
	top: 'no',
	bottom: 'so',
	left: 'we',
	right: 'ea',
	'top-left': 'nowe',
	'top-right': 'noea',
	'bottom-left': 'sowe',
	'bottom-right': 'soea'
};

export function hexBytes(v: unknown, param: string): Uint8Array {
	if (typeof v !== 'string' || v.length === 0 || v.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(v)) throw invalidParam(param, 'a hex string of even length (as IMGPROXY_KEY / IMGPROXY_SALT)', v);
	return Uint8Array.from(v.match(/../g)!, (b) => parseInt(b, 16));
}

function checkHost(v: unknown): string {
	if (typeof v !== 'string') throw invalidParam('host', 'an http(s) URL such as https://img.example.com', v);
	let u: URL;
	try {
		u = new URL(v);
	} catch {
		throw invalidParam('host', 'an http(s) URL such as https://img.example.com', v);
	}
	if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalidParam('host', 'an http(s) URL such as https://img.example.com', v);
	return v.replace(/\/+$/, '');
}

/** imgproxy processing options for a transform (without the source and extension). */
export function imgproxyOptions(t: ImageTransform): string[] {
	if (t.ops?.length) throw new DarkroomError('unprocessable', 'This transformation has process ops, which imgproxy cannot run; only size, fit, gravity, background, rotate by 90°, mirror, format and quality export', 'transform.ops');
	const opts: string[] = [];
	if (t.width !== undefined || t.height !== undefined) {
		const fit = t.fit ?? (t.width !== undefined && t.height !== undefined ? 'cover' : 'inside');
		const type = { cover: 'fill', inside: 'fit', contain: 'fit', fill: 'force' }[fit];
		if (!type) throw new DarkroomError('unprocessable', `imgproxy has no equivalent of fit "${fit}"`, 'transform.fit');
		const extend = fit === 'contain' ? ':1' : '';
		opts.push(`rs:${type}:${t.width ?? 0}:${t.height ?? 0}:${t.enlarge ? 1 : 0}${extend}`);
		if (t.gravity !== undefined) opts.push(`g:${GRAVITY[normalizeGravity(t.gravity, 'transform.gravity')]}`);
		if (fit === 'contain' && t.background !== undefined) {
			const [r, g, b, a] = parseColor(t.background, 'transform.background');
			if (a !== 0) opts.push(`bg:${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`);
		}
	}
	if (t.rotate) {
		if (t.rotate % 90 !== 0) throw new DarkroomError('unprocessable', `imgproxy rotates by multiples of 90° only, not ${t.rotate}`, 'transform.rotate');
		// imgproxy's rot: is clockwise, like Darkroom's.
		opts.push(`rot:${(((t.rotate % 360) + 360) % 360)}`);
	}
	if (t.flip || t.flop) opts.push(`fl:${t.flop ? 1 : 0}:${t.flip ? 1 : 0}`);
	if (t.quality !== undefined) opts.push(`q:${t.quality}`);
	return opts;
}

/** imgproxy's signature of `path` (everything after the signature, starting with "/"). */
export async function signImgproxyPath(key: Uint8Array, salt: Uint8Array, path: string): Promise<string> {
	const k = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
	const p = new TextEncoder().encode(path);
	const data = new Uint8Array(salt.length + p.length);
	data.set(salt);
	data.set(p, salt.length);
	return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', k, data as BufferSource)));
}

/** A signed imgproxy URL for `source` rendered with `transform`. */
export async function imgproxyUrl(target: ImgproxyTarget, source: string, transform: ImageTransform | string): Promise<string> {
	const key = hexBytes(target.key, 'key');
	const salt = hexBytes(target.salt, 'salt');
	const host = checkHost(target.host);
	if (typeof source !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) throw invalidParam('source', 'a URL imgproxy can fetch (https://…, s3://…, local:///…)', source);
	const t = typeof transform === 'string' ? parseTransformString(transform) : normalizeTransformObject(transform);
	if ('named' in t && t.named) throw invalidParam('transform', 'a transform, not t_<name> (resolve the name first)', transform);
	const opts = imgproxyOptions(t);
	const encoded = base64url(new TextEncoder().encode(source));
	const ext = t.format ? `.${t.format === 'jpeg' ? 'jpg' : t.format}` : '';
	const path = `/${[...opts, encoded].join('/')}${ext}`;
	const sig = await signImgproxyPath(key, salt, path);
	return `${host}/${sig}${path}`;
}
