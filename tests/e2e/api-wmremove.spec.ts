/**
 * darkroom.watermark_removal.remove (seed 004) in the browser: text watermarks put on a real
 * photo with image.process (resize + two text watermarks, PNG), then found with OCR and removed.
 * WMREMOVE_LOOK=1 writes the marked photo and the results to /tmp/wmremove-check.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { b64, call, callError, openApp, sample } from './helpers';

test.describe.configure({ timeout: 240_000 });

const SAMPLE = 'SAMPLE COPY';
const BRAND = 'DARKROOM';
const HOOK = 'https://hooks.example.test/wmremove';

interface Loc { x: number; y: number; w: number; h: number; lineCount: number; word: string }

/** The photo at 960 px with two opaque white text marks, as PNG; its image_url. */
async function marked(page: Page): Promise<string> {
	const r = await call(page, 'image.process', {
		image: { base64: b64(sample(1)) },
		ops: [
			{ op: 'resize', params: { width: 960 } },
			{ op: 'watermark', params: { text: SAMPLE, position: 'top-left', opacity: 1, color: '#ffffff', size: 52, margin: 24 } },
			{ op: 'watermark', params: { text: BRAND, position: 'bottom-right', opacity: 1, color: '#ffffff', size: 52, margin: 24 } }
		],
		format: 'png'
	});
	return r.image_url;
}

