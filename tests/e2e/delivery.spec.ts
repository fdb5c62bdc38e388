import { test, expect, type Page } from '@playwright/test';
import { b64, call, callError, openApp, sample } from './helpers';

/**
 * Delivery URLs through the real service worker: /cdn/<id>/<transform> and /cos/<key>?<rule>
 * rendered from the library by the open page, cached with an ETag, served offline; signed
 * URLs expire and reject tampering (403).
 */

async function controlled(page: Page) {
	await openApp(page);
	await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active, undefined, { timeout: 60_000 });
	if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
		await page.reload();
		await page.waitForFunction(() => !!navigator.serviceWorker.controller && typeof (window as any).darkroom?.image?.process === 'function');
	}
}

async function uploadSample(page: Page, n: number, key: string): Promise<{ id: string; key: string }> {
	return page.evaluate(
		async ({ data, key }) => {
			const d = (window as any).darkroom;
			const old = await d.image.get({ key }).catch(() => null);
			if (old) await d.image.delete({ id: old.id });
			return d.image.upload({ file: { base64: data }, key });
		},
		{ data: b64(sample(n)), key }
	);
}

/** Fetches a URL in the page (through the service worker) and reports what came back. */
async function get(page: Page, url: string, headers: Record<string, string> = {}) {
	return page.evaluate(
		async ({ url, headers }) => {
			const res = await fetch(url, { headers });
			const bytes = new Uint8Array(await res.arrayBuffer());
			let size: [number, number] | null = null;
			if (res.ok && res.headers.get('Content-Type')?.startsWith('image/')) {
				const bmp = await createImageBitmap(new Blob([bytes]));
				size = [bmp.width, bmp.height];
			}
			const text = res.headers.get('Content-Type')?.includes('json') ? new TextDecoder().decode(bytes) : '';
			return { status: res.status, type: res.headers.get('Content-Type'), etag: res.headers.get('ETag'), size, bytes: bytes.length, head: Array.from(bytes.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join(''), text };
		},
		{ url, headers }
	);
}

test('deliver_url renders a transform, caches it with an ETag, and an <img> shows it offline', async ({ page, context }) => {
	test.setTimeout(180_000);
	await controlled(page);
	const asset = await uploadSample(page, 1, 'delivery/one.jpg');
	const { url } = await call(page, 'image.deliver_url', { image_id: asset.id, transform: { width: 400, height: 300, fit: 'cover', format: 'webp', quality: 80 } });
	expect(url).toMatch(new RegExp(`/cdn/${asset.id}/w_400,h_300,c_cover,f_webp,q_80$`));
	const first = await get(page, url);
	expect(first).toMatchObject({ status: 200, type: 'image/webp', size: [400, 300] });
	expect(first.head).toMatch(/^52494646.{8}57454250/); // RIFF....WEBP
	expect(first.etag).toMatch(/^"[0-9a-f]{40}"$/);
	// Revalidation: 304 for the same ETag, same bytes again without it.
	expect((await get(page, url, { 'If-None-Match': first.etag! })).status).toBe(304);
	expect(await get(page, url)).toMatchObject({ status: 200, etag: first.etag, bytes: first.bytes });
	// The original, by id.
	const orig = await get(page, `/cdn/${asset.id}`);
	expect(orig).toMatchObject({ status: 200, type: 'image/jpeg', size: [1920, 1280], bytes: sample(1).length });

	await context.setOffline(true);
	await page.evaluate((u) => {
		const img = document.createElement('img');
		img.id = 'delivered';
		img.src = u;
		document.body.append(img);
	}, url);
	await page.waitForFunction(() => (document.getElementById('delivered') as HTMLImageElement)?.naturalWidth === 400);
	// A transform never rendered before also works offline: the open page renders it.
	const fresh = await get(page, `/cdn/${asset.id}/w_120,f_png`);
	expect(fresh).toMatchObject({ status: 200, type: 'image/png', size: [120, 80] });
	await context.setOffline(false);
});

test('named transformations (t_name) and seed 003 rules (/cos/<key>?rule) render, and follow updates', async ({ page }) => {
	test.setTimeout(180_000);
	await controlled(page);
	const asset = await uploadSample(page, 2, 'delivery/two.jpg');
	await page.evaluate(async () => {
		const d = (window as any).darkroom;
		await d.image.transformation.delete({ name: 'dthumb' }).catch(() => {});
		await d.image.transformation.create({ name: 'dthumb', transform: 'w_200,h_200,c_cover,f_jpeg' });
	});
	const named = await get(page, `/cdn/${asset.id}/t_dthumb`);
	expect(named).toMatchObject({ status: 200, type: 'image/jpeg', size: [200, 200] });
	await call(page, 'image.transformation.update', { name: 'dthumb', transform: 'w_100,h_50,c_cover,f_png' });
	expect(await get(page, `/cdn/${asset.id}/t_dthumb`)).toMatchObject({ status: 200, type: 'image/png', size: [100, 50] });

	// sample2 is 1920×1367.
	expect(await get(page, '/cos/delivery/two.jpg?imageMogr2/thumbnail/400x/format/webp')).toMatchObject({ status: 200, type: 'image/webp', size: [400, 285] });
	expect(await get(page, '/cos/delivery/two.jpg?imageView2/1/w/200/h/200')).toMatchObject({ status: 200, size: [200, 200] });
	expect(await get(page, '/cos/delivery/two.jpg?imageMogr2/thumbnail/!25p')).toMatchObject({ status: 200, size: [480, 342] });
	expect(await get(page, '/cos/delivery/two.jpg?style/dthumb')).toMatchObject({ status: 200, size: [100, 50] });
	const ruleUrl = (await call(page, 'image.deliver_url', { image_id: asset.id, rule: 'imageView2/2/w/300' })).url;
	expect(ruleUrl).toMatch(/\/cos\/delivery\/two\.jpg\?imageView2\/2\/w\/300$/);
	expect(await get(page, ruleUrl)).toMatchObject({ status: 200, size: [300, 214] });

	// Seed 002 on a stored object: ?ci-process=ImageRepair&MaskPoly=<URL-safe base64 polygons>.
	const poly = Buffer.from(JSON.stringify([[[100, 100], [500, 100], [500, 300], [100, 300]]])).toString('base64url');
	const repaired = await get(page, `/cos/delivery/two.jpg?ci-process=ImageRepair&MaskPoly=${poly}`);
	expect(repaired).toMatchObject({ status: 200, type: 'image/jpeg', size: [1920, 1367] });
	expect(repaired.bytes).not.toBe(sample(2).length);
	expect((await get(page, '/cos/delivery/two.jpg?ci-process=ImageRepair')).status).toBe(400);

	// Errors are JSON with the status the cloud API would give.
	const bad = await get(page, '/cos/delivery/two.jpg?imageMogr2/explode/3');
	expect(bad.status).toBe(400);
	expect(JSON.parse(bad.text).error.message).toMatch(/imageMogr2\/explode is not supported/);
	expect((await get(page, '/cdn/00000000000000000000000000/w_10')).status).toBe(404);
	expect((await get(page, `/cdn/${asset.id}/w_0`)).status).toBe(400);
	// ignore-error/1 answers the original instead of an error (here: 60000 px wide is over the pixel limit).
	expect(await get(page, '/cos/delivery/two.jpg?imageMogr2/thumbnail/60000x/ignore-error/1')).toMatchObject({ status: 200, size: [1920, 1367] });
});

test('signed URLs work until they expire and reject tampering with 403', async ({ page }) => {
	test.setTimeout(120_000);
	await controlled(page);
	const asset = await uploadSample(page, 3, 'delivery/three.jpg');
	const s = await call(page, 'image.signed_url', { image_id: asset.id, expires_in_s: 2, transform: 'w_64,f_png' });
	expect(s.url).toMatch(/\?exp=\d+&sig=[A-Za-z0-9_-]{43}$/);
	expect(Date.parse(s.expires_at) - Date.now()).toBeLessThanOrEqual(2000);
	expect(await get(page, s.url)).toMatchObject({ status: 200, size: [64, 45] }); // sample3 is 1920×1350
	// Another size, another expiry, a flipped signature character or no signature: refused.
	const tampered = [s.url.replace('w_64', 'w_65'), s.url.replace(/exp=(\d+)/, (_: string, e: string) => `exp=${Number(e) + 3600}`), s.url.replace(/sig=(.)/, (_: string, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`), s.url.replace(/&sig=.*/, '')];
	for (const u of tampered) {
		const r = await get(page, u);
		expect(r.status, u).toBe(403);
		expect(JSON.parse(r.text).error.code).toBe('forbidden');
	}
	await page.waitForTimeout(3100);
	const late = await get(page, s.url);
	expect(late.status).toBe(403);
	expect(JSON.parse(late.text).error.message).toMatch(/expired/);

	// Parameter errors from the API itself.
	expect((await callError(page, 'image.signed_url', { image_id: asset.id })).param).toBe('expires_in_s');
	expect((await callError(page, 'image.signed_url', { image_id: asset.id, expires_in_s: 0 })).param).toBe('expires_in_s');
	expect((await callError(page, 'image.deliver_url', { image_id: '00000000000000000000000000' })).status).toBe(404);
	expect((await callError(page, 'image.deliver_url', { image_id: asset.id, transform: 'w_-3' })).status).toBe(400);
});
