import { describe, expect, it } from 'vitest';
import { alphaMask, blurredBackground, composeCutout, coverFit } from '../../src/lib/features/bgremove/background';
import type { RGBAImage } from '../../src/lib/core/image';

/** 200×100: left half a red subject, right half a green background; `cutout` has alpha 255 on the subject only. */
function scene(): { original: RGBAImage; cutout: RGBAImage } {
	const W = 200, H = 100;
	const original = { width: W, height: H, data: new Uint8ClampedArray(W * H * 4) };
	const cutout = { width: W, height: H, data: new Uint8ClampedArray(W * H * 4) };
	for (let y = 0; y < H; y++)
		for (let x = 0; x < W; x++) {
			const i = (y * W + x) * 4;
			const subject = x < 100;
			original.data.set(subject ? [220, 20, 20, 255] : [20, 200, 20, 255], i);
			cutout.data.set(subject ? [220, 20, 20, 255] : [20, 200, 20, 0], i);
		}
	return { original, cutout };
}

describe('background_remove backgrounds', () => {
	it('the mask is the alpha as opaque gray', () => {
		const { cutout } = scene();
		const m = alphaMask(cutout);
		expect(Array.from(m.data.slice(0, 4))).toEqual([255, 255, 255, 255]);
		expect(Array.from(m.data.slice(199 * 4, 200 * 4))).toEqual([0, 0, 0, 255]);
	});
	it('the blurred background takes no colour from the subject (no halo)', () => {
		const { original, cutout } = scene();
		const bg = blurredBackground(original, cutout);
		// just right of the subject's edge: still the background's green, not a red smear
		const i = (50 * 200 + 102) * 4;
		expect(bg.data[i]).toBeLessThan(40);
		expect(bg.data[i + 1]).toBeGreaterThan(180);
		expect(bg.data[i + 3]).toBe(255);
	});
	it('a colour or image background sits behind the subject', () => {
		const { cutout } = scene();
		const blue = composeCutout(cutout, { kind: 'color', color: [0, 0, 255, 255] });
		expect(Array.from(blue.data.slice(150 * 4, 151 * 4))).toEqual([0, 0, 255, 255]);
		expect(Array.from(blue.data.slice(0, 4))).toEqual([220, 20, 20, 255]);
		const tile: RGBAImage = { width: 10, height: 10, data: new Uint8ClampedArray(400).fill(255) };
		const white = composeCutout(cutout, { kind: 'image', image: tile });
		expect(white.width).toBe(200);
		expect(Array.from(white.data.slice(150 * 4, 151 * 4))).toEqual([255, 255, 255, 255]);
	});
	it('coverFit fills the size and crops the overflow', () => {
		const img: RGBAImage = { width: 40, height: 10, data: new Uint8ClampedArray(1600).fill(128) };
		const c = coverFit(img, 20, 20);
		expect([c.width, c.height]).toEqual([20, 20]);
	});
});
