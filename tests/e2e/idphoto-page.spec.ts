import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { b64, call, openApp, sample } from './helpers';

/** Wraps the idphoto calls the page makes so the test can count them. */
async function countCalls(page: Page) {
	await page.evaluate(() => {
		const w = window as any;
		w.__idpCalls = { idphoto: 0, add_background: 0, generate_layout_photos: 0 };
		for (const name of ['idphoto', 'add_background', 'generate_layout_photos']) {
			const ns = w.darkroom.idphoto;
			const orig = ns[name].bind(ns);
			ns[name] = (req: unknown) => {
				w.__idpCalls[name]++;
				return orig(req);
			};
		}
	});
}
const calls = (page: Page) => page.evaluate(() => ({ ...(window as any).__idpCalls }) as { idphoto: number; add_background: number; generate_layout_photos: number });

/** One person from a real group photo (the woman on the left of sample6), as JPEG bytes. */
async function portrait(page: Page): Promise<Buffer> {
	const person = await call(page, 'image.crop', { image: { base64: b64(sample(6)) }, x: 0, y: 260, width: 590, height: 1200, format: 'jpeg' });
	const bytes = await page.evaluate(async (url) => Array.from((await (window as any).darkroom.fetchBytes(url)) as Uint8Array), person.image_url);
	return Buffer.from(bytes);
}

