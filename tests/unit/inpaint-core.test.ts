import { describe, expect, it } from 'vitest';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { diffuseFill, inpaint, maskedPsnr, maskedSsim } from '../../src/lib/core/inpaint';
import { holeBoxes } from '../../src/lib/core/inpaint/regions';

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
