/**
 * The user's own ONNX inpainting network (issue 5), end to end in Chromium: added through the
 * settings page (file input) or the API (URL + SHA-256), stored in OPFS, test-run in a worker,
 * and used by repair.image_repair / watermark_removal.remove on a real photo. The networks are
 * tiny models built here with MI-GAN's and LaMa's signatures that paint every hole pixel one
 * constant colour — so a hole of exactly that colour proves the network ran, and nothing else
 * may change.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { b64, call, callError, openApp, sample } from './helpers';
import { tinyClassifier, tinyLama, tinyMigan, type RGB } from '../fixtures/inpaint-models';

test.setTimeout(300_000);

const MIGAN_COLOUR: RGB = [12, 200, 34];
const LAMA_COLOUR: RGB = [200, 30, 220];
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const PHOTO = () => ({ base64: b64(sample(1)) }); // 1920×1280

/** Rectangles and a triangle, in sample1's pixels: two holes far apart and one near the edge. */
const POLYS = [
	[[700, 900], [860, 900], [860, 948], [700, 948]],
	[[1500, 200], [1620, 200], [1560, 300]],
	[[0, 1240], [90, 1240], [90, 1280], [0, 1280]]
];

function fileFor(name: string, bytes: Uint8Array): string {
	const path = test.info().outputPath(name);
	writeFileSync(path, bytes);
	return path;
}

/**
 * Compares a result with the original photo (both decoded by the app, PNG): pixels that differ,
 * how many of those are exactly `colour`, and how many differ outside `box`.
 */
