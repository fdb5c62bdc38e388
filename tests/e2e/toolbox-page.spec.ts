import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SAMPLES } from './helpers';

const PHOTO = `${SAMPLES}/sample1.jpg`; // 1920×1280, Sony EXIF

/** Uncaught errors and console errors fail the test: a page that throws is broken even if it looks fine. */
function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(`console: ${m.text()}`);
	});
	return errors;
}

async function openToolbox(page: Page): Promise<void> {
	await page.goto('/');
	await page.waitForFunction(() => typeof (window as any).darkroom?.image?.process === 'function');
}

async function openPhoto(page: Page, files: string[] = [PHOTO]): Promise<void> {
	await page.getByTestId('file-input').setInputFiles(files);
	await expect(page.getByTestId('meta-dimensions')).toContainText(/1920\s*×\s*1280/);
}

test('toolbox: open a photo, build resize + watermark, convert to WebP, download', async ({ page }) => {
	const errors = watchErrors(page);
	await openToolbox(page);
	await expect(page.getByTestId('empty-state')).toBeVisible();
	await openPhoto(page);
	await expect(page.getByTestId('meta-camera')).toContainText(/SONY/i);

	await page.getByTestId('add-step').click();
	await page.getByTestId('add-step-resize').click();
	await page.getByTestId('resize-width').fill('800');
	await page.getByTestId('add-step').click();
	await page.getByTestId('add-step-watermark').click();
	await page.getByTestId('watermark-text').fill('© Darkroom 暗房');
	await page.getByTestId('format').selectOption('webp');
	await page.getByTestId('run').click();

	await expect(page.getByTestId('result-info')).toContainText(/800\s*×\s*533/);
	const natural = await page.getByTestId('result-image').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
	expect(natural).toEqual([800, 533]);

	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
	expect(download.suggestedFilename()).toMatch(/\.webp$/);
	const bytes = readFileSync((await download.path())!);
	expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
	expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
	expect(errors).toEqual([]);
});

test('toolbox: steps reorder and remove; a bad field is caught before running', async ({ page }) => {
	await openToolbox(page);
	await openPhoto(page);
	for (const kind of ['resize', 'rotate', 'flip']) {
		await page.getByTestId('add-step').click();
		await page.getByTestId(`add-step-${kind}`).click();
	}
	const order = () => page.locator('[data-testid^="step-"][data-op]').evaluateAll((els) => els.map((e) => e.getAttribute('data-op')));
	expect(await order()).toEqual(['resize', 'rotate', 'flip']);
	await page.getByTestId('step-2').getByTestId('step-up').click();
	expect(await order()).toEqual(['resize', 'flip', 'rotate']);
	await page.getByTestId('step-0').getByTestId('step-down').click();
	expect(await order()).toEqual(['flip', 'resize', 'rotate']);
	await page.getByTestId('step-2').getByTestId('step-remove').click();
	expect(await order()).toEqual(['flip', 'resize']);

	await page.getByTestId('resize-width').fill('-5');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('resize-width-error')).toBeVisible();
	await expect(page.getByTestId('result-image')).toHaveCount(0);
});

test('toolbox: an error found while running (crop outside the image) is shown, and the page stays usable', async ({ page }) => {
	await openToolbox(page);
	await openPhoto(page);
	await page.getByTestId('add-step').click();
	await page.getByTestId('add-step-crop').click();
	await page.getByTestId('crop-x').fill('1800');
	await page.getByTestId('crop-y').fill('0');
	await page.getByTestId('crop-width').fill('400');
	await page.getByTestId('crop-height').fill('100');
	await page.getByTestId('run').click();
	await expect(page.locator('[data-testid="step-api-error"], [data-testid="run-error"], [data-testid="crop-width-error"], [data-testid="crop-x-error"]').first()).toContainText(/outside/i);
	await page.getByTestId('crop-x').fill('100');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('result-info')).toContainText(/400\s*×\s*100/);
});

test('toolbox: several files at once, run on all', async ({ page }) => {
	await openToolbox(page);
	await page.getByTestId('file-input').setInputFiles([PHOTO, `${SAMPLES}/sample2.jpg`]);
	await expect(page.getByTestId('thumb-1')).toBeVisible();
	await page.getByTestId('add-step').click();
	await page.getByTestId('add-step-resize').click();
	await page.getByTestId('resize-width').fill('200');
	await page.getByTestId('run-all').click();
	await expect(page.getByTestId('download-0')).toBeVisible();
	await expect(page.getByTestId('download-1')).toBeVisible();
	// Each file keeps its own aspect: 1920×1280 → 200×133, 1920×1367 → 200×142.
	for (const [i, size] of [[0, '200x133'], [1, '200x142']] as const) {
		const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`download-${i}`).click()]);
		expect(d.suggestedFilename()).toContain(size);
		expect(readFileSync((await d.path())!).subarray(0, 3).toString('hex')).toBe('ffd8ff');
	}
});

