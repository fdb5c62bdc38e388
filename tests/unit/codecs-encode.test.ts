import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { encode } from '../../src/lib/codecs/encode';
import { extractExifBlock, extractIcc, readExif, readOrientation } from '../../src/lib/codecs/exif';
import { listSegments, readJfifDensity, isJfif, isExif } from '../../src/lib/codecs/jpeg-segments';
import { listChunks, readPhysDpi } from '../../src/lib/codecs/png-chunks';
import { tiffDpi, tiffOrientation } from '../../src/lib/codecs/tiff';
import { listWebpChunks } from '../../src/lib/codecs/webp-chunks';
import { readDpi } from '../../src/lib/codecs/metadata';
import { probe } from '../../src/lib/codecs/probe';
import type { RGBAImage } from '../../src/lib/core/image';
import { crop, gradient, makeTiff, maxAlphaError, pixel, psnr, sameBytes, SAMPLE } from './codecs-fixtures';

const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

let photo: RGBAImage;
beforeAll(async () => {
	photo = crop((await decode(SAMPLE(1))).image, 700, 300, 320, 240);
});

describe('encode: signatures and fidelity', () => {
	it('JPEG: SOI…EOI, progressive 4:2:0, PSNR > 33 dB at the default quality', async () => {
		const b = await encode(photo, { format: 'jpeg' });
		expect([b[0], b[1], b[2]]).toEqual([0xff, 0xd8, 0xff]);
		expect([b[b.length - 2], b[b.length - 1]]).toEqual([0xff, 0xd9]);
		const info = probe(b);
		expect(info.progressive).toBe(true);
		const sof = listSegments(b).find((s) => s.marker === 0xc2)!;
		expect(sof.payload[7]).toBe(0x22); // luma sampling 2×2 → chroma subsampled 4:2:0
		const back = (await decode(b)).image;
		expect(psnr(back, photo)).toBeGreaterThan(33);
	});

	it('JPEG quality changes size monotonically across the range', async () => {
		const sizes = [];
		for (const q of [10, 40, 70, 95]) sizes.push((await encode(photo, { format: 'jpeg', quality: q })).length);
		for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]);
	});

	it('JPEG composites transparency onto white, not black', async () => {
		const img = gradient(16, 16, () => 0);
		const back = (await decode(await encode(img, { format: 'jpeg', quality: 95 }))).image;
		const [r, g, b, a] = pixel(back, 8, 8);
		expect(Math.min(r, g, b)).toBeGreaterThan(245);
		expect(a).toBe(255);
	});

	it('PNG is lossless with alpha; optimize makes it smaller and still exact', async () => {
		const img = gradient(64, 48, (x, y) => (x * y) % 256);
		const plain = await encode(img, { format: 'png' });
		const opt = await encode(img, { format: 'png', optimize: true });
		expect(ascii(plain, 1, 3)).toBe('PNG');
		expect(opt.length).toBeLessThan(plain.length);
		expect((await decode(plain)).image.data).toEqual(img.data);
		expect((await decode(opt)).image.data).toEqual(img.data);
	});

	it('WebP lossy (PSNR) and lossless (exact, transparent pixels included)', async () => {
		const lossy = await encode(photo, { format: 'webp' });
		expect(ascii(lossy, 0, 4) + ascii(lossy, 8, 4)).toBe('RIFFWEBP');
		expect(psnr((await decode(lossy)).image, photo)).toBeGreaterThan(30);
		const img = gradient(40, 30, (x) => (x < 10 ? 0 : x * 6));
		const lossless = await encode(img, { format: 'webp', lossless: true });
		expect((await decode(lossless)).image.data).toEqual(img.data);
	});

	it('WebP keeps alpha in lossy mode', async () => {
		const img = gradient(40, 30, (x) => x * 6);
		const back = (await decode(await encode(img, { format: 'webp', quality: 90 }))).image;
		expect(maxAlphaError(back, img)).toBeLessThanOrEqual(2);
	});

	it('AVIF: ftyp avif, PSNR > 30 dB, alpha kept', async () => {
		const b = await encode(photo, { format: 'avif' });
		expect(ascii(b, 4, 8)).toBe('ftypavif');
		expect(psnr((await decode(b)).image, photo)).toBeGreaterThan(30);
		const img = gradient(32, 24, (x) => x * 8);
		const back = (await decode(await encode(img, { format: 'avif', quality: 90 }))).image;
		expect(maxAlphaError(back, img)).toBeLessThanOrEqual(4);
	});

	it('is deterministic: same input, same bytes', async () => {
		for (const format of ['jpeg', 'png', 'webp', 'avif'] as const) {
			const a = await encode(photo, { format });
			const b = await encode(photo, { format });
			expect(a, format).toEqual(b);
		}
	});
});

