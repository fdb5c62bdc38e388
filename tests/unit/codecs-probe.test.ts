import { beforeAll, describe, expect, it } from 'vitest';
import { DarkroomError } from '../../src/lib/api/errors';
import { encode } from '../../src/lib/codecs/encode';
import { checkIntegrity } from '../../src/lib/codecs/integrity';
import { checkLimits, probe } from '../../src/lib/codecs/probe';
import { DEFAULT_LIMITS, type HeaderInfo } from '../../src/lib/codecs/types';
import { decode } from '../../src/lib/codecs/decode';
import { gradient, makeBmp, makeGif, SAMPLE } from './codecs-fixtures';

function err(fn: () => unknown): DarkroomError {
	try {
		fn();
	} catch (e) {
		expect(DarkroomError.is(e), `expected a DarkroomError, got ${e}`).toBe(true);
		return e as DarkroomError;
	}
	throw new Error('expected an error');
}

const text = (s: string) => new TextEncoder().encode(s);

const files: Record<string, Uint8Array> = {};
beforeAll(async () => {
	const img = gradient(37, 23);
	const withAlpha = gradient(37, 23, (x) => (x * 7) % 256);
	files.jpeg = await encode(img, { format: 'jpeg' });
	files.png = await encode(img, { format: 'png' });
	files.pngAlpha = await encode(withAlpha, { format: 'png' });
	files.pngOpt = await encode(img, { format: 'png', optimize: true });
	files.webp = await encode(img, { format: 'webp' });
	files.webpLossless = await encode(withAlpha, { format: 'webp', lossless: true });
	files.webpAlpha = await encode(withAlpha, { format: 'webp' });
	files.avif = await encode(img, { format: 'avif' });
	files.avifAlpha = await encode(withAlpha, { format: 'avif' });
	files.gif = makeGif(5, 4, [[255, 0, 0], [0, 255, 0], [0, 0, 255]], [{ width: 5, height: 4, indices: new Uint8Array(20).map((_, i) => i % 3) }]);
	files.gifAnim = makeGif(5, 4, [[255, 0, 0], [0, 255, 0]], [
		{ width: 5, height: 4, indices: new Uint8Array(20), transparentIndex: 1 },
		{ width: 2, height: 2, left: 1, top: 1, indices: new Uint8Array(4).fill(1) },
		{ width: 5, height: 4, indices: new Uint8Array(20).fill(1) }
	]);
	files.bmp24 = makeBmp(img, 24);
	files.bmpTopDown = makeBmp(img, 24, { topDown: true });
	files.bmp32 = makeBmp(withAlpha, 32);
}, 60_000);

describe('probe', () => {
	it('reads JPEG headers: size, components, progressive', () => {
		const info = probe(files.jpeg);
		expect(info).toMatchObject({ format: 'jpeg', mime: 'image/jpeg', width: 37, height: 23, components: 3, progressive: true, bitDepth: 8, hasAlpha: false, frames: 1 });
	});

	it('reads the sample photos (baseline camera JPEGs)', () => {
		for (const n of [1, 2, 3]) {
			const info = probe(SAMPLE(n));
			expect(info.format).toBe('jpeg');
			expect(info.width).toBe(1920);
			expect(info.height).toBeGreaterThan(1000);
			expect(info.components).toBe(3);
		}
	});

	it('reads a CMYK JPEG frame header as 4 components', () => {
		// SOI, SOF0 with 4 components, then nothing else: probe only needs the header.
		const sof = [0xff, 0xc0, 0, 20, 8, 0, 10, 0, 12, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0];
		const info = probe(new Uint8Array([0xff, 0xd8, ...sof]));
		expect(info).toMatchObject({ format: 'jpeg', width: 12, height: 10, components: 4, progressive: false });
	});

	it('reads PNG IHDR and alpha (colour type 6, and tRNS)', () => {
		// Darkroom's encoder writes an opaque image as RGB (colour type 2), one with alpha as RGBA (6)
		expect(probe(files.png)).toMatchObject({ format: 'png', width: 37, height: 23, bitDepth: 8, hasAlpha: false });
		expect(probe(files.pngAlpha)).toMatchObject({ format: 'png', bitDepth: 8, hasAlpha: true });
		expect(probe(files.pngOpt)).toMatchObject({ format: 'png', width: 37, height: 23, hasAlpha: false });
		const p = files.pngOpt;
		const withTrns = new Uint8Array([...p.subarray(0, 33), 0, 0, 0, 6, ...text('tRNS'), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...p.subarray(33)]);
		expect(probe(withTrns).hasAlpha).toBe(true);
	});

	it('reads WebP lossy, lossless and extended headers', () => {
		expect(probe(files.webp)).toMatchObject({ format: 'webp', width: 37, height: 23, hasAlpha: false, frames: 1 });
		expect(probe(files.webpLossless)).toMatchObject({ format: 'webp', width: 37, height: 23, hasAlpha: true });
		expect(probe(files.webpAlpha)).toMatchObject({ format: 'webp', width: 37, height: 23, hasAlpha: true });
	});

	it('reads AVIF ispe dimensions and alpha', () => {
		expect(probe(files.avif)).toMatchObject({ format: 'avif', mime: 'image/avif', width: 37, height: 23, hasAlpha: false, bitDepth: 8 });
		expect(probe(files.avifAlpha)).toMatchObject({ format: 'avif', width: 37, height: 23, hasAlpha: true });
	});

	it('reads GIF logical screen and counts frames', () => {
		expect(probe(files.gif)).toMatchObject({ format: 'gif', width: 5, height: 4, frames: 1, hasAlpha: false });
		expect(probe(files.gifAnim)).toMatchObject({ format: 'gif', width: 5, height: 4, frames: 3, hasAlpha: true });
	});

	it('reads BMP headers, bottom-up and top-down', () => {
		expect(probe(files.bmp24)).toMatchObject({ format: 'bmp', width: 37, height: 23, hasAlpha: false });
		expect(probe(files.bmpTopDown)).toMatchObject({ format: 'bmp', width: 37, height: 23 });
		expect(probe(files.bmp32)).toMatchObject({ format: 'bmp', width: 37, height: 23, hasAlpha: true });
	});
});

