import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { b64, call, callError, inspect, openApp, SIGNATURE } from './helpers';

/**
 * Every input format and variant Darkroom promises, decoded in a real browser: for each
 * fixture, image.metadata's facts and image.convert({ format: 'png' })'s pixels, checked
 * against what the fixture was made from (tests/fixtures/formats/make.sh).
 *
 * The expected pixels come from 8-bit truecolour reference PNGs, and Darkroom's PNG output
 * is read back, both by the small PNG reader below (in Node, so no browser colour
 * management or premultiplied canvas rounds anything): alpha is compared exactly.
 *
 * ref.png: 63 x 45, a crop of sample1.jpg with a pure red 16 x 12 marker in its top-left.
 */
const DIR = 'tests/fixtures/formats';
const file = (f: string): Buffer => readFileSync(`${DIR}/${f}`);

// ---------------------------------------------------------------------------------------
// Pixels

interface Px {
	width: number;
	height: number;
	/** RGBA, 8 bits per channel, not premultiplied */
	data: Uint8Array;
}

const ADAM7 = [
	[0, 0, 8, 8],
	[4, 0, 8, 8],
	[0, 4, 4, 8],
	[2, 0, 4, 4],
	[0, 2, 2, 4],
	[1, 0, 2, 2],
	[0, 1, 1, 2]
];

/** A complete PNG reader (every colour type and bit depth, tRNS, Adam7) for checking output. */
function readPng(buf: Uint8Array): Px {
	const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
	if (b.toString('hex', 0, 8) !== '89504e470d0a1a0a') throw new Error('not a PNG');
	let o = 8;
	let ihdr: Buffer | undefined;
	let plte: Buffer | undefined;
	let trns: Buffer | undefined;
	const idat: Buffer[] = [];
	while (o + 8 <= b.length) {
		const len = b.readUInt32BE(o);
		const type = b.toString('latin1', o + 4, o + 8);
		const d = b.subarray(o + 8, o + 8 + len);
		if (type === 'IHDR') ihdr = d;
		else if (type === 'PLTE') plte = d;
		else if (type === 'tRNS') trns = d;
		else if (type === 'IDAT') idat.push(d);
		else if (type === 'IEND') break;
		o += 12 + len;
	}
	if (!ihdr) throw new Error('no IHDR');
	const width = ihdr.readUInt32BE(0);
	const height = ihdr.readUInt32BE(4);
	const depth = ihdr[8];
	const ct = ihdr[9];
	const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[ct];
	const raw = inflateSync(Buffer.concat(idat));
	const out = new Uint8Array(width * height * 4);
	const bpp = Math.max(1, (channels * depth) >> 3);
	const max = (1 << depth) - 1;
	const to8 = (v: number) => (depth === 8 ? v : depth === 16 ? Math.round(v / 257) : Math.round((v * 255) / max));
	let p = 0;
	for (const [x0, y0, dx, dy] of ihdr[12] === 1 ? ADAM7 : [[0, 0, 1, 1]]) {
		const pw = Math.ceil((width - x0) / dx);
		const ph = Math.ceil((height - y0) / dy);
		if (pw <= 0 || ph <= 0) continue;
		const stride = Math.ceil((pw * channels * depth) / 8);
		let prev = new Uint8Array(stride);
		for (let y = 0; y < ph; y++) {
			const filter = raw[p++];
			const row = Uint8Array.from(raw.subarray(p, p + stride));
			p += stride;
			for (let i = 0; i < stride; i++) {
				const a = i >= bpp ? row[i - bpp] : 0;
				const c = i >= bpp ? prev[i - bpp] : 0;
				const up = prev[i];
				let pred = 0;
				if (filter === 1) pred = a;
				else if (filter === 2) pred = up;
				else if (filter === 3) pred = (a + up) >> 1;
				else if (filter === 4) {
					const pa = Math.abs(up - c);
					const pb = Math.abs(a - c);
					const pc = Math.abs(a + up - 2 * c);
					pred = pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
				} else if (filter !== 0) throw new Error(`bad filter ${filter}`);
				row[i] = (row[i] + pred) & 255;
			}
			const sample = (x: number, k: number): number => {
				if (depth === 16) return (row[(x * channels + k) * 2] << 8) | row[(x * channels + k) * 2 + 1];
				if (depth === 8) return row[x * channels + k];
				const bit = (x * channels + k) * depth;
				return (row[bit >> 3] >> (8 - depth - (bit & 7))) & max;
			};
			for (let x = 0; x < pw; x++) {
				const q = ((y0 + y * dy) * width + x0 + x * dx) * 4;
				let r: number, g: number, bl: number;
				let al = 255;
				if (ct === 3) {
					const i = sample(x, 0);
					[r, g, bl] = [plte![i * 3], plte![i * 3 + 1], plte![i * 3 + 2]];
					if (trns && i < trns.length) al = trns[i];
				} else if (ct === 0 || ct === 4) {
					const v = sample(x, 0);
					r = g = bl = to8(v);
					if (ct === 4) al = to8(sample(x, 1));
					else if (trns && v === trns.readUInt16BE(0)) al = 0;
				} else {
					const [vr, vg, vb] = [sample(x, 0), sample(x, 1), sample(x, 2)];
					[r, g, bl] = [to8(vr), to8(vg), to8(vb)];
					if (ct === 6) al = to8(sample(x, 3));
					else if (trns && vr === trns.readUInt16BE(0) && vg === trns.readUInt16BE(2) && vb === trns.readUInt16BE(4)) al = 0;
				}
				out.set([r, g, bl, al], q);
			}
			prev = row;
		}
	}
	return { width, height, data: out };
}

