import { describe, expect, it } from 'vitest';
import { DarkroomError } from '../../src/lib/api/errors';
import { cropImage, validateCrop } from '../../src/lib/core/crop';
import { createImage, type RGBAImage } from '../../src/lib/core/image';

function numbered(w: number, h: number): RGBAImage {
	const img = createImage(w, h);
	for (let i = 0; i < w * h; i++) img.data.set([i & 255, i >> 8, 0, 255], i * 4);
	return img;
}

function errorOf(fn: () => unknown): DarkroomError {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(DarkroomError);
		return e as DarkroomError;
	}
	throw new Error('expected a DarkroomError');
}

describe('validateCrop', () => {
	it('accepts a rectangle inside the image, edges included', () => {
		expect(validateCrop({ x: 0, y: 0, width: 1920, height: 1080 }, 1920, 1080)).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
		expect(validateCrop({ x: 1919, y: 1079, width: 1, height: 1, extra: 1 }, 1920, 1080)).toEqual({ x: 1919, y: 1079, width: 1, height: 1 });
	});

	it('names the bounds of a rectangle that sticks out on the right', () => {
		const e = errorOf(() => validateCrop({ x: 100, y: 50, width: 2000, height: 10 }, 1920, 1080));
		expect(e.message).toBe('Crop rectangle x=100 y=50 width=2000 height=10 extends outside the 1920×1080 image (right edge 2100 > 1920)');
		expect([e.status, e.code, e.param]).toEqual([400, 'invalid_parameter', 'width']);
	});

	it('… at the bottom, and on both', () => {
		expect(errorOf(() => validateCrop({ x: 0, y: 1000, width: 10, height: 81 }, 1920, 1080)).message).toBe(
			'Crop rectangle x=0 y=1000 width=10 height=81 extends outside the 1920×1080 image (bottom edge 1081 > 1080)'
		);
		expect(errorOf(() => validateCrop({ x: 1920, y: 1080, width: 1, height: 1 }, 1920, 1080)).message).toBe(
			'Crop rectangle x=1920 y=1080 width=1 height=1 extends outside the 1920×1080 image (right edge 1921 > 1920, bottom edge 1081 > 1080)'
		);
	});

	it('checks each number first', () => {
		expect(errorOf(() => validateCrop({ x: -1, y: 0, width: 1, height: 1 }, 10, 10)).message).toBe('Expected non-negative integer for x but received -1 of type number');
		expect(errorOf(() => validateCrop({ x: 0, y: 0.5, width: 1, height: 1 }, 10, 10)).message).toBe('Expected non-negative integer for y but received 0.5 of type number');
		expect(errorOf(() => validateCrop({ x: 0, y: 0, width: 0, height: 1 }, 10, 10)).message).toBe('Expected positive integer for width but received 0 of type number');
		expect(errorOf(() => validateCrop({ x: 0, y: 0, width: 1 }, 10, 10)).message).toBe('Expected positive integer for height but received undefined');
		expect(errorOf(() => validateCrop('0,0,1,1', 10, 10)).message).toBe('Expected object with x, y, width and height for crop but received "0,0,1,1" of type string');
	});
});

describe('cropImage', () => {
	it('copies exactly the rectangle', () => {
		const img = numbered(7, 5);
		const out = cropImage(img, { x: 2, y: 1, width: 3, height: 2 });
		expect([out.width, out.height]).toEqual([3, 2]);
		const ids = [];
		for (let i = 0; i < 6; i++) ids.push(out.data[i * 4] + out.data[i * 4 + 1] * 256);
		expect(ids).toEqual([9, 10, 11, 16, 17, 18]);
	});

	it('full-width crops and the whole image', () => {
		const img = numbered(300, 4);
		const rows = cropImage(img, { x: 0, y: 1, width: 300, height: 2 });
		expect(rows.data).toEqual(img.data.subarray(300 * 4, 300 * 3 * 4));
		const all = cropImage(img, { x: 0, y: 0, width: 300, height: 4 });
		expect(all.data).toEqual(img.data);
		expect(all.data).not.toBe(img.data);
	});

	it('refuses a rectangle outside the image', () => {
		expect(() => cropImage(numbered(4, 4), { x: 2, y: 2, width: 3, height: 1 })).toThrow('(right edge 5 > 4)');
	});
});
