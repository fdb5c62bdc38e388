/**
 * HivisionIDPhotos' photo adjustments (hivision/plugin/beauty): skin whitening, saturation,
 * brightness, contrast and sharpening, with its parameter names and ranges. The maths is our
 * own and gentler on what is not skin or not an edge:
 *
 * - whitening_strength 0–15: a lightening curve on luma plus a slight chroma reduction, both
 *   weighted per pixel by a skin likelihood (an ellipse in CbCr, gated off for dark pixels), so
 *   background, hair and clothes change little. (HivisionIDPhotos applies one global colour LUT.)
 * - saturation_strength −10–50: chroma around the pixel's own luma × (1 + s/100), limited per
 *   pixel to the sRGB gamut so hues do not shift where a channel would clip.
 * - brightness_strength −5–25: a curve that lifts mid-tones by 1.25·b levels and leaves black
 *   and white where they are (no clipped highlights).
 * - contrast_strength −10–50: levels around the subject's mean luma (alpha-weighted, as PIL's
 *   ImageEnhance.Contrast pivots on the image mean) × (1 + c/100), HivisionIDPhotos' factor.
 * - sharpen_strength 0–5: an unsharp mask on luma only (no colour fringes), with a noise
 *   threshold (flat areas are not roughened) and the result held within the 3×3 neighbourhood's
 *   range plus a small margin (no halos). The blur is alpha-weighted, so transparent pixels'
 *   colours never leak into the subject's edge.
 *
 * Order: whitening → saturation → brightness & contrast → sharpen. Alpha is never changed.
 * All strengths 0 is an exact no-op.
 */
import { invalidParam } from '../api/errors';
import type { RGBAImage } from './image';

export interface Adjustments {
	whitening_strength: number;
	brightness_strength: number;
	contrast_strength: number;
	sharpen_strength: number;
	saturation_strength: number;
}

/** HivisionIDPhotos' ranges (its Gradio sliders); 0 everywhere means no change. */
export const ADJUST_RANGES: Record<keyof Adjustments, readonly [min: number, max: number]> = {
	whitening_strength: [0, 15],
	brightness_strength: [-5, 25],
	contrast_strength: [-10, 50],
	sharpen_strength: [0, 5],
	saturation_strength: [-10, 50]
};

export const ADJUST_KEYS = Object.keys(ADJUST_RANGES) as (keyof Adjustments)[];

export const NO_ADJUSTMENTS: Readonly<Adjustments> = Object.freeze({
	whitening_strength: 0,
	brightness_strength: 0,
	contrast_strength: 0,
	sharpen_strength: 0,
	saturation_strength: 0
});

/** Fills missing strengths with 0 and rejects anything that is not a number in range. */
export function checkAdjustments(p: Partial<Record<keyof Adjustments, unknown>>): Adjustments {
	const out = { ...NO_ADJUSTMENTS };
	for (const k of ADJUST_KEYS) {
		const v = p[k];
		if (v === undefined) continue;
		const [lo, hi] = ADJUST_RANGES[k];
		if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) throw invalidParam(k, `number between ${lo} and ${hi}`, v);
		out[k] = v;
	}
	return out;
}

export function isNoAdjustment(p: Partial<Adjustments>): boolean {
	return ADJUST_KEYS.every((k) => !p[k]);
}

/** A new image with the adjustments applied; alpha is copied unchanged. */
export function adjustImage(img: RGBAImage, params: Partial<Adjustments>): RGBAImage {
	const p = checkAdjustments(params);
	const out: RGBAImage = { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) };
	if (isNoAdjustment(p)) return out;
	if (p.whitening_strength) whiten(out, p.whitening_strength / 15);
	if (p.saturation_strength) saturate(out, 1 + p.saturation_strength / 100);
	if (p.brightness_strength || p.contrast_strength) applyLut(out, toneLut(p.brightness_strength, p.contrast_strength, p.contrast_strength ? meanLuma(out) : 128));
	if (p.sharpen_strength) sharpen(out, p.sharpen_strength);
	return out;
}

// ---------------------------------------------------------------------------------------------

const smoothstep = (e0: number, e1: number, x: number) => {
	const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
	return t * t * (3 - 2 * t);
};

/**
 * How skin-like a colour is, 0–1: 1 inside an ellipse in (Cb, Cr) that holds light to dark skin
 * (BT.601, full range), falling off fast outside it (greys, blues, greens ≈ 0), and gated off
 * below luma ~40–90 so dark hair and shadows are left alone.
 */