describe('encode: validation', () => {
	it('quality must be a number in 0..100', async () => {
		for (const q of [-1, 101, NaN, '80', null]) {
			await expect(encode(photo, { format: 'jpeg', quality: q as number })).rejects.toMatchObject({
				code: 'invalid_parameter',
				param: 'quality',
				message: expect.stringMatching(/^Expected number between 0 and 100 for quality but received/)
			});
		}
		await expect(encode(photo, { format: 'jpeg', quality: 80.4 })).resolves.toBeInstanceOf(Uint8Array);
	});

	it('format and dpi are validated', async () => {
		await expect(encode(photo, { format: 'gif' as never })).rejects.toMatchObject({ code: 'invalid_parameter', param: 'format' });
		await expect(encode(photo, { format: 'png', dpi: -3 })).rejects.toMatchObject({ code: 'invalid_parameter', param: 'dpi' });
		await expect(encode({ width: 2, height: 2, data: new Uint8ClampedArray(3) }, { format: 'png' })).rejects.toMatchObject({ param: 'image' });
	});
});

describe('encode: metadata is stripped unless asked for, and oriented', () => {
	let src: Awaited<ReturnType<typeof decode>>;
	beforeAll(async () => {
		src = await decode(SAMPLE(1));
	});

	it('default output carries no EXIF', async () => {
		for (const format of ['jpeg', 'png', 'webp'] as const) {
			const b = await encode(photo, { format });
			expect(extractExifBlock(b), format).toBeUndefined();
			expect(await readExif(b)).toBeUndefined();
		}
	});

	it('keep_metadata writes EXIF back (JPEG APP1, PNG eXIf, WebP EXIF) with the camera tags', async () => {
		expect(src.exif).toBeDefined();
		for (const format of ['jpeg', 'png', 'webp'] as const) {
			const b = await encode(photo, { format, metadata: { exif: src.exif } });
			const exif = await readExif(b);
			expect(exif?.Make, format).toBe('SONY');
			expect(exif?.latitude, format).toBeCloseTo(37.3196, 3);
			expect(readOrientation(b)).toBe(1);
		}
		const jpeg = await encode(photo, { format: 'jpeg', metadata: { exif: src.exif } });
		// Exif APP1 right after the JFIF APP0
		expect(listSegments(jpeg).slice(0, 2).map((s) => (isJfif(s) ? 'jfif' : isExif(s) ? 'exif' : s.marker))).toEqual(['jfif', 'exif']);
		const webp = await encode(photo, { format: 'webp', metadata: { exif: src.exif } });
		expect(listWebpChunks(webp).map((c) => c.type)).toEqual(['VP8X', 'VP8 ', 'EXIF']);
		expect(listWebpChunks(webp)[0].data[0] & 0x08).toBe(0x08);
		expect((await decode(webp)).image.width).toBe(320);
	});

	it('a kept Orientation tag is reset to 1 (the pixels are already upright)', async () => {
		const tiff = makeTiff({ orientation: 6 });
		for (const format of ['jpeg', 'png', 'webp'] as const) {
			const b = await encode(photo, { format, metadata: { exif: tiff } });
			expect(tiffOrientation(extractExifBlock(b)!), format).toBe(1);
			expect((await decode(b)).image.width, format).toBe(320);
		}
	});

	it('ICC profiles are carried in JPEG (APP2), PNG (iCCP) and WebP (ICCP)', async () => {
		const icc = new Uint8Array(70_000).map((_, i) => (i * 31) & 255); // spans two APP2 segments
		for (const format of ['jpeg', 'png', 'webp'] as const) {
			const b = await encode(photo, { format, metadata: { icc } });
			expect(sameBytes(await extractIcc(b), icc), format).toBe(true);
		}
	});
});

describe('encode: dpi', () => {
	it('JPEG JFIF density in dots per inch', async () => {
		const b = await encode(photo, { format: 'jpeg', dpi: 300 });
		const jfif = listSegments(b).find(isJfif)!;
		expect(jfif.payload[7]).toBe(1);
		expect((jfif.payload[8] << 8) | jfif.payload[9]).toBe(300);
		expect(readJfifDensity(b)).toBe(300);
		expect(readDpi(b, probe(b))).toBe(300);
	});

	it('PNG pHYs in pixels per metre', async () => {
		const b = await encode(photo, { format: 'png', dpi: 300 });
		const phys = listChunks(b).find((c) => c.type === 'pHYs')!;
		expect(phys.data[8]).toBe(1);
		expect((phys.data[0] << 24) | (phys.data[1] << 16) | (phys.data[2] << 8) | phys.data[3]).toBe(11811);
		expect(readPhysDpi(b)).toBe(300);
		// pHYs must come before IDAT
		const types = listChunks(b).map((c) => c.type);
		expect(types.indexOf('pHYs')).toBeLessThan(types.indexOf('IDAT'));
	});

	it('EXIF X/YResolution follow dpi when EXIF is written', async () => {
		const tiff = makeTiff();
		expect(tiffDpi(tiff)).toBeUndefined();
		for (const format of ['jpeg', 'png', 'webp'] as const) {
			const b = await encode(photo, { format, dpi: 150, metadata: { exif: tiff } });
			expect(tiffDpi(extractExifBlock(b)!), format).toBe(150);
		}
		const exif = await readExif(await encode(photo, { format: 'jpeg', dpi: 150, metadata: { exif: tiff } }));
		expect(exif).toMatchObject({ Make: 'Darkroom', XResolution: 150, YResolution: 150, ResolutionUnit: 2 });
	});
});
