import { describe, expect, it } from 'vitest';
import { boxRadiiForGaussian, gaussianBlur, pixelate } from '../../src/lib/core/blur';
import { coverage, expandBox, redactRegions } from '../../src/lib/features/blur/regions';
import type { RGBAImage } from '../../src/lib/core/image';

function noise(W: number, H: number, seed = 1): RGBAImage {
	const data = new Uint8ClampedArray(W * H * 4);
	let s = seed;
	for (let i = 0; i < data.length; i++) {
		s = (s * 1103515245 + 12345) & 0x7fffffff;
		data[i] = (i & 3) === 3 ? 255 : s >> 23;
	}
	return { width: W, height: H, data };
}

describe('blur', () => {
	it('three boxes approximate the variance of σ', () => {
		for (const sigma of [2, 3, 10, 40]) {
			const radii = boxRadiiForGaussian(sigma);
			const variance = radii.reduce((v, r) => v + ((2 * r + 1) ** 2 - 1) / 12, 0);
			expect(Math.abs(Math.sqrt(variance) - sigma) / sigma).toBeLessThan(0.15);
		}
	});
	it('keeps a flat image flat and smooths noise', () => {
		const flat: RGBAImage = { width: 20, height: 10, data: new Uint8ClampedArray(800).fill(100) };
		expect(Array.from(gaussianBlur(flat, 3).data).every((v) => v === 100)).toBe(true);
		const n = noise(64, 64);
		const b = gaussianBlur(n, 4);
		const sd = (img: RGBAImage) => {
			let s = 0, s2 = 0, k = 0;
			for (let i = 0; i < img.data.length; i += 4) (s += img.data[i]), (s2 += img.data[i] ** 2), k++;
			return Math.sqrt(s2 / k - (s / k) ** 2);
		};
		expect(sd(b)).toBeLessThan(sd(n) / 4);
	});
	it('pixelate makes uniform blocks', () => {
		const p = pixelate(noise(16, 16), 8);
		expect(p.data.slice(0, 4)).toEqual(p.data.slice((7 * 16 + 7) * 4, (7 * 16 + 7) * 4 + 4));
	});
});

describe('redactRegions', () => {
	it('expandBox grows by the margin and clips', () => {
		expect(expandBox({ x: 100, y: 100, width: 100, height: 50 }, 0.2, 1000, 1000)).toEqual({ x: 80, y: 90, width: 140, height: 70 });
		expect(expandBox({ x: 5, y: 5, width: 100, height: 100 }, 0.2, 110, 110)).toEqual({ x: 0, y: 0, width: 110, height: 110 });
	});
	it('the shape is solid inside, feathered at the edge, empty outside', () => {
		const r = { x: 0, y: 0, width: 100, height: 100, shape: 'ellipse' as const };
		expect(coverage(r, 50, 50)).toBe(1);
		expect(coverage(r, 0, 0)).toBe(0);
		const edge = coverage(r, 50, 2);
		expect(edge).toBeGreaterThan(0);
		expect(edge).toBeLessThan(1);
		expect(coverage({ ...r, shape: 'rect' }, 50, 50)).toBe(1);
		expect(coverage({ ...r, shape: 'rect' }, 0, 0)).toBe(0);
	});
	for (const style of ['gaussian', 'pixelate', 'box'] as const)
		it(`${style}: changes the region and not one byte outside it`, () => {
			const img = noise(120, 80);
			const region = { x: 30, y: 20, width: 50, height: 40, shape: 'ellipse' as const };
			const out = redactRegions(img, [region], { style, strength: 50, color: [0, 0, 0, 255] });
			let inside = 0;
			for (let y = 0; y < 80; y++)
				for (let x = 0; x < 120; x++) {
					const i = (y * 120 + x) * 4;
					const same = out.data[i] === img.data[i] && out.data[i + 1] === img.data[i + 1] && out.data[i + 2] === img.data[i + 2] && out.data[i + 3] === img.data[i + 3];
					if (coverage(region, x, y) === 0) expect(same).toBe(true);
					else if (!same) inside++;
				}
			expect(inside).toBeGreaterThan(1000);
		});
});
