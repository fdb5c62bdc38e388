import { test, expect, type Page } from '@playwright/test';
import { b64, call, callError, compareOutside, inspect, openApp, sample, SIGNATURE } from './helpers';

// repair.image_repair (seed 002) on the face-api demo photos: sample1 (1920×1280), sample2 (1920×1367).
const S = (n: number) => ({ base64: b64(sample(n)) });
type Box = { x: number; y: number; width: number; height: number };

test.beforeEach(async ({ page }) => openApp(page));
test.setTimeout(180_000);


/**
 * The logo's pixels (where `marked` differs from `clean` by more than 60 in RGB sum): their
 * bounding box, and the mean RGB distance of `other` from `clean` over them.
 */
async function logoStats(page: Page, clean: string, marked: string, other?: string) {
	return page.evaluate(
		async ({ clean, marked, other }) => {
			const load = async (url: string) => {
				const bmp = await createImageBitmap(new Blob([await (window as any).darkroom.fetchBytes(url)]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
				const c = new OffscreenCanvas(bmp.width, bmp.height);
				c.getContext('2d')!.drawImage(bmp, 0, 0);
				return c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height);
			};
			const C = await load(clean);
			const M = await load(marked);
			const O = other ? await load(other) : M;
			const dist = (P: ImageData, i: number) => Math.abs(P.data[i] - C.data[i]) + Math.abs(P.data[i + 1] - C.data[i + 1]) + Math.abs(P.data[i + 2] - C.data[i + 2]);
			let x0 = 1e9, y0 = 1e9, x1 = -1, y1 = -1, n = 0, sumMarked = 0, sumOther = 0;
			for (let y = 0; y < C.height; y++)
				for (let x = 0; x < C.width; x++) {
					const i = (y * C.width + x) * 4;
					const dm = dist(M, i);
					if (dm <= 60) continue;
					n++;
					sumMarked += dm;
					sumOther += dist(O, i);
					x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
				}
			return { box: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }, pixels: n, marked: sumMarked / n, other: sumOther / n };
		},
		{ clean, marked, other }
	);
}

/** A black PNG data URL of w × h with white rectangles: a mask image drawn by the browser. */
async function maskPng(page: Page, w: number, h: number, rects: Box[]): Promise<string> {
	return page.evaluate(
		async ({ w, h, rects }) => {
			const c = new OffscreenCanvas(w, h);
			const g = c.getContext('2d')!;
			g.fillStyle = '#000';
			g.fillRect(0, 0, w, h);
			g.fillStyle = '#fff';
			for (const r of rects) g.fillRect(r.x, r.y, r.width, r.height);
			const blob = await c.convertToBlob({ type: 'image/png' });
			const bytes = new Uint8Array(await blob.arrayBuffer());
			let s = '';
			for (const b of bytes) s += String.fromCharCode(b);
			return 'data:image/png;base64,' + btoa(s);
		},
		{ w, h, rects }
	);
}

const rect = (b: Box, pad = 0): [number, number][] => [
	[b.x - pad, b.y - pad],
	[b.x + b.width + pad, b.y - pad],
	[b.x + b.width + pad, b.y + b.height + pad],
	[b.x - pad, b.y + b.height + pad]
];
const b64url = (s: string) => Buffer.from(s).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const within = (outer: Box, inner: Box) =>
	inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/** sample2 as PNG, and the same with a white "LOGO" drawn by image.watermark, and where the logo is. */
async function logoPhoto(page: Page) {
	const clean = (await call(page, 'image.convert', { image: S(2), format: 'png' })).image_url as string;
	const marked = (await call(page, 'image.watermark', { image: { url: clean }, text: 'DARKROOM®', position: 'bottom-right', size: 64, opacity: 1, color: '#ffffff', format: 'png' })).image_url as string;
	const logo = await logoStats(page, clean, marked);
	return { clean, marked, logo };
}

