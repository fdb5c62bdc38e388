import { describe, expect, it } from 'vitest';
import { applyOrientation, orientedSize } from '../../src/lib/core/orient';
import { decode } from '../../src/lib/codecs/decode';
import { encode } from '../../src/lib/codecs/encode';
import { readOrientation, extractExifBlock } from '../../src/lib/codecs/exif';
import { heifTransformToOrientation } from '../../src/lib/codecs/isobmff';
import { exifSegment, insertSegments, isExif } from '../../src/lib/codecs/jpeg-segments';
import { exifChunk, insertChunksAfterIhdr } from '../../src/lib/codecs/png-chunks';
import { rewriteTiff, tiffOrientation } from '../../src/lib/codecs/tiff';
import { setWebpMetadata } from '../../src/lib/codecs/webp-chunks';
import type { RGBAImage } from '../../src/lib/core/image';
import { gradient, indexed, makeTiff, pixel } from './codecs-fixtures';

/** Index of the source pixel shown at (x, y), decoded from the `indexed` fixture's RGB. */
function src(img: RGBAImage, x: number, y: number): number {
	const [r, g, b] = pixel(img, x, y);
	return r | (g << 8) | (b << 16);
}

// A 3 × 2 image with pixels numbered
//   0 1 2
//   3 4 5
// and the upright result each EXIF orientation must produce.
const EXPECTED: Record<number, number[][]> = {
	1: [[0, 1, 2], [3, 4, 5]],
	2: [[2, 1, 0], [5, 4, 3]],
	3: [[5, 4, 3], [2, 1, 0]],
	4: [[3, 4, 5], [0, 1, 2]],
	5: [[0, 3], [1, 4], [2, 5]],
	6: [[3, 0], [4, 1], [5, 2]],
	7: [[5, 2], [4, 1], [3, 0]],
	8: [[2, 5], [1, 4], [0, 3]]
};

describe('applyOrientation', () => {
	for (const o of [1, 2, 3, 4, 5, 6, 7, 8]) {
		it(`orientation ${o} puts every pixel where EXIF says`, () => {
			const out = applyOrientation(indexed(3, 2), o);
			const want = EXPECTED[o];
			expect([out.width, out.height]).toEqual([want[0].length, want.length]);
			const got = want.map((row, y) => row.map((_, x) => src(out, x, y)));
			expect(got).toEqual(want);
		});
	}

	it('matches composed primitive operations on a larger, odd-sized image', () => {
		const img = indexed(7, 4);
		const rot90 = applyOrientation(img, 6);
		// two quarter turns = half turn; four = identity
		expect(applyOrientation(rot90, 6).data).toEqual(applyOrientation(img, 3).data);
		expect(applyOrientation(applyOrientation(rot90, 6), 3).data).toEqual(img.data);
		// 5 (transpose) = 2 (flop) after 8 (rotate 270): mirror of the rotated image
		expect(applyOrientation(applyOrientation(img, 6), 2).data).toEqual(applyOrientation(img, 5).data);
		expect(applyOrientation(applyOrientation(img, 8), 2).data).toEqual(applyOrientation(img, 7).data);
		// each mirror is its own inverse, and 6/8 are inverses
		for (const o of [2, 4, 5, 7]) expect(applyOrientation(applyOrientation(img, o), o).data).toEqual(img.data);
		expect(applyOrientation(applyOrientation(img, 6), 8).data).toEqual(img.data);
	});

	it('returns a fresh buffer and treats unknown values as 1', () => {
		const img = indexed(2, 2);
		const out = applyOrientation(img, 1);
		expect(out.data).not.toBe(img.data);
		expect(applyOrientation(img, 0).data).toEqual(img.data);
		expect(applyOrientation(img, 9).data).toEqual(img.data);
	});

	it('works on a view whose byteOffset is not 4-aligned', () => {
		const backing = new Uint8ClampedArray(1 + 3 * 2 * 4);
		const data = backing.subarray(1);
		data.set(indexed(3, 2).data);
		const out = applyOrientation({ width: 3, height: 2, data }, 6);
		expect(src(out, 0, 0)).toBe(3);
	});

	it('orientedSize swaps for 5..8 only', () => {
		for (const o of [1, 2, 3, 4]) expect(orientedSize(30, 20, o)).toEqual({ width: 30, height: 20 });
		for (const o of [5, 6, 7, 8]) expect(orientedSize(30, 20, o)).toEqual({ width: 20, height: 30 });
	});
});

