import { test, expect } from '@playwright/test';
import { b64, call, callError, openApp, sample } from './helpers';

const JPEG = sample(1);
const S1 = { base64: b64(JPEG) };

test.beforeEach(async ({ page }) => openApp(page));

test.describe('bad input files get a clear, specific error', () => {
	test('zero bytes', async ({ page }) => {
		const e = await callError(page, 'image.resize', { image: new Uint8Array(0) as any, width: 10 });
		// a Uint8Array does not survive page.evaluate's JSON, so send it from inside the page too
		const e2 = await page.evaluate(async () => {
			try {
				await (window as any).darkroom.image.resize({ image: new Uint8Array(0), width: 10 });
			} catch (e: any) {
				return { status: e.status, code: e.code, message: e.message };
			}
		});
		expect(e.status).toBe(400);
		expect(e2).toMatchObject({ status: 400, code: 'invalid_image' });
		expect(e2?.message).toMatch(/empty|0 bytes/i);
	});

	test('truncated JPEG is rejected, never a half-grey output', async ({ page }) => {
		const cut = JPEG.subarray(0, Math.floor(JPEG.length * 0.6));
		const e = await callError(page, 'image.resize', { image: { base64: b64(cut) }, width: 100 });
		expect(e).toMatchObject({ status: 400, code: 'invalid_image' });
		expect(e.message).toMatch(/JPEG/);
		expect(e.message).toMatch(/truncated|incomplete|end/i);
	});

	test('corrupt bytes after a valid JPEG header', async ({ page }) => {
		const bad = Buffer.from(JPEG);
		bad.fill(0x00, 2000, bad.length - 2);
		const e = await callError(page, 'image.resize', { image: { base64: b64(bad) }, width: 100 });
		expect(e.status).toBe(400);
	});

	for (const [name, text, re] of [
		['HTML', '<!doctype html><html><body>hi</body></html>', /HTML/],
		['SVG', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', /SVG/],
		['PDF', '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', /PDF/]
	] as const) {
		test(`${name} is 415 naming the type`, async ({ page }) => {
			const e = await callError(page, 'image.metadata', { image: { base64: b64(Buffer.from(text)) } });
			expect(e).toMatchObject({ status: 415, code: 'unsupported_format' });
			expect(e.message).toMatch(re);
		});
	}

	test('HEIC is 415', async ({ page }) => {
		const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic'), Buffer.alloc(64)]);
		const e = await callError(page, 'image.convert', { image: { base64: b64(heic) }, format: 'png' });
		expect(e.status).toBe(415);
		expect(e.message).toMatch(/HEI[CF]/);
	});

	test('not base64 at all', async ({ page }) => {
		const e = await callError(page, 'image.resize', { image: { base64: '***not base64***' }, width: 10 });
		expect(e).toMatchObject({ status: 400, param: 'image' });
	});

	test('wrong type for image', async ({ page }) => {
		const e = await callError(page, 'image.resize', { image: 42, width: 10 });
		expect(e.status).toBe(400);
		expect(e.message).toMatch(/image/);
		expect(e.message).toMatch(/42 of type number/);
	});

	test('missing image', async ({ page }) => {
		const e = await callError(page, 'image.resize', { width: 10 });
		expect(e).toMatchObject({ status: 400, param: 'image' });
	});
});

test.describe('limits are checked from the header before decoding', () => {
	test('pixel limit → 413', async ({ page }) => {
		await page.evaluate(() => (window as any).darkroom.configure({ maxPixels: 1_000_000 }));
		const e = await callError(page, 'image.resize', { image: S1, width: 100 });
		expect(e).toMatchObject({ status: 413, code: 'too_large' });
		expect(e.message).toMatch(/megapixel|pixels/i);
	});
	test('byte limit → 413', async ({ page }) => {
		await page.evaluate(() => (window as any).darkroom.configure({ maxBytes: 10_000 }));
		const e = await callError(page, 'image.metadata', { image: S1 });
		expect(e).toMatchObject({ status: 413 });
		expect(e.message).toMatch(/bytes/);
	});
	test('a claimed absurd size in the header is refused without decoding', async ({ page }) => {
		// A PNG header that claims 100000×100000: 10 gigapixels.
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452000186a0000186a00806000000', 'hex');
		const e = await callError(page, 'image.metadata', { image: { base64: b64(Buffer.concat([png, Buffer.alloc(40)])) } });
		expect(e.status).toBe(413);
	});
	test('a resize that would exceed the limit → 413', async ({ page }) => {
		const e = await callError(page, 'image.resize', { image: S1, width: 60000, height: 60000, fit: 'fill', enlarge: true });
		expect(e.status).toBe(413);
	});
});

test.describe('out-of-range parameters name the parameter', () => {
	const cases: [string, Record<string, unknown>, RegExp, string?][] = [
		['image.resize', { width: -1 }, /Expected positive integer for width but received -1 of type number/, 'width'],
		['image.resize', { width: 100, fit: 'squash' }, /fit/, 'fit'],
		['image.resize', { width: '100' }, /width/, 'width'],
		['image.crop', { x: 1800, y: 0, width: 400, height: 100 }, /outside/, undefined],
		['image.crop', { x: 0, y: 0, width: 0, height: 100 }, /width/, 'width'],
		['image.rotate', { degrees: 'ninety' }, /degrees/, 'degrees'],
		['image.compress', { quality: 101 }, /quality/, 'quality'],
		['image.convert', { format: 'gif' }, /format/, 'format'],
		['image.convert', {}, /format/, 'format'],
		['image.watermark', {}, /text|watermark_image/, undefined],
		['image.watermark', { text: 'x', opacity: 2 }, /opacity/, 'opacity'],
		['image.watermark', { text: 'x', color: 'not-a-colour' }, /colou?r/, 'color']
	];
	for (const [method, params, re, param] of cases) {
		test(`${method} ${JSON.stringify(params)}`, async ({ page }) => {
			const e = await callError(page, method, { image: S1, ...params });
			expect(e.status).toBe(400);
			expect(e.message).toMatch(re);
			if (param) expect(e.param).toBe(param);
		});
	}
	test('unknown op in process', async ({ page }) => {
		const e = await callError(page, 'image.process', { image: S1, ops: [{ op: 'sharpen-everything' }] });
		expect(e).toMatchObject({ status: 400, param: 'ops[0].op' });
	});
	test('set_kb needs a positive integer kb', async ({ page }) => {
		const e = await callError(page, 'idphoto.set_kb', { input_image_base64: S1.base64, kb: 0 });
		expect(e).toMatchObject({ status: 400, param: 'kb' });
	});
});

test('a failed call loses nothing: the same source still processes afterwards', async ({ page }) => {
	const first = await call(page, 'image.resize', { image: S1, width: 200 });
	await callError(page, 'image.crop', { image: first.image_url, x: 0, y: 0, width: 500, height: 500 });
	const again = await call(page, 'image.resize', { image: first.image_url, width: 100 });
	expect([again.width, again.height]).toEqual([100, 67]);
});

test('a worker killed mid-call (as on out-of-memory) is replaced: the call rejects clearly and the next one works', async ({ page }) => {
	const result = await page.evaluate(async (s) => {
		const d = (window as any).darkroom;
		const before = d._debug.pool.restarts;
		const pending = d.image.rotate({ image: { base64: s }, degrees: 33, format: 'png' }).then(
			() => ({ ok: true }),
			(e: any) => ({ ok: false, status: e.status, message: e.message })
		);
		// Kill only once the call is really running in a worker.
		while (d._debug.pool.busyCount === 0) await new Promise((r) => setTimeout(r, 5));
		await d._debug.crashWorker('kill');
		return { outcome: await pending, restarts: d._debug.pool.restarts - before };
	}, S1.base64);
	expect(result.outcome.ok).toBe(false);
	expect(result.outcome.status).toBe(500);
	expect(result.outcome.message).toMatch(/worker/i);
	expect(result.restarts).toBe(1);
	const r = await call(page, 'image.resize', { image: S1, width: 120 });
	expect(r.width).toBe(120);
});

test('a worker that dies of an uncaught error is replaced and the page stays usable', async ({ page }) => {
	await call(page, 'image.resize', { image: S1, width: 100 }); // a worker exists
	const restarts = await page.evaluate(async () => {
		const d = (window as any).darkroom;
		const before = d._debug.pool.restarts;
		await d._debug.crashWorker('throw');
		const t0 = Date.now();
		while (d._debug.pool.restarts === before && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
		return d._debug.pool.restarts - before;
	});
	expect(restarts).toBe(1);
	const r = await call(page, 'image.resize', { image: S1, width: 120 });
	expect(r.width).toBe(120);
});

test('in process, an error raised while running an op names the op and its parameter', async ({ page }) => {
	const e = await callError(page, 'image.process', { image: S1, ops: [{ op: 'crop', params: { x: 1800, y: 0, width: 400, height: 100 } }] });
	expect(e.status).toBe(400);
	expect(e.param).toMatch(/^ops\[0\]/);
	expect(e.message).toMatch(/^ops\[0\] \(crop\)/);
	// the same mistake as a direct call names the bare parameter
	const d = await callError(page, 'image.crop', { image: S1, x: 1800, y: 0, width: 400, height: 100 });
	expect(d.message).not.toMatch(/ops\[/);
});

test('capabilities() lists every call of the seeds, all available in this release', async ({ page }) => {
	const caps: { method: string; available: boolean; needs?: string }[] = await page.evaluate(() => (window as any).darkroom.capabilities());
	const byName = Object.fromEntries(caps.map((c) => [c.method, c]));
	const seeds = [
		// seed 000
		'image.process', 'image.metadata', 'image.upload', 'image.get', 'image.list', 'image.delete', 'image.resize', 'image.crop', 'image.smart_crop', 'image.rotate',
		'image.compress', 'image.convert', 'image.watermark', 'image.background_remove', 'image.face_blur', 'image.deliver_url', 'image.signed_url',
		'image.transformation.create', 'image.transformation.list', 'image.batch.submit', 'image.batch.status', 'image.batch.cancel', 'image.moderate', 'image.ocr', 'image.tag',
		// seeds 001–004
		'idphoto.idphoto', 'idphoto.add_background', 'idphoto.generate_layout_photos', 'idphoto.human_matting', 'idphoto.watermark', 'idphoto.set_kb', 'idphoto.idphoto_crop',
		'repair.image_repair', 'cos.put_object', 'cos.image_process', 'watermark_removal.remove'
	];
	for (const m of seeds) expect(byName[m]?.available, m).toBe(true);
	expect(caps.filter((c) => !c.available)).toEqual([]);
});

test('release() frees a result and revokes its URL', async ({ page }) => {
	const r = await call(page, 'image.resize', { image: S1, width: 100 });
	const out = await page.evaluate(async (url) => {
		const d = (window as any).darkroom;
		const before = (await fetch(url)).ok;
		const first = d.release(url);
		const second = d.release(url);
		const after = await fetch(url).then((x) => x.ok, () => false);
		return { before, first, second, after };
	}, r.image_url);
	expect(out).toEqual({ before: true, first: true, second: false, after: false });
});
