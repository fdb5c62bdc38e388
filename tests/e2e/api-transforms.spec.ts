import { test, expect } from '@playwright/test';
import { b64, call, changedQuadrants, inspect, openApp, sample, SIGNATURE } from './helpers';

// sample1.jpg: 1920×1280 Sony photo with EXIF (camera, GPS) and JFIF 240 dpi.
const S1 = { base64: b64(sample(1)) };

test.beforeEach(async ({ page }) => openApp(page));

test.describe('image.resize', () => {
	test('width only keeps the aspect ratio (fit inside)', async ({ page }) => {
		const r = await call(page, 'image.resize', { image: S1, width: 800 });
		expect([r.width, r.height]).toEqual([800, 533]);
		expect(r.mime).toBe('image/jpeg');
		const px = await inspect(page, r.image_url);
		expect([px.width, px.height]).toEqual([800, 533]);
		expect(px.head).toMatch(SIGNATURE.jpeg);
		expect(r.bytes).toBe(px.bytes);
	});

	test('cover fills the box exactly and crops', async ({ page }) => {
		const r = await call(page, 'image.resize', { image: S1, width: 400, height: 400, fit: 'cover', format: 'png' });
		const px = await inspect(page, r.image_url);
		expect([px.width, px.height]).toEqual([400, 400]);
		expect(px.head).toMatch(SIGNATURE.png);
		expect(px.mean[3]).toBe(255);
	});

	test('contain letterboxes with the requested background', async ({ page }) => {
		const r = await call(page, 'image.resize', { image: S1, width: 400, height: 400, fit: 'contain', background: '#ff0000', format: 'png' });
		// 1920×1280 → 400×267, bars of ~66 px top and bottom
		const px = await inspect(page, r.image_url, { top: [0.5, 0.02], middle: [0.5, 0.5], bottom: [0.5, 0.98] });
		expect([px.width, px.height]).toEqual([400, 400]);
		expect(px.at.top).toEqual([255, 0, 0, 255]);
		expect(px.at.bottom).toEqual([255, 0, 0, 255]);
		expect(px.at.middle).not.toEqual([255, 0, 0, 255]);
	});

	test('contain with transparent background keeps alpha in PNG', async ({ page }) => {
		const r = await call(page, 'image.resize', { image: S1, width: 300, height: 300, fit: 'contain', background: 'transparent', format: 'webp', lossless: true });
		const px = await inspect(page, r.image_url, { top: [0.5, 0.01], middle: [0.5, 0.5] });
		expect(px.head).toMatch(SIGNATURE.webp);
		expect(px.at.top[3]).toBe(0);
		expect(px.at.middle[3]).toBe(255);
	});

	test('fill stretches to both sides', async ({ page }) => {
		const r = await call(page, 'image.resize', { image: S1, width: 300, height: 700, fit: 'fill' });
		expect([r.width, r.height]).toEqual([300, 700]);
	});

	test('enlarge:false never scales up; enlarge:true does', async ({ page }) => {
		const a = await call(page, 'image.resize', { image: S1, width: 4000 });
		expect([a.width, a.height]).toEqual([1920, 1280]);
		const b = await call(page, 'image.resize', { image: S1, width: 2400, enlarge: true, format: 'webp' });
		expect([b.width, b.height]).toEqual([2400, 1600]);
	});

	test('output is deterministic: same input and parameters give the same bytes', async ({ page }) => {
		const a = await call(page, 'image.resize', { image: S1, width: 640, format: 'webp' });
		const b = await call(page, 'image.resize', { image: S1, width: 640, format: 'webp' });
		const same = await page.evaluate(async ([u, v]) => {
			const x: Uint8Array = await (window as any).darkroom.fetchBytes(u);
			const y: Uint8Array = await (window as any).darkroom.fetchBytes(v);
			return x.length === y.length && x.every((e, i) => e === y[i]);
		}, [a.image_url, b.image_url]);
		expect(same).toBe(true);
	});
});

test('image.crop cuts the exact rectangle', async ({ page }) => {
	const r = await call(page, 'image.crop', { image: S1, x: 100, y: 50, width: 640, height: 360, format: 'png' });
	expect([r.width, r.height]).toEqual([640, 360]);
	// The crop's pixels equal the same region cropped by the browser from the original.
	const diff = await page.evaluate(async ({ src, url }) => {
		const orig = await createImageBitmap(new Blob([Uint8Array.from(atob(src), (c) => c.charCodeAt(0))]), { imageOrientation: 'from-image' });
		const c1 = new OffscreenCanvas(640, 360);
		c1.getContext('2d')!.drawImage(orig, 100, 50, 640, 360, 0, 0, 640, 360);
		const a = c1.getContext('2d')!.getImageData(0, 0, 640, 360).data;
		const out = await createImageBitmap(new Blob([await (window as any).darkroom.fetchBytes(url)]));
		const c2 = new OffscreenCanvas(640, 360);
		c2.getContext('2d')!.drawImage(out, 0, 0);
		const b = c2.getContext('2d')!.getImageData(0, 0, 640, 360).data;
		let sum = 0;
		for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
		return sum / a.length;
	}, { src: S1.base64, url: r.image_url });
	// Two different JPEG decoders (IDCT rounding) may differ by a level or two, no more.
	expect(diff).toBeLessThan(1.5);
});

