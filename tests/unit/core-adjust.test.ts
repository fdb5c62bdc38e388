import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { adjustImage, checkAdjustments, skinLikelihood, toneLut, type Adjustments } from '../../src/lib/core/adjust';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { SAMPLE } from './codecs-fixtures';

const luma = (d: Uint8ClampedArray, i: number) => 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];

function crop(img: RGBAImage, x0: number, y0: number, w: number, h: number): RGBAImage {
	const out = createImage(w, h);
	for (let y = 0; y < h; y++) out.data.set(img.data.subarray(((y0 + y) * img.width + x0) * 4, ((y0 + y) * img.width + x0 + w) * 4), y * w * 4);
	return out;
}

function stats(img: RGBAImage) {
	const d = img.data;
	let s = 0,
		s2 = 0,
		chroma = 0;
	const n = d.length / 4;
	for (let i = 0; i < d.length; i += 4) {
		const y = luma(d, i);
		s += y;
		s2 += y * y;
		chroma += Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
	}
	const mean = s / n;
	return { mean, std: Math.sqrt(s2 / n - mean * mean), chroma: chroma / n };
}

/** Mean squared 4-neighbour Laplacian of luma. */
function laplacianEnergy(img: RGBAImage): number {
	const { width: w, height: h, data: d } = img;
	let e = 0;
	for (let y = 1; y < h - 1; y++)
		for (let x = 1; x < w - 1; x++) {
			const i = (y * w + x) * 4;
			const l = 4 * luma(d, i) - luma(d, i - 4) - luma(d, i + 4) - luma(d, i - w * 4) - luma(d, i + w * 4);
			e += l * l;
		}
	return e / ((w - 2) * (h - 2));
}

function sameBytes(a: Uint8ClampedArray, b: Uint8ClampedArray): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

let photo: RGBAImage; // the face-api demo sample 1, one woman's head and shoulders with some background
let full: RGBAImage;
beforeAll(async () => {
	full = (await decode(SAMPLE(1))).image;
	photo = crop(full, 200, 150, 600, 700);
});

describe('adjustImage: no-op and validation', () => {
	it('all strengths 0 (or omitted) give byte-identical pixels, in a new buffer', () => {
		for (const p of [{}, { whitening_strength: 0, brightness_strength: 0, contrast_strength: 0, sharpen_strength: 0, saturation_strength: 0 }]) {
			const out = adjustImage(photo, p);
			expect(out.data === photo.data).toBe(false);
			expect(sameBytes(out.data, photo.data)).toBe(true);
		}
	});
	it('rejects out-of-range and non-numeric strengths, naming the parameter and range', () => {
		expect(() => adjustImage(photo, { brightness_strength: 26 })).toThrow('Expected number between -5 and 25 for brightness_strength but received 26 of type number');
		expect(() => adjustImage(photo, { brightness_strength: -6 })).toThrow(/brightness_strength/);
		expect(() => adjustImage(photo, { contrast_strength: -11 })).toThrow('Expected number between -10 and 50 for contrast_strength');
		expect(() => adjustImage(photo, { saturation_strength: 51 })).toThrow(/saturation_strength/);
		expect(() => adjustImage(photo, { sharpen_strength: -1 })).toThrow('Expected number between 0 and 5 for sharpen_strength');
		expect(() => adjustImage(photo, { whitening_strength: 16 })).toThrow('Expected number between 0 and 15 for whitening_strength');
		expect(() => adjustImage(photo, { whitening_strength: NaN })).toThrow(/whitening_strength/);
		expect(() => checkAdjustments({ sharpen_strength: '2' })).toThrow(/sharpen_strength/);
		try {
			adjustImage(photo, { contrast_strength: 99 });
		} catch (e) {
			expect(e).toMatchObject({ code: 'invalid_parameter', status: 400, param: 'contrast_strength' });
		}
	});
	it('never touches alpha, and leaves fully transparent pixels alone', () => {
		const img = crop(full, 300, 200, 120, 120);
		for (let i = 3; i < img.data.length; i += 4) img.data[i] = (i >> 2) % 3 === 0 ? 0 : (i * 7) & 255;
		const out = adjustImage(img, { whitening_strength: 15, brightness_strength: 25, contrast_strength: 50, sharpen_strength: 5, saturation_strength: 50 });
		let bad = 0;
		for (let i = 0; i < img.data.length; i += 4) {
			if (out.data[i + 3] !== img.data[i + 3]) bad++;
			if (img.data[i + 3] === 0 && (out.data[i] !== img.data[i] || out.data[i + 1] !== img.data[i + 1] || out.data[i + 2] !== img.data[i + 2])) bad++;
		}
		expect(bad).toBe(0);
	});
});