test.describe('repair.image_repair', () => {
	test('MaskPoly over a watermark logo removes it; PNG byte-identical outside the mask', async ({ page }) => {
		const { clean, marked, logo } = await logoPhoto(page);
		expect(logo.pixels).toBeGreaterThan(1500);
		expect(logo.box.x).toBeGreaterThan(1000); // bottom-right
		const poly = rect(logo.box, 4);
		const t0 = Date.now();
		const r = await call(page, 'repair.image_repair', { image: { url: marked }, MaskPoly: [poly], format: 'png' });
		console.log(`repair ${logo.box.width}×${logo.box.height} logo on 1920×1367: ${Date.now() - t0} ms round trip, inpaint ${r.ms} ms`);
		expect(r).toMatchObject({ mime: 'image/png', width: 1920, height: 1367, model: 'patchmatch', mask_source: 'MaskPoly' });
		// Default dilate 3: the box grows by 3 on every side.
		expect(r.mask_box).toEqual({ x: logo.box.x - 7, y: logo.box.y - 7, width: logo.box.width + 14, height: logo.box.height + 14 });
		expect(r.mask_pixels).toBeGreaterThan((logo.box.width + 8) * (logo.box.height + 8));
		expect((await inspect(page, r.image_url)).head).toMatch(SIGNATURE.png);
		const cmp = await compareOutside(page, marked, r.image_url, [r.mask_box]);
		expect(cmp.outsideDiff).toBe(0);
		expect(cmp.insideChanged / cmp.insideTotal).toBeGreaterThan(0.3);
		// The logo is gone: over its pixels the result is far closer to the clean photo than the marked one was.
		const after = await logoStats(page, clean, marked, r.image_url);
		expect(after.marked).toBeGreaterThan(200);
		expect(after.other).toBeLessThan(after.marked * 0.35);
		// And it matches the clean photo outside the mask too (the watermark changed nothing else).
		expect((await compareOutside(page, clean, r.image_url, [r.mask_box])).outsideDiff).toBe(0);
		if (process.env.REPAIR_LOOK) {
			// Before/after crops around the mask, for a person to look at: /tmp/repair-check/*.png
			const { mkdirSync, writeFileSync } = await import('node:fs');
			mkdirSync('/tmp/repair-check', { recursive: true });
			const m = r.mask_box;
			const around = { x: Math.max(0, m.x - 60), y: Math.max(0, m.y - 60), width: Math.min(1920 - Math.max(0, m.x - 60), m.width + 120), height: Math.min(1367 - Math.max(0, m.y - 60), m.height + 120) };
			for (const [name, url] of [['clean', clean], ['marked', marked], ['repaired', r.image_url]]) {
				const c = await call(page, 'image.crop', { image: { url }, ...around, format: 'png' });
				const bytes: number[] = await page.evaluate(async (u) => Array.from(await (window as any).darkroom.fetchBytes(u)), c.image_url);
				writeFileSync(`/tmp/repair-check/${name}.png`, Buffer.from(bytes));
			}
		}
	});

	test('MaskPoly as JSON, as URL-safe base64 (no padding) and as one 2-D polygon gives the same bytes; alias mask_poly', async ({ page }) => {
		const { marked, logo } = await logoPhoto(page);
		const poly = rect(logo.box, 4);
		const json = JSON.stringify([poly]);
		const urls: string[] = [];
		for (const req of [{ MaskPoly: [poly] }, { MaskPoly: poly }, { MaskPoly: json }, { MaskPoly: b64url(json) }, { MaskPoly: b64url(JSON.stringify(poly)) }, { mask_poly: b64url(json) }]) {
			const r = await call(page, 'repair.image_repair', { image: { url: marked }, format: 'png', ...req });
			expect(r.mask_source).toBe(Object.keys(req)[0]);
			urls.push(r.image_url);
		}
		for (const u of urls.slice(1)) expect((await compareOutside(page, urls[0], u, [])).outsideDiff).toBe(0);
	});

	test('MaskPic of a different size (white = remove) repairs the same area; JPEG in → JPEG out by default', async ({ page }) => {
		const { marked, logo } = await logoPhoto(page);
		// A mask at half the photo's size.
		const half = { x: Math.floor(logo.box.x / 2) - 2, y: Math.floor(logo.box.y / 2) - 2, width: Math.ceil(logo.box.width / 2) + 4, height: Math.ceil(logo.box.height / 2) + 4 };
		const mask = await maskPng(page, 960, 684, [half]);
		const r = await call(page, 'repair.image_repair', { image: { url: marked }, MaskPic: mask, format: 'png' });
		expect(r).toMatchObject({ mime: 'image/png', mask_source: 'MaskPic' });
		expect(within(r.mask_box, logo.box)).toBe(true);
		expect(r.mask_box.width).toBeLessThan(logo.box.width + 30);
		expect((await compareOutside(page, marked, r.image_url, [r.mask_box])).outsideDiff).toBe(0);
		// Source format by default: a JPEG answers a JPEG.
		const j = await call(page, 'repair.image_repair', { image: S(1), mask_pic: await maskPng(page, 192, 128, [{ x: 10, y: 10, width: 30, height: 8 }]) });
		expect(j).toMatchObject({ mime: 'image/jpeg', width: 1920, height: 1280, mask_source: 'mask_pic' });
		expect((await inspect(page, j.image_url)).head).toMatch(SIGNATURE.jpeg);
	});

	test('the seed form of MaskPic (URL-safe base64 of the mask URL) is fetched', async ({ page }) => {
		const { marked, logo } = await logoPhoto(page);
		const mask = await call(page, 'image.convert', { image: await maskPng(page, 1920, 1367, [{ x: logo.box.x - 3, y: logo.box.y - 3, width: logo.box.width + 6, height: logo.box.height + 6 }]), format: 'png' });
		const r = await call(page, 'repair.image_repair', { image: { url: marked }, MaskPic: b64url(mask.image_url), dilate: 0, format: 'png' });
		expect(r.mask_box).toEqual({ x: logo.box.x - 3, y: logo.box.y - 3, width: logo.box.width + 6, height: logo.box.height + 6 });
	});

	test('both given: MaskPic wins and MaskPoly is not read', async ({ page }) => {
		const { marked, logo } = await logoPhoto(page);
		const mask = await maskPng(page, 1920, 1367, [{ x: logo.box.x - 4, y: logo.box.y - 4, width: logo.box.width + 8, height: logo.box.height + 8 }]);
		const elsewhere = [[[100, 100], [300, 100], [300, 200], [100, 200]]];
		const r = await call(page, 'repair.image_repair', { image: { url: marked }, MaskPic: mask, MaskPoly: elsewhere, format: 'png' });
		expect(r.mask_source).toBe('MaskPic');
		expect(within(r.mask_box, logo.box)).toBe(true);
		const cmp = await compareOutside(page, marked, r.image_url, [r.mask_box]);
		expect(cmp.outsideDiff).toBe(0); // the MaskPoly area (top-left) untouched
		// A malformed MaskPoly next to a MaskPic is not an error either.
		const r2 = await call(page, 'repair.image_repair', { image: { url: marked }, MaskPic: mask, MaskPoly: '[[1,2],', format: 'png' });
		expect(r2.mask_source).toBe('MaskPic');
	});

	test('bad masks are 400s naming the mask and the problem', async ({ page }) => {
		const img = S(1);
		const cases: [Record<string, unknown>, string, RegExp][] = [
			[{ MaskPoly: '[[1,2],[3,4],' }, 'MaskPoly', /malformed JSON/],
			[{ MaskPoly: '%%%' }, 'MaskPoly', /not JSON and not URL-safe base64/],
			[{ MaskPoly: b64url('[[1,2],[3,') }, 'MaskPoly', /malformed JSON/],
			[{ MaskPoly: [[1, 2], [3, 4]] }, 'MaskPoly', /at least 3/],
			[{ MaskPoly: [[1, 2], [3, 4], [5, 'a']] }, 'MaskPoly', /finite numbers/],
			[{ MaskPoly: [] }, 'MaskPoly', /no polygons/],
			[{ mask_poly: [[[3000, 3000], [3100, 3000], [3100, 3100]]] }, 'mask_poly', /entirely outside the 1920 x 1280 image/],
			[{ MaskPoly: [[[10, 10], [10, 10], [10, 10]]] }, 'MaskPoly', /covers no pixel/],
			[{ MaskPoly: [[[-10, -10], [2000, -10], [2000, 1300], [-10, 1300]]] }, 'MaskPoly', /covers the whole/],
			[{ MaskPic: await maskPng(page, 64, 64, []) }, 'MaskPic', /mask is empty/],
			[{}, 'MaskPoly', /Missing mask/],
			[{ MaskPoly: [[[1, 1], [9, 1], [9, 9]]], dilate: -1 }, 'dilate', /dilate/],
			[{ MaskPoly: [[[1, 1], [9, 1], [9, 9]]], feather: 2 }, 'feather', /Unknown parameter feather/]
		];
		for (const [req, param, re] of cases) {
			const e = await callError(page, 'repair.image_repair', { image: img, ...req });
			expect(e.status, JSON.stringify(req).slice(0, 80)).toBe(400);
			expect(e.param, JSON.stringify(req).slice(0, 80)).toBe(param);
			expect(e.message).toMatch(re);
		}
		expect(await callError(page, 'repair.image_repair', { MaskPoly: [[[1, 1], [9, 1], [9, 9]]] })).toMatchObject({ status: 400, param: 'image' });
		// A mask file that is not a raster image: 415, naming the mask.
		const svg = await callError(page, 'repair.image_repair', { image: img, mask_pic: { base64: b64(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')) } });
		expect(svg).toMatchObject({ status: 415, param: 'mask_pic' });
		expect(svg.message).toMatch(/^mask_pic: /);
	});

	test('idempotency_key answers the first result; repair is listed as available', async ({ page }) => {
		const req = { image: S(1), MaskPoly: [[[100, 100], [200, 100], [200, 140], [100, 140]]], idempotency_key: 'rep-1' };
		const a = await call(page, 'repair.image_repair', req);
		const b = await call(page, 'repair.image_repair', req);
		expect(b.image_url).toBe(a.image_url);
		expect((await callError(page, 'repair.image_repair', { ...req, dilate: 5 })).status).toBe(422);
		const caps: { method: string; available: boolean }[] = await page.evaluate(() => (window as any).darkroom.capabilities());
		expect(caps.find((c) => c.method === 'repair.image_repair')?.available).toBe(true);
	});
});
