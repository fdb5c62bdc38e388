import { describe, expect, it } from 'vitest';
import { compositeOver, embedImage, fillRect, flattenOnto } from '../../src/lib/core/compose';
import { createImage, type RGBA, type RGBAImage } from '../../src/lib/core/image';

const px = (img: RGBAImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));
const solid = (w: number, h: number, c: RGBA) => createImage(w, h, c);

describe('compositeOver', () => {
	it('50% red over opaque blue', () => {
		const out = compositeOver(solid(1, 1, [0, 0, 255, 255]), solid(1, 1, [255, 0, 0, 128]), 0, 0);
		expect(px(out, 0, 0)).toEqual([128, 0, 127, 255]); // 255·128/255, 255·(1 − 128/255)
	});

	it('opaque red at opacity 0.5 over blue', () => {
		const out = compositeOver(solid(1, 1, [0, 0, 255, 255]), solid(1, 1, [255, 0, 0, 255]), 0, 0, 0.5);
		expect(px(out, 0, 0)).toEqual([128, 0, 128, 255]); // 127.5 each, rounded half to even
	});

	it('over a transparent destination keeps the source colour (no darkening)', () => {
		const out = compositeOver(solid(1, 1, [0, 0, 0, 0]), solid(1, 1, [255, 0, 0, 128]), 0, 0);
		expect(px(out, 0, 0)).toEqual([255, 0, 0, 128]);
		const faded = compositeOver(solid(1, 1, [0, 255, 0, 0]), solid(1, 1, [255, 0, 0, 255]), 0, 0, 0.25);
		expect(px(faded, 0, 0)).toEqual([255, 0, 0, 64]);
	});

	it('semi over semi', () => {
		const out = compositeOver(solid(1, 1, [0, 0, 255, 128]), solid(1, 1, [255, 0, 0, 128]), 0, 0);
		// αo = .502 + .502·.498 = .7519 → 191.75; R = 255·.502/.7519 = 170.2; B = 255·.25/.7519 = 84.8
		expect(px(out, 0, 0)).toEqual([170, 0, 85, 192]);
	});

	it('transparent source and opacity 0 change nothing; opaque source replaces', () => {
		const dst = solid(2, 1, [1, 2, 3, 4]);
		compositeOver(dst, solid(2, 1, [9, 9, 9, 0]), 0, 0);
		compositeOver(dst, solid(2, 1, [9, 9, 9, 255]), 0, 0, 0);
		expect(px(dst, 1, 0)).toEqual([1, 2, 3, 4]);
		compositeOver(dst, solid(1, 1, [9, 8, 7, 255]), 1, 0);
		expect(px(dst, 1, 0)).toEqual([9, 8, 7, 255]);
		expect(px(dst, 0, 0)).toEqual([1, 2, 3, 4]);
	});

	it('clips a source that extends past any edge', () => {
		const src = createImage(4, 4);
		for (let i = 0; i < 16; i++) src.data.set([i, 0, 0, 255], i * 4);
		const a = compositeOver(solid(4, 4, [0, 0, 0, 0]), src, -2, -3);
		expect(px(a, 0, 0)).toEqual([14, 0, 0, 255]); // src (2, 3)
		expect(px(a, 1, 0)).toEqual([15, 0, 0, 255]);
		expect(px(a, 2, 0)[3]).toBe(0);
		expect(px(a, 0, 1)[3]).toBe(0);
		const b = compositeOver(solid(4, 4, [0, 0, 0, 0]), src, 3, 2);
		expect(px(b, 3, 2)).toEqual([0, 0, 0, 255]);
		expect(px(b, 3, 3)).toEqual([4, 0, 0, 255]);
		const before = new Uint8ClampedArray(b.data);
		compositeOver(b, src, 4, 0);
		compositeOver(b, src, -4, 0);
		compositeOver(b, src, 0, 100);
		expect(b.data).toEqual(before);
	});

	it('validates opacity', () => {
		expect(() => compositeOver(solid(1, 1, [0, 0, 0, 0]), solid(1, 1, [0, 0, 0, 0]), 0, 0, 1.5)).toThrow(
			'Expected number between 0 and 1 for opacity but received 1.5 of type number'
		);
	});
});

describe('flattenOnto', () => {
	it('puts a background behind transparency', () => {
		const img = createImage(3, 1);
		img.data.set([255, 0, 0, 128, 0, 0, 0, 0, 10, 20, 30, 255]);
		const out = flattenOnto(img, [255, 255, 255, 255]);
		expect(px(out, 0, 0)).toEqual([255, 127, 127, 255]);
		expect(px(out, 1, 0)).toEqual([255, 255, 255, 255]);
		expect(px(out, 2, 0)).toEqual([10, 20, 30, 255]);
		expect(px(img, 1, 0)).toEqual([0, 0, 0, 0]); // input untouched
	});

	it('onto a transparent background is the identity on visible pixels', () => {
		const img = createImage(1, 1, [200, 100, 50, 128]);
		expect(px(flattenOnto(img, [0, 0, 0, 0]), 0, 0)).toEqual([200, 100, 50, 128]);
	});
});

describe('fillRect and embedImage', () => {
	it('fillRect replaces pixels and clips', () => {
		const img = solid(4, 3, [1, 1, 1, 255]);
		fillRect(img, { x: 2, y: 1, width: 10, height: 10 }, [0, 0, 0, 0]);
		expect(px(img, 1, 1)).toEqual([1, 1, 1, 255]);
		expect(px(img, 2, 1)).toEqual([0, 0, 0, 0]);
		expect(px(img, 3, 2)).toEqual([0, 0, 0, 0]);
		expect(px(img, 3, 0)).toEqual([1, 1, 1, 255]);
		fillRect(img, { x: -5, y: -5, width: 2, height: 2 }, [9, 9, 9, 9]);
		expect(px(img, 0, 0)).toEqual([1, 1, 1, 255]);
	});

	it('embedImage letterboxes and keeps the image’s own transparency', () => {
		const img = createImage(2, 1);
		img.data.set([10, 20, 30, 255, 0, 0, 0, 0]);
		const out = embedImage(img, 4, 3, 1, 1, [255, 0, 0, 255]);
		expect([out.width, out.height]).toEqual([4, 3]);
		expect(px(out, 0, 0)).toEqual([255, 0, 0, 255]);
		expect(px(out, 1, 1)).toEqual([10, 20, 30, 255]);
		expect(px(out, 2, 1)).toEqual([0, 0, 0, 0]);
		expect(px(out, 3, 1)).toEqual([255, 0, 0, 255]);
	});
});