test('ID photo page: make a 1-inch photo, switch backgrounds without recomputing, download a JPEG', async ({ page }) => {
	test.setTimeout(300_000);
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await openApp(page, '/idphoto');
	await expect(page.getByTestId('nav-idphoto')).toHaveText(/ID photo/);
	await countCalls(page);

	await page.getByTestId('idphoto-file-input').setInputFiles({ name: 'person.jpg', mimeType: 'image/jpeg', buffer: await portrait(page) });
	await expect(page.getByTestId('idphoto-source')).toBeVisible();
	await page.getByTestId('idphoto-preset').selectOption('cn-1inch');
	await expect(page.getByTestId('idphoto-preset-info')).toContainText('295×413');
	await expect(page.getByTestId('idphoto-preset-info')).toContainText('25×35');

	// The first make downloads the matting model with byte progress (held back a moment so the bar can be seen).
	await page.route('**/models/isnet-small.onnx', async (route) => {
		await new Promise((r) => setTimeout(r, 1500));
		await route.continue();
	});
	await page.getByTestId('idphoto-make').click();
	await expect(page.getByTestId('idphoto-progress')).toBeVisible();
	await expect(page.getByTestId('model-progress')).toBeVisible();
	await expect(page.getByTestId('model-progress')).toContainText('isnet-small');
	await expect(page.getByTestId('model-progress-bytes')).toContainText(/MB/);
	await expect(page.getByTestId('idphoto-progress')).toContainText('Preparing the portrait model');
	const img = page.getByTestId('idphoto-result');
	await expect(img).toBeVisible({ timeout: 240_000 });
	await expect(page.getByTestId('idphoto-progress')).toHaveCount(0);
	await expect(page.getByTestId('idphoto-error')).toHaveCount(0);
	await expect.poll(() => img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight])).toEqual([295, 413]);
	expect(await calls(page)).toEqual({ idphoto: 1, add_background: 0, generate_layout_photos: 0 });
	await expect(page.getByTestId('sheet-count')).toContainText('11');

	// Background colour and style are CSS over the transparent PNG: instant, no API call.
	const bg = () => img.evaluate((el) => getComputedStyle(el).backgroundColor);
	const before = await bg();
	await page.getByTestId('bg-swatch-1').click();
	await expect.poll(bg).toBe('rgb(67, 142, 219)');
	expect(before).not.toBe(await bg());
	await page.getByTestId('bg-render-1').click();
	expect(await img.evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/linear-gradient/);
	await page.getByTestId('bg-render-2').click();
	expect(await img.evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/radial-gradient/);
	await page.getByTestId('bg-render-0').click();
	await page.getByTestId('bg-swatch-2').focus();
	await page.keyboard.press('Enter');
	await expect.poll(bg).toBe('rgb(215, 69, 50)');
	await page.getByTestId('bg-swatch-1').click();
	expect(await calls(page)).toEqual({ idphoto: 1, add_background: 0, generate_layout_photos: 0 });

	// Download the standard photo: a JPEG of exactly 295×413 (blue background).
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-standard').click()]);
	expect(download.suggestedFilename()).toMatch(/^cn-1inch-295x413-438edb\.jpg$/);
	const bytes = readFileSync((await download.path())!);
	expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
	const decoded = await page.evaluate(async (b) => {
		const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b), (c) => c.charCodeAt(0))]));
		const c = new OffscreenCanvas(bmp.width, bmp.height);
		c.getContext('2d')!.drawImage(bmp, 0, 0);
		return { w: bmp.width, h: bmp.height, corner: Array.from(c.getContext('2d')!.getImageData(3, 3, 1, 1).data) };
	}, bytes.toString('base64'));
	expect([decoded.w, decoded.h]).toEqual([295, 413]);
	expect(Math.abs(decoded.corner[0] - 0x43) + Math.abs(decoded.corner[1] - 0x8e) + Math.abs(decoded.corner[2] - 0xdb)).toBeLessThan(20);
	expect(await calls(page)).toEqual({ idphoto: 1, add_background: 1, generate_layout_photos: 0 });

	// Exact KB, and the transparent PNG straight from the result (no call).
	await page.getByTestId('idphoto-kb').fill('30');
	const [sized] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-standard').click()]);
	expect(sized.suggestedFilename()).toBe('cn-1inch-295x413-438edb-30kb.jpg');
	expect(readFileSync((await sized.path())!).length).toBe(30 * 1024);
	const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-png').click()]);
	expect(png.suggestedFilename()).toBe('cn-1inch-295x413-transparent.png');
	expect(readFileSync((await png.path())!).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
	expect(await calls(page)).toEqual({ idphoto: 1, add_background: 2, generate_layout_photos: 0 });

	// The print sheet reuses the blue background version already made.
	const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-sheet').click()]);
	expect(sheet.suggestedFilename()).toBe('cn-1inch-295x413-438edb-6inch-sheet.jpg');
	expect(await calls(page)).toEqual({ idphoto: 1, add_background: 2, generate_layout_photos: 1 });
	await expect(page.getByTestId('sheet-count')).toContainText('11');

	// Adjust: the sliders re-apply to the cached transparent photo (no new idphoto call), the preview
	// changes, downloads carry it, and reset brings back the very same image.
	const src0 = await img.getAttribute('src');
	const faceLuma = () =>
		img.evaluate(async (el: HTMLImageElement) => {
			const bmp = await createImageBitmap(await (await fetch(el.src)).blob(), { premultiplyAlpha: 'none' });
			const c = new OffscreenCanvas(bmp.width, bmp.height);
			c.getContext('2d')!.drawImage(bmp, 0, 0);
			const d = c.getContext('2d')!.getImageData(Math.round(bmp.width * 0.35), Math.round(bmp.height * 0.3), Math.round(bmp.width * 0.3), Math.round(bmp.height * 0.3)).data;
			let s = 0,
				n = 0;
			for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 250) (s += 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]), n++;
			return s / n;
		});
	const luma0 = await faceLuma();
	await expect(page.getByTestId('idphoto-adjust')).toContainText('Brightness');
	await expect(page.getByTestId('adjust-reset')).toBeDisabled();
	await page.getByTestId('adjust-brightness_strength').fill('20');
	await expect(page.getByTestId('adjust-value-brightness_strength')).toHaveText('+20');
	await expect(img).toHaveAttribute('data-adjust-state', 'done');
	expect(await img.getAttribute('src')).not.toBe(src0);
	expect(await faceLuma()).toBeGreaterThan(luma0 + 10);
	await page.getByTestId('adjust-sharpen_strength').fill('3');
	await page.getByTestId('adjust-whitening_strength').fill('6');
	await expect(img).toHaveAttribute('data-adjust-state', 'done');
	const srcAdjusted = await img.getAttribute('src');
	expect((await calls(page)).idphoto).toBe(1);
	const [adjustedPng] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-png').click()]);
	const pngBytes = readFileSync((await adjustedPng.path())!);
	expect(pngBytes.toString('base64')).toBe(srcAdjusted!.slice(srcAdjusted!.indexOf(',') + 1));
	// One slider back to 0, then all of them.
	await page.getByTestId('adjust-reset-brightness_strength').click();
	await expect(page.getByTestId('adjust-value-brightness_strength')).toHaveText('0');
	await expect(img).toHaveAttribute('data-adjust-state', 'done');
	expect(await img.getAttribute('src')).not.toBe(srcAdjusted);
	await page.getByTestId('adjust-reset').click();
	await expect(img).toHaveAttribute('data-adjust-state', 'none');
	expect(await img.getAttribute('src')).toBe(src0);
	expect(await faceLuma()).toBeCloseTo(luma0, 5);
	expect((await calls(page)).idphoto).toBe(1);
	expect(errors).toEqual([]);
});

