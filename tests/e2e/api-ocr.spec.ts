/**
 * image.ocr through window.darkroom on the rendered fixtures of tests/fixtures/ocr/ (their text
 * is in expected.json): character accuracy with spaces ignored (the same measure and thresholds
 * as tests/unit/ocr-real.test.ts), boxes inside the image, the tilted line's box angle, the
 * upside-down line, confidences; no text on a photo without any; parameter validation.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { b64, call, callError, openApp, sample } from './helpers';
import { levenshtein } from '../../src/lib/features/wmremove/keywords';

const FIXTURES = 'tests/fixtures/ocr';
const expected = JSON.parse(readFileSync(`${FIXTURES}/expected.json`, 'utf8')) as Record<string, string[]>;
const fixture = (f: string) => ({ base64: b64(readFileSync(`${FIXTURES}/${f}`)) });

/** Minimum character accuracy (spaces ignored) per fixture, as in the unit test. */
const MIN_ACCURACY: Record<string, number> = {
	'en.png': 0.95,
	'zh.png': 0.95,
	'mixed.png': 0.9,
	'rotated15.png': 0.9,
	'upside-down.png': 0.85,
	'photo.jpg': 0.8
};


function charAccuracy(want: string, got: string): number {
	const norm = (s: string) => s.replace(/[ \t]+/g, '');
	const w = norm(want);
	return Math.max(0, 1 - levenshtein(w, norm(got)) / [...w].length);
}

test('image.ocr reads English, Chinese, mixed, tilted and upside-down text with boxes in the image', async ({ page }) => {
	test.setTimeout(300_000);
	await openApp(page);
	const results: Record<string, any> = {};
	for (const [file, lines] of Object.entries(expected)) {
		const t0 = Date.now();
		const r = await call(page, 'image.ocr', { image: fixture(file) });
		results[file] = r;
		const acc = charAccuracy(lines.join('\n'), r.text);
		console.log(`ocr ${file} ${r.width}×${r.height}: accuracy ${acc.toFixed(3)}, ${r.count} lines, ${Date.now() - t0} ms wall, worker ${r.ms} ms ${JSON.stringify(r.timings)} ${r.backend}`);
		expect(acc, file).toBeGreaterThanOrEqual(MIN_ACCURACY[file]);
		expect(r.lines.length, file).toBe(lines.length);
		expect(r.count).toBe(r.lines.length);
		expect(r.text).toBe(r.lines.map((l: any) => l.text).join('\n'));
		expect(r).toMatchObject({ model: 'pp-ocrv4', min_confidence: 0.5 });
		expect(r.models).toEqual(['ppocr-det', 'ppocr-cls', 'ppocr-rec', 'ppocr-keys']);
		expect(r.ms).toBeGreaterThan(0);
		for (const l of r.lines) {
			expect(l.confidence).toBeGreaterThanOrEqual(0.5);
			expect(l.confidence).toBeLessThanOrEqual(1);
			expect(l.box).toHaveLength(4);
			for (const [x, y] of l.box) {
				expect(x).toBeGreaterThanOrEqual(0);
				expect(x).toBeLessThanOrEqual(r.width);
				expect(y).toBeGreaterThanOrEqual(0);
				expect(y).toBeLessThanOrEqual(r.height);
			}
			expect(l.bbox.x + l.bbox.width).toBeLessThanOrEqual(r.width + 0.1);
			expect(l.bbox.y + l.bbox.height).toBeLessThanOrEqual(r.height + 0.1);
		}
	}
	// The tilted line's box follows it (about 15°, counter-clockwise).
	const [tl, tr] = results['rotated15.png'].lines[0].box;
	const deg = (Math.atan2(tl[1] - tr[1], tr[0] - tl[0]) * 180) / Math.PI;
	expect(deg).toBeGreaterThan(10);
	expect(deg).toBeLessThan(20);
	// The direction classifier turned the upside-down line, and nothing in the upright text.
	expect(results['upside-down.png'].lines[0].flipped).toBe(true);
	expect(results['en.png'].lines.some((l: any) => l.flipped)).toBe(false);
	// Lines come in reading order: top to bottom.
	const tops = results['en.png'].lines.map((l: any) => l.bbox.y);
	expect([...tops].sort((a, b) => a - b)).toEqual(tops);

	// Options: detect_direction false reads the upside-down line as it is (worse or not at all).
	const raw = await call(page, 'image.ocr', { image: fixture('upside-down.png'), detect_direction: false, min_confidence: 0 });
	expect(raw.models).toEqual(['ppocr-det', 'ppocr-rec', 'ppocr-keys']);
	expect(raw.lines.some((l: any) => l.flipped)).toBe(false);
	expect(charAccuracy(expected['upside-down.png'].join('\n'), raw.text)).toBeLessThan(0.5);
	// min_confidence 1 drops every line that is not read with certainty.
	const strict = await call(page, 'image.ocr', { image: fixture('en.png'), min_confidence: 1 });
	for (const l of strict.lines) expect(l.confidence).toBe(1);
	expect(strict.min_confidence).toBe(1);
});

