import { test, expect } from '@playwright/test';
import { b64, call, callError, inspect, openApp, sample, SIGNATURE } from './helpers';

// sample4.jpg is 1920 wide; the test reads its real size from the response.
const S4 = { base64: b64(sample(4)) };

test.beforeEach(async ({ page }) => openApp(page));

async function clear(page: import('@playwright/test').Page, prefix: string) {
	await page.evaluate(async (prefix) => {
		const d = (window as any).darkroom;
		for (const a of (await d.image.list({ prefix, limit: 500 })).items) await d.image.delete({ id: a.id });
	}, prefix);
}

test('put_object stores the original and up to 5 rule outputs with the seed 003 response', async ({ page }) => {
	test.setTimeout(120_000);
	await clear(page, 'cos-test/');
	await clear(page, 'cos-thumbs/');
	const r = await call(page, 'cos.put_object', {
		Bucket: 'examplebucket-1250000000',
		Key: 'cos-test/photo.jpg',
		Body: S4,
		PicOperations: JSON.stringify({
			is_pic_info: 1,
			rules: [
				{ fileid: 'photo.png', rule: 'imageView2/format/png' },
				{ fileid: '/cos-thumbs/photo.webp', rule: 'imageMogr2/thumbnail/400x/format/webp/quality/70' },
				{ fileid: 'square.jpg', rule: 'imageView2/1/w/200/h/200' },
				// Seed 002's rule form: logo removal by polygon, written beside the original.
				{ fileid: 'repaired.jpg', rule: `ci-process=ImageRepair&MaskPoly=${Buffer.from(JSON.stringify([[[40, 40], [400, 40], [400, 160], [40, 160]]])).toString('base64url')}` }
			]
		})
	});
	const info = r.OriginalInfo.ImageInfo;
	expect(r.OriginalInfo).toMatchObject({ Key: 'cos-test/photo.jpg', ETag: expect.stringMatching(/^"[0-9a-f]{64}"$/), Location: expect.stringMatching(/\/cos\/cos-test\/photo\.jpg$/) });
	expect(info).toMatchObject({ Format: 'JPEG', Orientation: expect.any(Number), FrameCount: 1, Ave: expect.stringMatching(/^0x[0-9a-f]{6}$/i) });
	expect(info.Width).toBe(1920);
	expect(info.Quality).toBeGreaterThan(50);
	const [png, webp, square, repaired] = r.ProcessResults.Object;
	expect(repaired).toMatchObject({ Key: 'cos-test/repaired.jpg', Format: 'jpeg', Width: 1920 });
	expect(png).toMatchObject({ Key: 'cos-test/photo.png', Format: 'png', Width: info.Width, Height: info.Height, Quality: 100, FrameCount: 1 });
	expect(webp).toMatchObject({ Key: 'cos-thumbs/photo.webp', Format: 'webp', Width: 400, Height: Math.round((400 * info.Height) / info.Width), Quality: 70 });
	expect(square).toMatchObject({ Key: 'cos-test/square.jpg', Format: 'jpeg', Width: 200, Height: 200 });
	// What the response says is what the library holds.
	for (const o of r.ProcessResults.Object) {
		const a = await call(page, 'image.get', { key: o.Key });
		expect([a.width, a.height, a.bytes, `"${a.etag}"`]).toEqual([o.Width, o.Height, o.Size, o.ETag]);
	}
	const got = await call(page, 'image.get', { key: 'cos-thumbs/photo.webp' });
	expect((await inspect(page, got.url)).head).toMatch(SIGNATURE.webp);
	// The original is byte-identical to what was sent.
	const orig = await call(page, 'image.get', { key: 'cos-test/photo.jpg' });
	expect(orig.bytes).toBe(sample(4).length);

	// image_process on the stored object, with the spellings.
	const p = await call(page, 'cos.image_process', { key: 'cos-test/photo.jpg', pic_operations: { rules: [{ fileid: 'half.jpg', rule: 'imageMogr2/thumbnail/!50p' }] } });
	expect(p.OriginalInfo.ImageInfo).toBeUndefined();
	expect(p.ProcessResults.Object[0]).toMatchObject({ Key: 'cos-test/half.jpg', Width: Math.round(info.Width / 2), Height: Math.round(info.Height / 2) });
});

