import { test, expect } from '@playwright/test';
import { b64, call, openApp, sample } from './helpers';

test('after the first visit the app loads and works with the network off', async ({ page, context }) => {
	await openApp(page);
	// Wait until the service worker controls the page and has precached the app.
	await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active, undefined, { timeout: 60_000 });
	await page.reload();
	await page.waitForFunction(() => !!navigator.serviceWorker.controller);
	await context.setOffline(true);
	await page.reload();
	await page.waitForFunction(() => typeof (window as any).darkroom?.image?.process === 'function');
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	const r = await call(page, 'image.resize', { image: { base64: b64(sample(2)) }, width: 320, format: 'webp' });
	expect([r.width, r.height]).toEqual([320, 228]);
	// Chinese watermark text needs the bundled font files, also from the cache.
	const w = await call(page, 'image.watermark', { image: r.image_url, text: '离线水印', position: 'center', size: 32, format: 'png' });
	expect(w.mime).toBe('image/png');
	await page.goto('/console');
	await expect(page.locator('body')).toContainText(/console|控制台/i);
	await context.setOffline(false);
});
