import { invalidParam } from '../../api/errors';

/** A target aspect ratio as reduced integer terms (`16:9` → 16, 9; `1.91:1` → 191, 100). */
export interface Aspect {
	w: number;
	h: number;
}

const EXPECTED = 'an aspect ratio such as "1:1", "16:9", "4:5" or "1.91:1"';

function gcd(a: number, b: number): number {
	while (b) [a, b] = [b, a % b];
	return a;
}

/** Terms with up to three decimals become integers; the ratio is reduced. */
function toTerms(a: number, b: number): Aspect {
	let k = 1;
	while (k < 1000 && (!Number.isInteger(a * k) || !Number.isInteger(b * k))) k *= 10;
	let w = Math.round(a * k);
	let h = Math.round(b * k);
	const g = gcd(w, h) || 1;
	w /= g;
	h /= g;
	return { w, h };
}

/**
 * Parses `"16:9"`, `"16/9"`, `"16x9"`, or a number (width / height). Both terms must be
 * positive and finite, the ratio between 1:100 and 100:1.
 */
export function parseAspect(v: unknown, param = 'aspect'): Aspect {
	let a: number, b: number;
	if (typeof v === 'number') {
		a = v;
		b = 1;
	} else if (typeof v === 'string') {
		const m = /^\s*(\d+(?:\.\d+)?)\s*[:/x×]\s*(\d+(?:\.\d+)?)\s*$/i.exec(v);
		if (!m) throw invalidParam(param, EXPECTED, v);
		a = Number(m[1]);
		b = Number(m[2]);
	} else throw invalidParam(param, EXPECTED, v);
	if (!Number.isFinite(a) || !Number.isFinite(b) || a <= 0 || b <= 0 || a / b > 100 || b / a > 100) throw invalidParam(param, EXPECTED, v);
	return toTerms(a, b);
}

/**
 * The largest width × height of `aspect` that fits in W × H. When the ratio's terms allow,
 * the size is an exact multiple of them (so the output's aspect is exact, e.g. 1092 × 1365
 * for 4:5); otherwise the longest fitting side is kept and the other rounded.
 */
export function cropSizeForAspect(W: number, H: number, aspect: Aspect): { width: number; height: number } {
	const byWidth = { width: W, height: Math.round((W * aspect.h) / aspect.w) };
	const rounded = byWidth.height <= H ? byWidth : { width: Math.min(W, Math.round((H * aspect.w) / aspect.h)), height: H };
	rounded.width = Math.max(1, rounded.width);
	rounded.height = Math.max(1, rounded.height);
	const k = Math.floor(Math.min(W / aspect.w, H / aspect.h));
	if (k >= 1) {
		const exact = { width: k * aspect.w, height: k * aspect.h };
		// Exact terms cost at most one multiple of the ratio: take them unless that loses over 2 % of the area.
		if (exact.width * exact.height >= 0.98 * rounded.width * rounded.height) return exact;
	}
	return rounded;
}

/** Output size of a crop of `crop` size scaled to the requested width and/or height (aspect kept). */
export function scaledCropSize(crop: { width: number; height: number }, width?: number, height?: number): { width: number; height: number } {
	if (width !== undefined && height !== undefined) return { width, height };
	if (width !== undefined) return { width, height: Math.max(1, Math.round((width * crop.height) / crop.width)) };
	if (height !== undefined) return { width: Math.max(1, Math.round((height * crop.width) / crop.height)), height };
	return crop;
}
