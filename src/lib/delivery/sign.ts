/**
 * Signed delivery URLs: HMAC-SHA256 over the URL's path (and rule) and its expiry, with a
 * per-device key that is generated once, marked non-extractable and kept in IndexedDB (a
 * CryptoKey survives structured clone, so the page and the service worker share it, but
 * its bytes can never be read back). Verification goes through `crypto.subtle.verify`,
 * which compares in constant time.
 */
import { DarkroomError, invalidParam } from '../api/errors';

export type KeyProvider = () => Promise<CryptoKey>;

const enc = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array | undefined {
	if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
	try {
		const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
		return Uint8Array.from(bin, (c) => c.charCodeAt(0));
	} catch {
		return undefined;
	}
}

/** What is signed: the path (+ rule query) and the expiry, unambiguously separated. */
function message(signedPart: string, exp: number): Uint8Array {
	return enc.encode(`${signedPart}\n${exp}`);
}

export function generateSigningKey(): Promise<CryptoKey> {
	return crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign', 'verify']) as Promise<CryptoKey>;
}

/** Longest lifetime a signed URL may have: one year. */
export const MAX_EXPIRES_S = 365 * 24 * 3600;

export function checkExpiresIn(v: unknown, param = 'expires_in_s'): number {
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_EXPIRES_S) throw invalidParam(param, `an integer number of seconds from 1 to ${MAX_EXPIRES_S}`, v);
	return v;
}

export async function signPart(key: CryptoKey, signedPart: string, exp: number): Promise<string> {
	const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message(signedPart, exp) as BufferSource));
	return base64url(mac);
}

/** Appends `exp` and `sig` to a delivery path (which may already carry a rule query). */
export async function signUrl(key: CryptoKey, pathAndRule: string, expiresInS: number, now = Date.now()): Promise<{ url: string; exp: number }> {
	const exp = Math.floor(now / 1000) + expiresInS;
	const sig = await signPart(key, pathAndRule, exp);
	return { url: `${pathAndRule}${pathAndRule.includes('?') ? '&' : '?'}exp=${exp}&sig=${sig}`, exp };
}

export type Verdict = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'bad-signature' };

/** Checks a signature; expiry is checked too, but only after the MAC, so a forged URL never learns anything from timing. */
export async function verifySigned(key: CryptoKey, signedPart: string, exp: number | undefined, sig: string | undefined, now = Date.now()): Promise<Verdict> {
	if (exp === undefined || sig === undefined) return { ok: false, reason: 'missing' };
	const mac = fromBase64url(sig);
	if (!Number.isFinite(exp) || !mac || mac.length !== 32) return { ok: false, reason: 'malformed' };
	const good = await crypto.subtle.verify('HMAC', key, mac as BufferSource, message(signedPart, exp) as BufferSource);
	if (!good) return { ok: false, reason: 'bad-signature' };
	if (exp * 1000 < now) return { ok: false, reason: 'expired' };
	return { ok: true };
}

export function verdictError(v: Exclude<Verdict, { ok: true }>): DarkroomError {
	const why = { missing: 'it has no signature', malformed: 'its signature is malformed', expired: 'it has expired', 'bad-signature': 'its signature does not match' }[v.reason];
	return new DarkroomError('forbidden', `This signed URL is refused: ${why}`);
}