test.describe('image.rotate', () => {
	test('90° swaps the sides', async ({ page }) => {
		const r = await call(page, 'image.rotate', { image: S1, degrees: 90 });
		expect([r.width, r.height]).toEqual([1280, 1920]);
	});
	test('45° grows the canvas and fills corners with the background', async ({ page }) => {
		const r = await call(page, 'image.rotate', { image: S1, degrees: 45, background: '#00ff00', format: 'png' });
		const side = Math.round((1920 + 1280) * Math.SQRT1_2);
		expect(Math.abs(r.width - side)).toBeLessThanOrEqual(2);
		expect(Math.abs(r.height - side)).toBeLessThanOrEqual(2);
		const px = await inspect(page, r.image_url, { corner: [0, 0], middle: [0.5, 0.5] });
		expect(px.at.corner).toEqual([0, 255, 0, 255]);
	});
	test('transparent background by default in PNG', async ({ page }) => {
		const r = await call(page, 'image.rotate', { image: S1, degrees: -30, format: 'png' });
		const px = await inspect(page, r.image_url, { corner: [0, 0], middle: [0.5, 0.5] });
		expect(px.at.corner[3]).toBe(0);
		expect(px.at.middle[3]).toBe(255);
	});
});

test('image.flip and image.flop mirror the pixels', async ({ page }) => {
	// A two-colour image built in the page: top half red, bottom half blue; left half bright.
	const src = await page.evaluate(async () => {
		const c = new OffscreenCanvas(64, 32);
		const g = c.getContext('2d')!;
		g.fillStyle = '#ff0000';
		g.fillRect(0, 0, 64, 16);
		g.fillStyle = '#0000ff';
		g.fillRect(0, 16, 64, 16);
		g.fillStyle = '#ffffff';
		g.fillRect(0, 0, 8, 32);
		const blob = await c.convertToBlob({ type: 'image/png' });
		return Array.from(new Uint8Array(await blob.arrayBuffer()));
	});
	const image = { base64: b64(Uint8Array.from(src)) };
	const flipped = await inspect(page, (await call(page, 'image.flip', { image })).image_url, { top: [0.5, 0.1], bottom: [0.5, 0.9] });
	expect(flipped.at.top).toEqual([0, 0, 255, 255]);
	expect(flipped.at.bottom).toEqual([255, 0, 0, 255]);
	const flopped = await inspect(page, (await call(page, 'image.flop', { image })).image_url, { left: [0.02, 0.1], right: [0.98, 0.1] });
	expect(flopped.at.right).toEqual([255, 255, 255, 255]);
	expect(flopped.at.left).toEqual([255, 0, 0, 255]);
});

test.describe('image.convert', () => {
	for (const format of ['jpeg', 'png', 'webp', 'avif'] as const) {
		test(`to ${format}: right signature and size, pixels close to the source`, async ({ page }) => {
			const small = await call(page, 'image.resize', { image: S1, width: 480, format: 'png' });
			const r = await call(page, 'image.convert', { image: small.image_url, format });
			expect(r.mime).toBe(`image/${format}`);
			const a = await inspect(page, small.image_url);
			const b = await inspect(page, r.image_url);
			expect(b.head).toMatch(SIGNATURE[format]);
			expect([b.width, b.height]).toEqual([480, 320]);
			for (let k = 0; k < 3; k++) expect(Math.abs(a.mean[k] - b.mean[k])).toBeLessThan(3);
		});
	}
});