describe('probe rejects what is not a supported image', () => {
	it('0 bytes → invalid_image', () => {
		const e = err(() => probe(new Uint8Array(0)));
		expect(e.code).toBe('invalid_image');
		expect(e.status).toBe(400);
		expect(e.message).toBe('Input image is empty (0 bytes)');
	});

	const cases: [string, Uint8Array, RegExp][] = [
		['HTML', text('<!DOCTYPE html><html><body>404 Not Found</body></html>'), /HTML document/],
		['HTML with BOM and whitespace', text('\uFEFF\n  <html lang="en"><head></head></html>'), /HTML document/],
		['SVG', text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'), /SVG/],
		['SVG with XML prolog', text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'), /SVG/],
		['XML', text('<?xml version="1.0"?><feed></feed>'), /XML document/],
		['PDF', text('%PDF-1.7\n%âãÏÓ\n1 0 obj'), /PDF/],
		['HEIC', new Uint8Array([0, 0, 0, 0x18, ...text('ftypheic'), 0, 0, 0, 0, ...text('mif1heic')]), /HEIC\/HEIF/],
		['TIFF', new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]), /TIFF/],
		['ICO', new Uint8Array([0, 0, 1, 0, 1, 0, 16, 16, 0, 0]), /ICO/],
		['JSON', text('{"image": "not really"}'), /JSON/],
		['plain text', text('hello, this is a text file\n'), /plain text/],
		['text that starts with BM', text('BMW service record, 2019: oil change and brakes'), /plain text/],
		['unknown binary', new Uint8Array([0x13, 0x37, 0x00, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05]), /unrecognised file signature 13 37 00 fe/]
	];
	for (const [name, bytes, what] of cases) {
		it(`${name} → 415 unsupported_format naming it`, () => {
			const e = err(() => probe(bytes));
			expect(e.code).toBe('unsupported_format');
			expect(e.status).toBe(415);
			expect(e.message).toMatch(what);
			expect(e.message).toContain('JPEG, PNG, WebP, AVIF, GIF, BMP');
		});
	}

	it('header cut short → invalid_image naming the format', () => {
		const cuts: [Uint8Array, RegExp][] = [
			[files.jpeg.subarray(0, 20), /JPEG.*cut short/],
			[files.png.subarray(0, 20), /PNG.*cut short/],
			[files.webp.subarray(0, 16), /WebP.*cut short/],
			[files.gif.subarray(0, 8), /GIF.*cut short/],
			[files.bmp24.subarray(0, 20), /BMP.*cut short/],
			[files.avif.subarray(0, 40), /AVIF/]
		];
		for (const [b, re] of cuts) {
			const e = err(() => probe(b));
			expect(e.code).toBe('invalid_image');
			expect(e.message).toMatch(re);
		}
	});

	it('zero dimensions → invalid_image', () => {
		const p = files.png.slice();
		p.fill(0, 16, 20); // width 0
		const e = err(() => probe(p));
		expect(e.code).toBe('invalid_image');
		expect(e.message).toMatch(/PNG.*0 x 23/);
		const g = files.gif.slice();
		g[8] = 0; // height 0
		g[9] = 0;
		expect(err(() => probe(g)).message).toMatch(/GIF.*5 x 0/);
	});
});

