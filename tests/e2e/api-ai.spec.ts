import { test, expect, type Page } from '@playwright/test';
import { b64, call, callError, compareOutside, inspect, openApp, sample, SIGNATURE } from './helpers';

// The face-api demo photos: sample1 three women (1920×1280), sample2 three (1920×1367),
// sample5 five on a staircase (1920×1398), sample6 four (1920×1537).
const S = (n: number) => ({ base64: b64(sample(n)) });
// One person against window blinds: the left woman of sample6 (see tests/unit/matting-real.test.ts).
const PORTRAIT_CROP = { x: 0, y: 260, width: 590, height: 1200 };
const FACE = [0.58, 0.32] as [number, number];
const CHEST = [0.55, 0.47] as [number, number];
const BG_POINTS: Record<string, [number, number]> = { tl: [0.02, 0.02], tr: [0.97, 0.02], bl: [0.02, 0.98], ml: [0.03, 0.5] };

test.beforeEach(async ({ page }) => openApp(page));

/** The portrait crop as a PNG image_url (lossless, so later comparisons see the same pixels). */
async function portrait(page: Page): Promise<string> {
	return (await call(page, 'image.crop', { image: S(6), ...PORTRAIT_CROP, format: 'png' })).image_url;
}

test.describe('image.background_remove', () => {
	test.setTimeout(240_000);

	test('PNG cut-out: background transparent, subject opaque; model reported', async ({ page }) => {
		const r = await call(page, 'image.background_remove', { image: { url: await portrait(page) } });
		expect(r).toMatchObject({ mime: 'image/png', width: 590, height: 1200, model: 'isnet-small@1024' });
		const px = await inspect(page, r.image_url, { ...BG_POINTS, face: FACE, chest: CHEST });
		expect(px.head).toMatch(SIGNATURE.png);
		for (const k of Object.keys(BG_POINTS)) expect(px.at[k][3], k).toBeLessThanOrEqual(26);
		expect(px.at.face[3]).toBeGreaterThanOrEqual(230);
		expect(px.at.chest[3]).toBeGreaterThanOrEqual(230);
	});

	test('output mask is a grayscale matte', async ({ page }) => {
		const r = await call(page, 'image.background_remove', { image: { url: await portrait(page) }, output: 'mask' });
		const px = await inspect(page, r.image_url, { ...BG_POINTS, face: FACE, mid: [0.5, 0.6] });
		for (const [k, [R, G, B, A]] of Object.entries(px.at)) {
			expect(R === G && G === B, `${k} gray`).toBe(true);
			expect(A, k).toBe(255);
		}
		expect(px.at.face[0]).toBeGreaterThanOrEqual(230);
		expect(px.at.tl[0]).toBeLessThanOrEqual(26);
	});

	test('JPEG has no alpha: flattened on white', async ({ page }) => {
		const r = await call(page, 'image.background_remove', { image: { url: await portrait(page) }, format: 'jpeg' });
		expect(r.mime).toBe('image/jpeg');
		const px = await inspect(page, r.image_url, { ...BG_POINTS, face: FACE });
		expect(px.head).toMatch(SIGNATURE.jpeg);
		for (const k of Object.keys(BG_POINTS)) for (const c of px.at[k].slice(0, 3)) expect(c, k).toBeGreaterThanOrEqual(225);
		expect(Math.min(...px.at.face.slice(0, 3))).toBeLessThan(225); // the face is not white
	});

	test('an image background (any ImageRef) is cover-fitted behind the subject', async ({ page }) => {
		const blue = await page.evaluate(async () => {
			const c = new OffscreenCanvas(80, 60);
			const g = c.getContext('2d')!;
			g.fillStyle = '#0000ff';
			g.fillRect(0, 0, 80, 60);
			return URL.createObjectURL(await c.convertToBlob({ type: 'image/png' }));
		});
		const r = await call(page, 'image.background_remove', { image: { url: await portrait(page) }, background: { url: blue }, format: 'webp', lossless: true });
		expect(r).toMatchObject({ mime: 'image/webp', width: 590, height: 1200 });
		const px = await inspect(page, r.image_url, { tl: BG_POINTS.tl, ml: BG_POINTS.ml, face: FACE });
		for (const k of ['tl', 'ml']) {
			expect(px.at[k][2], k).toBeGreaterThanOrEqual(200);
			expect(px.at[k][0], k).toBeLessThanOrEqual(40);
			expect(px.at[k][3], k).toBe(255);
		}
		expect(px.at.face[0]).toBeGreaterThan(100); // skin
	});

	test('as an op of process, after a crop, on a colour background', async ({ page }) => {
		const r = await call(page, 'image.process', {
			image: S(6),
			ops: [{ op: 'crop', params: PORTRAIT_CROP }, { op: 'background_remove', params: { background: '#ff0000' } }]
		});
		expect(r).toMatchObject({ mime: 'image/png', width: 590, height: 1200, model: 'isnet-small@1024' });
		const px = await inspect(page, r.image_url, { tl: BG_POINTS.tl, face: FACE });
		expect(px.at.tl[0]).toBeGreaterThanOrEqual(230);
		expect(px.at.tl[1]).toBeLessThanOrEqual(25);
		expect(px.at.tl[3]).toBe(255);
		expect(px.at.face[3]).toBe(255);
		expect(px.at.face[1]).toBeGreaterThan(60); // skin, not red
	});
});


