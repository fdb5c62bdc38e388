import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { call, callError, openApp } from './helpers';

/**
 * Every input format and variant the product promises, decoded in a real browser
 * and compared with the picture it was made from (tests/fixtures/formats/make.sh).
 * base.png: 96×64, a red 16×16 marker in the top-left corner. alpha.png: the same
 * picture with an alpha ramp from 0 (left) to 255 (right).
 */
const DIR = 'tests/fixtures/formats';
const read = (f: string) => readFileSync(`${DIR}/${f}`).toString('base64');

interface Compared {
	width: number;
	height: number;
	/** mean |Δ| over R, G, B where both alphas are > 128 */
	meanRgb: number;
	/** max |Δ| of alpha */
	maxAlpha: number;
	/** RGBA of the output at its top-left marker (8, 8) */
	marker: number[];
}

/** Converts the fixture to PNG with darkroom and compares it, in the page, with a reference PNG. */
async function decodeAndCompare(page: Page, fixture: string, reference = 'base.png', opts: { gray?: boolean } = {}): Promise<Compared> {
	const r = await call(page, 'image.convert', { image: { base64: read(fixture) }, format: 'png' });
	return page.evaluate(
		async ({ url, ref, gray }) => {
			const pixels = async (bytes: Uint8Array) => {
				const bmp = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
				const c = new OffscreenCanvas(bmp.width, bmp.height);
				const g = c.getContext('2d')!;
				g.drawImage(bmp, 0, 0);
				return g.getImageData(0, 0, bmp.width, bmp.height);
			};
			const out = await pixels(await (window as any).darkroom.fetchBytes(url));
			const want = await pixels(Uint8Array.from(atob(ref), (c) => c.charCodeAt(0)));
			let sum = 0;
			let n = 0;
			let maxAlpha = 0;
			const same = out.width === want.width && out.height === want.height;
			if (same)
				for (let i = 0; i < out.data.length; i += 4) {
					maxAlpha = Math.max(maxAlpha, Math.abs(out.data[i + 3] - want.data[i + 3]));
					if (out.data[i + 3] <= 128 || want.data[i + 3] <= 128) continue;
					for (let k = 0; k < 3; k++) {
						const w = gray ? Math.round(0.299 * want.data[i] + 0.587 * want.data[i + 1] + 0.114 * want.data[i + 2]) : want.data[i + k];
						sum += Math.abs(out.data[i + k] - w);
						n++;
					}
				}
			const m = (8 * out.width + 8) * 4;
			return { width: out.width, height: out.height, meanRgb: same ? sum / Math.max(1, n) : Infinity, maxAlpha, marker: Array.from(out.data.subarray(m, m + 4)) };
		},
		{ url: r.image_url, ref: read(reference), gray: !!opts.gray }
	);
}

test.beforeEach(async ({ page }) => openApp(page));

const RED = (c: Compared) => c.marker[0] > 200 && c.marker[1] < 60 && c.marker[2] < 60;

// [fixture, mime, tolerance in mean levels, extra expectations]
const STILLS: [string, string, number, { gray?: boolean; alpha?: boolean }?][] = [
	['jpeg-baseline.jpg', 'image/jpeg', 4],
	['jpeg-progressive.jpg', 'image/jpeg', 4],
	['jpeg-gray.jpg', 'image/jpeg', 3, { gray: true }],
	['jpeg-cmyk.jpg', 'image/jpeg', 6],
	['png-palette.png', 'image/png', 6],
	['png-16bit.png', 'image/png', 1],
	['png-gray.png', 'image/png', 3, { gray: true }],
	['webp-lossy.webp', 'image/webp', 5],
	['avif.avif', 'image/avif', 5],
	['gif-still.gif', 'image/gif', 6],
	['bmp-24.bmp', 'image/bmp', 0.01],
	['bmp-8.bmp', 'image/bmp', 6],
	['bmp-8-rle.bmp', 'image/bmp', 6]
];