/** Pixels that differ between two image URLs, counted inside and outside the given rectangles. */
async function diff(page: Page, a: string, b: string, rects: { x: number; y: number; w: number; h: number }[]): Promise<{ inside: number; outside: number; green: number }> {
	return page.evaluate(
		async ({ a, b, rects }) => {
			const load = async (url: string) => {
				const bmp = await createImageBitmap(new Blob([await (window as any).darkroom.fetchBytes(url)]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
				const c = new OffscreenCanvas(bmp.width, bmp.height);
				c.getContext('2d')!.drawImage(bmp, 0, 0);
				return c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height);
			};
			const A = await load(a);
			const B = await load(b);
			let inside = 0, outside = 0, green = 0;
			for (let y = 0; y < A.height; y++)
				for (let x = 0; x < A.width; x++) {
					const i = (y * A.width + x) * 4;
					if (B.data[i] === 0 && B.data[i + 1] === 255 && B.data[i + 2] === 0) green++;
					if (A.data[i] === B.data[i] && A.data[i + 1] === B.data[i + 1] && A.data[i + 2] === B.data[i + 2] && A.data[i + 3] === B.data[i + 3]) continue;
					if (rects.some((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)) inside++;
					else outside++;
				}
			return { inside, outside, green };
		},
		{ a, b, rects }
	);
}

async function save(page: Page, name: string, url: string | undefined): Promise<void> {
	if (!process.env.WMREMOVE_LOOK || !url) return;
	const bytes: number[] = await page.evaluate(async (u) => Array.from(await (window as any).darkroom.fetchBytes(u)), url);
	mkdirSync('/tmp/wmremove-check', { recursive: true });
	writeFileSync(`/tmp/wmremove-check/${name}.png`, Uint8Array.from(bytes));
}

const words = (locs: Loc[]) => locs.map((l) => l.word).join(' | ');
const find = (locs: Loc[], re: RegExp) => locs.find((l) => re.test(l.word.replace(/\s+/g, '')));

test.beforeEach(async ({ page }) => openApp(page));

test('ocrOnly finds both marks (52006, boxes, no image); show draws them in green', async ({ page }) => {
	const src = await marked(page);
	await save(page, 'marked', src);
	const t0 = Date.now();
	const r = await call(page, 'watermark_removal.remove', { image_file: src, ocrOnly: true });
	console.log(`ocrOnly ${Date.now() - t0} ms: ${words(r.data.processLocation)}`);
	expect(r).toMatchObject({ httpCode: 200, returnType: 'json', data: { processStatus: 52006 } });
	expect(r.data.processMsg).toMatch(/::/);
	expect(r.data.url).toBeUndefined();
	expect(r.encryptedInfo.imageUniqueIdentification).toMatch(/^[0-9a-f]{32}$/);
	const locs: Loc[] = r.data.processLocation;
	expect(r.data.processCount).toBe(locs.length);
	expect(find(locs, /SAMPLE/i), words(locs)).toBeTruthy();
	expect(find(locs, /DARKROOM/i), words(locs)).toBeTruthy();
	for (const l of locs) expect(l.lineCount).toBeGreaterThanOrEqual(1);

	const shown = await call(page, 'watermark_removal.remove', { image_file: src, ocrOnly: true, show: true });
	expect(shown.data.processStatus).toBe(52006);
	await save(page, 'ocr-only-show', shown.data.url);
	const d = await diff(page, src, shown.data.url, locs);
	expect(d.outside).toBe(0);
	expect(d.green).toBeGreaterThan(200); // frames only: the marks themselves are still there
});

test('removes every mark: only processed boxes change, OCR then finds neither; a repeat answers 304 from the cache', async ({ page }) => {
	const src = await marked(page);
	const t0 = Date.now();
	const r = await call(page, 'watermark_removal.remove', { image_file: src });
	console.log(`remove all ${Date.now() - t0} ms: ${words(r.data.processLocation)}`);
	expect(r.httpCode).toBe(200);
	expect(r.data.processStatus).toBe(0);
	expect(r.data.mime).toBe('image/png');
	await save(page, 'removed-all', r.data.url);
	const locs: Loc[] = r.data.processLocation;
	const d = await diff(page, src, r.data.url, locs);
	expect(d.outside).toBe(0);
	expect(d.inside).toBeGreaterThan(2000);
	const after = await call(page, 'watermark_removal.remove', { image_file: r.data.url, ocrOnly: true });
	const left = words(after.data.processLocation ?? []);
	expect(left).not.toMatch(/SAMPLE|COPY|DARK|ROOM/i);

	const t1 = Date.now();
	const again = await call(page, 'watermark_removal.remove', { image_file: src });
	console.log(`repeat ${Date.now() - t1} ms`);
	expect(again.httpCode).toBe(304);
	expect(again.httpMsg).toMatch(/^CACHE::/);
	expect(again.data).toEqual(r.data);
	// different parameters are not a repeat
	const other = await call(page, 'watermark_removal.remove', { image_file: src, show: true });
	expect(other.httpCode).toBe(200);
	await save(page, 'removed-all-show', other.data.url);
	expect((await diff(page, src, other.data.url, locs)).green).toBeGreaterThan(200);
});

test('excludeKeywords keeps that mark byte-identical; watermarkNames removes only the named one', async ({ page }) => {
	const src = await marked(page);
	const all = (await call(page, 'watermark_removal.remove', { image_file: src, ocrOnly: true })).data.processLocation as Loc[];
	const brand = find(all, /DARKROOM/i)!;
	const sampleBox = find(all, /SAMPLE/i)!;

	const kept = await call(page, 'watermark_removal.remove', { image_file: src, excludeKeywords: [{ value: BRAND, rule: 'similar' }] });
	await save(page, 'exclude-darkroom', kept.data.url);
	expect(kept.data.processStatus).toBe(0);
	expect(words(kept.data.processLocation)).not.toMatch(/DARKROOM/i);
	const dk = await diff(page, src, kept.data.url, [brand]);
	expect(dk.inside).toBe(0); // the kept mark: not one pixel changed
	expect((await diff(page, src, kept.data.url, [sampleBox])).inside).toBeGreaterThan(500);

	const named = await call(page, 'watermark_removal.remove', { image_file: src, watermarkNames: [{ value: 'SAMPLE COPY', rule: 'default' }] });
	await save(page, 'names-sample', named.data.url);
	expect(words(named.data.processLocation)).toMatch(/SAMPLE/i);
	expect(words(named.data.processLocation)).not.toMatch(/DARKROOM/i);
	expect((await diff(page, src, named.data.url, [brand])).inside).toBe(0);
	const after = await call(page, 'watermark_removal.remove', { image_file: named.data.url, ocrOnly: true });
	expect(words(after.data.processLocation)).toMatch(/DARKROOM/i);
	expect(words(after.data.processLocation)).not.toMatch(/SAMPLE/i);
});

test('rectangles override OCR and keywords; offset beyond the image answers 52005; bad parameters reject with the seed body', async ({ page }) => {
	const src = await marked(page);
	const rect = { x: 400, y: 200, w: 60, h: 40 };
	const r = await call(page, 'watermark_removal.remove', { image_url: src, rectangles: [rect], watermarkNames: [{ value: BRAND }], offset: { '+w': 5000 } });
	expect(r.data.processStatus).toBe(0);
	expect(r.data.processLocation).toEqual([{ ...rect, lineCount: 0, word: '' }]);
	const d = await diff(page, src, r.data.url, [rect]);
	expect(d.outside).toBe(0);

	const far = await call(page, 'watermark_removal.remove', { image_file: src, offset: { '-x': 5, '+w': 5000 } });
	expect(far.httpCode).toBe(200);
	expect(far.data.processStatus).toBe(52005);
	expect(far.data.url).toBeTruthy(); // processed anyway, without the offset
	const grown = await call(page, 'watermark_removal.remove', { image_file: src, ocrOnly: true, offset: { '-x': 4, '-y': 4, '+w': 8, '+h': 8 } });
	expect(grown.data.processStatus).toBe(52006);

	const e = await callError(page, 'watermark_removal.remove', { image_file: src, sync: true });
	expect(e).toMatchObject({ status: 400, param: 'callback' });
	const withBody = await page.evaluate(async (s) => (window as any).darkroom.watermark_removal.remove({ image_file: s, rectangles: [{ x: 5000, y: 0, w: 10, h: 10 }] }).catch((e: any) => e.response), src);
	expect(withBody).toMatchObject({ httpCode: 400, data: { processStatus: 52001 } });
	expect(withBody.msgInnerReferer).toMatch(/rectangles\[0\]/);
	expect((await callError(page, 'watermark_removal.remove', {})).param).toBe('image_file');
});

test('sync: true answers 52000 at once and POSTs the result to callback, retrying once after a failure', async ({ page }) => {
	const src = await marked(page);
	const hits: { body: any; at: number }[] = [];
	await page.route(HOOK, async (route) => {
		const req = route.request();
		const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Allow-Methods': 'POST' };
		if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
		hits.push({ body: req.postDataJSON(), at: Date.now() });
		await route.fulfill({ status: hits.length === 1 ? 503 : 200, headers: cors, body: 'ok' });
	});
	const t0 = Date.now();
	const r = await call(page, 'watermark_removal.remove', { image_file: src, sync: true, callback: HOOK, show: true });
	expect(Date.now() - t0).toBeLessThan(3000);
	expect(r.data).toMatchObject({ processStatus: 52000, processMsg: 'WAITING::异步请求' });
	expect(r.data.jobId).toBeTruthy();
	await expect.poll(() => hits.length, { timeout: 120_000 }).toBe(2);
	await page.waitForTimeout(2500);
	expect(hits.length).toBe(2); // one retry, no more
	const body = hits[1].body;
	expect(body).toEqual(hits[0].body);
	expect(body.data.jobId).toBe(r.data.jobId);
	expect(body.data.processStatus).toBe(0);
	expect(words(body.data.processLocation)).toMatch(/DARKROOM/i);
	expect(body.data.image_base64.length).toBeGreaterThan(1000);
	expect(Buffer.from(body.data.image_base64, 'base64').subarray(0, 4).toString('hex')).toBe('89504e47');
});