const at = (img: Px, x: number, y: number): number[] => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

/** Where the displayed pixel (x, y) comes from in a W x H stored image, per EXIF orientation. */
const SOURCE: Record<number, (x: number, y: number, W: number, H: number) => [number, number]> = {
	1: (x, y) => [x, y],
	2: (x, y, W) => [W - 1 - x, y],
	3: (x, y, W, H) => [W - 1 - x, H - 1 - y],
	4: (x, y, W, H) => [x, H - 1 - y],
	5: (x, y) => [y, x],
	6: (x, y, W, H) => [y, H - 1 - x],
	7: (x, y, W, H) => [W - 1 - y, H - 1 - x],
	8: (x, y, W) => [W - 1 - y, x]
};

/** Written independently of src/lib/core/orient.ts, from the definition of each value. */
function orient(img: Px, o: number): Px {
	const { width: W, height: H } = img;
	const [OW, OH] = o >= 5 ? [H, W] : [W, H];
	const data = new Uint8Array(W * H * 4);
	for (let y = 0; y < OH; y++)
		for (let x = 0; x < OW; x++) {
			const [sx, sy] = SOURCE[o](x, y, W, H);
			data.set(img.data.subarray((sy * W + sx) * 4, (sy * W + sx) * 4 + 4), (y * OW + x) * 4);
		}
	return { width: OW, height: OH, data };
}

interface Diff {
	/** mean |Δ| over R, G, B of the pixels the reference shows (alpha > 0) */
	meanRgb: number;
	maxRgb: number;
	/** largest |Δ| of alpha */
	maxAlpha: number;
	/** pixels whose alpha differs */
	alphaOff: number;
}

function compare(got: Px, want: Px, minAlpha = 1): Diff {
	expect([got.width, got.height], 'size').toEqual([want.width, want.height]);
	let sum = 0;
	let n = 0;
	let maxRgb = 0;
	let maxAlpha = 0;
	let alphaOff = 0;
	for (let i = 0; i < want.data.length; i += 4) {
		const da = Math.abs(got.data[i + 3] - want.data[i + 3]);
		maxAlpha = Math.max(maxAlpha, da);
		if (da) alphaOff++;
		if (want.data[i + 3] < minAlpha) continue;
		for (let k = 0; k < 3; k++) {
			const d = Math.abs(got.data[i + k] - want.data[i + k]);
			sum += d;
			maxRgb = Math.max(maxRgb, d);
			n++;
		}
	}
	return { meanRgb: n ? sum / n : 0, maxRgb, maxAlpha, alphaOff };
}