test.describe('image.compress', () => {
	test('lower quality gives fewer bytes', async ({ page }) => {
		const hi = await call(page, 'image.compress', { image: S1, quality: 90 });
		const lo = await call(page, 'image.compress', { image: S1, quality: 30 });
		expect(lo.bytes).toBeLessThan(hi.bytes);
		expect([lo.width, lo.height]).toEqual([1920, 1280]);
	});
	test('target_bytes is met without changing the pixel size', async ({ page }) => {
		const r = await call(page, 'image.compress', { image: S1, target_bytes: 60_000, format: 'webp' });
		expect(r.bytes).toBeLessThanOrEqual(60_000);
		expect(r.bytes).toBeGreaterThan(30_000);
		expect([r.width, r.height]).toEqual([1920, 1280]);
		expect((await inspect(page, r.image_url)).head).toMatch(SIGNATURE.webp);
	});
	test('an unreachable target is 422 unless downscaling is allowed', async ({ page }) => {
		const err = await page.evaluate(async (s) => {
			try {
				await (window as any).darkroom.image.compress({ image: { base64: s }, target_bytes: 1500 });
				return null;
			} catch (e: any) {
				return { status: e.status, message: e.message };
			}
		}, S1.base64);
		expect(err?.status).toBe(422);
		expect(err?.message).toMatch(/target_bytes/);
		const r = await call(page, 'image.compress', { image: S1, target_bytes: 1500, allow_downscale: true });
		expect(r.bytes).toBeLessThanOrEqual(1500);
		expect(r.width).toBeLessThan(1920);
	});
});

test.describe('image.watermark', () => {
	test('text in the bottom-right corner (seed spelling bottom_right) changes only that corner', async ({ page }) => {
		const base = await call(page, 'image.resize', { image: S1, width: 800, format: 'png' });
		const r = await call(page, 'image.watermark', { image: base.image_url, text: '© Darkroom', position: 'bottom_right', opacity: 1, color: '#ff00ff', size: 40, format: 'png' });
		const diff = await changedQuadrants(page, base.image_url, r.image_url, 30);
		expect(diff[3]).toBeGreaterThan(200); // bottom-right
		expect(diff[0] + diff[1] + diff[2]).toBe(0);
	});

	test('Chinese text renders as glyphs, not empty boxes', async ({ page }) => {
		const base = await call(page, 'image.resize', { image: S1, width: 600, format: 'png' });
		// Tofu boxes for 5 different characters would be 5 identical outlines; real glyphs differ.
		const count = async (text: string) => {
			const r = await call(page, 'image.watermark', { image: base.image_url, text, position: 'center', opacity: 1, color: '#ffffff', size: 48, format: 'png' });
			const px = await inspect(page, r.image_url);
			return px.mean[0];
		};
		const a = await count('暗房水印');
		const b = await count('图像处理');
		expect(Math.abs(a - b)).toBeGreaterThan(0.01);
	});

	test('image watermark with opacity', async ({ page }) => {
		const logo = await page.evaluate(async () => {
			const c = new OffscreenCanvas(100, 50);
			const g = c.getContext('2d')!;
			g.fillStyle = '#00ff00';
			g.fillRect(0, 0, 100, 50);
			const blob = await c.convertToBlob({ type: 'image/png' });
			return Array.from(new Uint8Array(await blob.arrayBuffer()));
		});
		const base = await call(page, 'image.resize', { image: S1, width: 800, format: 'png' });
		const r = await call(page, 'image.watermark', { image: base.image_url, watermark_image: { base64: b64(Uint8Array.from(logo)) }, position: 'top-left', opacity: 1, size: 100, margin: 10, format: 'png' });
		const px = await inspect(page, r.image_url, { logo: [60 / 799, 35 / 532], away: [0.5, 0.5] });
		expect(px.at.logo).toEqual([0, 255, 0, 255]);
		expect(px.at.away).not.toEqual([0, 255, 0, 255]);
	});

	test('tiled mode covers the whole image', async ({ page }) => {
		const base = await call(page, 'image.resize', { image: S1, width: 600, format: 'png' });
		const r = await call(page, 'image.watermark', { image: base.image_url, text: 'DARKROOM', tiled: true, angle: 30, space: 40, opacity: 0.8, color: '#ff0000', size: 24, format: 'png' });
		const changed = await changedQuadrants(page, base.image_url, r.image_url, 20, true);
		for (const n of changed) expect(n).toBeGreaterThan(300);
	});
});

test.describe('image.process', () => {
	test('runs the ops in order and encodes once', async ({ page }) => {
		const r = await call(page, 'image.process', {
			image: S1,
			ops: [
				{ op: 'crop', params: { x: 0, y: 0, width: 1280, height: 1280 } },
				{ op: 'resize', params: { width: 500 } },
				{ op: 'rotate', params: { degrees: 90 } },
				{ op: 'compress', params: { quality: 70 } },
				{ op: 'convert', params: { format: 'webp' } }
			]
		});
		expect([r.width, r.height]).toEqual([500, 500]);
		expect(r.mime).toBe('image/webp');
		expect((await inspect(page, r.image_url)).head).toMatch(SIGNATURE.webp);
	});

	test('the seed example (input + resize + compress) works', async ({ page }) => {
		const r = await call(page, 'image.process', { input: S1, ops: [{ op: 'resize', params: { width: 800 } }, { op: 'compress', params: { quality: 80 } }] });
		expect([r.width, r.height]).toEqual([800, 533]);
		expect(r.mime).toBe('image/jpeg');
	});

	test('a bad op later in the list fails before any work, naming the op', async ({ page }) => {
		const e = await page.evaluate(async (s) => {
			try {
				await (window as any).darkroom.image.process({ image: { base64: s }, ops: [{ op: 'resize', params: { width: 100 } }, { op: 'crop', params: { x: 0, y: 0, width: 200, height: 10 } }] });
				return null;
			} catch (e: any) {
				return { status: e.status, message: e.message, param: e.param };
			}
		}, S1.base64);
		expect(e?.status).toBe(400);
		expect(e?.message).toMatch(/ops\[1\]/);
		expect(e?.message).toMatch(/100×67/);
	});
});

