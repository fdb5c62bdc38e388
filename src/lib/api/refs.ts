import { DarkroomError, describe } from './errors';
import type { Limits } from '../codecs/types';
import { library } from '../library/store';
import { isAssetId } from '../library/ids';

export interface ResolvedImage {
	bytes: Uint8Array;
	/** A file name when the reference had one (File, URL path). */
	name?: string;
}

const EXPECTED = 'an ImageRef: { url }, { base64 }, { id }, a Blob/File, an ArrayBuffer/Uint8Array, or a string holding a URL, data URL or base64';

/**
 * Turns any ImageRef into bytes. Only fetches what the caller named: a URL the
 * caller typed is the one case where a third-party host is contacted.
 */
export async function resolveImageRef(ref: unknown, param: string, limits: Limits): Promise<ResolvedImage> {
	if (ref === undefined || ref === null) throw new DarkroomError('invalid_parameter', `Missing required parameter ${param} (${EXPECTED})`, param);
	if (typeof Blob !== 'undefined' && ref instanceof Blob) {
		checkBytes(ref.size, param, limits);
		const name = (ref as File).name;
		const bytes = new Uint8Array(await ref.arrayBuffer());
		return name ? { bytes, name } : { bytes };
	}
	if (ref instanceof ArrayBuffer) return { bytes: checked(new Uint8Array(ref.slice(0)), param, limits) };
	if (ArrayBuffer.isView(ref)) {
		const v = ref as ArrayBufferView;
		return { bytes: checked(new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer), param, limits) };
	}
	if (typeof ref === 'string') return resolveString(ref, param, limits);
	if (typeof ref === 'object') {
		const o = ref as Record<string, unknown>;
		if (typeof o.url === 'string') return fetchUrl(o.url, param, limits);
		if (typeof o.base64 === 'string') return { bytes: decodeBase64(o.base64, param, limits) };
		if (typeof o.id === 'string') return readAsset(o.id, `${param}.id`, limits);
		if ('url' in o || 'base64' in o || 'id' in o) {
			const k = 'url' in o ? 'url' : 'base64' in o ? 'base64' : 'id';
			throw new DarkroomError('invalid_parameter', `Expected string for ${param}.${k} but received ${describe(o[k])}`, `${param}.${k}`);
		}
	}
	throw new DarkroomError('invalid_parameter', `Expected ${EXPECTED} for ${param} but received ${describe(ref)}`, param);
}

/** `{ id }`: the original bytes of a library asset, as stored. */
async function readAsset(id: string, param: string, limits: Limits): Promise<ResolvedImage> {
	if (!isAssetId(id)) throw new DarkroomError('invalid_parameter', `Expected an asset id (26 characters, as image.upload returns) for ${param} but received ${describe(id)}`, param);
	const rec = await library().get(id);
	if (!rec) throw new DarkroomError('not_found', `No asset with id "${id}" in the library (${param})`, param);
	checkBytes(rec.bytes, param, limits);
	return { bytes: new Uint8Array(await (await library().original(rec)).arrayBuffer()), name: rec.name };
}

async function resolveString(s: string, param: string, limits: Limits): Promise<ResolvedImage> {
	const t = s.trim();
	if (t === '') throw new DarkroomError('invalid_parameter', `Expected an image for ${param} but received an empty string`, param);
	if (t.startsWith('data:')) return { bytes: decodeBase64(t, param, limits) };
	if (/^(https?:|blob:)/i.test(t) || t.startsWith('/') || t.startsWith('./')) return fetchUrl(t, param, limits);
	if (/^[A-Za-z0-9+/_\-\s]+=*$/.test(t) && t.length >= 16) return { bytes: decodeBase64(t, param, limits) };
	throw new DarkroomError('invalid_parameter', `Expected a URL, data URL or base64 string for ${param} but received ${describe(s)}`, param);
}

async function fetchUrl(url: string, param: string, limits: Limits): Promise<ResolvedImage> {
	let res: Response;
	try {
		res = await fetch(url, { credentials: 'same-origin' });
	} catch (e) {
		throw new DarkroomError('invalid_parameter', `Could not fetch ${param} from ${url}: ${e instanceof Error ? e.message : String(e)} (offline, blocked by CORS, or not a valid URL)`, param);
	}
	if (res.status === 404) throw new DarkroomError('not_found', `No image at ${url} (HTTP 404)`, param);
	if (!res.ok) throw new DarkroomError('invalid_parameter', `Fetching ${param} from ${url} failed with HTTP ${res.status}`, param);
	const len = Number(res.headers.get('content-length'));
	if (len) checkBytes(len, param, limits);
	const bytes = checked(new Uint8Array(await res.arrayBuffer()), param, limits);
	const name = decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() || '') || undefined;
	return name ? { bytes, name } : { bytes };
}

export function decodeBase64(input: string, param: string, limits: Limits): Uint8Array {
	let s = input.trim();
	if (s.startsWith('data:')) {
		const comma = s.indexOf(',');
		if (comma < 0 || !/;base64$/i.test(s.slice(0, comma)))
			throw new DarkroomError('invalid_parameter', `Expected a base64 data URL (data:<mime>;base64,...) for ${param}`, param);
		s = s.slice(comma + 1);
	}
	s = s.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
	if (!/^[A-Za-z0-9+/]*=*$/.test(s) || s.length % 4 === 1)
		throw new DarkroomError('invalid_parameter', `Invalid base64 in ${param}: only A–Z, a–z, 0–9, +, / (or URL-safe - _) and = padding are allowed`, param);
	checkBytes(Math.floor((s.length * 3) / 4), param, limits);
	while (s.length % 4) s += '=';
	let bin: string;
	try {
		bin = atob(s);
	} catch {
		throw new DarkroomError('invalid_parameter', `Invalid base64 in ${param}`, param);
	}
	const out = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
	return out;
}

export function encodeBase64(bytes: Uint8Array): string {
	let s = '';
	const CHUNK = 0x8000;
	for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
	return btoa(s);
}

function checkBytes(n: number, param: string, limits: Limits): void {
	if (n > limits.maxBytes)
		throw new DarkroomError('too_large', `${param} is ${n} bytes; the limit is ${limits.maxBytes} bytes (${(limits.maxBytes / 1048576).toFixed(0)} MiB)`, param);
}

function checked(bytes: Uint8Array, param: string, limits: Limits): Uint8Array {
	checkBytes(bytes.length, param, limits);
	return bytes;
}
