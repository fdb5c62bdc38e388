import { readFileSync } from 'node:fs';
import { test, expect, type Download, type Page } from '@playwright/test';
import { b64, call, openApp, sample } from './helpers';

/** One person cut from a real group photo (sample6), as JPEG bytes: ISNet runs at 1024² whatever the size. */
async function person(page: Page, x: number, width: number): Promise<Buffer> {
	const r = await call(page, 'image.crop', { image: { base64: b64(sample(6)) }, x, y: 150, width, height: 1300, format: 'jpeg' });
	const bytes = await page.evaluate(async (url) => Array.from((await (window as any).darkroom.fetchBytes(url)) as Uint8Array), r.image_url);
	return Buffer.from(bytes);
}

/** Decodes downloaded bytes in the page and samples RGBA at fractional points (plus a grayscale check). */
async function decode(page: Page, bytes: Buffer, points: Record<string, [number, number]>) {
	return page.evaluate(
		async ({ b, points }) => {
			const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b), (c) => c.charCodeAt(0))]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
			const c = new OffscreenCanvas(bmp.width, bmp.height);
			const g = c.getContext('2d')!;
			g.drawImage(bmp, 0, 0);
			const d = g.getImageData(0, 0, bmp.width, bmp.height).data;
			let maxChroma = 0;
			for (let i = 0; i < d.length; i += 4) maxChroma = Math.max(maxChroma, Math.abs(d[i] - d[i + 1]), Math.abs(d[i + 1] - d[i + 2]));
			const at: Record<string, number[]> = {};
			for (const [k, [fx, fy]] of Object.entries(points)) {
				const i = (Math.round(fy * (bmp.height - 1)) * bmp.width + Math.round(fx * (bmp.width - 1))) * 4;
				at[k] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
			}
			return { width: bmp.width, height: bmp.height, maxChroma, at };
		},
		{ b: bytes.toString('base64'), points }
	);
}

const POINTS: Record<string, [number, number]> = { tl: [0.01, 0.01], tr: [0.99, 0.01], centre: [0.5, 0.5] };

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
	const [d] = await Promise.all([page.waitForEvent('download'), click()]);
	return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
}

