import { test, expect, type Page } from '@playwright/test';
import { b64, call, callError, inspect, openApp, sample, SIGNATURE } from './helpers';

/** Alpha statistics of a data URL image, measured in the page. */
async function alphaProfile(page: Page, dataUrl: string) {
	return page.evaluate(async (url) => {
		const bytes = Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0));
		const bmp = await createImageBitmap(new Blob([bytes]), { premultiplyAlpha: 'none' });
		const c = new OffscreenCanvas(bmp.width, bmp.height);
		c.getContext('2d')!.drawImage(bmp, 0, 0);
		const d = c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height).data;
		const a = (x: number, y: number) => d[(y * bmp.width + x) * 4 + 3];
		let top = -1;
		for (let y = 0; y < bmp.height && top < 0; y++) {
			let n = 0;
			for (let x = Math.round(bmp.width * 0.3); x < Math.round(bmp.width * 0.7); x++) if (a(x, y) > 127) n++;
			if (n > bmp.width * 0.04) top = y;
		}
		return { width: bmp.width, height: bmp.height, corners: [a(2, 2), a(bmp.width - 3, 2)], centre: a(bmp.width >> 1, bmp.height >> 1), headTop: top };
	}, dataUrl);
}

test('ID photos end to end: idphoto, add_background, generate_layout_photos, human_matting, idphoto_crop', async ({ page }) => {
	test.setTimeout(400_000);
	await openApp(page);
	// One person from a real group photo: the woman on the left of sample6.
	const person = await call(page, 'image.crop', { image: { base64: b64(sample(6)) }, x: 0, y: 260, width: 590, height: 1200, format: 'jpeg' });

	const id = await call(page, 'idphoto.idphoto', { input_image: person.image_url, height: 413, width: 295 });
	expect(id.status).toBe(true);
	expect(id.image_base64_standard).toMatch(/^data:image\/png;base64,/);
	const std = await alphaProfile(page, id.image_base64_standard);
	expect([std.width, std.height]).toEqual([295, 413]);
	expect(std.corners).toEqual([0, 0]); // background removed
	expect(std.centre).toBe(255); // the face is opaque
	// Head top inside [top_distance_min, top_distance_max] × height = [41, 50] px, with a few px of matte tolerance.
	expect(std.headTop).toBeGreaterThanOrEqual(41 - 4);
	expect(std.headTop).toBeLessThanOrEqual(50 + 4);
	const hd = await alphaProfile(page, id.image_base64_hd);
	expect(Math.abs(hd.width / hd.height - 295 / 413)).toBeLessThan(0.01);
	expect(hd.width).toBeGreaterThanOrEqual(295);

	// Background colour, then check where the face sits on the finished photo.
	const bg = await call(page, 'idphoto.add_background', { input_image_base64: id.image_base64_standard, color: '638cce', render: 0, dpi: 300 });
	const px = await inspect(page, bg.image_base64, { tl: [0.02, 0.02], tr: [0.98, 0.02] });
	expect(px.head).toMatch(SIGNATURE.jpeg);
	for (const c of [px.at.tl, px.at.tr]) {
		expect(Math.abs(c[0] - 0x63)).toBeLessThan(6);
		expect(Math.abs(c[1] - 0x8c)).toBeLessThan(6);
		expect(Math.abs(c[2] - 0xce)).toBeLessThan(6);
	}
	const faces = await page.evaluate((u) => (window as any).darkroom._debug.detectFaces(u), bg.image_base64);
	expect(faces.faces).toHaveLength(1);
	const f = faces.faces[0].box;
	expect(Math.abs((f.x + f.width / 2) / 295 - 0.5)).toBeLessThan(0.06); // centred
	expect(Math.abs((f.width * f.height) / (295 * 413) - 0.2)).toBeLessThan(0.06); // head_measure_ratio
	// head_height_ratio (0.45) places the face, but HivisionIDPhotos lets the head-top band win: long hair
	// above the face pushes it lower, never higher.
	const cy = (f.y + f.height / 2) / 413;
	expect(cy).toBeGreaterThan(0.45 - 0.04);
	expect(cy).toBeLessThan(0.6);

	// Render modes, seen on a fully transparent input: 1 = colour at the top fading to white at the
	// bottom, 2 = white centre fading to the colour at the edges.
	const clear = await page.evaluate(async () => {
		const canvas = new OffscreenCanvas(120, 200);
		canvas.getContext('2d')!.clearRect(0, 0, 120, 200);
		const blob = await canvas.convertToBlob({ type: 'image/png' });
		const b = new Uint8Array(await blob.arrayBuffer());
		return btoa(String.fromCharCode(...b));
	});
	const r1 = await call(page, 'idphoto.add_background', { input_image_base64: clear, color: '#ff0000', render: 1 });
	const g1 = await inspect(page, r1.image_base64, { top: [0.5, 0], bottom: [0.5, 1] });
	expect(g1.at.top[1]).toBeLessThan(20);
	expect(g1.at.bottom[1]).toBeGreaterThan(235);
	const r2 = await call(page, 'idphoto.add_background', { input_image_base64: clear, color: '#ff0000', render: 2 });
	const g2 = await inspect(page, r2.image_base64, { centre: [0.5, 0.5], corner: [0, 0] });
	expect(g2.at.centre[1]).toBeGreaterThan(235);
	expect(g2.at.corner[1]).toBeLessThan(20);

	// Exact KB.
	const kb = await call(page, 'idphoto.add_background', { input_image_base64: id.image_base64_standard, color: '638cce', kb: 40 });
	expect((await inspect(page, kb.image_base64)).bytes).toBe(40 * 1024);

	// Six-inch sheet: 1205×1795 at 300 dpi, 1-inch photos as many as fit (11).
	const sheet = await call(page, 'idphoto.generate_layout_photos', { input_image_base64: bg.image_base64, height: 413, width: 295, dpi: 300 });
	const s = await inspect(page, sheet.image_base64);
	expect([Math.min(s.width, s.height), Math.max(s.width, s.height)]).toEqual([1205, 1795]);
	expect(sheet.count).toBe(11);
	const sheetKb = await call(page, 'idphoto.generate_layout_photos', { input_image_base64: bg.image_base64, kb: 300 });
	expect((await inspect(page, sheetKb.image_base64)).bytes).toBe(300 * 1024);

	// Matting alone, then idphoto_crop from that matte.
	const matte = await call(page, 'idphoto.human_matting', { input_image: person.image_url, human_matting_model: 'birefnet-v1-lite' });
	expect(matte.model_used).toMatch(/isnet/);
	const m = await alphaProfile(page, matte.image_base64);
	expect([m.width, m.height]).toEqual([590, 1200]);
	expect(m.corners[0]).toBeLessThan(30);
	// The fast mode is a different network (person segmentation + guided filter), and agrees on the person.
	const fast = await call(page, 'idphoto.human_matting', { input_image: person.image_url, human_matting_model: 'hivision_modnet' });
	expect(fast.model_used).toMatch(/^selfie-seg@\d+.*guided/);
	const fm = await alphaProfile(page, fast.image_base64);
	expect([fm.width, fm.height]).toEqual([590, 1200]);
	expect(fm.corners[0]).toBeLessThan(30);
	expect(fm.centre).toBeGreaterThan(200);
	const crop = await call(page, 'idphoto.idphoto_crop', { input_image_base64: matte.image_base64, height: 579, width: 413 });
	const c2 = await alphaProfile(page, crop.image_base64_standard);
	expect([c2.width, c2.height]).toEqual([413, 579]);
	expect(c2.centre).toBe(255);
});