export function skinLikelihood(r: number, g: number, b: number): number {
	const y = 0.299 * r + 0.587 * g + 0.114 * b;
	const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
	const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
	const u = (cb - 106) / 22;
	const v = (cr - 153) / 16;
	const d2 = u * u + v * v;
	if (d2 > 3.5 || y <= 40) return 0; // exp(−7.5) ≈ 0.0006
	const colour = d2 <= 1 ? 1 : Math.exp(-(d2 - 1) * 3);
	return colour * smoothstep(40, 90, y);
}

/** s 0–1 (whitening_strength / 15). */
function whiten(img: RGBAImage, s: number): void {
	const d = img.data;
	for (let i = 0; i < d.length; i += 4) {
		if (d[i + 3] === 0) continue;
		const r = d[i],
			g = d[i + 1],
			b = d[i + 2];
		const w = s * skinLikelihood(r, g, b);
		if (w < 1e-3) continue;
		const y = 0.299 * r + 0.587 * g + 0.114 * b;
		// Lift: +0.9·w·y(255−y)/255 (≈ +46 levels on light skin at full strength), then less chroma.
		const y2 = y + 0.9 * w * (y * (255 - y)) / 255;
		const k = 1 - 0.25 * w;
		d[i] = y2 + (r - y) * k;
		d[i + 1] = y2 + (g - y) * k;
		d[i + 2] = y2 + (b - y) * k;
	}
}

/** Chroma × k around each pixel's luma, k limited per pixel to stay inside the gamut. */
function saturate(img: RGBAImage, k: number): void {
	const d = img.data;
	const limit = (y: number, dc: number, kk: number) => (dc > 0.5 ? Math.min(kk, (255 - y) / dc) : dc < -0.5 ? Math.min(kk, y / -dc) : kk);
	for (let i = 0; i < d.length; i += 4) {
		if (d[i + 3] === 0) continue;
		const r = d[i],
			g = d[i + 1],
			b = d[i + 2];
		const y = 0.299 * r + 0.587 * g + 0.114 * b;
		let kk = k;
		// Never past the gamut (a clipped channel would turn the hue), never below 1 when asked for more.
		if (k > 1) kk = Math.max(1, limit(y, b - y, limit(y, g - y, limit(y, r - y, k))));
		d[i] = y + (r - y) * kk;
		d[i + 1] = y + (g - y) * kk;
		d[i + 2] = y + (b - y) * kk;
	}
}

/** Alpha-weighted mean luma (128 for a fully transparent image). */
function meanLuma(img: RGBAImage): number {
	const d = img.data;
	let s = 0,
		w = 0;
	for (let i = 0; i < d.length; i += 4) {
		const a = d[i + 3];
		if (a === 0) continue;
		s += a * (0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]);
		w += a;
	}
	return w > 0 ? s / w : 128;
}

/** Brightness (a mid-tone lift with fixed end points) then contrast around `pivot`, as one LUT. */
export function toneLut(brightness: number, contrast: number, pivot = 128): Uint8ClampedArray {
	const lut = new Uint8ClampedArray(256);
	const c = brightness / 51; // mid-tone shift c·63.75 = 1.25·brightness; |c| ≤ 0.49 keeps it monotonic
	const gain = 1 + contrast / 100;
	for (let x = 0; x < 256; x++) {
		const lifted = x + (c * x * (255 - x)) / 255;
		lut[x] = pivot + (lifted - pivot) * gain;
	}
	return lut;
}

function applyLut(img: RGBAImage, lut: Uint8ClampedArray): void {
	const d = img.data;
	for (let i = 0; i < d.length; i += 4) {
		if (d[i + 3] === 0) continue;
		d[i] = lut[d[i]];
		d[i + 1] = lut[d[i + 1]];
		d[i + 2] = lut[d[i + 2]];
	}
}