test('idempotency_key returns the same result without recomputing', async ({ page }) => {
	const a = await call(page, 'image.resize', { image: S1, width: 300, idempotency_key: 'k-1' });
	const b = await call(page, 'image.resize', { image: S1, width: 300, idempotency_key: 'k-1' });
	expect(b).toEqual(a);
	const c = await call(page, 'image.resize', { image: S1, width: 300 });
	expect(c.image_url).not.toBe(a.image_url);
	const e = await page.evaluate(async (s) => {
		try {
			await (window as any).darkroom.image.resize({ image: { base64: s }, width: 200, idempotency_key: 'k-1' });
		} catch (e: any) {
			return e.status;
		}
	}, S1.base64);
	expect(e).toBe(422);
});

test.describe('image.metadata', () => {
	test('reports size, MIME, EXIF, orientation, average colour and JPEG quality', async ({ page }) => {
		const m = await call(page, 'image.metadata', { image: S1 });
		expect(m).toMatchObject({ width: 1920, height: 1280, mime: 'image/jpeg', orientation: 1, frames: 1 });
		expect(String(m.exif.Make)).toMatch(/SONY/i);
		expect(typeof m.exif.latitude).toBe('number');
		expect(m.Ave).toMatch(/^0x[0-9a-f]{6}$/i);
		expect(m.jpeg_quality).toBeGreaterThan(50);
		expect(m.jpeg_quality).toBeLessThanOrEqual(100);
	});
	test('keep_metadata keeps EXIF, the default strips it', async ({ page }) => {
		const kept = await call(page, 'image.resize', { image: S1, width: 400, keep_metadata: true });
		const stripped = await call(page, 'image.resize', { image: S1, width: 400 });
		const mk = await call(page, 'image.metadata', { image: kept.image_url });
		const ms = await call(page, 'image.metadata', { image: stripped.image_url });
		expect(String(mk.exif?.Make)).toMatch(/SONY/i);
		expect(ms.exif?.Make).toBeUndefined();
		expect(ms.exif?.latitude).toBeUndefined();
	});
	test('dpi is written when asked', async ({ page }) => {
		for (const format of ['jpeg', 'png']) {
			const r = await call(page, 'image.resize', { image: S1, width: 400, dpi: 300, format });
			const m = await call(page, 'image.metadata', { image: r.image_url });
			expect(m.dpi).toBe(300);
		}
	});
});

test.describe('HivisionIDPhotos set_kb and watermark', () => {
	for (const kb of [20, 50, 300]) {
		test(`set_kb ${kb} gives exactly ${kb}×1024 bytes of valid JPEG, same pixel size`, async ({ page }) => {
			const r = await call(page, 'idphoto.set_kb', { input_image_base64: S1.base64, kb, dpi: 300 });
			expect(r.status).toBe(true);
			expect(r.image_base64).toMatch(/^data:image\/jpeg;base64,/);
			const px = await inspect(page, r.image_base64);
			expect(px.bytes).toBe(kb * 1024);
			expect(px.head).toMatch(SIGNATURE.jpeg);
			expect(px.tail.endsWith('ffd9')).toBe(true);
			expect([px.width, px.height]).toEqual([1920, 1280]);
			const m = await call(page, 'image.metadata', { image: r.image_base64 });
			expect(m.dpi).toBe(300);
		});
	}
	test('watermark tiles text with the seed defaults', async ({ page }) => {
		const small = await call(page, 'image.resize', { image: S1, width: 400, format: 'jpeg' });
		const r = await call(page, 'idphoto.watermark', { input_image: small.image_url, text: 'Hello', size: 20, opacity: 0.5, angle: 30, color: '#000000', space: 25 });
		const a = await inspect(page, small.image_url);
		const b = await inspect(page, r.image_base64);
		expect([b.width, b.height]).toEqual([a.width, a.height]);
		expect(b.mean[0]).toBeLessThan(a.mean[0] - 1); // black text darkens the image everywhere
	});
});