describe('brightness, contrast, saturation', () => {
	it('mean luma rises monotonically with brightness_strength; black and white stay put', () => {
		const means = [-5, -2, 0, 2, 5, 10, 15, 20, 25].map((b) => stats(adjustImage(photo, { brightness_strength: b })).mean);
		for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThan(means[i - 1]);
		expect(means.at(-1)! - means[2]).toBeGreaterThan(10);
		const lut = toneLut(25, 0);
		expect([lut[0], lut[255]]).toEqual([0, 255]);
		for (let x = 1; x < 256; x++) expect(lut[x]).toBeGreaterThanOrEqual(lut[x - 1]);
	});
	it('contrast_strength raises (or lowers) the spread of luma', () => {
		const base = stats(photo).std;
		const stds = [-10, -5, 10, 25, 50].map((c) => stats(adjustImage(photo, { contrast_strength: c })).std);
		expect(stds[0]).toBeLessThan(stds[1]);
		expect(stds[1]).toBeLessThan(base);
		expect(stds[2]).toBeGreaterThan(base);
		expect(stds[3]).toBeGreaterThan(stds[2]);
		expect(stds[4]).toBeGreaterThan(stds[3]);
	});
	it('saturation_strength scales chroma and keeps luma', () => {
		const base = stats(photo);
		const more = stats(adjustImage(photo, { saturation_strength: 50 }));
		const less = stats(adjustImage(photo, { saturation_strength: -10 }));
		expect(more.chroma).toBeGreaterThan(base.chroma * 1.3);
		expect(less.chroma).toBeLessThan(base.chroma * 0.93);
		expect(Math.abs(more.mean - base.mean)).toBeLessThan(1);
		expect(Math.abs(less.mean - base.mean)).toBeLessThan(1);
	});
	it('saturation does not clip a strong colour into another hue', () => {
		const img = createImage(1, 1, [230, 40, 20, 255]);
		const [r, g, b] = adjustImage(img, { saturation_strength: 50 }).data;
		expect(r).toBeGreaterThanOrEqual(230);
		expect(g).toBeGreaterThan(b); // still orange-red, not pure red
	});
});

describe('sharpen', () => {
	it('raises the Laplacian energy of a real photo, more with more strength', () => {
		const e = [0, 1, 3, 5].map((s) => laplacianEnergy(adjustImage(photo, { sharpen_strength: s })));
		expect(e[1]).toBeGreaterThan(e[0] * 1.1);
		expect(e[2]).toBeGreaterThan(e[1]);
		expect(e[3]).toBeGreaterThan(e[2]);
	});
	it('works on luma only: every pixel moves the same in R, G and B (no colour fringes)', () => {
		const out = adjustImage(photo, { sharpen_strength: 5 });
		let moved = 0,
			fringes = 0;
		for (let i = 0; i < out.data.length; i += 4) {
			const dr = out.data[i] - photo.data[i],
				dg = out.data[i + 1] - photo.data[i + 1],
				db = out.data[i + 2] - photo.data[i + 2];
			if (dr || dg || db) moved++;
			// Equal up to rounding, except where a channel hit 0 or 255.
			const clipped = [out.data[i], out.data[i + 1], out.data[i + 2]].some((v) => v === 0 || v === 255);
			if (!clipped && (Math.abs(dr - dg) > 1 || Math.abs(dr - db) > 1)) fringes++;
		}
		expect(fringes).toBe(0);
		expect(moved).toBeGreaterThan(out.data.length / 4 / 10);
	});
	it('no halo at a hard edge and no grain on a flat, slightly noisy area', () => {
		const w = 64,
			h = 32;
		const img = createImage(w, h);
		let seed = 7;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
		for (let y = 0; y < h; y++)
			for (let x = 0; x < w; x++) {
				const v = (x < 32 ? 60 : 190) + Math.round(rnd()); // ±1 level of noise
				img.data.set([v, v, v, 255], (y * w + x) * 4);
			}
		const out = adjustImage(img, { sharpen_strength: 5 });
		let maxFlat = 0,
			lo = 255,
			hi = 0;
		for (let y = 0; y < h; y++)
			for (let x = 0; x < w; x++) {
				const i = (y * w + x) * 4;
				const v = out.data[i];
				// Overshoot at the edge held within 10% of the step (13 levels), not the unlimited USM ringing.
				lo = Math.min(lo, v);
				hi = Math.max(hi, v);
				if (Math.abs(x - 31.5) > 4) maxFlat = Math.max(maxFlat, Math.abs(v - img.data[i]));
			}
		expect(lo).toBeGreaterThanOrEqual(59 - 14);
		expect(hi).toBeLessThanOrEqual(191 + 14);
		expect(maxFlat).toBeLessThanOrEqual(1);
	});
	it('transparent pixels’ colours do not bleed into the subject’s edge', () => {
		const img = createImage(40, 40, [0, 0, 0, 0]);
		for (let y = 10; y < 30; y++) for (let x = 10; x < 30; x++) img.data.set([150, 120, 100, 255], (y * 40 + x) * 4);
		const out = adjustImage(img, { sharpen_strength: 5 });
		expect(Array.from(out.data)).toEqual(Array.from(img.data));
	});
});