test('toolbox: paste and drop open images', async ({ page }) => {
	await openToolbox(page);
	const b64 = readFileSync(PHOTO).toString('base64');
	await page.evaluate(async (b64) => {
		const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], 'pasted.jpg', { type: 'image/jpeg' }));
		document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
	}, b64);
	await expect(page.getByTestId('thumb-0')).toBeVisible();
	await page.evaluate(async (b64) => {
		const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], 'dropped.jpg', { type: 'image/jpeg' }));
		const target = document.querySelector('main') ?? document.body;
		for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
	}, b64);
	await expect(page.getByTestId('thumb-1')).toBeVisible();
});

test('toolbox: keyboard — the compare slider moves with arrow keys, zoom buttons change the zoom', async ({ page }) => {
	await openToolbox(page);
	await openPhoto(page);
	await page.getByTestId('add-step').click();
	await page.getByTestId('add-step-flop').click();
	await page.getByTestId('run').focus();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('result-image')).toBeVisible();
	const slider = page.getByTestId('compare-slider');
	const before = await slider.getAttribute('aria-valuenow');
	await slider.focus();
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('ArrowRight');
	expect(Number(await slider.getAttribute('aria-valuenow'))).toBeGreaterThan(Number(before));
	const zoom = await page.getByTestId('zoom-level').textContent();
	await page.getByTestId('zoom-in').click();
	await expect(page.getByTestId('zoom-level')).not.toHaveText(zoom ?? '');
});

test('language switch: Chinese everywhere, kept across reloads', async ({ page }) => {
	await openToolbox(page);
	await page.getByTestId('lang-switch').selectOption('zh');
	await expect(page.locator('html')).toHaveAttribute('lang', /^zh/);
	await expect(page.getByTestId('empty-state')).toContainText('私密的图片工作室');
	await expect(page.getByTestId('nav-console')).toHaveText(/API 控制台/);
	await page.reload();
	await expect(page.getByTestId('empty-state')).toContainText('选择图片');
	await page.goto('/console');
	await expect(page.locator('html')).toHaveAttribute('lang', /^zh/);
	await expect(page.getByTestId('console-run')).toContainText('运行');
	await page.getByTestId('lang-switch').selectOption('en');
	await expect(page.getByTestId('console-run')).toContainText('Run');
});

test('API console: run a seed-shaped request with a file, see the response and image; errors show their status', async ({ page }) => {
	const errors = watchErrors(page);
	await page.goto('/console');
	await page.waitForFunction(() => typeof (window as any).darkroom?.image?.process === 'function');
	await page.getByTestId('console-method').selectOption('image.resize');
	await page.getByTestId('console-file').setInputFiles(PHOTO);
	await page.getByTestId('console-request').fill(JSON.stringify({ image: '$file', width: 320, format: 'png' }));
	await page.getByTestId('console-run').click();
	await expect(page.getByTestId('console-response')).toContainText('"width": 320');
	await expect(page.getByTestId('console-response')).toContainText('"height": 213');
	await expect(page.getByTestId('console-image')).toBeVisible();

	await page.getByTestId('console-request').fill(JSON.stringify({ image: '$file', width: -1 }));
	await page.getByTestId('console-run').click();
	await expect(page.getByTestId('console-status')).toContainText('400');
	await expect(page.getByTestId('console-response')).toContainText('Expected positive integer for width but received -1 of type number');

	await page.getByTestId('console-method').selectOption('image.ocr');
	await page.getByTestId('console-run').click();
	await expect(page.getByTestId('console-status')).toContainText('501');
	expect(errors.filter((e) => !/Failed to load resource|status of 4\d\d|status of 50\d/.test(e))).toEqual([]);
});

test('window.darkroom is on every page', async ({ page }) => {
	for (const path of ['/', '/console']) {
		await page.goto(path);
		await page.waitForFunction(() => typeof (window as any).darkroom?.image?.resize === 'function');
		expect(await page.evaluate(() => (window as any).darkroom.version)).toMatch(/^\d+\.\d+\.\d+$/);
	}
});
