import { describe, expect, it } from 'vitest';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { parsePolygons, decodeBase64Text } from '../../src/lib/features/repair/polygons';
import { fillPolygon, rasterizePolygons } from '../../src/lib/features/repair/rasterize';
import { checkMask, countMask, maskFromImage } from '../../src/lib/features/repair/mask-image';
import { dilateMask, maskBox } from '../../src/lib/features/repair/dilate';

const b64url = (s: string, pad = false) => {
	const b = Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
	return pad ? b : b.replace(/=+$/, '');
};

function err(fn: () => unknown): { code: string; status: number; param?: string; message: string } {
	try {
		fn();
	} catch (e) {
		return e as { code: string; status: number; param?: string; message: string };
	}
	throw new Error('expected a throw');
}

const SEED = [[[608, 794], [1024, 794], [1024, 842], [608, 842]], [[1295, 62], [1295, 30], [1597, 32], [1597, 64]]];

describe('parsePolygons', () => {
	it('takes the seed example as an array, JSON, and URL-safe base64 with and without padding', () => {
		const json = JSON.stringify(SEED);
		for (const v of [SEED, json, ` ${json} `, b64url(json), b64url(json, true), Buffer.from(json).toString('base64')]) {
			const p = parsePolygons(v);
			expect(p).toHaveLength(2);
			expect(p[1][2]).toEqual([1597, 32]);
		}
	});
	it('one polygon (2-D) becomes a list of one; fractional coordinates are kept', () => {
		expect(parsePolygons([[0.5, 1.25], [10, 1], [10, 9.75]])).toEqual([[[0.5, 1.25], [10, 1], [10, 9.75]]]);
		expect(parsePolygons(b64url('[[1,1],[5,1],[5,5]]'))).toEqual([[[1, 1], [5, 1], [5, 5]]]);
	});
	it('rejects malformed input with 400s naming the parameter and the problem', () => {
		const cases: [unknown, RegExp][] = [
			['', /empty/],
			['[[1,2],[3,4],', /malformed JSON/],
			['%%%not base64%%%', /not JSON and not URL-safe base64/],
			[b64url('{"a":1}'), /not a JSON array/],
			[b64url('[[1,2],[3,'), /malformed JSON/],
			[[], /no polygons/],
			[[[1, 2], [3, 4]], /2 points; a polygon needs at least 3/],
			[[[[1, 2], [3, 4], [5, 6]], [[1, 2]]], /MaskPoly\[1\] has 1 point/],
			[[[1, 2], [3, 4], [5, 'x']], /two finite numbers/],
			[[[1, 2], [3, 4], [5, null]], /two finite numbers/],
			[[[1, 2], [3, 4], [5, 6, 7]], /should be a point/],
			[[[[1, 2], [3, 4], [Infinity, 1]]], /finite/],
			[42, /expected a polygon/],
			[{ x: 1 }, /expected a polygon/]
		];
		for (const [v, re] of cases) {
			const e = err(() => parsePolygons(v));
			expect(e.status, String(v)).toBe(400);
			expect(e.param).toBe('MaskPoly');
			expect(e.message, JSON.stringify(v)).toMatch(re);
		}
		expect(err(() => parsePolygons('nope!', 'mask_poly')).param).toBe('mask_poly');
	});
	it('decodeBase64Text refuses non-base64 and non-UTF-8', () => {
		expect(decodeBase64Text(b64url('héllo [1]'))).toBe('héllo [1]');
		expect(decodeBase64Text('@@@')).toBeUndefined();
		expect(decodeBase64Text(Buffer.from([0xff, 0xfe, 0x00]).toString('base64'))).toBeUndefined();
	});
});

describe('rasterizePolygons', () => {
	it('an integer rectangle covers exactly x0 ≤ x < x1, y0 ≤ y < y1 (either winding)', () => {
		for (const poly of [[[2, 3], [7, 3], [7, 6], [2, 6]], [[2, 3], [2, 6], [7, 6], [7, 3]]] as [number, number][][]) {
			const m = rasterizePolygons([poly], 10, 8);
			expect(countMask(m)).toBe(15);
			expect(maskBox(m, 10, 8)).toEqual({ x: 2, y: 3, width: 5, height: 3 });
		}
	});
	it('a triangle covers pixels whose centre is inside; fractional edges round by centre coverage', () => {
		const m = rasterizePolygons([[[0, 0], [10, 0], [0, 10]]], 10, 10);
		// Pixel (x, y) is in when x + y + 1 < 10.
		for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) expect(m[y * 10 + x], `${x},${y}`).toBe(x + y + 1 < 10 ? 1 : 0);
		const f = rasterizePolygons([[[1.4, 1.6], [4.6, 1.6], [4.6, 3.4], [1.4, 3.4]]], 6, 6);
		expect(maskBox(f, 6, 6)).toEqual({ x: 1, y: 2, width: 4, height: 1 });
	});
	it('polygons are OR-ed; a self-intersecting star fills its centre (non-zero rule)', () => {
		const m = rasterizePolygons([[[0, 0], [4, 0], [4, 4], [0, 4]], [[2, 2], [6, 2], [6, 6], [2, 6]]], 8, 8);
		expect(countMask(m)).toBe(16 + 16 - 4);
		const star: [number, number][] = [[50, 0], [79, 90], [2, 35], [98, 35], [21, 90]];
		const s = rasterizePolygons([star], 100, 100);
		expect(s[50 * 100 + 50]).toBe(1);
	});
	it('parts outside the image are clipped; a polygon wholly outside or with no area is a 400', () => {
		const m = rasterizePolygons([[[-5, -5], [3, -5], [3, 3], [-5, 3]]], 10, 10);
		expect(maskBox(m, 10, 10)).toEqual({ x: 0, y: 0, width: 3, height: 3 });
		const out = err(() => rasterizePolygons([[[1, 1], [4, 1], [4, 4]], [[20, 20], [30, 20], [30, 30]]], 10, 10));
		expect(out).toMatchObject({ status: 400, param: 'MaskPoly' });
		expect(out.message).toMatch(/MaskPoly\[1\] .*entirely outside the 10 x 10 image/);
		const flat = err(() => rasterizePolygons([[[1, 1], [8, 1], [4, 1]]], 10, 10, 'mask_poly'));
		expect(flat).toMatchObject({ status: 400, param: 'mask_poly' });
		expect(flat.message).toMatch(/covers no pixel/);
	});
	it('a 12-MP image with the seed polygons rasterises quickly', () => {
		const t = performance.now();
		const m = rasterizePolygons(parsePolygons(SEED), 4000, 3000);
		expect(countMask(m)).toBeGreaterThan(416 * 48);
		expect(performance.now() - t).toBeLessThan(500);
		expect(fillPolygon(new Uint8Array(16), 4, 4, [[0, 0], [4, 0], [4, 4], [0, 4]])).toBe(16);
	});
});