test('background page: a queue of photos one at a time, a bad file fails on its own card, colour + JPEG, mask, cancel', async ({ page }) => {
	test.setTimeout(600_000);
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await openApp(page, '/background');
	await expect(page.getByTestId('nav-background')).toHaveText('Background');
	await expect(page.locator('h1')).toHaveText('Remove backgrounds');
	await expect(page.getByTestId('bg-empty')).toBeVisible();

	const a = await person(page, 0, 600);
	const b = await person(page, 600, 440);
	// Count the calls: the queue never runs two at once.
	await page.evaluate(() => {
		const w = window as any;
		w.__bg = { calls: 0, active: 0, maxActive: 0 };
		const ns = w.darkroom.image;
		const orig = ns.background_remove.bind(ns);
		ns.background_remove = async (req: unknown) => {
			w.__bg.calls++;
			w.__bg.maxActive = Math.max(w.__bg.maxActive, ++w.__bg.active);
			try {
				return await orig(req);
			} finally {
				w.__bg.active--;
			}
		};
	});

	// The first run downloads the model with byte progress (held back a moment so it can be seen).
	await page.route('**/models/isnet-small.onnx', async (route) => {
		await new Promise((r) => setTimeout(r, 1500));
		await route.continue();
	});
	await page.getByTestId('bg-file-input').setInputFiles([
		{ name: 'person-a.jpg', mimeType: 'image/jpeg', buffer: a },
		{ name: 'person-b.jpg', mimeType: 'image/jpeg', buffer: b }
	]);
	await expect(page.getByTestId('model-progress')).toBeVisible();
	await expect(page.getByTestId('model-progress')).toContainText('isnet-small');
	await expect(page.getByTestId('bg-card-1')).toHaveAttribute('data-status', 'waiting');
	await expect(page.getByTestId('bg-card-0')).toHaveAttribute('data-status', 'working', { timeout: 120_000 });
	await expect(page.getByTestId('bg-status-0')).toContainText(/Removing the background… \d+\.\d s/);

	// Add more while running: a file that is not an image joins the queue.
	await page.getByTestId('bg-add-more').click({ trial: true });
	await page.getByTestId('bg-file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('this is not a picture\n'.repeat(20)) });
	await expect(page.getByTestId('bg-card-2')).toHaveAttribute('data-status', 'waiting');
	await expect(page.getByTestId('bg-cancel')).toBeVisible();

	await expect(page.getByTestId('bg-card-0')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
	await expect(page.getByTestId('bg-card-1')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
	await expect(page.getByTestId('bg-card-2')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
	await expect(page.getByTestId('bg-error-2')).toContainText(/400|415/);
	await expect(page.getByTestId('bg-error-2')).not.toBeEmpty();
	await expect(page.getByTestId('bg-count')).toContainText('2 of 3 done');
	await expect(page.getByTestId('bg-count')).toContainText('1 failed');
	await expect(page.getByTestId('bg-info-0')).toContainText('600 × 1300');
	await expect(page.getByTestId('bg-info-0')).toContainText('PNG');
	await expect(page.getByTestId('bg-status-0')).toContainText(/Done in \d+\.\d s/);
	expect(await page.evaluate(() => (window as any).__bg)).toMatchObject({ calls: 3, maxActive: 1 });

	// The PNG: transparent corners, an opaque subject.
	const png = await downloaded(page, () => page.getByTestId('bg-download-0').click());
	expect(png.name).toBe('person-a-cutout.png');
	expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
	const p = await decode(page, png.bytes, POINTS);
	expect([p.width, p.height]).toEqual([600, 1300]);
	expect(p.at.tl[3]).toBeLessThan(10);
	expect(p.at.tr[3]).toBeLessThan(10);
	expect(p.at.centre[3]).toBeGreaterThan(245);

	// Toggle to the original and back.
	await page.getByTestId('bg-compare-0').click();
	await expect(page.getByTestId('bg-result-0')).toHaveCount(0);
	await page.getByTestId('bg-compare-0').click();
	await expect(page.getByTestId('bg-result-0')).toBeVisible();

	// Download all: one file per finished card.
	const names: string[] = [];
	page.on('download', (d) => names.push(d.suggestedFilename()));
	await page.getByTestId('bg-download-all').click();
	await expect.poll(() => names.length).toBe(2);
	expect(names.sort()).toEqual(['person-a-cutout.png', 'person-b-cutout.png']);

	// JPEG over transparency says it is flattened onto white; a colour background: results go stale.
	await page.getByTestId('bg-format').selectOption('jpeg');
	await expect(page.getByTestId('bg-jpeg-note')).toContainText('flattened onto white');
	await page.getByTestId('bg-mode-colour').check();
	await page.getByTestId('bg-swatch-2').click();
	await expect(page.getByTestId('bg-colour')).toHaveValue('#438edb');
	await expect(page.getByTestId('bg-jpeg-note')).toHaveCount(0);
	await expect(page.getByTestId('bg-stale')).toBeVisible();
	await expect(page.getByTestId('bg-status-0')).toContainText('old options');
	// The bad file leaves the queue before the run again.
	await page.getByTestId('bg-remove-2').click();
	await expect(page.getByTestId('bg-card-2')).toHaveCount(0);
	await expect(page.getByTestId('bg-run-again')).toHaveText(/Run again \(2\)/);
	await page.getByTestId('bg-run-again').click();
	await expect(page.getByTestId('bg-card-0')).toHaveAttribute('data-status', 'working');
	await expect(page.getByTestId('bg-card-1')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
	await expect(page.getByTestId('bg-card-0')).toHaveAttribute('data-status', 'done');
	await expect(page.getByTestId('bg-stale')).toHaveCount(0);
	const jpg = await downloaded(page, () => page.getByTestId('bg-download-0').click());
	expect(jpg.name).toBe('person-a-cutout.jpg');
	expect(jpg.bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
	const j = await decode(page, jpg.bytes, POINTS);
	for (const k of ['tl', 'tr'])
		expect(Math.abs(j.at[k][0] - 0x43) + Math.abs(j.at[k][1] - 0x8e) + Math.abs(j.at[k][2] - 0xdb), `${k} ${j.at[k]}`).toBeLessThan(24);

	// Mask as PNG; cancel what waits behind the card being worked on.
	await page.getByTestId('bg-output-mask').check();
	await expect(page.getByTestId('bg-mode-colour')).toBeDisabled();
	await page.getByTestId('bg-format').selectOption('png');
	await page.getByTestId('bg-run-again').click();
	await expect(page.getByTestId('bg-card-0')).toHaveAttribute('data-status', 'working');
	await page.getByTestId('bg-cancel').click();
	await expect(page.getByTestId('bg-card-1')).toHaveAttribute('data-status', 'idle');
	await expect(page.getByTestId('bg-status-1')).toContainText('Not run');
	await expect(page.getByTestId('bg-card-0')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
	await expect(page.getByTestId('bg-run-again')).toHaveText(/\(1\)/);
	const mask = await downloaded(page, () => page.getByTestId('bg-download-0').click());
	expect(mask.name).toBe('person-a-mask.png');
	const m = await decode(page, mask.bytes, POINTS);
	expect(m.maxChroma).toBeLessThanOrEqual(2);
	expect(m.at.tl[0]).toBeLessThan(20);
	expect(m.at.centre[0]).toBeGreaterThan(235);
	expect(m.at.centre[3]).toBe(255);
	expect(await page.evaluate(() => (window as any).__bg)).toMatchObject({ calls: 6, maxActive: 1 });
	expect(errors).toEqual([]);
});

test('background page: Chinese labels, a failed file, options that cannot run', async ({ page }) => {
	test.setTimeout(180_000);
	await openApp(page, '/background');
	await page.getByTestId('lang-switch').selectOption('zh');
	await expect(page.getByTestId('nav-background')).toHaveText('抠图');
	await expect(page.locator('h1')).toHaveText('批量抠图');
	await expect(page.getByTestId('bg-choose')).toHaveText('选择照片');

	// An image background with no image chosen: the queue waits and says why.
	await page.getByTestId('bg-mode-image').check();
	await page.getByTestId('bg-file-input').setInputFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: sample(1).subarray(0, 600) });
	await expect(page.getByTestId('bg-options-error')).toContainText('请先选择背景图片');
	await expect(page.getByTestId('bg-card-0')).toHaveAttribute('data-status', 'waiting');
	await expect(page.getByTestId('bg-run-again')).toBeDisabled();
	await page.getByTestId('bg-mode-transparent').check();
	await page.getByTestId('bg-run-again').click();
	await expect(page.getByTestId('bg-card-0')).toHaveAttribute('data-status', 'failed', { timeout: 120_000 });
	await expect(page.getByTestId('bg-status-0')).toHaveText(/失败/);
	await expect(page.getByTestId('bg-error-0')).toContainText('400');
	await expect(page.getByTestId('bg-count')).toContainText('已完成 0/1');
	await expect(page.getByTestId('bg-count')).toContainText('1 张失败');
	await expect(page.getByTestId('bg-add-more')).toContainText('继续添加');
	await page.getByTestId('lang-switch').selectOption('en');
});