test('ID photo errors say what is wrong', async ({ page }) => {
	test.setTimeout(120_000);
	await openApp(page);
	const many = await callError(page, 'idphoto.idphoto', { input_image_base64: b64(sample(1)) });
	expect(many.status).toBe(422);
	expect(many.message).toMatch(/Found 3 faces/);
	// A flat image has no face.
	const flat = await call(page, 'image.resize', { image: { base64: b64(sample(1)) }, width: 64, height: 64, fit: 'fill' });
	const none = await callError(page, 'idphoto.idphoto', { input_image: flat.image_url });
	expect(none.status).toBe(422);
	expect(none.message).toMatch(/No face/);
	const bad = await callError(page, 'idphoto.idphoto', { input_image_base64: b64(sample(1)), head_measure_ratio: 2 });
	expect(bad).toMatchObject({ status: 400, param: 'head_measure_ratio' });
	const noInput = await callError(page, 'idphoto.add_background', { color: 'fff' });
	expect(noInput).toMatchObject({ status: 400, param: 'input_image' });
});

/** Mean luma (BT.601) of the opaque pixels in a fractional rectangle of a data URL image. */
async function regionLuma(page: Page, dataUrl: string, [fx0, fy0, fx1, fy1]: [number, number, number, number]) {
	return page.evaluate(
		async ({ url, r }) => {
			const bytes = Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0));
			const bmp = await createImageBitmap(new Blob([bytes]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
			const c = new OffscreenCanvas(bmp.width, bmp.height);
			c.getContext('2d')!.drawImage(bmp, 0, 0);
			const d = c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height).data;
			let s = 0,
				n = 0;
			for (let y = Math.round(r[1] * bmp.height); y < Math.round(r[3] * bmp.height); y++)
				for (let x = Math.round(r[0] * bmp.width); x < Math.round(r[2] * bmp.width); x++) {
					const i = (y * bmp.width + x) * 4;
					if (d[i + 3] < 250) continue;
					s += 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
					n++;
				}
			return { luma: s / Math.max(1, n), n, corner: d[3] };
		},
		{ url: dataUrl, r: [fx0, fy0, fx1, fy1] }
	);
}

