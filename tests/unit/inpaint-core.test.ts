import { describe, expect, it } from 'vitest';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { diffuseFill, inpaint, maskedPsnr, maskedSsim } from '../../src/lib/core/inpaint';
import { holeBoxes } from '../../src/lib/core/inpaint/regions';
import { correctSeam, holeRing } from '../../src/lib/core/inpaint/seam';
import { poissonBlend } from '../../src/lib/core/inpaint/poisson';
import { growOverFringe, meanHoleDepth } from '../../src/lib/core/inpaint/fringe';

function image(w: number, h: number, px: (x: number, y: number) => [number, number, number, number]): RGBAImage {
	const img = createImage(w, h);
	for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.data.set(px(x, y), (y * w + x) * 4);
	return img;
}

function rectMask(w: number, h: number, rects: [number, number, number, number][]): Uint8Array {
	const m = new Uint8Array(w * h);
	for (const [x0, y0, rw, rh] of rects) for (let y = Math.max(0, y0); y < Math.min(h, y0 + rh); y++) for (let x = Math.max(0, x0); x < Math.min(w, x0 + rw); x++) m[y * w + x] = 1;
	return m;
}

/** Deterministic noise so the textures are not trivially flat. */
const noise = (x: number, y: number) => ((Math.imul(x * 73856093 ^ y * 19349663, 2654435761) >>> 24) & 15) - 8;

const stripes = image(160, 120, (x, y) => {
	const v = Math.floor((x + 0.5 * y) / 6) % 2 ? 210 : 50;
	return [v + noise(x, y), 120 + noise(y, x), 255 - v, 255];
});
const checker = image(160, 120, (x, y) => {
	const v = (Math.floor(x / 8) + Math.floor(y / 8)) % 2 ? 200 : 40;
	return [v, v + noise(x, y), 90, 255];
});

function same(a: RGBAImage, b: RGBAImage): boolean {
	return a.data.length === b.data.length && a.data.every((v, i) => v === b.data[i]);
}

function unchangedOutside(a: RGBAImage, b: RGBAImage, mask: Uint8Array): boolean {
	for (let i = 0; i < mask.length; i++) if (!mask[i]) for (let k = 0; k < 4; k++) if (a.data[i * 4 + k] !== b.data[i * 4 + k]) return false;
	return true;
}

describe('inpaint: contract', () => {
	const mask = rectMask(160, 120, [[50, 40, 40, 24], [0, 100, 30, 20], [150, 0, 10, 10]]);

	it('changes only masked pixels: everything else is byte-identical (also with alpha)', () => {
		expect(unchangedOutside(inpaint(stripes, mask), stripes, mask)).toBe(true);
		expect(unchangedOutside(diffuseFill(stripes, mask), stripes, mask)).toBe(true);
		const translucent = image(90, 70, (x, y) => [x * 2, y * 3, 100, 100 + ((x + y) % 100)]);
		const m = rectMask(90, 70, [[30, 20, 20, 15]]);
		const out = inpaint(translucent, m);
		expect(unchangedOutside(out, translucent, m)).toBe(true);
		for (let i = 0; i < m.length; i++) if (m[i]) expect(out.data[i * 4 + 3]).toBeGreaterThanOrEqual(100);
	});

	it('never reads what lies under the hole', () => {
		const poisoned = { ...stripes, data: new Uint8ClampedArray(stripes.data) };
		for (let i = 0; i < mask.length; i++) if (mask[i]) poisoned.data.set([255, 0, 255, 7], i * 4);
		expect(same(inpaint(poisoned, mask), inpaint(stripes, mask))).toBe(true);
		expect(same(diffuseFill(poisoned, mask), diffuseFill(stripes, mask))).toBe(true);
	});

	it('is deterministic, and the seed is the only source of randomness', () => {
		const a = inpaint(checker, mask);
		expect(same(inpaint(checker, mask), a)).toBe(true);
		expect(same(inpaint(checker, mask, { seed: 1 }), a)).toBe(true);
		expect(same(inpaint(checker, mask, { seed: 2 }), a)).toBe(false);
	});

	it('returns an unchanged copy for an empty mask', () => {
		const out = inpaint(checker, new Uint8Array(160 * 120));
		expect(same(out, checker)).toBe(true);
		expect(out.data === checker.data).toBe(false);
	});

	it('rejects an all-hole mask, a wrong-sized mask and a bad patch size with clear errors', () => {
		expect(() => inpaint(checker, new Uint8Array(160 * 120).fill(1))).toThrow(/at least one pixel left unmasked/);
		expect(() => diffuseFill(checker, new Uint8Array(160 * 120).fill(1))).toThrow(/at least one pixel left unmasked/);
		expect(() => inpaint(checker, new Uint8Array(10))).toThrow(/mask/);
		expect(() => inpaint(checker, mask, { patchSize: 6 })).toThrow(/patchSize/);
	});

	it('fills holes touching the image border and corners', () => {
		const m = rectMask(160, 120, [[-5, -5, 30, 30], [140, 50, 30, 20], [60, 110, 40, 20]]);
		const out = inpaint(checker, m);
		expect(unchangedOutside(out, checker, m)).toBe(true);
		expect(maskedPsnr(out, checker, m)).toBeGreaterThan(maskedPsnr(diffuseFill(checker, m), checker, m) + 3);
	});

	it('copes with tiny images and slivers of known pixels (falls back to a smooth fill)', () => {
		const tiny = image(6, 5, (x, y) => [x * 40, y * 50, 0, 255]);
		const m = rectMask(6, 5, [[1, 1, 4, 3]]);
		const out = inpaint(tiny, m);
		expect(unchangedOutside(out, tiny, m)).toBe(true);
		expect(out.data[(2 * 6 + 2) * 4 + 3]).toBe(255);
		const one = inpaint(tiny, Uint8Array.from({ length: 30 }, (_, i) => (i === 29 ? 0 : 1)));
		expect(Array.from(one.data.subarray(0, 4))).toEqual([200, 200, 0, 255]);
	});

	it('groups far-apart holes into separate small crops', () => {
		const m = new Uint8Array(4000 * 3000);
		m[10 * 4000 + 10] = 1;
		m[2900 * 4000 + 3900] = 1;
		const boxes = holeBoxes(m, 4000, 3000, () => 20);
		expect(boxes).toEqual([
			{ x0: 0, y0: 0, x1: 31, y1: 31 },
			{ x0: 3880, y0: 2880, x1: 3921, y1: 2921 }
		]);
		m[20 * 4000 + 40] = 1; // close to the first: merged with it
		expect(holeBoxes(m, 4000, 3000, () => 20)).toHaveLength(2);
	});
});