describe('checkLimits', () => {
	const info = (w: number, h: number): HeaderInfo => ({ format: 'png', mime: 'image/png', width: w, height: h, frames: 1, hasAlpha: false, bitDepth: 8 });

	it('passes within limits', () => {
		expect(() => checkLimits(info(8000, 8000), 1000, DEFAULT_LIMITS)).not.toThrow();
	});

	it('413 on bytes, naming actual and limit', () => {
		const e = err(() => checkLimits(info(10, 10), 70 * 1024 * 1024, DEFAULT_LIMITS));
		expect(e.code).toBe('too_large');
		expect(e.status).toBe(413);
		expect(e.message).toContain('73400320 bytes');
		expect(e.message).toContain('67108864 bytes');
	});

	it('413 on a side over maxDimension', () => {
		const e = err(() => checkLimits(info(70000, 10), 100, DEFAULT_LIMITS));
		expect(e.code).toBe('too_large');
		expect(e.message).toMatch(/width 70000 px exceeds the maximum dimension of 65535 px/);
	});

	it('413 on megapixels', () => {
		const e = err(() => checkLimits(info(12000, 10000), 100, DEFAULT_LIMITS));
		expect(e.message).toMatch(/120\.0 megapixels .*over the limit of 100\.0 megapixels/);
	});

	it('decode() enforces configured limits before decoding', async () => {
		await expect(decode(files.png, { limits: { ...DEFAULT_LIMITS, maxPixels: 100 } })).rejects.toMatchObject({ code: 'too_large', status: 413 });
		await expect(decode(files.png, { limits: { ...DEFAULT_LIMITS, maxBytes: 100 } })).rejects.toMatchObject({ code: 'too_large' });
	});
});

describe('checkIntegrity: a truncated file is an error, never a half-grey picture', () => {
	const intact = () => Object.entries(files);

	it('accepts every intact file', () => {
		for (const [name, b] of intact()) expect(() => checkIntegrity(b, probe(b)), name).not.toThrow();
		for (const n of [1, 4, 6]) expect(() => checkIntegrity(SAMPLE(n), probe(SAMPLE(n)))).not.toThrow();
	});

	const truncations: [string, () => Uint8Array, RegExp][] = [
		['JPEG without EOI (cut in the scan data)', () => files.jpeg.subarray(0, files.jpeg.length - 100), /JPEG.*truncated.*FFD9/],
		['JPEG missing only the EOI marker', () => files.jpeg.subarray(0, files.jpeg.length - 2), /JPEG.*FFD9/],
		['camera JPEG cut in half', () => SAMPLE(2).subarray(0, 150_000), /JPEG.*truncated/],
		['PNG without IEND', () => files.png.subarray(0, files.png.length - 12), /PNG.*no IEND/],
		['PNG cut inside IDAT', () => files.png.subarray(0, files.png.length - 40), /PNG.*truncated inside the IDAT/],
		['GIF without trailer', () => files.gif.subarray(0, files.gif.length - 1), /GIF.*trailer/],
		['GIF cut in image data', () => files.gifAnim.subarray(0, files.gifAnim.length - 10), /GIF.*truncated/],
		['WebP shorter than its RIFF size', () => files.webp.subarray(0, files.webp.length - 10), /WebP.*truncated.*RIFF/],
		['BMP shorter than its pixel array', () => files.bmp24.subarray(0, files.bmp24.length - 7), /BMP.*truncated/],
		['AVIF with an overrunning box', () => files.avif.subarray(0, files.avif.length - 5), /AVIF.*truncated/]
	];
	for (const [name, make, re] of truncations) {
		it(`${name} → invalid_image`, async () => {
			const b = make();
			const e = err(() => checkIntegrity(b, probe(b)));
			expect(e.code).toBe('invalid_image');
			expect(e.message).toMatch(re);
			// and decode() refuses it too
			await expect(decode(b)).rejects.toMatchObject({ code: 'invalid_image', status: 400 });
		});
	}

	it('PNG with a corrupted IHDR CRC → invalid_image', () => {
		const p = files.png.slice();
		p[29] ^= 0xff;
		expect(err(() => checkIntegrity(p, probe(p))).message).toMatch(/IHDR checksum/);
	});
});
