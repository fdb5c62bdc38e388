import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { decode } from '../../src/lib/codecs/decode';
import { encode } from '../../src/lib/codecs/encode';
import { DEFAULT_LIMITS } from '../../src/lib/codecs/types';
import { validateOutput } from '../../src/lib/pipeline/output';
import { runRepairJob } from '../../src/lib/features/repair/job';
import { rasterizePolygons } from '../../src/lib/features/repair/rasterize';
import { dilateMask } from '../../src/lib/features/repair/dilate';
import type { RepairJob, RepairMaskSource } from '../../src/lib/features/repair/types';

const PHOTO = 'node_modules/@vladmandic/face-api/demo/sample2.jpg';

/** Stripes with a white "logo" block in the middle. */
function logoImage(): RGBAImage {
	const img = createImage(120, 80);
	for (let y = 0; y < 80; y++)
		for (let x = 0; x < 120; x++) {
			const v = Math.floor((x + y) / 5) % 2 ? 200 : 60;
			const logo = x >= 50 && x < 70 && y >= 30 && y < 45;
			img.data.set(logo ? [255, 255, 255, 255] : [v, 100, 255 - v, 255], (y * 120 + x) * 4);
		}
	return img;
}

const job = (bytes: Uint8Array, mask: RepairMaskSource, extra: Partial<RepairJob> = {}): RepairJob => ({
	bytes,
	mask,
	dilate: 3,
	output: validateOutput({}),
	limits: DEFAULT_LIMITS,
	...extra
});

async function rejects(p: Promise<unknown>): Promise<{ status: number; param?: string; message: string }> {
	try {
		await p;
	} catch (e) {
		return e as { status: number; param?: string; message: string };
	}
	throw new Error('expected a rejection');
}

describe('runRepairJob', () => {
	it('MaskPoly: removes the logo, keeps PNG, changes nothing outside the dilated mask', async () => {
		const src = logoImage();
		const png = await encode(src, { format: 'png' });
		const poly: [number, number][] = [[50, 30], [70, 30], [70, 45], [50, 45]];
		const r = await runRepairJob(job(png.slice(), { kind: 'poly', polygons: [poly], param: 'MaskPoly' }));
		expect(r.mime).toBe('image/png');
		expect(r.info).toMatchObject({ model: 'patchmatch', mask_source: 'MaskPoly', mask_box: { x: 47, y: 27, width: 26, height: 21 } });
		const out = (await decode(r.bytes)).image;
		const grown = dilateMask(rasterizePolygons([poly], 120, 80), 120, 80, 3);
		expect(r.info.mask_pixels).toBe(grown.reduce((s, v) => s + v, 0));
		let white = 0;
		for (let i = 0; i < grown.length; i++) {
			const same = [0, 1, 2, 3].every((k) => out.data[i * 4 + k] === src.data[i * 4 + k]);
			if (!grown[i]) expect(same, `pixel ${i}`).toBe(true);
			else if (out.data[i * 4] > 240 && out.data[i * 4 + 1] > 240) white++;
		}
		expect(white).toBe(0); // no logo left
	});

	it('MaskPic of another size: the same area is repaired; the source format (JPEG) is kept by default', async () => {
		const src = logoImage();
		const jpeg = await encode(src, { format: 'jpeg', quality: 95 });
		const m = createImage(60, 40, [0, 0, 0, 255]); // half size
		for (let y = 15; y < 23; y++) for (let x = 25; x < 35; x++) m.data.set([255, 255, 255, 255], (y * 60 + x) * 4);
		const pic = await encode(m, { format: 'png' });
		const r = await runRepairJob(job(jpeg, { kind: 'pic', bytes: pic, param: 'MaskPic' }));
		expect(r.mime).toBe('image/jpeg');
		const b = r.info.mask_box;
		expect(Math.abs(b.x - 47)).toBeLessThanOrEqual(2);
		expect(Math.abs(b.y - 27)).toBeLessThanOrEqual(2);
		expect(r.info.mask_source).toBe('MaskPic');
	});

	it('bad masks are 400s naming the parameter, found from the header before the full decode', async () => {
		const png = await encode(logoImage(), { format: 'png' });
		const outside = await rejects(runRepairJob(job(png.slice(), { kind: 'poly', polygons: [[[200, 200], [300, 200], [300, 300]]], param: 'mask_poly' })));
		expect(outside).toMatchObject({ status: 400, param: 'mask_poly' });
		expect(outside.message).toMatch(/entirely outside the 120 x 80 image/);
		const black = await encode(createImage(10, 10, [0, 0, 0, 255]), { format: 'png' });
		const empty = await rejects(runRepairJob(job(png.slice(), { kind: 'pic', bytes: black, param: 'MaskPic' })));
		expect(empty).toMatchObject({ status: 400, param: 'MaskPic' });
		expect(empty.message).toMatch(/mask is empty .*scaled from 10 x 10 to 120 x 80/);
		const notImage = await rejects(runRepairJob(job(png.slice(), { kind: 'pic', bytes: new TextEncoder().encode('<svg></svg>'), param: 'MaskPic' })));
		expect(notImage.param).toBe('MaskPic');
		expect(notImage.message).toMatch(/^MaskPic: /);
		const all = await rejects(runRepairJob(job(png.slice(), { kind: 'poly', polygons: [[[0, 0], [120, 0], [120, 80], [0, 80]]], param: 'MaskPoly' })));
		expect(all.message).toMatch(/covers the whole/);
		const grownAll = await rejects(runRepairJob(job(png.slice(), { kind: 'poly', polygons: [[[2, 2], [118, 2], [118, 78], [2, 78]]], param: 'MaskPoly' }, { dilate: 10 })));
		expect(grownAll).toMatchObject({ status: 400, param: 'dilate' });
	});

	it('a real photo: a caption-sized polygon near the corner, PNG out, box as predicted', async () => {
		const bytes = new Uint8Array(readFileSync(PHOTO));
		const t = performance.now();
		const r = await runRepairJob(
			job(bytes, { kind: 'poly', polygons: [[[1500, 1250], [1880, 1250], [1880, 1320], [1500, 1320]]], param: 'MaskPoly' }, { output: validateOutput({ format: 'png' }) })
		);
		const ms = performance.now() - t;
		expect(r).toMatchObject({ mime: 'image/png', width: 1920, height: 1367 });
		expect(r.info.mask_box).toEqual({ x: 1497, y: 1247, width: 386, height: 76 });
		console.log(`repair 380×70 on 1920×1367: total ${Math.round(ms)} ms, inpaint ${r.info.ms} ms`);
	}, 60_000);
});