describe('inpaint: textures', () => {
	it.each([
		['stripes', stripes],
		['checker', checker]
	] as const)('continues a periodic texture (%s) far better than diffusion', (name, img) => {
		const m = rectMask(160, 120, [[55, 40, 48, 36]]);
		const p = inpaint(img, m);
		const d = diffuseFill(img, m);
		const r = { pm: maskedPsnr(p, img, m), diff: maskedPsnr(d, img, m), pmS: maskedSsim(p, img, m), diffS: maskedSsim(d, img, m) };
		console.log(`${name}: PatchMatch ${r.pm.toFixed(2)} dB SSIM ${r.pmS.toFixed(3)}, diffusion ${r.diff.toFixed(2)} dB SSIM ${r.diffS.toFixed(3)}`);
		expect(r.pm).toBeGreaterThan(r.diff + 8);
		expect(r.pmS).toBeGreaterThan(r.diffS + 0.2);
	});

	it('fills thin long strokes (text-like masks) from their surroundings', () => {
		const m = new Uint8Array(160 * 120);
		for (let x = 10; x < 150; x++) for (let t = -2; t <= 2; t++) m[(60 + Math.round(20 * Math.sin(x / 12)) + t) * 160 + x] = 1;
		for (let y = 10; y < 110; y++) for (let t = -1; t <= 1; t++) m[y * 160 + 80 + t] = 1;
		const p = inpaint(stripes, m);
		const d = diffuseFill(stripes, m);
		console.log(`strokes: PatchMatch ${maskedPsnr(p, stripes, m).toFixed(2)} dB, diffusion ${maskedPsnr(d, stripes, m).toFixed(2)} dB`);
		expect(maskedPsnr(p, stripes, m)).toBeGreaterThan(maskedPsnr(d, stripes, m) + 3);
	});
});