test.describe('image.face_blur', () => {
	test.setTimeout(180_000);

	test('blurs every face of a group photo and nothing else (PNG byte-identical outside)', async ({ page }) => {
		const ref = await call(page, 'image.convert', { image: S(5), format: 'png' });
		const r = await call(page, 'image.face_blur', { image: S(5), format: 'png' });
		expect(r).toMatchObject({ mime: 'image/png', width: 1920, height: 1398 });
		expect(r.faces).toBeGreaterThanOrEqual(5);
		expect(r.boxes).toHaveLength(r.faces);
		for (const b of r.boxes) {
			expect(b.source).toBe('face');
			expect(b.width).toBeGreaterThan(50);
		}
		const cmp = await compareOutside(page, ref.image_url, r.image_url, r.boxes);
		expect(cmp.outsideDiff).toBe(0);
		expect(cmp.insideChanged / cmp.insideTotal).toBeGreaterThan(0.5);
	});

	test('pixelate and box look different from gaussian and from each other', async ({ page }) => {
		const means: number[][] = [];
		for (const style of ['gaussian', 'pixelate', 'box']) {
			const r = await call(page, 'image.face_blur', { image: S(1), style, format: 'png' });
			expect(r.faces, style).toBeGreaterThanOrEqual(3);
			const b = r.boxes[0];
			const fx = (b.x + b.width / 2) / r.width, fy = (b.y + b.height / 2) / r.height;
			const px = await inspect(page, r.image_url, { c: [fx, fy], c2: [fx + (0.15 * b.width) / r.width, fy + (0.15 * b.height) / r.height] });
			means.push([...px.at.c.slice(0, 3), ...px.at.c2.slice(0, 3)]);
		}
		const dist = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0);
		expect(dist(means[0], means[1])).toBeGreaterThan(6);
		expect(dist(means[0], means[2])).toBeGreaterThan(60);
		expect(means[2].every((v) => v === 0)).toBe(true); // solid black box
	});

	test('detect: false blurs only the given regions; regions past the edge are clipped', async ({ page }) => {
		const ref = await call(page, 'image.convert', { image: S(1), format: 'png' });
		const regions = [{ x: 100, y: 100, width: 300, height: 200 }, { x: 1800, y: 1200, width: 400, height: 400 }];
		const r = await call(page, 'image.face_blur', { image: S(1), detect: false, regions, style: 'box', color: '#00ff00', format: 'png' });
		expect(r.faces).toBe(0);
		expect(r.boxes).toEqual([
			{ x: 100, y: 100, width: 300, height: 200, source: 'region' },
			{ x: 1800, y: 1200, width: 120, height: 80, source: 'region' }
		]);
		const cmp = await compareOutside(page, ref.image_url, r.image_url, r.boxes);
		expect(cmp.outsideDiff).toBe(0);
		const px = await inspect(page, r.image_url, { c: [250 / 1919, 200 / 1279] });
		expect(px.at.c).toEqual([0, 255, 0, 255]);
	});

	test('detect_faces gives the boxes face_blur blurs; a kept subset passed back as ellipse regions blurs only those', async ({ page }) => {
		const d = await call(page, 'image.detect_faces', { image: S(1) });
		expect(d).toMatchObject({ width: 1920, height: 1280, model: 'blazeface' });
		expect(d.count).toBe(d.faces.length);
		expect(d.count).toBeGreaterThanOrEqual(3);
		for (const f of d.faces) {
			expect(f.score).toBeGreaterThan(0.5);
			expect(f.keypoints.map((k: { name: string }) => k.name)).toContain('leftEye');
			expect(f.x + f.width).toBeLessThanOrEqual(1920);
		}
		// The same detector as face_blur: its face boxes are these boxes grown by the margin.
		const blurred = await call(page, 'image.face_blur', { image: S(1), format: 'png', margin: 0 });
		expect(blurred.faces).toBe(d.count);
		const centre = (b: { x: number; y: number; width: number; height: number }) => [b.x + b.width / 2, b.y + b.height / 2];
		for (const f of d.faces) expect(blurred.boxes.some((b: any) => Math.hypot(centre(b)[0] - centre(f)[0], centre(b)[1] - centre(f)[1]) < 4)).toBe(true);

		// Keep the first face only, as an ellipse: the other faces stay untouched.
		const keep = d.faces[0];
		const region = { x: Math.floor(keep.x), y: Math.floor(keep.y), width: Math.ceil(keep.width), height: Math.ceil(keep.height), shape: 'ellipse' };
		const ref = await call(page, 'image.convert', { image: S(1), format: 'png' });
		const one = await call(page, 'image.face_blur', { image: S(1), detect: false, regions: [region], format: 'png' });
		expect(one.boxes).toEqual([{ x: region.x, y: region.y, width: region.width, height: region.height, source: 'region' }]);
		const cmp = await compareOutside(page, ref.image_url, one.image_url, one.boxes);
		expect(cmp.outsideDiff).toBe(0);
		// An ellipse leaves the box's corners alone; a rect (the regions' default) does not.
		// (10 % in from the corner: outside the ellipse, inside the rounded box's soft edge.)
		const corner: Record<string, [number, number]> = { k: [(region.x + 0.1 * region.width) / 1919, (region.y + 0.1 * region.height) / 1279] };
		const src = await inspect(page, ref.image_url, corner);
		expect((await inspect(page, one.image_url, corner)).at.k).toEqual(src.at.k);
		const rect = await call(page, 'image.face_blur', { image: S(1), detect: false, regions: [{ ...region, shape: undefined }], style: 'box', color: '#ff00ff', format: 'png' });
		expect((await inspect(page, rect.image_url, corner)).at.k).not.toEqual(src.at.k);
		const bad = await callError(page, 'image.face_blur', { image: S(1), detect: false, regions: [{ ...region, shape: 'star' }] });
		expect(bad).toMatchObject({ status: 400, param: 'regions[0].shape' });
		const noImage = await callError(page, 'image.detect_faces', {});
		expect(noImage).toMatchObject({ status: 400, param: 'image' });
	});

	test('as an op of process', async ({ page }) => {
		const r = await call(page, 'image.process', { image: S(1), ops: [{ op: 'face_blur', params: { style: 'pixelate', strength: 80 } }, { op: 'resize', params: { width: 960 } }], format: 'webp' });
		expect(r).toMatchObject({ mime: 'image/webp', width: 960, height: 640 });
		expect(r.faces).toBeGreaterThanOrEqual(3);
	});
});