const ref = (f: string): Px => readPng(file(f));

/** ref.png with the marker's pure red keyed out, as png-rgb-trns.png's tRNS says. */
function keyedRed(img: Px): Px {
	const data = img.data.slice();
	for (let i = 0; i < data.length; i += 4) if (data[i] === 255 && data[i + 1] === 0 && data[i + 2] === 0) data[i + 3] = 0;
	return { ...img, data };
}

// ---------------------------------------------------------------------------------------
// Page calls

async function fetchB64(page: Page, url: string): Promise<string> {
	return page.evaluate(async (url) => {
		const bytes: Uint8Array = await (window as any).darkroom.fetchBytes(url);
		let s = '';
		for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
		return btoa(s);
	}, url);
}

/** image.convert to PNG, checked as a PNG (signature, size, the browser can show it), and read back. */
async function toPng(page: Page, fixture: string | Buffer): Promise<Px> {
	const bytes = typeof fixture === 'string' ? file(fixture) : fixture;
	const r = await call(page, 'image.convert', { image: { base64: b64(bytes) }, format: 'png' });
	expect(r.mime).toBe('image/png');
	const shown = await inspect(page, r.image_url);
	expect(shown.head).toMatch(SIGNATURE.png);
	expect([shown.width, shown.height]).toEqual([r.width, r.height]);
	const px = readPng(Buffer.from(await fetchB64(page, r.image_url), 'base64'));
	expect([px.width, px.height]).toEqual([r.width, r.height]);
	return px;
}