for (const [fixture, mime, tolerance, extra] of STILLS) {
	test(`decodes ${fixture}`, async ({ page }) => {
		const m = await call(page, 'image.metadata', { image: { base64: read(fixture) } });
		expect(m).toMatchObject({ mime, width: 96, height: 64, frames: 1 });
		const c = await decodeAndCompare(page, fixture, 'base.png', { gray: extra?.gray });
		expect([c.width, c.height]).toEqual([96, 64]);
		expect(c.maxAlpha).toBe(0); // opaque stays opaque
		expect(c.meanRgb).toBeLessThan(tolerance);
		if (!extra?.gray) expect(RED(c), `marker ${c.marker}`).toBe(true);
	});
}

for (const fixture of ['webp-lossless-alpha.webp', 'bmp-32-alpha.bmp'] as const) {
	test(`${fixture}: semi-transparency survives exactly`, async ({ page }) => {
		const m = await call(page, 'image.metadata', { image: { base64: read(fixture) } });
		expect(m.has_alpha).toBe(true);
		const c = await decodeAndCompare(page, fixture, 'alpha.png');
		expect(c.maxAlpha).toBe(0);
		expect(c.meanRgb).toBeLessThan(0.5);
	});
}

test('grayscale PNGs (with and without alpha) decode exactly as the browser decodes them', async ({ page }) => {
	for (const f of ['png-gray.png', 'png-gray-alpha.png']) {
		// The browser's own PNG decoder is exact for opaque pixels: ours must match it to the bit.
		const self = await decodeAndCompare(page, f, f);
		expect(self.meanRgb, f).toBe(0);
		expect(self.maxAlpha, f).toBe(0);
	}
	// and the content is base's picture in gray, the alpha ramp intact
	const c = await decodeAndCompare(page, 'png-gray-alpha.png', 'alpha.png', { gray: true });
	expect(c.maxAlpha).toBe(0);
	expect(c.meanRgb).toBeLessThan(3);
});

test('png tRNS: the transparent palette entry is transparent', async ({ page }) => {
	const m = await call(page, 'image.metadata', { image: { base64: read('png-trns.png') } });
	expect(m.has_alpha).toBe(true);
	const c = await decodeAndCompare(page, 'png-trns.png');
	expect(c.marker[3]).toBe(0);
});

for (const [fixture, mime] of [['webp-animated.webp', 'image/webp'], ['gif-animated.gif', 'image/gif']] as const) {
	test(`${fixture}: first frame, frame count reported`, async ({ page }) => {
		const m = await call(page, 'image.metadata', { image: { base64: read(fixture) } });
		expect(m).toMatchObject({ mime, width: 96, height: 64, frames: 3 });
		const c = await decodeAndCompare(page, fixture);
		expect(c.meanRgb).toBeLessThan(6);
		expect(RED(c)).toBe(true);
	});
}

test('AVIF irot: shown turned 90° anticlockwise', async ({ page }) => {
	const m = await call(page, 'image.metadata', { image: { base64: read('avif-irot.avif') } });
	expect([m.width, m.height]).toEqual([64, 96]);
	const r = await call(page, 'image.convert', { image: { base64: read('avif-irot.avif') }, format: 'png' });
	expect([r.width, r.height]).toEqual([64, 96]);
	// base's top-left marker ends up bottom-left after a quarter turn anticlockwise
	const marker = await page.evaluate(async (url) => {
		const bmp = await createImageBitmap(new Blob([await (window as any).darkroom.fetchBytes(url)]));
		const c = new OffscreenCanvas(bmp.width, bmp.height);
		c.getContext('2d')!.drawImage(bmp, 0, 0);
		return Array.from(c.getContext('2d')!.getImageData(8, bmp.height - 9, 1, 1).data);
	}, r.image_url);
	expect(marker[0]).toBeGreaterThan(200);
	expect(marker[1]).toBeLessThan(60);
});

