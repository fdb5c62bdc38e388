import { describe, expect, it } from 'vitest';
import type { RGBAImage } from '../../src/lib/core/image';
import { applyAlpha, boxFilter, guidedFilterGray, refineAlpha, resizeBilinear } from '../../src/lib/features/matting/refine';

const rng = (seed: number) => () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

describe('boxFilter', () => {
	it('matches a brute-force clipped mean', () => {
		const w = 13, h = 9, r = 3;
		const rand = rng(1);
		const src = Float32Array.from({ length: w * h }, rand);
		const out = boxFilter(src, w, h, r);
		for (let y = 0; y < h; y++)
			for (let x = 0; x < w; x++) {
				let s = 0, n = 0;
				for (let v = Math.max(0, y - r); v <= Math.min(h - 1, y + r); v++)
					for (let u = Math.max(0, x - r); u <= Math.min(w - 1, x + r); u++) (s += src[v * w + u]), n++;
				expect(out[y * w + x]).toBeCloseTo(s / n, 5);
			}
	});
});

describe('guidedFilterGray', () => {
	const w = 64, h = 48;
	it('constant guide: output = box(box(p))', () => {
		const rand = rng(2);
		const p = Float32Array.from({ length: w * h }, rand);
		const I = new Float32Array(w * h).fill(0.4);
		const q = guidedFilterGray(I, p, w, h, 4, 1e-3);
		const ref = boxFilter(boxFilter(p, w, h, 4), w, h, 4);
		for (let i = 0; i < q.length; i++) expect(q[i]).toBeCloseTo(ref[i], 4);
	});
	it('a step edge in the guide keeps a sharp alpha step; output within 0..1', () => {
		const I = new Float32Array(w * h);
		const p = new Float32Array(w * h);
		const p2 = new Float32Array(w * h);
		for (let y = 0; y < h; y++)
			for (let x = 0; x < w; x++) {
				I[y * w + x] = x < 32 ? 0.2 : 0.8;
				// p: a blurred step (ramp over 8 px)
				p[y * w + x] = Math.min(1, Math.max(0, (x - 28) / 8));
				p2[y * w + x] = x < 32 ? 0 : 1;
			}
		const q = guidedFilterGray(I, p, w, h, 6, 1e-3);
		// Same step in alpha and guide: stays a one-pixel step (a box blur would smear it over 13 px).
		const q2 = guidedFilterGray(I, p2, w, h, 6, 1e-3);
		for (let y = 0; y < h; y++) {
			expect(q2[y * w + 31]).toBeLessThan(0.05);
			expect(q2[y * w + 32]).toBeGreaterThan(0.95);
			// Blurred alpha (ramp of 8 px, 0.125 per px): the guide turns it back into a jump.
			expect(q[y * w + 32] - q[y * w + 31]).toBeGreaterThan(0.5);
			expect(q[y * w + 29]).toBeLessThan(0.2);
			expect(q[y * w + 34]).toBeGreaterThan(0.8);
			for (let x = 0; x < w; x++) {
				expect(q[y * w + x]).toBeGreaterThanOrEqual(-1e-3);
				expect(q[y * w + x]).toBeLessThanOrEqual(1 + 1e-3);
			}
		}
		// Plain box blur of p would leave a ramp.
		const blurred = boxFilter(p, w, h, 6);
		expect(blurred[31]).toBeGreaterThan(0.2);
	});
});

/** Disc of colour A over B with a soft edge of `soft` px; returns image and true alpha 0..1. */
function composite(W: number, H: number, soft: number): { img: RGBAImage; alpha: Float32Array } {
	const A = [200, 60, 40], B = [40, 120, 210];
	const cx = W * 0.45, cy = H * 0.5, R = Math.min(W, H) * 0.3;
	const data = new Uint8ClampedArray(W * H * 4);
	const alpha = new Float32Array(W * H);
	for (let y = 0; y < H; y++)
		for (let x = 0; x < W; x++) {
			const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
			const a = Math.min(1, Math.max(0, (R - d) / soft + 0.5));
			const i = y * W + x;
			alpha[i] = a;
			for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(a * A[c] + (1 - a) * B[c]);
			data[i * 4 + 3] = 255;
		}
	return { img: { width: W, height: H, data }, alpha };
}