test.describe('image.smart_crop', () => {
	test.setTimeout(180_000);

	test('face target: exact aspect, every face inside the crop with headroom', async ({ page }) => {
		const faces = await page.evaluate((s) => (window as any).darkroom._debug.detectFaces({ base64: s }), S(1).base64);
		const r = await call(page, 'image.smart_crop', { image: S(1), aspect: '1:1', format: 'png' });
		expect(r).toMatchObject({ width: 1280, height: 1280, target_used: 'face' });
		expect(r.crop).toMatchObject({ width: 1280, height: 1280 });
		expect(r.faces).toBe(faces.faces.length);
		for (const f of faces.faces) {
			expect(f.box.x).toBeGreaterThanOrEqual(r.crop.x - 1);
			expect(f.box.x + f.box.width).toBeLessThanOrEqual(r.crop.x + r.crop.width + 1);
			// headroom: room for the top of the head above the face box
			expect(f.box.y - r.crop.y).toBeGreaterThanOrEqual(Math.min(f.box.y, 0.5 * f.box.height));
		}
		expect(r.faces_in_crop).toBe(r.faces);
		const px = await inspect(page, r.image_url);
		expect([px.width, px.height]).toEqual([1280, 1280]);
	});

	test('aspects are exact: 16:9, 4:5, 9:16', async ({ page }) => {
		const a = await call(page, 'image.smart_crop', { image: S(1), aspect: '16:9' });
		expect([a.width, a.height]).toEqual([1920, 1080]);
		const b = await call(page, 'image.smart_crop', { image: S(2), aspect: '4:5' });
		expect([b.width, b.height]).toEqual([1092, 1365]);
		expect(b.width * 5).toBe(b.height * 4);
		const c = await call(page, 'image.smart_crop', { image: S(5), aspect: '9:16', target: 'face' });
		expect(c.width * 16).toBe(c.height * 9);
		expect(c.target_used).toBe('face');
		expect(c.faces_in_crop).toBeGreaterThanOrEqual(1);
	});

	test('width scales the crop', async ({ page }) => {
		const r = await call(page, 'image.smart_crop', { image: S(1), aspect: '16:9', width: 640, format: 'webp' });
		expect(r).toMatchObject({ width: 640, height: 360, mime: 'image/webp' });
		expect(r.crop).toMatchObject({ width: 1920, height: 1080 });
	});

	test('no face: saliency is used, even when face was asked for', async ({ page }) => {
		// sample4 below the faces (dresses, jeans, hands): no face in it.
		const legs = await call(page, 'image.crop', { image: S(4), x: 0, y: 700, width: 1920, height: 748, format: 'png' });
		const r = await call(page, 'image.smart_crop', { image: { url: legs.image_url }, aspect: '1:1', target: 'face' });
		expect(r).toMatchObject({ width: 748, height: 748, target_used: 'saliency', faces: 0 });
		const auto = await call(page, 'image.smart_crop', { image: { url: legs.image_url }, aspect: '1:1' });
		expect(auto.target_used).toBe('saliency');
	});

	test('saliency finds the one colourful, detailed object in a plain scene', async ({ page }) => {
		// 1200×400 grey with a red and blue checkered block centred at x ≈ 960.
		const src = await page.evaluate(async () => {
			const c = new OffscreenCanvas(1200, 400);
			const g = c.getContext('2d')!;
			g.fillStyle = '#8a8a8a';
			g.fillRect(0, 0, 1200, 400);
			for (let y = 120; y < 280; y += 16) for (let x = 880; x < 1040; x += 16) {
				g.fillStyle = ((x + y) / 16) % 2 ? '#e02020' : '#2040e0';
				g.fillRect(x, y, 16, 16);
			}
			const b = await c.convertToBlob({ type: 'image/png' });
			const bytes = new Uint8Array(await b.arrayBuffer());
			let s = '';
			for (const x of bytes) s += String.fromCharCode(x);
			return btoa(s);
		});
		const r = await call(page, 'image.smart_crop', { image: { base64: src }, aspect: '1:1', target: 'saliency' });
		expect(r.target_used).toBe('saliency');
		expect(r.crop.width).toBe(400);
		expect(r.crop.x).toBeLessThanOrEqual(880);
		expect(r.crop.x + 400).toBeGreaterThanOrEqual(1040);
	});

	test('as an op of process, with a resize after it', async ({ page }) => {
		const r = await call(page, 'image.process', { image: S(6), ops: [{ op: 'smart_crop', params: { aspect: '4:5' } }, { op: 'resize', params: { width: 400 } }] });
		expect(r).toMatchObject({ width: 400, height: 500, target_used: 'face', mime: 'image/jpeg' });
	});
});