describe('whitening', () => {
	const SKIN: [number, number, number][] = [
		[236, 188, 168],
		[224, 172, 150],
		[198, 145, 118],
		[170, 120, 90],
		[141, 85, 60]
	];
	const OTHER: [number, number, number][] = [
		[255, 255, 255], // white background / shirt
		[240, 240, 240],
		[128, 128, 128],
		[67, 142, 219], // ID blue
		[30, 40, 90], // navy suit
		[20, 20, 20], // black hair
		[60, 45, 35], // dark brown hair
		[200, 30, 30], // red top
		[40, 120, 60]
	];
	it('the skin likelihood separates skin tones from backgrounds, hair and clothes', () => {
		for (const c of SKIN) expect(skinLikelihood(...c), String(c)).toBeGreaterThan(0.8);
		for (const c of OTHER) expect(skinLikelihood(...c), String(c)).toBeLessThan(0.15);
	});
	it('lifts skin tones much more than other colours', () => {
		const lift = (c: [number, number, number], s: number) => {
			const out = adjustImage(createImage(1, 1, [...c, 255]), { whitening_strength: s }).data;
			return luma(out, 0) - luma(new Uint8ClampedArray([...c, 255]), 0);
		};
		for (const c of SKIN) {
			expect(lift(c, 15), String(c)).toBeGreaterThan(12);
			expect(lift(c, 15)).toBeGreaterThan(lift(c, 5));
			expect(lift(c, 2)).toBeGreaterThan(0.5);
		}
		for (const c of OTHER) expect(Math.abs(lift(c, 15)), String(c)).toBeLessThan(4);
	});
	it('on a real photo: face skin brightens, the rest of the picture hardly moves', () => {
		const out = adjustImage(photo, { whitening_strength: 10 });
		let skinLift = 0,
			skinN = 0,
			otherLift = 0,
			otherN = 0;
		for (let i = 0; i < photo.data.length; i += 4) {
			const p = skinLikelihood(photo.data[i], photo.data[i + 1], photo.data[i + 2]);
			const dl = luma(out.data, i) - luma(photo.data, i);
			if (p > 0.9) (skinLift += dl), skinN++;
			else if (p < 0.1) (otherLift += dl), otherN++;
		}
		expect(skinN).toBeGreaterThan(5000); // the face is there
		expect(otherN).toBeGreaterThan(5000);
		expect(skinLift / skinN).toBeGreaterThan(10);
		expect(otherLift / otherN).toBeLessThan(1.5);
	});
});

describe('all together', () => {
	// A loose bound: ~0.3 s on an idle laptop core; shared CI machines are several times slower.
	it('a 2-MP HD photo with every adjustment finishes in seconds, not minutes', () => {
		const hd = crop(full, 0, 0, 1200, 1680);
		const all: Adjustments = { whitening_strength: 5, brightness_strength: 10, contrast_strength: 10, sharpen_strength: 3, saturation_strength: 10 };
		adjustImage(crop(hd, 0, 0, 100, 100), all); // warm up
		const t0 = performance.now();
		adjustImage(hd, all);
		expect(performance.now() - t0).toBeLessThan(10_000);
	});
});