/** Separable Gaussian of `src` weighted by `w` (alpha): Σ w·src / Σ w, per pixel. */
function weightedBlur(src: Float32Array, w: Float32Array, width: number, height: number, sigma: number): Float32Array {
	const radius = Math.max(1, Math.ceil(sigma * 2.5));
	const k = new Float32Array(2 * radius + 1);
	for (let i = -radius; i <= radius; i++) k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
	const n = width * height;
	const num = new Float32Array(n);
	const den = new Float32Array(n);
	const wv = new Float32Array(n);
	for (let i = 0; i < n; i++) wv[i] = src[i] * w[i];
	// horizontal
	for (let y = 0; y < height; y++) {
		const row = y * width;
		for (let x = 0; x < width; x++) {
			let a = 0,
				b = 0;
			const lo = Math.max(0, x - radius),
				hi = Math.min(width - 1, x + radius);
			for (let xx = lo; xx <= hi; xx++) {
				const kv = k[xx - x + radius];
				a += kv * wv[row + xx];
				b += kv * w[row + xx];
			}
			num[row + x] = a;
			den[row + x] = b;
		}
	}
	// vertical, row by row (contiguous reads)
	const out = new Float32Array(n);
	const a = new Float32Array(width),
		b = new Float32Array(width);
	for (let y = 0; y < height; y++) {
		a.fill(0);
		b.fill(0);
		for (let yy = Math.max(0, y - radius); yy <= Math.min(height - 1, y + radius); yy++) {
			const kv = k[yy - y + radius];
			const row = yy * width;
			for (let x = 0; x < width; x++) {
				a[x] += kv * num[row + x];
				b[x] += kv * den[row + x];
			}
		}
		const row = y * width;
		for (let x = 0; x < width; x++) out[row + x] = b[x] > 1e-6 ? a[x] / b[x] : src[row + x];
	}
	return out;
}

/** 3×3 minimum and maximum of `v` over opaque pixels (transparent ones do not count). */
function localRange(v: Float32Array, alpha: Float32Array, width: number, height: number): { lo: Float32Array; hi: Float32Array } {
	const n = width * height;
	const hLo = new Float32Array(n),
		hHi = new Float32Array(n);
	for (let y = 0; y < height; y++) {
		const row = y * width;
		for (let x = 0; x < width; x++) {
			let lo = Infinity,
				hi = -Infinity;
			for (let xx = Math.max(0, x - 1); xx <= Math.min(width - 1, x + 1); xx++) {
				const q = row + xx;
				if (alpha[q] === 0) continue;
				if (v[q] < lo) lo = v[q];
				if (v[q] > hi) hi = v[q];
			}
			hLo[row + x] = lo;
			hHi[row + x] = hi;
		}
	}
	const lo = new Float32Array(n),
		hi = new Float32Array(n);
	for (let y = 0; y < height; y++) {
		const row = y * width;
		lo.set(hLo.subarray(row, row + width), row);
		hi.set(hHi.subarray(row, row + width), row);
		for (let yy = Math.max(0, y - 1); yy <= Math.min(height - 1, y + 1); yy++) {
			if (yy === y) continue;
			const r2 = yy * width;
			for (let x = 0; x < width; x++) {
				if (hLo[r2 + x] < lo[row + x]) lo[row + x] = hLo[r2 + x];
				if (hHi[r2 + x] > hi[row + x]) hi[row + x] = hHi[r2 + x];
			}
		}
	}
	return { lo, hi };
}

/** Unsharp mask on luma; strength 0–5. */
function sharpen(img: RGBAImage, strength: number): void {
	const { width, height, data: d } = img;
	const n = width * height;
	const lum = new Float32Array(n);
	const alpha = new Float32Array(n);
	for (let i = 0, j = 0; i < n; i++, j += 4) {
		lum[i] = 0.299 * d[j] + 0.587 * d[j + 1] + 0.114 * d[j + 2];
		alpha[i] = d[j + 3] / 255;
	}
	// About a pixel on a standard photo, a little wider on an HD one, so both look alike.
	const sigma = Math.min(2, Math.max(0.8, Math.min(width, height) / 600));
	const blur = weightedBlur(lum, alpha, width, height, sigma);
	const { lo, hi } = localRange(lum, alpha, width, height);
	const amount = 0.3 * strength; // 1.5 at the top of the range
	const T2 = 2.5 * 2.5; // noise threshold, levels²: smaller detail is left (mostly) alone
	for (let i = 0, j = 0; i < n; i++, j += 4) {
		if (alpha[i] === 0) continue;
		const v = lum[i];
		const diff = v - blur[i];
		const d2 = diff * diff;
		let s = v + (amount * diff * d2) / (d2 + T2);
		// Hold the result within the opaque 3×3 neighbourhood's range, plus 10% of it: no halos.
		const m = 0.1 * (hi[i] - lo[i]);
		if (s < lo[i] - m) s = lo[i] - m;
		else if (s > hi[i] + m) s = hi[i] + m;
		const delta = s - v;
		if (delta === 0) continue;
		d[j] = d[j] + delta;
		d[j + 1] = d[j + 1] + delta;
		d[j + 2] = d[j + 2] + delta;
	}
}