test('ID photo adjustments: HivisionIDPhotos’ brightness/contrast/sharpen/saturation/whitening on the photos', async ({ page }) => {
	test.setTimeout(400_000);
	await openApp(page);
	// Bad values are refused before any work, naming the parameter and its range.
	const bad = await callError(page, 'idphoto.idphoto', { input_image_base64: b64(sample(1)), brightness_strength: 30 });
	expect(bad).toMatchObject({ status: 400, param: 'brightness_strength' });
	expect(bad.message).toBe('Expected number between -5 and 25 for brightness_strength but received 30 of type number');
	expect(await callError(page, 'idphoto.idphoto', { input_image_base64: b64(sample(1)), whitening_strength: 'very' })).toMatchObject({ status: 400, param: 'whitening_strength' });
	expect(await callError(page, 'idphoto.idphoto', { input_image_base64: b64(sample(1)), sharpen_strength: 6 })).toMatchObject({ status: 400, param: 'sharpen_strength' });
	expect(await callError(page, 'idphoto.adjust', { input_image_base64: b64(sample(1)), contrast_strength: -20 })).toMatchObject({ status: 400, param: 'contrast_strength' });

	const person = await call(page, 'image.crop', { image: { base64: b64(sample(6)) }, x: 0, y: 260, width: 590, height: 1200, format: 'jpeg' });
	const plain = await call(page, 'idphoto.idphoto', { input_image: person.image_url, height: 413, width: 295 });
	// All five at 0 (as form strings, too) is exactly no adjustment.
	const zero = await call(page, 'idphoto.idphoto', { input_image: person.image_url, height: 413, width: 295, whitening_strength: '0', brightness_strength: 0, contrast_strength: '0', sharpen_strength: 0, saturation_strength: 0 });
	expect(zero.image_base64_standard).toBe(plain.image_base64_standard);
	expect(zero.image_base64_hd).toBe(plain.image_base64_hd);

	// Brightness raises the face region's luma on both photos; the background stays transparent.
	const FACE: [number, number, number, number] = [0.35, 0.3, 0.65, 0.6];
	const bright = await call(page, 'idphoto.idphoto', { input_image: person.image_url, height: 413, width: 295, brightness_strength: 15 });
	const [p0, b0] = [await regionLuma(page, plain.image_base64_standard, FACE), await regionLuma(page, bright.image_base64_standard, FACE)];
	expect(p0.n).toBeGreaterThan(3000);
	expect(b0.luma).toBeGreaterThan(p0.luma + 8);
	expect(b0.corner).toBe(0);
	const [ph, bh] = [await regionLuma(page, plain.image_base64_hd, FACE), await regionLuma(page, bright.image_base64_hd, FACE)];
	expect(bh.luma).toBeGreaterThan(ph.luma + 8);

	// idphoto.adjust re-applies them to a finished transparent photo (what the page's sliders use).
	const whiter = await call(page, 'idphoto.adjust', { input_image_base64: plain.image_base64_standard, whitening_strength: 10 });
	expect(whiter.image_base64).toMatch(/^data:image\/png;base64,/);
	const w0 = await regionLuma(page, whiter.image_base64, FACE);
	expect(w0.luma).toBeGreaterThan(p0.luma + 5);
	expect(w0.corner).toBe(0);
	const again = await call(page, 'idphoto.adjust', { input_image_base64: plain.image_base64_standard, brightness_strength: 15 });
	expect(Math.abs((await regionLuma(page, again.image_base64, FACE)).luma - b0.luma)).toBeLessThan(1);
});
