import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { encode } from '../../src/lib/codecs/encode';
import { estimateJpegQuality, readQuantTables, scaleTable } from '../../src/lib/codecs/jpeg-quality';
import { ensureCodec } from '../../src/lib/codecs/wasm-init';
import type { RGBAImage } from '../../src/lib/core/image';
import { crop, gradient, SAMPLE } from './codecs-fixtures';

let photo: RGBAImage;
beforeAll(async () => {
	photo = crop((await decode(SAMPLE(2))).image, 600, 300, 256, 192);
});

async function mozjpeg(img: RGBAImage, options: Record<string, unknown>): Promise<Uint8Array> {
	await ensureCodec('jpeg-enc');
	const { default: enc } = await import('@jsquash/jpeg/encode.js');
	return new Uint8Array(await enc({ data: img.data, width: img.width, height: img.height } as ImageData, options));
}

describe('estimateJpegQuality', () => {
	for (const q of [30, 50, 75, 90]) {
		it(`Darkroom's own encode (MozJPEG default tables) at q=${q} → within ±2`, async () => {
			const est = estimateJpegQuality(await encode(photo, { format: 'jpeg', quality: q }));
			expect(est).toBeDefined();
			expect(Math.abs(est! - q)).toBeLessThanOrEqual(2);
		});
		it(`MozJPEG with the Annex K tables (quant_table 0, as libjpeg/ImageMagick) at q=${q} → within ±2`, async () => {
			const est = estimateJpegQuality(await mozjpeg(photo, { quality: q, quant_table: 0 }));
			expect(Math.abs(est! - q)).toBeLessThanOrEqual(2);
		});
	}

	it('is exact across the whole range for both table families', async () => {
		const img = gradient(16, 16);
		for (const q of [1, 5, 12, 25, 49, 51, 63, 80, 97, 100]) {
			expect(estimateJpegQuality(await encode(img, { format: 'jpeg', quality: q })), `mozjpeg tables q=${q}`).toBe(q);
			expect(estimateJpegQuality(await mozjpeg(img, { quality: q, quant_table: 0 })), `annex K q=${q}`).toBe(q);
		}
	});

	it('MozJPEG by default does not use the Annex K tables (why both families are needed)', async () => {
		const t = readQuantTables(await encode(photo, { format: 'jpeg', quality: 50 }))!;
		expect(t.luma.slice(0, 4)).toEqual([16, 16, 16, 16]);
		expect(t.luma).not.toEqual(scaleTable([16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99], 50, false));
	});

	it('camera JPEGs get a plausible estimate', () => {
		for (const n of [1, 2, 3]) {
			const q = estimateJpegQuality(SAMPLE(n))!;
			expect(q).toBeGreaterThanOrEqual(1);
			expect(q).toBeLessThanOrEqual(100);
		}
	});

	it('non-standard tables fall back to the Annex K quality of the mean scale', () => {
		// A hand-made JPEG header with a flat table of 8s (≈ Annex K at q≈85).
		const dqt = [0xff, 0xdb, 0, 67, 0, ...new Array(64).fill(8)];
		const sof = [0xff, 0xc0, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0];
		const q = estimateJpegQuality(new Uint8Array([0xff, 0xd8, ...dqt, ...sof]))!;
		expect(q).toBeGreaterThan(70);
		expect(q).toBeLessThan(95);
	});

	it('undefined without quantisation tables', () => {
		expect(estimateJpegQuality(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toBeUndefined();
	});
});