describe('inpaint: seam, gradient-domain finish and halo', () => {
	it('correctSeam takes a constant colour step off the fill and keeps its texture', () => {
		const w = 40;
		const h = 30;
		const hole = new Uint8Array(w * h);
		for (let y = 8; y < 22; y++) for (let x = 10; x < 30; x++) hole[y * w + x] = 1;
		const ring = holeRing(hole, w, h);
		const buf = new Float32Array(w * h);
		const pred = new Float32Array(w * h);
		const tex = (x: number, y: number) => 10 * Math.sin(x) * Math.cos(y);
		for (let i = 0; i < w * h; i++) {
			const x = i % w;
			const y = (i - x) / w;
			// The photo is 100 + texture; the fill (and its prediction of the ring) came out 40 too dark.
			buf[i] = hole[i] ? 60 + tex(x, y) : 100 + tex(x, y);
			pred[i] = 60 + tex(x, y);
		}
		correctSeam(buf, w, h, 1, hole, ring, pred);
		let worst = 0;
		for (let i = 0; i < w * h; i++) if (hole[i]) worst = Math.max(worst, Math.abs(buf[i] - (100 + tex(i % w, Math.floor(i / w)))));
		expect(worst).toBeLessThan(1.5);
	});

	it('correctSeam ignores a short spike of offset along the ring (a displaced edge)', () => {
		const w = 40;
		const h = 30;
		const hole = new Uint8Array(w * h);
		for (let y = 8; y < 22; y++) for (let x = 10; x < 30; x++) hole[y * w + x] = 1;
		const ring = holeRing(hole, w, h);
		const buf = new Float32Array(w * h).fill(100);
		const pred = new Float32Array(w * h).fill(100);
		// A one-pixel-wide bright line meets the top of the hole; the fill does not continue it there.
		for (let y = 0; y < 8; y++) buf[y * w + 20] = 250;
		correctSeam(buf, w, h, 1, hole, ring, pred);
		for (let i = 0; i < w * h; i++) if (hole[i]) expect(buf[i]).toBe(100);
	});

	it('poissonBlend melts a step between two sources inside the hole', () => {
		const w = 30;
		const h = 10;
		const hole = new Uint8Array(w * h);
		for (let y = 2; y < 8; y++) for (let x = 2; x < 28; x++) hole[y * w + x] = 1;
		const buf = new Float32Array(w * h).fill(100);
		// The vote left a block 60 levels too bright on the right half; the sources' own differences are flat.
		for (let i = 0; i < w * h; i++) if (hole[i] && i % w >= 15) buf[i] = 160;
		const g = { gx: new Float32Array(w * h), gy: new Float32Array(w * h), wx: new Float32Array(w * h).fill(1), wy: new Float32Array(w * h).fill(1) };
		poissonBlend(buf, w, h, 1, hole, g, 400);
		for (let i = 0; i < w * h; i++) if (hole[i]) expect(Math.abs(buf[i] - 100)).toBeLessThan(2);
	});

	it('growOverFringe finds a dark halo around a thin hole on a smooth background, and not texture', () => {
		const w = 60;
		const h = 40;
		const hole = new Uint8Array(w * h);
		for (let y = 18; y < 22; y++) for (let x = 10; x < 50; x++) hole[y * w + x] = 1;
		const halo = new Float32Array(w * h * 3);
		const textured = new Float32Array(w * h * 3);
		for (let y = 0; y < h; y++)
			for (let x = 0; x < w; x++) {
				const i = y * w + x;
				const near = y >= 16 && y < 24 && x >= 8 && x < 52 && !hole[i];
				for (let k = 0; k < 3; k++) {
					halo[i * 3 + k] = near ? 60 : 200 + ((x * 7 + y * 3) % 5);
					textured[i * 3 + k] = 128 + 90 * Math.sign(Math.sin(x * 1.3 + y * 0.7));
				}
			}
		const a = growOverFringe(halo, w, h, 3, hole);
		expect(a.fraction).toBeGreaterThan(0.9);
		expect(a.coherence).toBeGreaterThan(0.9);
		expect(a.hole[16 * w + 30]).toBe(1);
		expect(a.hole[10 * w + 30]).toBe(0);
		const b = growOverFringe(textured, w, h, 3, hole);
		expect(b.fraction).toBeLessThan(0.25);
		// 84 pixels at depth 1 (top and bottom rows, the ends), 76 at depth 2.
		expect(meanHoleDepth(hole, w, h)).toBeCloseTo((84 + 2 * 76) / 160, 6);
	});

	it('fills a captioned strip without copying its halo inwards, and leaves the halo itself alone', () => {
		// Smooth background, a 4-px stroke masked exactly, a 2-px dark halo around it (outside the mask).
		const w = 120;
		const h = 60;
		const truth = image(w, h, (x, y) => [150 + x / 4, 160 + y / 4, 170, 255]);
		const img = { ...truth, data: new Uint8ClampedArray(truth.data) };
		const m = rectMask(w, h, [[20, 28, 80, 4]]);
		for (let y = 26; y < 34; y++) for (let x = 18; x < 102; x++) if (!m[y * w + x]) img.data.set([40, 40, 40, 255], (y * w + x) * 4);
		const withHalo = inpaint(img, m);
		const plain = inpaint(img, m, { fringe: false, seam: false });
		expect(unchangedOutside(withHalo, img, m)).toBe(true);
		expect(maskedPsnr(withHalo, truth, m)).toBeGreaterThan(maskedPsnr(plain, truth, m) + 10);
	});
});