test.describe('bad parameters are a 400 naming them, before any decoding', () => {
	const NOT_AN_IMAGE = { base64: b64(Buffer.from('definitely not an image')) };
	const cases: [string, Record<string, unknown>, string][] = [
		['image.smart_crop', { aspect: 'wide' }, 'aspect'],
		['image.smart_crop', { aspect: '0:1' }, 'aspect'],
		['image.smart_crop', { aspect: 0 }, 'aspect'],
		['image.smart_crop', {}, 'aspect'],
		['image.smart_crop', { aspect: '1:1', target: 'body' }, 'target'],
		['image.smart_crop', { aspect: '16:9', width: 640, height: 640 }, 'height'],
		['image.face_blur', { style: 'swirl' }, 'style'],
		['image.face_blur', { strength: 150 }, 'strength'],
		['image.face_blur', { margin: -1 }, 'margin'],
		['image.face_blur', { regions: [{ x: 0, y: 0, width: 0, height: 10 }] }, 'regions[0].width'],
		['image.face_blur', { regions: 'all' }, 'regions'],
		['image.face_blur', { detect: false }, 'regions'],
		['image.face_blur', { color: 'plaid', style: 'box' }, 'color'],
		['image.background_remove', { output: 'alpha' }, 'output'],
		['image.background_remove', { background: 12 }, 'background'],
		['image.background_remove', { background: 'not-a-colour' }, 'background'],
		['image.background_remove', { output: 'mask', background: 'red' }, 'background']
	];
	for (const [method, params, param] of cases)
		test(`${method} ${JSON.stringify(params)} → ${param}`, async ({ page }) => {
			const e = await callError(page, method, { image: NOT_AN_IMAGE, ...params });
			expect(e).toMatchObject({ status: 400, code: 'invalid_parameter', param });
			expect(e.message).toContain(param.replace(/\[\d+\]\..*/, ''));
		});

	test('inside process, ops[i] is named', async ({ page }) => {
		const e = await callError(page, 'image.process', { image: NOT_AN_IMAGE, ops: [{ op: 'resize', params: { width: 100 } }, { op: 'smart_crop', params: { aspect: '3:0' } }] });
		expect(e).toMatchObject({ status: 400, param: 'ops[1].params.aspect' });
		const f = await callError(page, 'image.process', { image: NOT_AN_IMAGE, ops: [{ op: 'face_blur', params: { regions: [{ x: 0, y: 0, width: 5 }] } }] });
		expect(f).toMatchObject({ status: 400, param: 'ops[0].params.regions[0].height' });
	});

	test('a region wholly outside the image names it', async ({ page }) => {
		const e = await callError(page, 'image.face_blur', { image: S(1), detect: false, regions: [{ x: 5000, y: 0, width: 10, height: 10 }] });
		expect(e).toMatchObject({ status: 400, param: 'regions[0]' });
	});
});