function maskImage(w: number, h: number, white: (x: number, y: number) => boolean, alpha = 255): RGBAImage {
	const img = createImage(w, h, [0, 0, 0, 255]);
	for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (white(x, y)) img.data.set([255, 255, 255, alpha], (y * w + x) * 4);
	return img;
}

describe('maskFromImage', () => {
	it('same size: white (luma ≥ 128, opaque) = 1', () => {
		const img = maskImage(8, 8, (x, y) => x >= 2 && x < 6 && y >= 1 && y < 3);
		img.data.set([140, 140, 140, 255], 0); // light grey counts
		img.data.set([100, 100, 100, 255], 4); // dark grey does not
		const m = maskFromImage(img, 8, 8);
		expect(countMask(m)).toBe(9);
		expect(m[0]).toBe(1);
		expect(m[1]).toBe(0);
	});
	it('transparent white is not a mask', () => {
		expect(countMask(maskFromImage(maskImage(4, 4, () => true, 0), 4, 4))).toBe(0);
	});
	it('a mask of another size is scaled to the image and keeps its shape', () => {
		// A half-size mask of the rectangle x 20–60, y 10–30 of an 80 × 40 image.
		const small = maskImage(40, 20, (x, y) => x >= 10 && x < 30 && y >= 5 && y < 15);
		const m = maskFromImage(small, 80, 40);
		const box = maskBox(m, 80, 40)!;
		expect(Math.abs(box.x - 20)).toBeLessThanOrEqual(1);
		expect(Math.abs(box.y - 10)).toBeLessThanOrEqual(1);
		expect(Math.abs(box.width - 40)).toBeLessThanOrEqual(2);
		expect(Math.abs(box.height - 20)).toBeLessThanOrEqual(2);
		// And larger (×3 down to the image).
		const big = maskImage(240, 120, (x, y) => x >= 60 && x < 180 && y >= 30 && y < 90);
		expect(maskBox(maskFromImage(big, 80, 40), 80, 40)).toEqual({ x: 20, y: 10, width: 40, height: 20 });
	});
	it('checkMask: empty and whole-image masks are 400s naming the parameter', () => {
		expect(err(() => checkMask(new Uint8Array(16), 4, 4, 'MaskPic', 'no white pixel'))).toMatchObject({ status: 400, param: 'MaskPic' });
		expect(err(() => checkMask(new Uint8Array(16), 4, 4, 'MaskPic', '')).message).toMatch(/mask is empty/);
		expect(err(() => checkMask(new Uint8Array(16).fill(1), 4, 4, 'mask_pic', '')).message).toMatch(/covers the whole 4 x 4 image/);
		expect(checkMask(new Uint8Array([0, 1, 1, 0]), 2, 2, 'MaskPic', '')).toBe(2);
	});
});

describe('dilateMask', () => {
	it('grows a point into a disc of radius r', () => {
		const m = new Uint8Array(21 * 21);
		m[10 * 21 + 10] = 1;
		const d = dilateMask(m, 21, 21, 3);
		let n = 0;
		for (let y = 0; y < 21; y++)
			for (let x = 0; x < 21; x++) {
				const inside = (x - 10) ** 2 + (y - 10) ** 2 <= 9;
				expect(d[y * 21 + x], `${x},${y}`).toBe(inside ? 1 : 0);
				n += d[y * 21 + x];
			}
		expect(n).toBe(29);
		expect(m[0]).toBe(0); // input untouched
	});
	it('r = 0 is the identity; growth is clipped at the borders', () => {
		const m = new Uint8Array(25);
		m[0] = 1;
		expect(dilateMask(m, 5, 5, 0)).toBe(m);
		expect(maskBox(dilateMask(m, 5, 5, 2), 5, 5)).toEqual({ x: 0, y: 0, width: 3, height: 3 });
	});
	it('a rectangle grows by r on every side (corners rounded)', () => {
		const m = rasterizePolygons([[[10, 10], [30, 10], [30, 20], [10, 20]]], 40, 30);
		const d = dilateMask(m, 40, 30, 3);
		expect(maskBox(d, 40, 30)).toEqual({ x: 7, y: 7, width: 26, height: 16 });
		expect(d[7 * 40 + 7]).toBe(0); // rounded corner
	});
});