describe('HEIF irot/imir → EXIF orientation', () => {
	/** irot: anticlockwise quarter turns; imir 0: top-bottom mirror, 1: left-right mirror (as browsers show it); imir after irot. */
	function heif(img: RGBAImage, rotation: number, mirror?: number): RGBAImage {
		let out = img;
		for (let i = 0; i < rotation; i++) out = applyOrientation(out, 8); // 8 = 90° anticlockwise
		if (mirror === 0) out = applyOrientation(out, 4);
		if (mirror === 1) out = applyOrientation(out, 2);
		return out;
	}
	for (const mirror of [undefined, 0, 1])
		for (const rotation of [0, 1, 2, 3])
			it(`irot ${rotation}${mirror === undefined ? '' : ` + imir ${mirror}`}`, () => {
				const img = indexed(5, 3);
				expect(applyOrientation(img, heifTransformToOrientation(rotation, mirror)).data).toEqual(heif(img, rotation, mirror).data);
			});
});

describe('EXIF orientation end to end', () => {
	it('rewriteTiff adds an Orientation tag to an IFD that lacks one, and patches one that exists', () => {
		const plain = makeTiff();
		expect(tiffOrientation(plain)).toBe(1);
		const added = rewriteTiff(plain, { orientation: 6 });
		expect(tiffOrientation(added)).toBe(6);
		const patched = rewriteTiff(makeTiff({ orientation: 8, littleEndian: true }), { orientation: 1 });
		expect(tiffOrientation(patched)).toBe(1);
		expect(patched.length).toBe(makeTiff({ orientation: 8 }).length); // in place, no growth
	});

	for (const o of [3, 6, 8, 5]) {
		it(`decode() applies orientation ${o} written into a JPEG and reports it`, async () => {
			const img = gradient(40, 24);
			img.data.set([255, 255, 255, 255], 0); // a white marker at stored (0, 0)
			for (let i = 1; i < 4; i++) for (let j = 0; j < 4; j++) img.data.set([255, 255, 255, 255], (j * 40 + i) * 4);
			const jpeg = await encode(img, { format: 'jpeg', quality: 95 });
			const withExif = insertSegments(jpeg, [exifSegment(makeTiff({ orientation: o }))], 0, isExif);
			expect(readOrientation(withExif)).toBe(o);

			const d = await decode(withExif);
			expect(d.orientation).toBe(o);
			expect(d.oriented).toBe(true);
			const want = orientedSize(40, 24, o);
			expect([d.image.width, d.image.height]).toEqual([want.width, want.height]);
			// The marker must be where applyOrientation puts stored (0,0).
			const ref = applyOrientation(img, o);
			let bestErr = 0;
			for (let i = 0; i < ref.data.length; i += 4) bestErr = Math.max(bestErr, Math.abs(ref.data[i] - d.image.data[i]));
			expect(bestErr).toBeLessThan(60);

			const raw = await decode(withExif, { autoOrient: false });
			expect([raw.image.width, raw.image.height]).toEqual([40, 24]);
			expect(raw.oriented).toBe(false);
			expect(raw.orientation).toBe(o);
		});
	}

	it('reads orientation from PNG eXIf and WebP EXIF chunks', async () => {
		const img = gradient(8, 6);
		const png = insertChunksAfterIhdr(await encode(img, { format: 'png' }), [exifChunk(makeTiff({ orientation: 6 }))]);
		expect(readOrientation(png)).toBe(6);
		const d = await decode(png);
		expect([d.image.width, d.image.height]).toEqual([6, 8]);
		expect(d.image.data).toEqual(applyOrientation(img, 6).data);

		const webp = setWebpMetadata(await encode(img, { format: 'webp', lossless: true }), 8, 6, { exif: makeTiff({ orientation: 3 }) });
		expect(readOrientation(webp)).toBe(3);
		expect(extractExifBlock(webp)?.length).toBe(makeTiff({ orientation: 3 }).length);
		const w = await decode(webp);
		expect(w.image.data).toEqual(applyOrientation(img, 3).data);
	});

	it('files without EXIF report orientation 1', async () => {
		const jpeg = await encode(gradient(8, 8), { format: 'jpeg' });
		expect(readOrientation(jpeg)).toBe(1);
		const d = await decode(jpeg);
		expect(d.orientation).toBe(1);
		expect(d.oriented).toBe(false);
	});
});
