import { describe, expect, it } from 'vitest';
import { encode } from '../../src/lib/codecs/encode';
import { exifSegment, insertSegments, isExif } from '../../src/lib/codecs/jpeg-segments';
import { averageColour, readMetadata } from '../../src/lib/codecs/metadata';
import { DEFAULT_LIMITS } from '../../src/lib/codecs/types';
import { gradient, makeBmp, makeGif, makeTiff, SAMPLE } from './codecs-fixtures';

describe('readMetadata', () => {
	it('camera JPEG: sizes, mime, EXIF, quality, density', async () => {
		const m = await readMetadata(SAMPLE(1));
		expect(m).toMatchObject({ format: 'jpeg', mime: 'image/jpeg', width: 1920, stored_width: 1920, orientation: 1, frames: 1, has_alpha: false, bit_depth: 8 });
		expect(m.bytes).toBe(SAMPLE(1).length);
		expect(m.exif?.Make).toBe('SONY');
		expect(m.jpeg_quality).toBeGreaterThanOrEqual(1);
		expect(m.Ave).toMatch(/^0x[0-9a-f]{6}$/);
		expect(typeof m.progressive).toBe('boolean');
		expect(JSON.parse(JSON.stringify(m))).toEqual(m);
	});

	it('width/height are after orientation; stored_* before', async () => {
		const jpeg = insertSegments(await encode(gradient(40, 20), { format: 'jpeg' }), [exifSegment(makeTiff({ orientation: 6 }))], 0, isExif);
		const m = await readMetadata(jpeg);
		expect(m).toMatchObject({ width: 20, height: 40, stored_width: 40, stored_height: 20, orientation: 6 });
		expect(m.exif?.Orientation).toBe(6);
	});

	it('Ave is the alpha-weighted mean colour', async () => {
		const img = gradient(10, 10, (x) => (x < 5 ? 0 : 255));
		for (let i = 0; i < img.data.length; i += 4) img.data.set((i / 4) % 10 < 5 ? [255, 255, 255, 0] : [0x1a, 0x34, 0x51, 255], i);
		expect(averageColour(img)).toBe('0x1a3451');
		const m = await readMetadata(await encode(img, { format: 'png', dpi: 72 }));
		expect(m).toMatchObject({ Ave: '0x1a3451', has_alpha: true, dpi: 72, format: 'png' });
		expect(m.jpeg_quality).toBeUndefined();
	});

	it('jpeg_quality and dpi from our own encodes', async () => {
		const m = await readMetadata(await encode(gradient(64, 64), { format: 'jpeg', quality: 77, dpi: 300 }));
		expect(m.jpeg_quality).toBe(77);
		expect(m.dpi).toBe(300);
	});

	it('GIF frames and BMP density', async () => {
		const gif = makeGif(4, 4, [[0, 0, 0], [255, 0, 0]], [
			{ width: 4, height: 4, indices: new Uint8Array(16).fill(1) },
			{ width: 4, height: 4, indices: new Uint8Array(16) }
		]);
		expect(await readMetadata(gif)).toMatchObject({ format: 'gif', frames: 2, width: 4, Ave: '0xff0000' });
		expect(await readMetadata(makeBmp(gradient(6, 6), 24))).toMatchObject({ format: 'bmp', dpi: 300, width: 6 });
	});

	it('respects limits', async () => {
		await expect(readMetadata(SAMPLE(1), { ...DEFAULT_LIMITS, maxPixels: 1000 })).rejects.toMatchObject({ code: 'too_large' });
	});
});
