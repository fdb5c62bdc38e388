import { test, expect, type Page } from '@playwright/test';
import { b64, call, callError, inspect, openApp, sample, SIGNATURE } from './helpers';

// sample1: three women in a bar (1920×1280), downscaled to 480×320 in the page: a real photo
// whose detail the enlargement has to bring back.
const S1 = { base64: b64(sample(1)) };

test.beforeEach(async ({ page }) => openApp(page));
test.setTimeout(240_000);

/** Mean squared Laplacian of luma (sharpness) and the pixels' size, decoded by the browser. */
async function laplacian(page: Page, url: string): Promise<{ width: number; height: number; energy: number }> {
	return page.evaluate(async (url) => {
		const bytes: Uint8Array = await (window as any).darkroom.fetchBytes(url);
		const bmp = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { colorSpaceConversion: 'none' });
		const c = new OffscreenCanvas(bmp.width, bmp.height);
		const g = c.getContext('2d')!;
		g.drawImage(bmp, 0, 0);
		const d = g.getImageData(0, 0, bmp.width, bmp.height).data;
		const W = bmp.width;
		const l = new Float64Array(W * bmp.height);
		for (let i = 0; i < l.length; i++) l[i] = 0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2];
		let s = 0;
		let n = 0;
		for (let y = 1; y < bmp.height - 1; y++)
			for (let x = 1; x < W - 1; x++) {
				const i = y * W + x;
				const v = 4 * l[i] - l[i - 1] - l[i + 1] - l[i - W] - l[i + W];
				s += v * v;
				n++;
			}
		return { width: W, height: bmp.height, energy: s / n };
	}, url);
}

async function smallPhoto(page: Page): Promise<string> {
	const r = await call(page, 'image.resize', { image: S1, width: 480, format: 'png' });
	expect([r.width, r.height]).toEqual([480, 320]);
	return r.image_url;
}

test("image.resize kernel 'ai': ×2 enlarge is exact, reports the model, and is sharper than lanczos", async ({ page }) => {
	const small = await smallPhoto(page);
	const ai = await call(page, 'image.resize', { image: { url: small }, width: 960, enlarge: true, kernel: 'ai', format: 'png' });
	expect(ai).toMatchObject({ mime: 'image/png', width: 960, height: 640, model: 'rdn-x3' });
	const lz = await call(page, 'image.resize', { image: { url: small }, width: 960, enlarge: true, format: 'png' });
	expect(lz.model).toBeUndefined();
	const [a, l] = [await laplacian(page, ai.image_url), await laplacian(page, lz.image_url)];
	expect([a.width, a.height]).toEqual([960, 640]);
	console.log(`laplacian energy: ai ${a.energy.toFixed(1)}, lanczos ${l.energy.toFixed(1)}`);
	expect(a.energy).toBeGreaterThan(1.1 * l.energy);
	// Same picture, same colours: the means agree within a level.
	const [pa, pl] = [await inspect(page, ai.image_url), await inspect(page, lz.image_url)];
	for (let k = 0; k < 3; k++) expect(Math.abs(pa.mean[k] - pl.mean[k])).toBeLessThan(1.5);
	expect(pa.head).toMatch(SIGNATURE.png);
});

test("non-integer factor and a cover crop: exact size; a JPEG answer is fine too", async ({ page }) => {
	const small = await smallPhoto(page);
	const r = await call(page, 'image.resize', { image: { url: small }, width: 777, height: 555, enlarge: true, kernel: 'ai' });
	expect(r).toMatchObject({ mime: 'image/png', width: 777, height: 555, model: 'rdn-x3' });
	// ×3.125 in image.process: one ×4 pass, then Lanczos down.
	const p = await call(page, 'image.process', { image: { url: small }, ops: [{ op: 'resize', params: { width: 1500, enlarge: true, kernel: 'ai' } }], format: 'jpeg' });
	expect(p).toMatchObject({ mime: 'image/jpeg', width: 1500, height: 1000, model: 'rdn-x4' });
});

test("shrinking with kernel 'ai' is lanczos3: same pixels, no model", async ({ page }) => {
	const ai = await call(page, 'image.resize', { image: S1, width: 300, kernel: 'ai', format: 'png' });
	const lz = await call(page, 'image.resize', { image: S1, width: 300, kernel: 'lanczos3', format: 'png' });
	expect(ai).toMatchObject({ width: 300, height: 200 });
	expect(ai.model).toBeUndefined();
	expect(ai.bytes).toBe(lz.bytes);
	const same = await page.evaluate(async ([a, b]) => {
		const [x, y]: Uint8Array[] = await Promise.all([a, b].map((u) => (window as any).darkroom.fetchBytes(u)));
		return x.length === y.length && x.every((v, i) => v === y[i]);
	}, [ai.image_url, lz.image_url]);
	expect(same).toBe(true);
});

test('an AI enlarge over the pixel limit is refused before any work, with a clear message', async ({ page }) => {
	const small = await smallPhoto(page);
	await page.evaluate(() => (window as any).darkroom.configure({ maxPixels: 1_000_000 }));
	// 1000×667 (0.67 MP) fits, but rdn-x3 makes 1440×960 (1.4 MP) on the way.
	const e = await callError(page, 'image.resize', { image: { url: small }, width: 1000, enlarge: true, kernel: 'ai' });
	expect(e).toMatchObject({ name: 'DarkroomError', code: 'too_large', status: 413, param: 'kernel' });
	expect(e.message).toBe(
		"AI enlarge (kernel 'ai') of the 480×320 image runs rdn-x3 to 1440×960 (1.4 megapixels) before the final resize; the limit is 1 megapixels and 65535 px per side. Ask for a smaller size or use kernel 'lanczos3'"
	);
	// The same size with lanczos is fine.
	expect(await call(page, 'image.resize', { image: { url: small }, width: 1000, enlarge: true })).toMatchObject({ width: 1000, height: 667 });
	const bad = await callError(page, 'image.resize', { image: { url: small }, width: 1000, kernel: 'magic' });
	expect(bad).toMatchObject({ code: 'invalid_parameter', status: 400, param: 'kernel' });
	expect(bad.message).toContain('nearest, ai)');
});