/** Downsample 0..1 map by area averaging to n×n. */
function areaDown(src: Float32Array, W: number, H: number, n: number): Float32Array {
	const out = new Float32Array(n * n), cnt = new Float32Array(n * n);
	for (let y = 0; y < H; y++)
		for (let x = 0; x < W; x++) {
			const t = Math.floor((y * n) / H) * n + Math.floor((x * n) / W);
			out[t] += src[y * W + x];
			cnt[t]++;
		}
	for (let i = 0; i < out.length; i++) out[i] /= cnt[i];
	return out;
}

describe('refineAlpha on a synthetic composite', () => {
	const W = 400, H = 300;
	const { img, alpha } = composite(W, H, 3);
	const low = boxFilter(areaDown(alpha, W, H, 64), 64, 64, 1);
	const mae = (a: Uint8ClampedArray) => {
		let s = 0, n = 0;
		for (let i = 0; i < a.length; i++) {
			// Whole image and also an edge band; here the whole image.
			s += Math.abs(a[i] / 255 - alpha[i]);
			n++;
		}
		return s / n;
	};
	const maeBand = (a: Uint8ClampedArray) => {
		let s = 0, n = 0;
		const up = resizeBilinear(low, 64, 64, W, H);
		for (let i = 0; i < a.length; i++)
			if (up[i] > 0.02 && up[i] < 0.98) {
				s += Math.abs(a[i] / 255 - alpha[i]);
				n++;
			}
		return s / n;
	};
	it('is closer to the truth than bilinear upsampling', () => {
		const plain = refineAlpha(img, low, 64, 64, { guided: false });
		const rgb = refineAlpha(img, low, 64, 64);
		const gray = refineAlpha(img, low, 64, 64, { guide: 'luma' });
		console.log(
			`synthetic MAE all/band: bilinear ${mae(plain).toFixed(4)}/${maeBand(plain).toFixed(4)}, rgb ${mae(rgb).toFixed(4)}/${maeBand(rgb).toFixed(4)}, luma ${mae(gray).toFixed(4)}/${maeBand(gray).toFixed(4)}`
		);
		expect(mae(rgb)).toBeLessThan(mae(plain) * 0.7);
		// A and B are nearly isoluminant (Y ≈ 100 vs 106): a luma guide cannot see this edge, which is why 'rgb' is the default.
		expect(maeBand(rgb)).toBeLessThan(maeBand(plain) * 0.7);
	});
	it('works through the fast (subsampled) path', () => {
		const big = composite(1200, 900, 6);
		const lowB = boxFilter(areaDown(big.alpha, 1200, 900, 64), 64, 64, 1);
		const plain = refineAlpha(big.img, lowB, 64, 64, { guided: false });
		const fast = refineAlpha(big.img, lowB, 64, 64, { workMax: 300 });
		const m = (a: Uint8ClampedArray) => a.reduce((s, v, i) => s + Math.abs(v / 255 - big.alpha[i]), 0) / a.length;
		expect(m(fast)).toBeLessThan(m(plain) * 0.8);
	});
});

describe('applyAlpha', () => {
	it('sets alpha; decontamination pulls edge colours to the foreground colour', () => {
		const W = 200, H = 150;
		const { img, alpha } = composite(W, H, 3);
		const a8 = Uint8ClampedArray.from(alpha, (v) => Math.round(v * 255));
		const plain = applyAlpha(img, a8, { decontaminate: false });
		const clean = applyAlpha(img, a8);
		let errPlain = 0, errClean = 0, n = 0;
		for (let i = 0; i < W * H; i++) {
			expect(clean.data[i * 4 + 3]).toBe(a8[i]);
			if (a8[i] > 3 && a8[i] < 250) {
				n++;
				// Foreground colour is A = (200, 60, 40).
				errPlain += Math.abs(plain.data[i * 4] - 200) + Math.abs(plain.data[i * 4 + 2] - 40);
				errClean += Math.abs(clean.data[i * 4] - 200) + Math.abs(clean.data[i * 4 + 2] - 40);
			}
		}
		expect(n).toBeGreaterThan(100);
		expect(errClean / n).toBeLessThan((errPlain / n) * 0.2);
		expect(img.data[3]).toBe(255); // input untouched
	});
});