test('ID photo page: a group photo is refused with the number of faces; custom sizes are validated; Chinese UI', async ({ page }) => {
	test.setTimeout(180_000);
	await openApp(page, '/idphoto');
	await page.getByTestId('idphoto-make').click();
	await expect(page.getByTestId('idphoto-error')).toContainText('Choose or take a photo first');

	await page.getByTestId('idphoto-file-input').setInputFiles({ name: 'group.jpg', mimeType: 'image/jpeg', buffer: sample(1) });
	await page.getByTestId('idphoto-make').click();
	await expect(page.getByTestId('idphoto-error')).toContainText(/3 faces/, { timeout: 120_000 });
	await expect(page.getByTestId('idphoto-result')).toHaveCount(0);

	// Custom size: mm + dpi gives px; bad values say what is wrong and disable Make.
	await page.getByTestId('idphoto-preset').selectOption('custom');
	await page.getByTestId('idphoto-unit').selectOption('mm');
	await page.getByTestId('idphoto-custom-width').fill('35');
	await page.getByTestId('idphoto-custom-height').fill('45');
	await expect(page.getByTestId('idphoto-preset-info')).toContainText('413×531');
	await page.getByTestId('idphoto-custom-width').fill('-3');
	await expect(page.getByTestId('idphoto-custom')).toContainText('greater than 0');
	await expect(page.getByTestId('idphoto-make')).toBeDisabled();
	await page.getByTestId('idphoto-unit').selectOption('px');
	await page.getByTestId('idphoto-custom-width').fill('12.5');
	await expect(page.getByTestId('idphoto-custom')).toContainText('whole number');
	await page.getByTestId('idphoto-custom-width').fill('295');
	await page.getByTestId('idphoto-custom-height').fill('413');
	await expect(page.getByTestId('idphoto-make')).toBeEnabled();

	// Chinese.
	await page.getByTestId('lang-switch').selectOption('zh');
	await expect(page.getByTestId('nav-idphoto')).toHaveText('证件照');
	await expect(page.locator('h1')).toHaveText('证件照');
	await expect(page.getByTestId('idphoto-make')).toHaveText('制作证件照');
	await expect(page.getByTestId('idphoto-error')).toContainText('3 张人脸');
	await page.getByTestId('idphoto-preset').selectOption('cn-2inch');
	await expect(page.getByTestId('idphoto-preset')).toContainText('二寸');
	await expect(page.getByTestId('idphoto-preset-info')).toContainText('413×579 像素');
	await page.getByTestId('lang-switch').selectOption('en');
});
