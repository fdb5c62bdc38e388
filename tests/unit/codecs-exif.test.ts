import { describe, expect, it } from 'vitest';
import { encode } from '../../src/lib/codecs/encode';
import { exifDateToIso, extractExifBlock, extractIcc, readExif, readOrientation } from '../../src/lib/codecs/exif';
import { exifSegment, iccSegments, insertSegments, isExif, isIcc, readJpegExif } from '../../src/lib/codecs/jpeg-segments';
import { gradient, makeTiff, sameBytes, SAMPLE } from './codecs-fixtures';

describe('readExif', () => {
	it('sample1.jpg: camera, exposure, ISO date and GPS as numbers', async () => {
		const exif = await readExif(SAMPLE(1));
		expect(exif).toBeDefined();
		expect(exif).toMatchObject({
			Make: 'SONY',
			Model: 'ILCE-7M2',
			ExposureTime: 0.01,
			FNumber: 1.8,
			ISO: 2500,
			FocalLength: 55,
			DateTimeOriginal: '2017-10-31T20:16:18',
			LensModel: 'FE 55mm F1.8 ZA',
			GPSLatitudeRef: 'N',
			GPSLongitudeRef: 'W'
		});
		expect(typeof exif!.latitude).toBe('number');
		expect(exif!.latitude as number).toBeCloseTo(37.3196375, 5);
		expect(exif!.longitude as number).toBeCloseTo(-121.9465025, 5);
	});

	it('is JSON-safe: no Dates, typed arrays or binary blobs survive', async () => {
		for (const n of [1, 2, 3, 4, 5, 6]) {
			const exif = await readExif(SAMPLE(n));
			if (!exif) continue;
			const roundTripped = JSON.parse(JSON.stringify(exif));
			expect(roundTripped).toEqual(exif);
			const walk = (v: unknown): void => {
				expect(v instanceof Date || ArrayBuffer.isView(v)).toBe(false);
				if (v && typeof v === 'object') Object.values(v).forEach(walk);
			};
			walk(exif);
		}
		const exif = await readExif(SAMPLE(1));
		expect(exif!.ExifVersion).toBe('0230');
	});

	it('Orientation stays a number 1..8', async () => {
		const jpeg = insertSegments(await encode(gradient(8, 8), { format: 'jpeg' }), [exifSegment(makeTiff({ orientation: 8 }))], 0, isExif);
		const exif = await readExif(jpeg);
		expect(exif?.Orientation).toBe(8);
		expect(readOrientation(jpeg)).toBe(8);
	});

	it('undefined for files without EXIF and for damaged EXIF', async () => {
		expect(await readExif(await encode(gradient(8, 8), { format: 'png' }))).toBeUndefined();
		const garbage = insertSegments(await encode(gradient(8, 8), { format: 'jpeg' }), [exifSegment(new Uint8Array([0x4d, 0x4d, 0, 42, 0xff, 0xff, 0xff, 0xff, 1, 2]))], 0, isExif);
		expect(await readExif(garbage)).toBeUndefined();
		expect(readOrientation(garbage)).toBe(1);
	});

	it('exifDateToIso keeps the offset when EXIF has one', () => {
		expect(exifDateToIso('2021:06:01 08:09:10', '+02:00')).toBe('2021-06-01T08:09:10+02:00');
		expect(exifDateToIso('2021:06:01')).toBe('2021-06-01');
		expect(exifDateToIso('    :  :     :  :  ')).toBe('    :  :     :  :  ');
	});
});

describe('raw blocks', () => {
	it('extractExifBlock returns the TIFF block from the TIFF header onwards', () => {
		const b = extractExifBlock(SAMPLE(1))!;
		expect(String.fromCharCode(b[0], b[1])).toMatch(/^(II|MM)$/);
		expect(b).toEqual(readJpegExif(SAMPLE(1)));
	});

	it('extractIcc joins APP2 chunks in sequence order, even when stored out of order', async () => {
		const icc = new Uint8Array(140_000).map((_, i) => (i * 7) & 255);
		const segs = iccSegments(icc);
		expect(segs.length).toBe(3);
		const jpeg = insertSegments(await encode(gradient(8, 8), { format: 'jpeg' }), [segs[2], segs[0], segs[1]], 1, isIcc);
		expect(sameBytes(await extractIcc(jpeg), icc)).toBe(true);
		// one chunk missing → no profile rather than a corrupt one
		const partial = insertSegments(await encode(gradient(8, 8), { format: 'jpeg' }), [segs[0], segs[2]], 1, isIcc);
		expect(await extractIcc(partial)).toBeUndefined();
	});
});
