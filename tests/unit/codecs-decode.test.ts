import { describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { encode } from '../../src/lib/codecs/encode';
import { ensureCodec } from '../../src/lib/codecs/wasm-init';
import { buildWebp, listWebpChunks } from '../../src/lib/codecs/webp-chunks';
import { crc32 } from '../../src/lib/codecs/png-chunks';
import { gradient, indexed, makeBmp, makeGif, pixel, psnr, SAMPLE } from './codecs-fixtures';

describe('GIF (pure TypeScript LZW decoder)', () => {
	it('decodes a compressed frame exactly, with transparency', async () => {
		const palette = [[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [9, 8, 7], [200, 100, 50], [1, 2, 3]];
		const w = 61;
		const h = 47;
		// Runs and noise: exercises table growth up to 12-bit codes and a table reset.
		const idx = new Uint8Array(w * h).map((_, i) => (i % 97 < 40 ? 1 : (i * 2654435761) >>> 29));
		const gif = makeGif(w, h, palette, [{ width: w, height: h, indices: idx, transparentIndex: 7 }]);
		const d = await decode(gif);
		expect([d.image.width, d.image.height]).toEqual([w, h]);
		for (let i = 0; i < w * h; i++) {
			const px = pixel(d.image, i % w, Math.floor(i / w));
			expect(px, `pixel ${i}`).toEqual(idx[i] === 7 ? [0, 0, 0, 0] : [...palette[idx[i]], 255]);
		}
	});

	it('decodes long inputs where codes reach 12 bits and the table is cleared', async () => {
		const w = 300;
		const h = 200;
		const palette = Array.from({ length: 256 }, (_, i) => [i, 255 - i, (i * 3) & 255]);
		const idx = new Uint8Array(w * h).map((_, i) => ((i * 2654435761) >>> 24) & 255);
		const d = await decode(makeGif(w, h, palette, [{ width: w, height: h, indices: idx }]));
		let bad = 0;
		for (let i = 0; i < w * h; i++) if (d.image.data[i * 4] !== idx[i]) bad++;
		expect(bad).toBe(0);
	});

	it('de-interlaces interlaced frames', async () => {
		const w = 7;
		const h = 19;
		const palette = Array.from({ length: 32 }, (_, i) => [i * 8, 0, 0]);
		const idx = new Uint8Array(w * h).map((_, i) => Math.floor(i / w) % 32); // colour = row
		const d = await decode(makeGif(w, h, palette, [{ width: w, height: h, indices: idx, interlaced: true }]));
		for (let y = 0; y < h; y++) expect(pixel(d.image, 3, y)[0], `row ${y}`).toBe(y * 8);
	});

	it('places the first frame of an animation on the logical screen', async () => {
		const gif = makeGif(6, 5, [[10, 20, 30], [200, 0, 0]], [
			{ width: 2, height: 2, left: 3, top: 2, indices: new Uint8Array([1, 0, 0, 1]) },
			{ width: 6, height: 5, indices: new Uint8Array(30).fill(1) }
		]);
		const d = await decode(gif);
		expect(d.info.frames).toBe(2);
		expect(pixel(d.image, 0, 0)).toEqual([0, 0, 0, 0]);
		expect(pixel(d.image, 3, 2)).toEqual([200, 0, 0, 255]);
		expect(pixel(d.image, 4, 2)).toEqual([10, 20, 30, 255]);
	});

	it('rejects a frame whose image data is incomplete', async () => {
		const gif = makeGif(4, 4, [[0, 0, 0], [255, 255, 255]], [{ width: 4, height: 4, indices: new Uint8Array(16).fill(1) }]);
		// Re-declare the frame as taller than the data it carries.
		const lie = gif.slice();
		const desc = lie.indexOf(0x2c, 13 + 6 + 8);
		lie[desc + 7] = 40;
		await expect(decode(lie)).rejects.toMatchObject({ code: 'invalid_image', message: expect.stringMatching(/GIF.*incomplete/) });
	});
});

describe('BMP (pure TypeScript decoder)', () => {
	const img = gradient(13, 7, (x, y) => (x * 20 + y) % 256);

	it('24-bit bottom-up and top-down decode exactly (opaque)', async () => {
		for (const topDown of [false, true]) {
			const d = await decode(makeBmp(img, 24, { topDown }));
			const want = new Uint8ClampedArray(img.data);
			for (let i = 3; i < want.length; i += 4) want[i] = 255;
			expect(d.image.data).toEqual(want);
		}
	});

	it('32-bit with an alpha mask keeps alpha', async () => {
		const d = await decode(makeBmp(img, 32));
		expect(d.image.data).toEqual(img.data);
		expect(d.info.hasAlpha).toBe(true);
	});

	it('8-bit palette', async () => {
		const palette = [[0, 0, 0], [255, 0, 0], [0, 128, 255], [7, 7, 7]];
		const pimg = { width: 5, height: 3, data: new Uint8ClampedArray(5 * 3 * 4) };
		for (let i = 0; i < 15; i++) pimg.data.set([...palette[i % 4], 255], i * 4);
		const d = await decode(makeBmp(pimg, 8, { palette }));
		expect(d.image.data).toEqual(pimg.data);
	});

	it('RLE BMP needs a browser under Node → 415', async () => {
		const b = makeBmp(img, 24);
		b[30] = 1; // BI_RLE8
		await expect(decode(b)).rejects.toMatchObject({ code: 'unsupported_format', message: expect.stringMatching(/RLE.*browser/) });
	});
});

describe('jSquash-decoded formats', () => {
	it('PNG round trip is exact, alpha included', async () => {
		const img = gradient(33, 17, (x, y) => (x * 13 + y * 5) % 256);
		const d = await decode(await encode(img, { format: 'png' }));
		expect(d.image.data).toEqual(img.data);
	});

	it('16-bit PNG decodes to 8-bit (high byte)', async () => {
		await ensureCodec('png');
		const { default: encPng } = await import('@jsquash/png/encode.js');
		const w = 9;
		const h = 5;
		const v = new Uint16Array(w * h * 4);
		for (let i = 0; i < v.length; i++) v[i] = (i * 1999) & 0xffff;
		// jSquash's 16-bit encoder copies the buffer's bytes as-is, so hand it big-endian samples.
		const be = new Uint16Array(v.length);
		for (let i = 0; i < v.length; i++) be[i] = ((v[i] & 0xff) << 8) | (v[i] >> 8);
		const png = new Uint8Array(await encPng({ data: be, width: w, height: h } as never, { bitDepth: 16 }));
		const d = await decode(png);
		expect(d.info.bitDepth).toBe(16);
		for (let i = 0; i < v.length; i++) expect(Math.abs(d.image.data[i] - v[i] / 257)).toBeLessThanOrEqual(1);
	});

	it('greyscale JPEG decodes to RGBA', async () => {
		// Re-encode a photo as greyscale through MozJPEG's colour_space option.
		await ensureCodec('jpeg-enc');
		const { default: encJpeg } = await import('@jsquash/jpeg/encode.js');
		const img = gradient(24, 16);
		const grey = new Uint8Array(await encJpeg({ data: img.data, width: 24, height: 16 } as ImageData, { color_space: 1, quality: 90 }));
		const d = await decode(grey);
		expect(d.info.components).toBe(1);
		const [r, g, b, a] = pixel(d.image, 10, 10);
		expect(r).toBe(g);
		expect(g).toBe(b);
		expect(a).toBe(255);
	});

	it('camera JPEG decodes at full size with its EXIF block', async () => {
		const d = await decode(SAMPLE(1));
		expect([d.image.width, d.image.height]).toEqual([d.info.width, d.info.height]);
		expect(d.exif && String.fromCharCode(d.exif[0], d.exif[1])).toMatch(/II|MM/);
	});

	it('CMYK JPEG under Node (no native decoder) → 415 naming the reason', async () => {
		const jpeg = await encode(gradient(8, 8), { format: 'jpeg' });
		// Patch the SOF to claim 4 components: probe passes, and the decode path must refuse.
		const sofAt = jpeg.findIndex((v, i) => v === 0xff && jpeg[i + 1] === 0xc2);
		const patched = new Uint8Array([...jpeg.subarray(0, sofAt + 9), 4, ...jpeg.subarray(sofAt + 10)]);
		await expect(decode(patched)).rejects.toMatchObject({ code: 'unsupported_format', message: expect.stringMatching(/CMYK JPEG needs a browser/) });
	});

	it('corrupt (but complete) data becomes invalid_image naming the format', async () => {
		const png = (await encode(gradient(20, 20), { format: 'png' })).slice();
		// Garble the IDAT payload but keep its CRC valid so only the zlib stream is wrong.
		const idat = png.findIndex((_, i) => String.fromCharCode(...png.subarray(i, i + 4)) === 'IDAT');
		const len = (png[idat - 4] << 24) | (png[idat - 3] << 16) | (png[idat - 2] << 8) | png[idat - 1];
		for (let i = idat + 6; i < idat + 4 + len; i++) png[i] ^= 0x5a;
		const crc = crc32(png.subarray(idat, idat + 4 + len));
		png.set([crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255], idat + 4 + len);
		await expect(decode(png)).rejects.toMatchObject({ code: 'invalid_image', message: expect.stringMatching(/^Corrupt PNG data/) });
	});

	it('AVIF decodes close to the source', async () => {
		const img = gradient(48, 32);
		const d = await decode(await encode(img, { format: 'avif', quality: 80 }));
		expect(psnr(d.image, img)).toBeGreaterThan(30);
	});

	it('animated WebP decodes its first frame, placed on the canvas', async () => {
		const f1 = indexed(6, 4);
		const f2 = gradient(10, 8);
		const still1 = await encode(f1, { format: 'webp', lossless: true });
		const still2 = await encode(f2, { format: 'webp', lossless: true });
		const frame = (still: Uint8Array, x: number, y: number, w: number, h: number) => {
			const head = new Uint8Array(16);
			head.set([x / 2, 0, 0, y / 2, 0, 0, w - 1, 0, 0, h - 1, 0, 0, 100, 0, 0, 0]);
			const sub = listWebpChunks(still).map((c) => {
				const b = new Uint8Array(8 + c.data.length + (c.data.length & 1));
				b.set([...c.type].map((ch) => ch.charCodeAt(0)));
				new DataView(b.buffer).setUint32(4, c.data.length, true);
				b.set(c.data, 8);
				return b;
			});
			const data = new Uint8Array(16 + sub.reduce((s, b) => s + b.length, 0));
			data.set(head);
			let o = 16;
			for (const b of sub) {
				data.set(b, o);
				o += b.length;
			}
			return { type: 'ANMF', data };
		};
		const vp8x = new Uint8Array(10);
		vp8x.set([0x12, 0, 0, 0, 9, 0, 0, 7, 0, 0]); // animation + alpha, 10 × 8
		const anim = buildWebp([
			{ type: 'VP8X', data: vp8x },
			{ type: 'ANIM', data: new Uint8Array(6) },
			frame(still1, 2, 2, 6, 4),
			frame(still2, 0, 0, 10, 8)
		]);
		const d = await decode(anim);
		expect(d.info.frames).toBe(2);
		expect([d.image.width, d.image.height]).toEqual([10, 8]);
		expect(pixel(d.image, 0, 0)).toEqual([0, 0, 0, 0]); // outside the first frame
		expect(pixel(d.image, 2, 2)).toEqual(pixel(f1, 0, 0));
		expect(pixel(d.image, 7, 5)).toEqual(pixel(f1, 5, 3));
	});
});