async function audit(page: Page, original: string, result: string, colour: RGB, box: { x: number; y: number; width: number; height: number }, tol = 0) {
	return page.evaluate(
		async ({ original, result, colour, box, tol }) => {
			const load = async (url: string) => {
				const bmp = await createImageBitmap(new Blob([await (window as any).darkroom.fetchBytes(url)]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
				const c = new OffscreenCanvas(bmp.width, bmp.height);
				c.getContext('2d')!.drawImage(bmp, 0, 0);
				return c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height);
			};
			const A = await load(original);
			const B = await load(result);
			let changed = 0, asColour = 0, outsideBox = 0;
			for (let y = 0; y < A.height; y++)
				for (let x = 0; x < A.width; x++) {
					const i = (y * A.width + x) * 4;
					if (A.data[i] === B.data[i] && A.data[i + 1] === B.data[i + 1] && A.data[i + 2] === B.data[i + 2] && A.data[i + 3] === B.data[i + 3]) continue;
					changed++;
					if (Math.abs(B.data[i] - colour[0]) <= tol && Math.abs(B.data[i + 1] - colour[1]) <= tol && Math.abs(B.data[i + 2] - colour[2]) <= tol) asColour++;
					if (x < box.x || y < box.y || x >= box.x + box.width || y >= box.y + box.height) outsideBox++;
				}
			return { changed, asColour, outsideBox, size: [B.width, B.height] };
		},
		{ original, result, colour, box, tol }
	);
}

/** Adds a network through the API with bytes built here. */
async function addBytes(page: Page, bytes: Uint8Array, extra: Record<string, unknown> = {}) {
	return page.evaluate(async ({ bytes, extra }) => (window as any).darkroom.models.add_inpainter({ file: new Uint8Array(bytes), ...extra }), { bytes: Array.from(bytes), extra });
}

test('a MI-GAN network added on the settings page fills the holes of image_repair and watermark_removal; on/off and Remove work', async ({ page }) => {
	const model = tinyMigan(MIGAN_COLOUR);
	await openApp(page, '/settings');
	await expect(page.getByTestId('inpainter-none')).toBeVisible();

	await page.getByTestId('inpainter-file').setInputFiles(fileFor('tiny-migan.onnx', model));
	await expect(page.getByTestId('inpainter-file-hash')).toHaveText(sha(model));
	await page.getByTestId('inpainter-file-sha').fill(sha(model).toUpperCase()); // checked when given; case does not matter
	await page.getByTestId('inpainter-add-file').click();
	const installed = page.getByTestId('inpainter-installed');
	await expect(installed).toBeVisible();
	await expect(page.getByTestId('inpainter-name')).toHaveText('tiny-migan.onnx');
	await expect(page.getByTestId('inpainter-kind')).toHaveText('MI-GAN pipeline v2 (any size)');
	await expect(page.getByTestId('inpainter-hash')).toHaveText(sha(model));
	await expect(page.getByTestId('inpainter-size')).toHaveAttribute('data-bytes', `${model.length}`);
	await expect(page.getByTestId('inpainter-size')).toHaveText(`${model.length} B`);
	await expect(installed).toHaveAttribute('data-enabled', 'true');
	await expect(page.getByTestId('inpainter-message')).toContainText('Added tiny-migan.onnx');

	// It is in OPFS (a reload still lists it) and reported by the API.
	await page.reload();
	await expect(page.getByTestId('inpainter-name')).toHaveText('tiny-migan.onnx');
	await page.waitForFunction(() => typeof (window as any).darkroom?.models?.inpainter === 'function');
	expect(await page.evaluate(() => (window as any).darkroom.models.inpainter())).toMatchObject({ installed: true, enabled: true, kind: 'migan', bytes: model.length, sha256: sha(model), source: 'file', output_scale: 255 });

	const original = (await call(page, 'image.convert', { image: PHOTO(), format: 'png' })).image_url;
	const net = await call(page, 'repair.image_repair', { image: PHOTO(), MaskPoly: POLYS, engine: 'network', format: 'png', dilate: 0 });
	expect(net).toMatchObject({ model: 'migan:tiny-migan.onnx', engine: 'network', width: 1920, height: 1280, mime: 'image/png' });
	const a = await audit(page, original, net.image_url, MIGAN_COLOUR, net.mask_box);
	// Every repainted pixel has the network's colour (a photo pixel that already had it would not count as changed), nothing outside the mask changed.
	expect(a.outsideBox).toBe(0);
	expect(a.asColour).toBe(a.changed);
	expect(a.changed).toBeGreaterThan(net.mask_pixels * 0.99);
	expect(a.changed).toBeLessThanOrEqual(net.mask_pixels);

	// 'auto' (the default) takes the enabled network; with "Use for repairs" off it takes PatchMatch.
	const auto = await call(page, 'repair.image_repair', { image: PHOTO(), MaskPoly: POLYS[0], format: 'png' });
	expect(auto.model).toBe('migan:tiny-migan.onnx');
	await page.getByTestId('inpainter-use').uncheck();
	await expect(installed).toHaveAttribute('data-enabled', 'false');
	const off = await call(page, 'repair.image_repair', { image: PHOTO(), MaskPoly: POLYS[0], format: 'png' });
	expect(off).toMatchObject({ model: 'patchmatch', engine: 'patchmatch' });
	const pm = await audit(page, original, off.image_url, MIGAN_COLOUR, off.mask_box);
	console.log(`fill time on 1920×1280: tiny MI-GAN, 3 holes (3 crops) ${net.ms} ms; one 160×48 hole: network ${auto.ms} ms, PatchMatch ${off.ms} ms`);
	expect(pm.outsideBox).toBe(0);
	expect(pm.asColour).toBeLessThan(pm.changed * 0.01);
	// An explicit engine 'network' still runs the installed network.
	expect((await call(page, 'repair.image_repair', { image: PHOTO(), MaskPoly: POLYS[0], format: 'png', engine: 'network' })).model).toBe('migan:tiny-migan.onnx');
	await page.getByTestId('inpainter-use').check();
	await expect(installed).toHaveAttribute('data-enabled', 'true');

	// watermark_removal.remove with rectangles: the same network fills them.
	const png = await page.evaluate(async (u) => Array.from(await (window as any).darkroom.fetchBytes(u)), original);
	const wm = await call(page, 'watermark_removal.remove', { image: { base64: b64(Uint8Array.from(png as number[])) }, rectangles: [{ x: 100, y: 100, w: 200, h: 40 }], engine: 'network' });
	expect(wm.data.processStatus).toBe(0);
	const w = await audit(page, original, wm.data.url, MIGAN_COLOUR, { x: 100, y: 100, width: 200, height: 40 });
	expect(w.outsideBox).toBe(0);
	expect(w.asColour).toBe(w.changed);
	expect(w.changed).toBeGreaterThan(200 * 40 * 0.99);

	// Remove: gone from the page and from storage; engine 'network' is now an error, 'auto' is PatchMatch.
	await page.getByTestId('inpainter-remove').click();
	await expect(page.getByTestId('inpainter-none')).toBeVisible();
	await expect(page.getByTestId('inpainter-message')).toHaveText('The network was removed: repairs use PatchMatch.');
	expect(await page.evaluate(() => (window as any).darkroom.models.inpainter())).toEqual({ installed: false, enabled: false });
	const files = await page.evaluate(async () => {
		const root = await navigator.storage.getDirectory();
		const names: string[] = [];
		for await (const k of (root as any).keys()) names.push(k);
		return names;
	});
	expect(files).not.toContain('record.json');
	const e = await callError(page, 'repair.image_repair', { image: PHOTO(), MaskPoly: POLYS[0], engine: 'network' });
	expect(e).toMatchObject({ code: 'unprocessable', status: 422, param: 'engine' });
	expect(e.message).toMatch(/^engine is network but no inpainting network is installed: add one on the Models page or with darkroom\.models\.add_inpainter/);
	expect((await call(page, 'repair.image_repair', { image: PHOTO(), MaskPoly: POLYS[0], format: 'png' })).model).toBe('patchmatch');
});

test('a model of the wrong signature, a non-ONNX file and a wrong SHA-256 are refused with clear messages (English and Chinese)', async ({ page }) => {
	await openApp(page, '/settings');
	await page.getByTestId('inpainter-file').setInputFiles(fileFor('classifier.onnx', tinyClassifier()));
	await page.getByTestId('inpainter-add-file').click();
	await expect(page.getByTestId('inpainter-error-text')).toHaveText(
		'This ONNX model is not an inpainting network Darkroom can run. Expected MI-GAN pipeline v2 (image uint8 [1,3,H,W] and mask uint8 [1,1,H,W]) or LaMa (image float32 [1,3,512,512] and mask float32 [1,1,512,512]); this model has inputs x float32 [1,3,224,224]; outputs y float32 [1,3,224,224].'
	);
	await expect(page.getByTestId('inpainter-none')).toBeVisible();

	// Hash mismatch typed on the page.
	const model = tinyMigan();
	await page.getByTestId('inpainter-file').setInputFiles(fileFor('tiny-migan.onnx', model));
	await page.getByTestId('inpainter-file-sha').fill('0'.repeat(64));
	await page.getByTestId('inpainter-add-file').click();
	await expect(page.getByTestId('inpainter-error-text')).toHaveText(`The SHA-256 does not match: expected ${'0'.repeat(64)}, but the file hashes to ${sha(model)}.`);
	await expect(page.getByTestId('inpainter-none')).toBeVisible();

	// The same refusals through the API, with codes and parameters.
	const classifier = await page.evaluate(async (b) => {
		try {
			await (window as any).darkroom.models.add_inpainter({ file: new Uint8Array(b) });
		} catch (e: any) {
			return { code: e.code, status: e.status, param: e.param, message: e.message };
		}
	}, Array.from(tinyClassifier()));
	expect(classifier).toMatchObject({ code: 'unprocessable', status: 422, param: 'file' });
	expect(classifier!.message).toMatch(/^Expected an inpainting network with inputs image uint8 \[1,3,H,W\] and mask uint8 \[1,1,H,W\] \(MI-GAN pipeline v2, output uint8 \[1,3,H,W\]\) or image float32 \[1,3,512,512\] and mask float32 \[1,1,512,512\] \(LaMa, output \[1,3,512,512\]\) but the model has inputs x float32 \[1,3,224,224\]/);
	const jpeg = await callError(page, 'models.add_inpainter', { file: { __bytes: true } });
	expect(jpeg).toMatchObject({ code: 'invalid_parameter', param: 'file' });
	const notOnnx = await page.evaluate(async (b) => {
		try {
			await (window as any).darkroom.models.add_inpainter({ file: new Blob([new Uint8Array(b)]) });
		} catch (e: any) {
			return { code: e.code, status: e.status, param: e.param, message: e.message };
		}
	}, Array.from(sample(2).subarray(0, 4096)));
	expect(notOnnx).toMatchObject({ code: 'unsupported_format', status: 415, param: 'file' });
	expect(notOnnx!.message).toMatch(/^Expected an ONNX model for file but ONNX Runtime could not load it: /);
	const mismatch = await callError(page, 'models.add_inpainter', { file: { base64: 'x' }, sha256: 'abc' });
	expect(mismatch).toMatchObject({ code: 'invalid_parameter', param: 'sha256' });
	expect(mismatch.message).toBe('Expected 64 hexadecimal digits (a SHA-256) for sha256 but received "abc" of type string');
	expect(await page.evaluate(() => (window as any).darkroom.models.inpainter())).toEqual({ installed: false, enabled: false });

	// In Chinese.
	await page.evaluate(() => localStorage.setItem('darkroom.lang', 'zh'));
	await page.reload();
	// Shown once the panel has mounted (hydrated): only then does the file input have its handler.
	await expect(page.getByTestId('inpainter-none')).toHaveText('尚未添加网络：修复使用内置的 PatchMatch 填补。');
	await page.getByTestId('inpainter-file').setInputFiles(fileFor('classifier.onnx', tinyClassifier()));
	await page.getByTestId('inpainter-add-file').click();
	await expect(page.getByTestId('inpainter-error-text')).toContainText('这个 ONNX 模型不是 Darkroom 能运行的修复网络');
	await expect(page.getByTestId('inpainter-error-text')).toContainText('inputs x float32 [1,3,224,224]');
});

test('a LaMa network from a URL (checked against its SHA-256) runs at 512² with its 0..255 output; URL errors are clear', async ({ page }) => {
	const lama = tinyLama(LAMA_COLOUR, 255);
	await page.route('**/user-models/**', (route) => {
		if (route.request().url().endsWith('/tiny-lama.onnx')) return route.fulfill({ status: 200, body: Buffer.from(lama), contentType: 'application/octet-stream' });
		return route.fulfill({ status: 404, body: 'not here' });
	});
	await openApp(page, '/settings');
	const url = new URL('/user-models/tiny-lama.onnx', page.url()).href;

	const noSha = await callError(page, 'models.add_inpainter', { url });
	expect(noSha).toMatchObject({ code: 'invalid_parameter', status: 400, param: 'sha256' });
	expect(noSha.message).toMatch(/^Missing required parameter sha256 for models\.add_inpainter with a url/);
	const wrong = await callError(page, 'models.add_inpainter', { url, sha256: 'f'.repeat(64) });
	expect(wrong).toMatchObject({ code: 'invalid_parameter', param: 'sha256' });
	expect(wrong.message).toBe(`SHA-256 mismatch for url: expected ${'f'.repeat(64)} but the bytes hash to ${sha(lama)}`);
	const missing = await callError(page, 'models.add_inpainter', { url: url.replace('tiny-lama', 'gone'), sha256: sha(lama) });
	expect(missing).toMatchObject({ code: 'unprocessable', status: 422, param: 'url' });
	expect(missing.message).toMatch(/^Could not fetch url .*\/user-models\/gone\.onnx: HTTP 404/);
	const unreachable = await callError(page, 'models.add_inpainter', { url: 'http://127.0.0.1:9/x.onnx', sha256: sha(lama) });
	expect(unreachable).toMatchObject({ code: 'unprocessable', param: 'url' });
	expect(unreachable.message).toMatch(/^Could not fetch url http:\/\/127\.0\.0\.1:9\/x\.onnx: .*\(offline, blocked by CORS, or not a valid address\)$/);

	// Through the page's URL form.
	await page.getByTestId('inpainter-url').fill(url);
	await page.getByTestId('inpainter-url-sha').fill(sha(lama));
	await page.getByTestId('inpainter-add-url').click();
	await expect(page.getByTestId('inpainter-kind')).toHaveText('LaMa (512 × 512)');
	await expect(page.getByTestId('inpainter-name')).toHaveText('tiny-lama.onnx');
	expect(await page.evaluate(() => (window as any).darkroom.models.inpainter())).toMatchObject({ kind: 'lama', output_scale: 255, source: url, sha256: sha(lama) });

	const original = (await call(page, 'image.convert', { image: PHOTO(), format: 'png' })).image_url;
	const r = await call(page, 'repair.image_repair', { image: PHOTO(), MaskPoly: POLYS[0], format: 'png', dilate: 0 });
	expect(r).toMatchObject({ model: 'lama:tiny-lama.onnx', engine: 'network' });
	// Resized to 512² and back: the hole's interior is the colour (±1), its rim may blend; nothing outside changes.
	const a = await audit(page, original, r.image_url, LAMA_COLOUR, r.mask_box, 255);
	expect(a.outsideBox).toBe(0);
	const interior = { x: r.mask_box.x + 4, y: r.mask_box.y + 4, width: r.mask_box.width - 8, height: r.mask_box.height - 8 };
	const inner = await page.evaluate(
		async ({ u, box, colour }) => {
			const bmp = await createImageBitmap(new Blob([await (window as any).darkroom.fetchBytes(u)]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
			const c = new OffscreenCanvas(bmp.width, bmp.height);
			c.getContext('2d')!.drawImage(bmp, 0, 0);
			const d = c.getContext('2d')!.getImageData(box.x, box.y, box.width, box.height).data;
			let worst = 0;
			for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(d[i + k] - colour[k]));
			return worst;
		},
		{ u: r.image_url, box: interior, colour: LAMA_COLOUR }
	);
	expect(inner).toBeLessThanOrEqual(1);
	await page.evaluate(() => (window as any).darkroom.models.remove_inpainter());
});

test('engine is validated before any work, on both calls', async ({ page }) => {
	await openApp(page);
	const bad = await callError(page, 'repair.image_repair', { image: PHOTO(), MaskPoly: POLYS[0], engine: 'lama' });
	expect(bad).toMatchObject({ code: 'invalid_parameter', status: 400, param: 'engine' });
	expect(bad.message).toBe('Expected one of auto, patchmatch, network for engine but received "lama" of type string');
	const wm = await callError(page, 'watermark_removal.remove', { image: PHOTO(), rectangles: [{ x: 1, y: 1, w: 5, h: 5 }], engine: 'network' });
	expect(wm).toMatchObject({ status: 422, param: 'engine' });
	expect(await page.evaluate(() => (window as any).darkroom.models.inpainter())).toEqual({ installed: false, enabled: false });
	const pm = await call(page, 'repair.image_repair', { image: PHOTO(), MaskPoly: POLYS[0], engine: 'patchmatch' });
	expect(pm).toMatchObject({ model: 'patchmatch', engine: 'patchmatch' });
});
