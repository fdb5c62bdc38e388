import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { encode } from '../../src/lib/codecs/encode';
import { downscaleArea, encodeToTargetBytes } from '../../src/lib/codecs/target-size';
import { padJpegToSize, setKb } from '../../src/lib/codecs/set-kb';
import { listSegments, readJfifDensity, findEoi } from '../../src/lib/codecs/jpeg-segments';
import { probe } from '../../src/lib/codecs/probe';
import { checkIntegrity } from '../../src/lib/codecs/integrity';
import type { RGBAImage } from '../../src/lib/core/image';
import { crop, gradient, psnr, sameBytes, SAMPLE } from './codecs-fixtures';

let photo: RGBAImage;
beforeAll(async () => {
	photo = crop((await decode(SAMPLE(3))).image, 500, 200, 480, 360);
});

describe('encodeToTargetBytes', () => {
	it('finds the highest quality that fits (JPEG), and quality+1 does not fit', async () => {
		for (const target of [9_000, 14_000, 20_000, 33_000]) {
			const r = await encodeToTargetBytes(photo, { format: 'jpeg', targetBytes: target });
			expect(r.bytes.length).toBeLessThanOrEqual(target);
			expect([r.width, r.height]).toEqual([480, 360]);
			expect(r.quality).toBeGreaterThan(1);
			expect(r.quality).toBeLessThan(100);
			expect(sameBytes(r.bytes, await encode(photo, { format: 'jpeg', quality: r.quality }))).toBe(true);
			const next = await encode(photo, { format: 'jpeg', quality: r.quality + 1 });
			expect(next.length, `target ${target}: q${r.quality + 1} would also fit`).toBeGreaterThan(target);
		}
	});

	it('bigger budgets never give lower quality or smaller files (monotonic)', async () => {
		let prev = { q: 0, n: 0 };
		for (const target of [8_000, 15_000, 30_000, 60_000]) {
			const r = await encodeToTargetBytes(photo, { format: 'webp', targetBytes: target });
			expect(r.bytes.length).toBeLessThanOrEqual(target);
			expect(r.quality).toBeGreaterThanOrEqual(prev.q);
			expect(r.bytes.length).toBeGreaterThanOrEqual(prev.n);
			prev = { q: r.quality, n: r.bytes.length };
		}
	});

	it('AVIF fits its budget too', async () => {
		const small = crop(photo, 0, 0, 160, 120);
		const r = await encodeToTargetBytes(small, { format: 'avif', targetBytes: 3000 });
		expect(r.bytes.length).toBeLessThanOrEqual(3000);
	});

	it('422 when even quality 1 is too big, naming the smallest size; downscaling fixes it when allowed', async () => {
		const smallest = (await encode(photo, { format: 'jpeg', quality: 1 })).length;
		const target = smallest - 200;
		const err = await encodeToTargetBytes(photo, { format: 'jpeg', targetBytes: target }).catch((e) => e);
		expect(err).toMatchObject({ code: 'unprocessable', status: 422 });
		expect(err.message).toBe(`Cannot reach target_bytes=${target}: smallest jpeg at quality 1 is ${smallest} bytes; pass allow_downscale: true to allow shrinking`);

		const r = await encodeToTargetBytes(photo, { format: 'jpeg', targetBytes: target, allowDownscale: true });
		expect(r.bytes.length).toBeLessThanOrEqual(target);
		expect(r.width).toBeLessThan(480);
		expect(r.width / r.height).toBeCloseTo(480 / 360, 1);
		expect(probe(r.bytes)).toMatchObject({ width: r.width, height: r.height });
	});

	it('PNG: plain, then optimised, then 422', async () => {
		// A photo: oxipng still finds a few percent over Darkroom's filtered + deflated PNG.
		const plain = await encode(photo, { format: 'png' });
		const opt = await encode(photo, { format: 'png', optimize: true });
		expect(opt.length).toBeLessThan(plain.length);
		const r = await encodeToTargetBytes(photo, { format: 'png', targetBytes: opt.length });
		expect(r.bytes).toEqual(opt);
		await expect(encodeToTargetBytes(photo, { format: 'png', targetBytes: 5000 })).rejects.toMatchObject({ code: 'unprocessable', message: expect.stringMatching(/optimised png/) });
	});

	it('validates target_bytes and min_quality', async () => {
		for (const t of [0, -5, 1.5, '100', undefined]) await expect(encodeToTargetBytes(photo, { format: 'jpeg', targetBytes: t as number })).rejects.toMatchObject({ code: 'invalid_parameter', param: 'target_bytes' });
		await expect(encodeToTargetBytes(photo, { format: 'jpeg', targetBytes: 100, minQuality: 0 })).rejects.toMatchObject({ param: 'min_quality' });
	});

	it('downscaleArea averages (alpha-weighted) and keeps flat colours exact', () => {
		const img = gradient(10, 10, (x) => (x < 5 ? 0 : 255));
		for (let i = 0; i < img.data.length; i += 4) img.data.set(i / 4 % 10 < 5 ? [0, 0, 0, 0] : [200, 100, 50, 255], i);
		const out = downscaleArea(img, 2, 2);
		expect(Array.from(out.data.subarray(0, 8))).toEqual([0, 0, 0, 0, 200, 100, 50, 255]);
		const half = downscaleArea(img, 1, 1);
		expect(Array.from(half.data)).toEqual([200, 100, 50, 128]); // transparent half does not darken
	});
});