test('image.ocr finds no text in a photo without any, and honours EXIF orientation', async ({ page }) => {
	test.setTimeout(180_000);
	await openApp(page);
	const r = await call(page, 'image.ocr', { image: { base64: b64(sample(1)) } });
	console.log(`ocr sample1 ${r.width}×${r.height}: ${r.count} lines ${JSON.stringify(r.text)}, worker ${r.ms} ms`);
	expect(r.lines).toEqual([]);
	expect(r.text).toBe('');
	expect([r.width, r.height]).toEqual([1920, 1280]);

	// A blob input works too, and a rendered canvas with no text gives no lines.
	const blank = await page.evaluate(async () => {
		const c = new OffscreenCanvas(640, 400);
		const g = c.getContext('2d')!;
		const grad = g.createLinearGradient(0, 0, 640, 400);
		grad.addColorStop(0, '#3366aa');
		grad.addColorStop(1, '#ffcc88');
		g.fillStyle = grad;
		g.fillRect(0, 0, 640, 400);
		return (window as any).darkroom.image.ocr({ image: await c.convertToBlob({ type: 'image/png' }) });
	});
	expect(blank).toMatchObject({ text: '', lines: [], count: 0, width: 640, height: 400 });

	// en.png stored turned 90° anticlockwise with EXIF Orientation 6 (display turned clockwise):
	// read upright, with width, height and boxes in the oriented image.
	const stored = await page.evaluate(async (src) => {
		const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(src), (c) => c.charCodeAt(0))]));
		const c = new OffscreenCanvas(bmp.height, bmp.width);
		const g = c.getContext('2d')!;
		g.translate(0, bmp.width);
		g.rotate(-Math.PI / 2);
		g.drawImage(bmp, 0, 0);
		const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.95 })).arrayBuffer());
		return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
	}, fixture('en.png').base64);
	const jpeg = Buffer.from(stored, 'base64');
	// APP1 "Exif", little-endian TIFF, one IFD entry: Orientation (0x0112) SHORT = 6.
	const exif = Buffer.from('ffe10022457869660000' + '49492a0008000000' + '0100' + '120103000100000006000000' + '00000000', 'hex');
	const oriented = Buffer.concat([jpeg.subarray(0, 2), exif, jpeg.subarray(2)]);
	const o = await call(page, 'image.ocr', { image: { base64: b64(oriented) } });
	expect([o.width, o.height]).toEqual([692, 168]);
	expect(charAccuracy(expected['en.png'].join('\n'), o.text)).toBeGreaterThanOrEqual(0.9);
	for (const l of o.lines) for (const [x, y] of l.box) expect(x <= o.width && y <= o.height && x >= 0 && y >= 0).toBe(true);
	expect(o.lines[0].bbox.width).toBeGreaterThan(o.lines[0].bbox.height * 5); // a wide line, not a tall one
});

test('image.ocr rejects bad parameters with 400 naming them, before reading the image, and a non-image with 415', async ({ page }) => {
	await openApp(page);
	const img = fixture('en.png');
	for (const [req, param] of [
		[{ image: img, min_confidence: 1.5 }, 'min_confidence'],
		[{ image: img, min_confidence: -0.1 }, 'min_confidence'],
		[{ image: img, min_confidence: '0.5' }, 'min_confidence'],
		[{ image: img, limit_side: 100 }, 'limit_side'],
		[{ image: img, limit_side: 960.5 }, 'limit_side'],
		[{ image: img, detect_direction: 'yes' }, 'detect_direction'],
		[{ image: img, language: 'en' }, 'language'],
		[{ image: img, min_conf: 0.5 }, 'min_conf'],
		// parameters are checked before the image: a bad parameter wins over a bad image
		[{ image: { base64: 'bm90IGFuIGltYWdl' }, limit_side: 0 }, 'limit_side'],
		[{}, 'image']
	] as const) {
		const e = await callError(page, 'image.ocr', req);
		expect(e, param).toMatchObject({ name: 'DarkroomError', status: 400, param });
		expect(e.message).toContain(param);
	}
	const notImage = await callError(page, 'image.ocr', { image: { base64: b64(Buffer.from('just some text, not an image')) } });
	expect(notImage.status).toBe(415);
	const caps = await page.evaluate(() => (window as any).darkroom.capabilities());
	expect(caps).toEqual(expect.arrayContaining([{ method: 'image.ocr', available: true }]));
});