test('bad rules store nothing; errors name the rule; missing objects are 404', async ({ page }) => {
	await clear(page, 'cos-bad/');
	const bad = await callError(page, 'cos.put_object', { Key: 'cos-bad/a.jpg', Body: S4, PicOperations: { rules: [{ fileid: 'x.png', rule: 'imageView2/format/png' }, { fileid: 'y.png', rule: 'imageMogr2/explode/1' }] } });
	expect([bad.status, bad.param]).toEqual([400, 'PicOperations.rules[1].rule']);
	const six = await callError(page, 'cos.put_object', { Key: 'cos-bad/a.jpg', Body: S4, PicOperations: { rules: Array.from({ length: 6 }, (_, i) => ({ fileid: `${i}.png`, rule: 'imageView2/format/png' })) } });
	expect(six.param).toBe('PicOperations.rules');
	expect((await callError(page, 'cos.put_object', { Key: 'cos-bad/a.jpg', Body: S4, PicOperations: '{not json' })).param).toBe('PicOperations');
	expect((await callError(page, 'cos.put_object', { Key: 'cos-bad/../a.jpg', Body: S4 })).param).toBe('Key');
	expect((await callError(page, 'cos.put_object', { Key: 'cos-bad/a.jpg' })).param).toBe('Body');
	const empty = await callError(page, 'cos.put_object', { Key: 'cos-bad/a.jpg', Body: { base64: '' } });
	expect(empty.status).toBe(400);
	// Nothing was stored by any of these.
	expect((await call(page, 'image.list', { prefix: 'cos-bad/' })).items).toEqual([]);
	// A rule failing while rendering (over the pixel limit) names itself; the original stays.
	const big = await callError(page, 'cos.put_object', { Key: 'cos-bad/b.jpg', Body: S4, PicOperations: { rules: [{ fileid: 'huge.png', rule: 'imageMogr2/thumbnail/60000x' }] } });
	expect([big.status, big.param]).toEqual([413, 'rules[0].rule']);
	expect((await call(page, 'image.list', { prefix: 'cos-bad/' })).items.map((a: any) => a.key)).toEqual(['cos-bad/b.jpg']);
	expect((await callError(page, 'cos.image_process', { Key: 'cos-bad/none.jpg', PicOperations: { rules: [{ fileid: 'x.png', rule: 'imageView2/format/png' }] } })).status).toBe(404);
});

test('rules saved on a folder run on every upload into it, with ${InputName} in fileid', async ({ page }) => {
	test.setTimeout(120_000);
	await clear(page, 'cos-inbox/');
	await clear(page, 'cos-derived/');
	await page.evaluate(() => (window as any).darkroom.cos.delete_folder_rules({ folder: 'cos-inbox' }).catch(() => {}));
	const saved = await call(page, 'cos.put_folder_rules', { folder: 'cos-inbox/', pic_operations: { rules: [{ fileid: '/cos-derived/${InputName}-256.webp', rule: 'imageMogr2/thumbnail/256x256/format/webp' }] } });
	expect(saved).toMatchObject({ folder: 'cos-inbox', pic_operations: { rules: [{ fileid: '/cos-derived/${InputName}-256.webp' }] } });
	expect((await call(page, 'cos.list_folder_rules', {})).items.map((r: any) => r.folder)).toContain('cos-inbox');
	const a = await call(page, 'image.upload', { file: { base64: b64(sample(5)) }, key: 'cos-inbox/beach.jpg' });
	expect(a.folder_rules.ProcessResults.Object[0]).toMatchObject({ Key: 'cos-derived/beach-256.webp', Format: 'webp' });
	expect(Math.max(a.folder_rules.ProcessResults.Object[0].Width, a.folder_rules.ProcessResults.Object[0].Height)).toBe(256);
	const b = await call(page, 'image.upload', { file: { base64: b64(sample(6)) }, key: 'cos-inbox/park.jpg' });
	expect(b.folder_rules.ProcessResults.Object[0].Key).toBe('cos-derived/park-256.webp');
	// Elsewhere, nothing runs; outputs do not set rules off again.
	const c = await call(page, 'image.upload', { file: { base64: b64(sample(6)) }, key: 'cos-elsewhere/park.jpg' });
	expect(c.folder_rules).toBeUndefined();
	expect((await call(page, 'image.list', { prefix: 'cos-derived/' })).items.map((x: any) => x.key).sort()).toEqual(['cos-derived/beach-256.webp', 'cos-derived/park-256.webp']);
	// Bad rules are refused when saved; deleting stops them.
	expect((await callError(page, 'cos.put_folder_rules', { folder: 'cos-inbox', pic_operations: { rules: [{ fileid: 'x.png', rule: 'imageMogr2/nope/1' }] } })).param).toBe('pic_operations.rules[0].rule');
	expect(await call(page, 'cos.delete_folder_rules', { folder: 'cos-inbox' })).toEqual({ ok: true, folder: 'cos-inbox' });
	expect((await callError(page, 'cos.get_folder_rules', { folder: 'cos-inbox' })).status).toBe(404);
	const d = await call(page, 'image.upload', { file: { base64: b64(sample(5)) }, key: 'cos-inbox/again.jpg' });
	expect(d.folder_rules).toBeUndefined();
	await clear(page, 'cos-elsewhere/');
});