for (const o of [1, 2, 3, 4, 5, 6, 7, 8]) {
	test(`EXIF orientation ${o} is applied on decode and reported`, async ({ page }) => {
		const m = await call(page, 'image.metadata', { image: { base64: read(`orient-${o}.jpg`) } });
		expect(m.orientation).toBe(o);
		expect([m.width, m.height]).toEqual([96, 64]);
		expect([m.stored_width, m.stored_height]).toEqual(o >= 5 ? [64, 96] : [96, 64]);
		const c = await decodeAndCompare(page, `orient-${o}.jpg`);
		expect(c.meanRgb).toBeLessThan(4);
		expect(RED(c), `marker ${c.marker}`).toBe(true);
	});
}

test('a wide-gamut (Adobe RGB) JPEG is converted to sRGB on decode', async ({ page }) => {
	const managed = await decodeAndCompare(page, 'jpeg-adobergb.jpg');
	// The same file with its ICC profile cut out: the raw Adobe RGB numbers.
	const bytes = readFileSync(`${DIR}/jpeg-adobergb.jpg`);
	const parts: Buffer[] = [bytes.subarray(0, 2)];
	let i = 2;
	while (i < bytes.length && bytes[i] === 0xff && bytes[i + 1] !== 0xda) {
		const len = bytes.readUInt16BE(i + 2);
		if (bytes[i + 1] !== 0xe2) parts.push(bytes.subarray(i, i + 2 + len));
		i += 2 + len;
	}
	parts.push(bytes.subarray(i));
	const raw = await call(page, 'image.convert', { image: { base64: Buffer.concat(parts).toString('base64') }, format: 'png' });
	const rawDiff = await page.evaluate(
		async ({ a, ref }) => {
			const px = async (b: Uint8Array) => {
				const bmp = await createImageBitmap(new Blob([b as Uint8Array<ArrayBuffer>]), { colorSpaceConversion: 'none' });
				const c = new OffscreenCanvas(bmp.width, bmp.height);
				c.getContext('2d')!.drawImage(bmp, 0, 0);
				return c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height).data;
			};
			const x = await px(await (window as any).darkroom.fetchBytes(a));
			const y = await px(Uint8Array.from(atob(ref), (c) => c.charCodeAt(0)));
			let s = 0;
			for (let k = 0; k < x.length; k += 4) s += Math.abs(x[k] - y[k]) + Math.abs(x[k + 1] - y[k + 1]) + Math.abs(x[k + 2] - y[k + 2]);
			return s / ((x.length / 4) * 3);
		},
		{ a: raw.image_url, ref: read('base.png') }
	);
	expect(rawDiff, 'the fixture must really hold non-sRGB numbers').toBeGreaterThan(4);
	expect(managed.meanRgb).toBeLessThan(3);
	expect(managed.meanRgb).toBeLessThan(rawDiff / 2);
});

const ALL = [...STILLS.map((s) => s[0]), 'webp-lossless-alpha.webp', 'bmp-32-alpha.bmp', 'png-trns.png', 'webp-animated.webp', 'gif-animated.gif', 'avif.avif'];
const NAME: Record<string, RegExp> = { jpeg: /JPEG/, png: /PNG/, webp: /WebP/i, avif: /AVIF/, gif: /GIF/, bmp: /BMP/ };

test('every format cut short is a 400 naming the format, never a partial image', async ({ page }) => {
	for (const f of ALL) {
		const bytes = readFileSync(`${DIR}/${f}`);
		const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
		const e = await callError(page, 'image.convert', { image: { base64: cut.toString('base64') }, format: 'png' });
		const kind = f.split(/[-.]/)[0];
		expect(e.status, f).toBe(400);
		expect(e.code, f).toBe('invalid_image');
		expect(e.message, f).toMatch(NAME[kind]);
	}
});
