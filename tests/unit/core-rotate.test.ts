import { describe, expect, it } from 'vitest';
import { flipImage, flopImage } from '../../src/lib/core/flip';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { rotateImage, rotatedSize } from '../../src/lib/core/rotate';

/** Pixel (x, y) holds id y·w + x in R and G (low, high byte) so moves can be traced exactly. */
function numbered(w: number, h: number): RGBAImage {
	const img = createImage(w, h);
	for (let i = 0; i < w * h; i++) img.data.set([i & 255, i >> 8, 77, 255], i * 4);
	return img;
}
const id = (img: RGBAImage, x: number, y: number) => {
	const i = (y * img.width + x) * 4;
	return img.data[i] + img.data[i + 1] * 256;
};
const px = (img: RGBAImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

describe('rotateImage by quarter turns', () => {
	const W = 5, H = 3;
	const src = numbered(W, H);
	const srcId = (x: number, y: number) => y * W + x;

	it('90° is clockwise: out(x, y) = in(y, H-1-x)', () => {
		const out = rotateImage(src, 90);
		expect([out.width, out.height]).toEqual([H, W]);
		for (let y = 0; y < W; y++) for (let x = 0; x < H; x++) expect(id(out, x, y)).toBe(srcId(y, H - 1 - x));
		// The top-left of the result is the bottom-left of the source.
		expect(id(out, 0, 0)).toBe(srcId(0, H - 1));
	});

	it('180°: out(x, y) = in(W-1-x, H-1-y)', () => {
		const out = rotateImage(src, 180);
		expect([out.width, out.height]).toEqual([W, H]);
		for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(id(out, x, y)).toBe(srcId(W - 1 - x, H - 1 - y));
	});

	it('270°: out(x, y) = in(W-1-y, x)', () => {
		const out = rotateImage(src, 270);
		expect([out.width, out.height]).toEqual([H, W]);
		for (let y = 0; y < W; y++) for (let x = 0; x < H; x++) expect(id(out, x, y)).toBe(srcId(W - 1 - y, x));
	});

	it('normalises angles: -90 = 270, 450 = 90, 360 and 0 copy', () => {
		expect(rotateImage(src, -90).data).toEqual(rotateImage(src, 270).data);
		expect(rotateImage(src, 450).data).toEqual(rotateImage(src, 90).data);
		expect(rotateImage(src, 360).data).toEqual(src.data);
		expect(rotateImage(src, 0).data).not.toBe(src.data);
	});

	it('four quarter turns are the identity (lossless)', () => {
		let img = numbered(7, 4);
		for (let i = 0; i < 4; i++) img = rotateImage(img, 90);
		expect(img.data).toEqual(numbered(7, 4).data);
	});

	it('rejects non-numbers', () => {
		expect(() => rotateImage(src, NaN)).toThrow('Expected finite number for degrees but received NaN of type number');
	});
});

describe('rotatedSize', () => {
	it.each([
		[100, 50, 45, 106, 106],
		[320, 261, 30, 408, 386], // sharp's own test: resize(320) of its 2725×2225 fixture, rotate(30)
		[100, 50, 90, 50, 100],
		[100, 50, -90, 50, 100],
		[100, 50, 180, 100, 50],
		[100, 50, 360, 100, 50],
		[1, 1, 45, 1, 1],
		[200, 100, 10, 214, 133] // 196.96 + 17.36, 34.73 + 98.48
	])('%i×%i at %i° → %i×%i', (w, h, d, ew, eh) => {
		expect(rotatedSize(w, h, d)).toEqual({ width: ew, height: eh });
	});
});

describe('rotateImage by other angles', () => {
	it('grows the canvas to the rotated box and fills the corners with the background', () => {
		const img = createImage(100, 50, [0, 0, 255, 255]);
		const out = rotateImage(img, 45, [255, 0, 0, 255]);
		expect([out.width, out.height]).toEqual([106, 106]);
		for (const [x, y] of [[0, 0], [105, 0], [0, 105], [105, 105]]) expect(px(out, x, y)).toEqual([255, 0, 0, 255]);
		expect(px(out, 53, 53)).toEqual([0, 0, 255, 255]);
	});

	it('corners are transparent by default', () => {
		const out = rotateImage(createImage(100, 50, [0, 0, 255, 255]), 30);
		expect([out.width, out.height]).toEqual(Object.values(rotatedSize(100, 50, 30)));
		expect(px(out, 0, 0)[3]).toBe(0);
		expect(px(out, out.width - 1, out.height - 1)[3]).toBe(0);
	});

	it('positive angles turn clockwise', () => {
		// Left half red, right half blue; nearly a quarter turn clockwise puts red on top.
		const img = createImage(100, 40);
		for (let y = 0; y < 40; y++) for (let x = 0; x < 100; x++) img.data.set(x < 50 ? [255, 0, 0, 255] : [0, 0, 255, 255], (y * 100 + x) * 4);
		const out = rotateImage(img, 89);
		const cx = Math.floor(out.width / 2);
		expect(px(out, cx, 15)).toEqual([255, 0, 0, 255]);
		expect(px(out, cx, out.height - 15)).toEqual([0, 0, 255, 255]);
		const ccw = rotateImage(img, -89);
		expect(px(ccw, cx, 15)).toEqual([0, 0, 255, 255]);
	});

	it('edges are antialiased against a transparent background without dark fringes', () => {
		const out = rotateImage(createImage(50, 50, [255, 255, 255, 255]), 45);
		let partial = 0;
		for (let i = 0; i < out.data.length; i += 4) {
			const a = out.data[i + 3];
			if (a > 0 && a < 255) {
				partial++;
				// Straight-alpha bilinear against transparent black would darken these.
				expect([out.data[i], out.data[i + 1], out.data[i + 2]]).toEqual([255, 255, 255]);
			}
		}
		expect(partial).toBeGreaterThan(100);
	});

	it('edges blend into an opaque background', () => {
		const out = rotateImage(createImage(50, 50, [255, 255, 255, 255]), 30, [0, 0, 0, 255]);
		const greys = new Set<number>();
		for (let i = 0; i < out.data.length; i += 4) {
			expect(out.data[i + 3]).toBe(255);
			greys.add(out.data[i]);
		}
		expect(greys.size).toBeGreaterThan(20);
	});
});

describe('flip and flop', () => {
	it('flip mirrors top↔bottom', () => {
		const img = numbered(3, 4);
		const out = flipImage(img);
		for (let y = 0; y < 4; y++) for (let x = 0; x < 3; x++) expect(id(out, x, y)).toBe(id(img, x, 3 - y));
		expect(flipImage(out).data).toEqual(img.data);
	});

	it('flop mirrors left↔right', () => {
		const img = numbered(3, 4);
		const out = flopImage(img);
		for (let y = 0; y < 4; y++) for (let x = 0; x < 3; x++) expect(id(out, x, y)).toBe(id(img, 2 - x, y));
		expect(flopImage(out).data).toEqual(img.data);
	});

	it('flip then flop is a half turn', () => {
		const img = numbered(6, 5);
		expect(flopImage(flipImage(img)).data).toEqual(rotateImage(img, 180).data);
	});

	it('works on an unaligned view', () => {
		const backing = new Uint8ClampedArray(1 + 2 * 1 * 4);
		backing.set([1, 2, 3, 4, 5, 6, 7, 8], 1);
		const out = flopImage({ width: 2, height: 1, data: backing.subarray(1) });
		expect(Array.from(out.data)).toEqual([5, 6, 7, 8, 1, 2, 3, 4]);
	});
});