/** The browser's own decode of a file (orientation applied as it displays it, no colour conversion). */
async function browserDecode(page: Page, fixture: string): Promise<Px> {
	const r = await page.evaluate(async (data) => {
		const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
		const bmp = await createImageBitmap(new Blob([bytes]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
		const c = new OffscreenCanvas(bmp.width, bmp.height);
		c.getContext('2d')!.drawImage(bmp, 0, 0);
		const d = c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height).data;
		let s = '';
		for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode(...d.subarray(i, i + 0x8000));
		return { width: bmp.width, height: bmp.height, data: btoa(s) };
	}, b64(file(fixture)));
	return { width: r.width, height: r.height, data: new Uint8Array(Buffer.from(r.data, 'base64')) };
}

const isRed = (p: number[]) => p[0] > 200 && p[1] < 70 && p[2] < 70;
const CORNER_AT = (img: Px): Record<string, [number, number]> => ({
	TL: [4, 4],
	TR: [img.width - 5, 4],
	BR: [img.width - 5, img.height - 5],
	BL: [4, img.height - 5]
});
/** Which corner holds ref.png's red marker (and that it is only one). */
function markerCorner(img: Px): string {
	const red = Object.entries(CORNER_AT(img)).filter(([, [x, y]]) => isRed(at(img, x, y)));
	return red.map(([k]) => k).join('+') || 'none';
}

test.beforeEach(async ({ page }) => openApp(page));

// ---------------------------------------------------------------------------------------
// Stills (and first frames)

interface Case {
	fixture: string;
	format: 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'bmp';
	frames?: number;
	alpha: boolean | undefined; // undefined: not asserted
	bitDepth?: number;
	progressive?: boolean;
	/** the picture expected after decoding */
	want: () => Px;
	/** bound on mean |Δ| RGB; 0 = every visible pixel exact */
	tol: number;
	/** alpha must match exactly (always so for lossless and opaque cases) */
	marker?: boolean;
}

const CASES: Case[] = [
	{ fixture: 'jpeg-baseline.jpg', format: 'jpeg', alpha: false, progressive: false, want: () => ref('ref.png'), tol: 5, marker: true },
	{ fixture: 'jpeg-progressive.jpg', format: 'jpeg', alpha: false, progressive: true, want: () => ref('ref.png'), tol: 5, marker: true },
	{ fixture: 'jpeg-cmyk.jpg', format: 'jpeg', alpha: false, want: () => ref('ref.png'), tol: 8, marker: true },
	{ fixture: 'jpeg-gray.jpg', format: 'jpeg', alpha: false, want: () => ref('ref-gray.png'), tol: 4 },
	{ fixture: 'png-palette.png', format: 'png', alpha: false, want: () => ref('ref-pal.png'), tol: 0, marker: true },
	{ fixture: 'png-16.png', format: 'png', alpha: false, bitDepth: 16, want: () => ref('ref.png'), tol: 0, marker: true },
	{ fixture: 'png-gray.png', format: 'png', alpha: false, want: () => ref('ref-gray.png'), tol: 0 },
	{ fixture: 'png-graya.png', format: 'png', alpha: true, want: () => ref('ref-graya.png'), tol: 0 },
	{ fixture: 'png-rgba.png', format: 'png', alpha: true, want: () => ref('png-rgba.png'), tol: 0, marker: true },
	{ fixture: 'png-trns.png', format: 'png', alpha: true, want: () => ref('ref-trns.png'), tol: 0, marker: true },
	{ fixture: 'png-rgb-trns.png', format: 'png', alpha: true, want: () => keyedRed(ref('ref.png')), tol: 0 },
	{ fixture: 'png-interlaced.png', format: 'png', alpha: false, want: () => ref('ref.png'), tol: 0, marker: true },
	{ fixture: 'png-palette-4bit.png', format: 'png', alpha: false, bitDepth: 4, want: () => ref('png-palette-4bit.png'), tol: 0, marker: true },
	{ fixture: 'png-rgba16.png', format: 'png', alpha: true, bitDepth: 16, want: () => ref('png-rgba.png'), tol: 0, marker: true },
	{ fixture: 'webp-lossy.webp', format: 'webp', alpha: false, want: () => ref('ref.png'), tol: 5, marker: true },
	{ fixture: 'webp-lossless-alpha.webp', format: 'webp', alpha: true, want: () => ref('png-rgba.png'), tol: 0, marker: true },
	{ fixture: 'webp-lossy-alpha.webp', format: 'webp', alpha: true, want: () => ref('png-rgba.png'), tol: 6, marker: true },
	{ fixture: 'webp-animated.webp', format: 'webp', frames: 3, alpha: undefined, want: () => ref('ref.png'), tol: 0, marker: true },
	{ fixture: 'avif-8bit.avif', format: 'avif', alpha: false, want: () => ref('ref.png'), tol: 5, marker: true },
	{ fixture: 'gif-still.gif', format: 'gif', alpha: false, want: () => ref('ref-pal.png'), tol: 0, marker: true },
	{ fixture: 'gif-interlaced.gif', format: 'gif', alpha: false, want: () => ref('ref-pal.png'), tol: 0, marker: true },
	{ fixture: 'gif-animated.gif', format: 'gif', frames: 3, alpha: true, want: () => ref('ref-trns.png'), tol: 0, marker: true },
	{ fixture: 'bmp-24.bmp', format: 'bmp', alpha: false, want: () => ref('ref.png'), tol: 0, marker: true },
	{ fixture: 'bmp-32-alpha.bmp', format: 'bmp', alpha: true, want: () => ref('png-rgba.png'), tol: 0, marker: true },
	{ fixture: 'bmp-8.bmp', format: 'bmp', alpha: false, want: () => ref('ref-pal.png'), tol: 0, marker: true },
	{ fixture: 'bmp-rle8.bmp', format: 'bmp', alpha: false, want: () => ref('ref-pal.png'), tol: 0, marker: true }
];

const MIME = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif', bmp: 'image/bmp' };

for (const c of CASES) {
	test(`${c.fixture}: metadata and pixels`, async ({ page }) => {
		const m = await call(page, 'image.metadata', { image: { base64: b64(file(c.fixture)) } });
		expect(m).toMatchObject({
			format: c.format,
			mime: MIME[c.format],
			width: 63,
			height: 45,
			stored_width: 63,
			stored_height: 45,
			frames: c.frames ?? 1,
			orientation: 1,
			bit_depth: c.bitDepth ?? 8,
			bytes: file(c.fixture).length
		});
		if (c.alpha !== undefined) expect(m.has_alpha, 'has_alpha').toBe(c.alpha);
		if (c.progressive !== undefined) expect(m.progressive).toBe(c.progressive);

		const got = await toPng(page, c.fixture);
		const want = c.want();
		const d = compare(got, want);
		if (c.tol === 0) {
			expect(d.maxRgb, `RGB exact (${JSON.stringify(d)})`).toBe(0);
		} else {
			expect(d.meanRgb, JSON.stringify(d)).toBeLessThan(c.tol);
		}
		expect(d.maxAlpha, `alpha exact (${JSON.stringify(d)})`).toBe(0);
		if (c.marker) expect(markerCorner(got)).toBe('TL');
	});
}

test('semi-transparent alpha values survive exactly, at known points', async ({ page }) => {
	// png-rgba.png's alpha falls from 255 (x = 0) to 0 (x = 62) along every row.
	const want = ref('png-rgba.png');
	const alphas = [0, 10, 31, 50, 61, 62].map((x) => at(want, x, 20)[3]);
	expect(alphas[0]).toBe(255);
	expect(alphas[5]).toBe(0);
	expect(alphas.slice(1, 5).every((a) => a > 0 && a < 255)).toBe(true);
	for (const f of ['png-rgba.png', 'webp-lossless-alpha.webp', 'webp-lossy-alpha.webp', 'bmp-32-alpha.bmp']) {
		const got = await toPng(page, f);
		expect([0, 10, 31, 50, 61, 62].map((x) => at(got, x, 20)[3]), f).toEqual(alphas);
	}
	// and grey + alpha
	const ga = await toPng(page, 'png-graya.png');
	expect([0, 10, 31, 50, 61, 62].map((x) => at(ga, x, 20)[3])).toEqual(alphas);
	const [r, g, b] = at(ga, 31, 20);
	expect(r === g && g === b).toBe(true);
});

test('tRNS and GIF transparency: the keyed-out pixels are transparent, the rest opaque', async ({ page }) => {
	for (const f of ['png-trns.png', 'gif-animated.gif']) {
		const got = await toPng(page, f);
		expect(at(got, 55, 40)[3], `${f} bottom-right block`).toBe(0);
		expect(at(got, 30, 20)[3], `${f} middle`).toBe(255);
	}
	const keyed = await toPng(page, 'png-rgb-trns.png');
	expect(at(keyed, 4, 4)[3], 'the keyed marker red').toBe(0);
	expect(at(keyed, 30, 20)[3]).toBe(255);
});

test('GIF whose first frame covers part of the screen: placed at its offset, the rest transparent', async ({ page }) => {
	const m = await call(page, 'image.metadata', { image: { base64: b64(file('gif-offset.gif')) } });
	expect(m).toMatchObject({ format: 'gif', width: 63, height: 45, frames: 1, has_alpha: true });
	const got = await toPng(page, 'gif-offset.gif');
	const pal = ref('ref-pal.png');
	const want: Px = { width: 63, height: 45, data: new Uint8Array(63 * 45 * 4) };
	for (let y = 8; y < 38; y++) for (let x = 10; x < 50; x++) want.data.set(at(pal, x, y), (y * 63 + x) * 4);
	const d = compare(got, want);
	expect(d.maxRgb, JSON.stringify(d)).toBe(0);
	expect(d.maxAlpha, JSON.stringify(d)).toBe(0);
	// as the browser shows it
	expect(compare(got, await browserDecode(page, 'gif-offset.gif')).maxAlpha).toBe(0);
});

test('top-down BMP (negative height) decodes upright', async ({ page }) => {
	// bmp-24.bmp with its rows reversed and the height negated: the same picture.
	const b = Buffer.from(file('bmp-24.bmp'));
	const off = b.readUInt32LE(10);
	const stride = Math.ceil((63 * 24) / 32) * 4;
	const rows = Array.from({ length: 45 }, (_, y) => b.subarray(off + y * stride, off + (y + 1) * stride));
	const flipped = Buffer.concat([b.subarray(0, off), ...rows.reverse()]);
	flipped.writeInt32LE(-45, 22);
	const m = await call(page, 'image.metadata', { image: { base64: b64(flipped) } });
	expect(m).toMatchObject({ format: 'bmp', width: 63, height: 45 });
	const d = compare(await toPng(page, flipped), ref('ref.png'));
	expect(d.maxRgb).toBe(0);
});

// ---------------------------------------------------------------------------------------
// EXIF orientation: orient-N.jpg are jpeg-baseline.jpg with only the Orientation tag added.

const CORNER: Record<number, string> = { 1: 'TL', 2: 'TR', 3: 'BR', 4: 'BL', 5: 'TL', 6: 'TR', 7: 'BR', 8: 'BL' };

test('the orientation fixtures hold identical pixel data', () => {
	const scan = (b: Buffer) => b.subarray(b.indexOf(Buffer.from([0xff, 0xda])));
	for (let o = 2; o <= 8; o++) expect(scan(file(`orient-${o}.jpg`)).equals(scan(file('orient-1.jpg')))).toBe(true);
});

for (let o = 1; o <= 8; o++) {
	test(`EXIF orientation ${o}: applied on decode, reported by metadata`, async ({ page }) => {
		const m = await call(page, 'image.metadata', { image: { base64: b64(file(`orient-${o}.jpg`)) } });
		expect(m).toMatchObject({ format: 'jpeg', orientation: o, stored_width: 63, stored_height: 45 });
		expect([m.width, m.height]).toEqual(o >= 5 ? [45, 63] : [63, 45]);
		expect(m.exif?.Orientation).toBe(o);

		const got = await toPng(page, `orient-${o}.jpg`);
		expect([got.width, got.height]).toEqual(o >= 5 ? [45, 63] : [63, 45]);
		// Where a viewer shows the marker:
		expect(markerCorner(got)).toBe(CORNER[o]);
		// The picture, turned as the tag says, within JPEG's loss
		const d = compare(got, orient(ref('ref.png'), o));
		expect(d.meanRgb, JSON.stringify(d)).toBeLessThan(5);
		// and exactly orientation 1's pixels moved: the same scan data decodes the same.
		if (o !== 1) {
			const upright = await toPng(page, 'orient-1.jpg');
			expect(compare(got, orient(upright, o)).maxRgb).toBe(0);
		}
	});
}

// ---------------------------------------------------------------------------------------
// AVIF transforms (irot, imir): shown as the browser itself shows the file.

const AVIF_TRANSFORMS: [string, number][] = [
	['avif-irot.avif', 8], // irot 1: 90° anticlockwise = EXIF 8
	['avif-imir.avif', 4], // imir 0: top-to-bottom = EXIF 4
	['avif-irot-imir.avif', 7] // irot 1, then imir 1 (left-to-right) = EXIF 7
];

for (const [fixture, o] of AVIF_TRANSFORMS) {
	test(`${fixture}: the transform is applied (as EXIF ${o})`, async ({ page }) => {
		const m = await call(page, 'image.metadata', { image: { base64: b64(file(fixture)) } });
		expect(m).toMatchObject({ format: 'avif', mime: 'image/avif', orientation: o, frames: 1, has_alpha: false, stored_width: 63, stored_height: 45 });
		expect([m.width, m.height]).toEqual(o >= 5 ? [45, 63] : [63, 45]);
		const got = await toPng(page, fixture);
		expect(markerCorner(got)).toBe(CORNER[o]);
		const d = compare(got, orient(ref('ref.png'), o));
		expect(d.meanRgb, JSON.stringify(d)).toBeLessThan(5);
		// The browser's own AVIF decoder applies irot/imir: ours must show the same picture.
		const native = await browserDecode(page, fixture);
		const n = compare(got, native);
		expect(n.meanRgb, `vs the browser: ${JSON.stringify(n)}`).toBeLessThan(2);
	});
}

// ---------------------------------------------------------------------------------------
// Colour management: patches (0,255,0), (255,0,0), (40,160,60) in sRGB, 16 x 16 each.

const PATCHES: [number, number][] = [
	[8, 8],
	[24, 8],
	[40, 8]
];
const SRGB = [
	[0, 255, 0],
	[255, 0, 0],
	[40, 160, 60]
];
// What the files hold (read without colour management): Adobe RGB / Display P3 numbers.
const RAW: Record<string, number[][]> = {
	'icc-adobergb.jpg': [
		[144, 255, 60],
		[220, 2, 0],
		[96, 159, 70]
	],
	'icc-p3.jpg': [
		[117, 251, 76],
		[234, 51, 35],
		[80, 158, 74]
	]
};
const dist = (a: number[], b: number[]) => Math.max(...[0, 1, 2].map((k) => Math.abs(a[k] - b[k])));

for (const fixture of ['icc-adobergb.jpg', 'icc-p3.jpg']) {
	test(`${fixture}: converted to sRGB on decode`, async ({ page }) => {
		const got = await toPng(page, fixture);
		expect([got.width, got.height]).toEqual([48, 16]);
		PATCHES.forEach(([x, y], i) => {
			const p = at(got, x, y);
			expect(dist(p, SRGB[i]), `patch ${i}: ${p} should be close to sRGB ${SRGB[i]}`).toBeLessThanOrEqual(6);
			expect(p[3]).toBe(255);
		});
		// The saturated green is far from its raw numbers: the conversion really happened.
		expect(dist(at(got, 8, 8), RAW[fixture][0])).toBeGreaterThan(50);
	});
}

test('a JPEG tagged sRGB decodes untouched', async ({ page }) => {
	const got = await toPng(page, 'icc-srgb.jpg');
	const raw = await toPng(page, 'icc-srgb.jpg'); // sanity: deterministic
	expect(compare(got, raw).maxRgb).toBe(0);
	PATCHES.forEach(([x, y], i) => expect(dist(at(got, x, y), SRGB[i]), `patch ${i}`).toBeLessThanOrEqual(3));
	// Exactly what an untagged copy of the same file decodes to.
	const b = file('icc-srgb.jpg');
	const parts: Buffer[] = [b.subarray(0, 2)];
	let i = 2;
	while (b[i] === 0xff && b[i + 1] !== 0xda) {
		const len = b.readUInt16BE(i + 2);
		if (b[i + 1] !== 0xe2) parts.push(b.subarray(i, i + 2 + len)); // drop APP2 (ICC)
		i += 2 + len;
	}
	parts.push(b.subarray(i));
	const untagged = Buffer.concat(parts);
	expect(untagged.length).toBeLessThan(b.length - 10_000);
	const r = await call(page, 'image.convert', { image: { base64: b64(untagged) }, format: 'png' });
	const plain = readPng(Buffer.from(await fetchB64(page, r.image_url), 'base64'));
	expect(compare(got, plain).maxRgb).toBe(0);
});

// ---------------------------------------------------------------------------------------
// Truncation: every fixture cut short is a 400 invalid_image naming its format.

const NAME: Record<string, RegExp> = { jpeg: /JPEG/, png: /PNG/, webp: /WebP/, avif: /AVIF/, gif: /GIF/, bmp: /BMP/ };
const INPUTS = [
	...CASES.map((c) => [c.fixture, c.format] as const),
	...AVIF_TRANSFORMS.map(([f]) => [f, 'avif'] as const),
	...['orient-6.jpg', 'icc-adobergb.jpg', 'icc-p3.jpg', 'icc-srgb.jpg'].map((f) => [f, 'jpeg'] as const)
];

for (const format of Object.keys(NAME)) {
	test(`truncated ${format.toUpperCase()} files are 400 invalid_image naming the format`, async ({ page }) => {
		for (const [f] of INPUTS.filter(([, k]) => k === format)) {
			const bytes = file(f);
			for (const n of [30, Math.floor(bytes.length / 2), bytes.length - 1]) {
				const cut = bytes.subarray(0, n);
				for (const path of ['image.convert', 'image.metadata']) {
					const request = path === 'image.convert' ? { image: { base64: b64(cut) }, format: 'png' } : { image: { base64: b64(cut) } };
					const e = await callError(page, path, request);
					expect({ status: e.status, code: e.code }, `${f} cut to ${n} bytes (${path}): ${e.message}`).toEqual({ status: 400, code: 'invalid_image' });
					expect(e.message, `${f} cut to ${n} bytes`).toMatch(NAME[format]);
				}
			}
		}
	});
}