describe('setKb (HivisionIDPhotos set_kb): exact size', () => {
	for (const kb of [5, 10, 37, 64, 100, 200]) {
		it(`kb=${kb} → exactly ${kb * 1024} bytes, valid, same pixel size, ends with FFD9`, async () => {
			const out = await setKb(photo, kb);
			expect(out.length).toBe(kb * 1024);
			expect([out[out.length - 2], out[out.length - 1]]).toEqual([0xff, 0xd9]);
			expect(findEoi(out)).toBe(out.length - 2);
			expect(() => checkIntegrity(out, probe(out))).not.toThrow();
			const d = await decode(out);
			expect([d.image.width, d.image.height]).toEqual([480, 360]);
			expect(readJfifDensity(out)).toBe(300);
			// padding lives in COM segments in the header, never after EOI
			const segs = listSegments(out);
			expect(segs[0].marker).toBe(0xe0);
			if (kb >= 64) expect(segs.some((s) => s.marker === 0xfe)).toBe(true);
			expect(psnr(d.image, photo)).toBeGreaterThan(20);
		});
	}

	it('higher kb never lowers quality', async () => {
		const a = await decode(await setKb(photo, 10));
		const b = await decode(await setKb(photo, 30));
		expect(psnr(b.image, photo)).toBeGreaterThan(psnr(a.image, photo));
	});

	it('writes the requested dpi', async () => {
		expect(readJfifDensity(await setKb(photo, 50, { dpi: 350 }))).toBe(350);
	});

	it('422 naming the smallest achievable size when kb is below quality 1', async () => {
		const err = await setKb(photo, 1).catch((e) => e);
		expect(err).toMatchObject({ code: 'unprocessable', status: 422 });
		expect(err.message).toMatch(/Cannot reach kb=1 \(1024 bytes\): the smallest JPEG .* \(quality 1\) is \d+ bytes/);
	});

	it('kb must be a positive integer', async () => {
		for (const kb of [0, -1, 2.5, '10', NaN]) await expect(setKb(photo, kb as number)).rejects.toMatchObject({ code: 'invalid_parameter', param: 'kb' });
	});
});

describe('padJpegToSize', () => {
	let jpeg: Uint8Array;
	beforeAll(async () => {
		jpeg = await encode(gradient(64, 48), { format: 'jpeg', quality: 80, dpi: 300 });
	});

	it('every padding amount from 0 to 5 and across the 64 KiB segment boundaries is exact', async () => {
		const pads = [0, 1, 2, 3, 4, 5, 6, 7, 100, 65_537, 65_538, 65_539, 65_540, 65_541, 131_074, 131_075, 200_003];
		for (const pad of pads) {
			const out = padJpegToSize(jpeg, jpeg.length + pad);
			expect(out.length, `pad ${pad}`).toBe(jpeg.length + pad);
			expect(findEoi(out)).toBe(out.length - 2);
			expect(() => checkIntegrity(out, probe(out)), `pad ${pad}`).not.toThrow();
		}
		// decodes to the same pixels as the unpadded file
		const ref = (await decode(jpeg)).image.data;
		for (const pad of [1, 3, 4, 70_000]) expect((await decode(padJpegToSize(jpeg, jpeg.length + pad))).image.data).toEqual(ref);
	});

	it('refuses to shrink', () => {
		expect(() => padJpegToSize(jpeg, jpeg.length - 1)).toThrow(/already larger/);
	});
});
