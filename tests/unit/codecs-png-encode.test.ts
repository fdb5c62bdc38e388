import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { encode } from '../../src/lib/codecs/encode';
import { extractIcc, readExif } from '../../src/lib/codecs/exif';
import { crc32, listChunks, readPhysDpi } from '../../src/lib/codecs/png-chunks';
import { encodePngFast, MAX_IDAT, planPng, repeatShare, rowBytes, TRY_UNFILTERED_SHARE, type PngPlan } from '../../src/lib/codecs/png-encode';
import { ensureCodec } from '../../src/lib/codecs/wasm-init';
import type { RGBAImage } from '../../src/lib/core/image';
import { gradient, makeTiff, SAMPLE, sameBytes } from './codecs-fixtures';

function image(w: number, h: number, f: (x: number, y: number) => number[]): RGBAImage {
	const data = new Uint8ClampedArray(w * h * 4);
	for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(f(x, y), (y * w + x) * 4);
	return { width: w, height: h, data };
}

/** Deterministic noise, so no test depends on Math.random. */
function noise(seed: number): () => number {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return (s >>> 0) & 255;
	};
}

// One generator per expected colour type; each works at any size, 1×1 included.
const KINDS: Record<string, { make: (w: number, h: number) => RGBAImage; colourType: number; bitDepth?: number }> = {
	// > 256 colours, alpha everywhere from 0 to 255, colour kept under alpha 0
	rgba: { make: (w, h) => image(w, h, (x, y) => [(x * 37 + y) & 255, (y * 11) & 255, (x * y) & 255, (x * 13 + y * 7) & 255]), colourType: 6 },
	rgb: { make: (w, h) => image(w, h, (x, y) => [(x * 37 + y) & 255, (y * 11 + 3) & 255, (x * y + 1) & 255, 255]), colourType: 2 },
	gray: { make: (w, h) => image(w, h, (x, y) => [(x * 7 + y * 3) & 255, (x * 7 + y * 3) & 255, (x * 7 + y * 3) & 255, 255]), colourType: 0 },
	grayAlpha: { make: (w, h) => image(w, h, (x, y) => [(x * 7 + y) & 255, (x * 7 + y) & 255, (x * 7 + y) & 255, (x * 5 + y * 9 + 1) & 255]), colourType: 4 },
	palette256: { make: (w, h) => image(w, h, (x, y) => { const k = (x * 3 + y * 5) % 256; return [k, 255 - k, (k * 7) & 255, k < 40 ? k * 6 : 255]; }), colourType: 3, bitDepth: 8 },
	palette16: { make: (w, h) => image(w, h, (x, y) => { const k = (x + y * 3) % 16; return [k * 16, 100, 255 - k * 9, k === 3 ? 0 : k === 5 ? 128 : 255]; }), colourType: 3, bitDepth: 4 },
	palette4: { make: (w, h) => image(w, h, (x, y) => [[0, 0, 0, 255], [255, 0, 0, 255], [0, 255, 0, 77], [9, 9, 200, 255]][(x + 2 * y) % 4]), colourType: 3, bitDepth: 2 },
	palette2: { make: (w, h) => image(w, h, (x, y) => ((x ^ y) & 1 ? [255, 255, 255, 255] : [20, 40, 60, 255])), colourType: 3, bitDepth: 1 },
	// gray with few levels: palette packs it tighter than 8-bit gray
	grayFew: { make: (w, h) => image(w, h, (x, y) => { const v = ((x + y) % 3) * 100; return [v, v, v, 255]; }), colourType: 3, bitDepth: 2 }
};

function ihdr(png: Uint8Array): { width: number; height: number; bitDepth: number; colourType: number } {
	const c = listChunks(png)[0];
	expect(c.type).toBe('IHDR');
	const v = new DataView(c.data.buffer, c.data.byteOffset, 13);
	return { width: v.getUint32(0), height: v.getUint32(4), bitDepth: c.data[8], colourType: c.data[9] };
}

/** Signature, every chunk's CRC, chunk order, nothing after IEND. */
function checkStructure(png: Uint8Array): string[] {
	expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const chunks = listChunks(png);
	for (const c of chunks) {
		const stored = new DataView(png.buffer, png.byteOffset + c.end - 4, 4).getUint32(0);
		expect(stored, `${c.type} CRC`).toBe(crc32(png.subarray(c.start + 4, c.end - 4)));
	}
	expect(chunks[chunks.length - 1].type).toBe('IEND');
	expect(chunks[chunks.length - 1].end).toBe(png.length);
	const types = chunks.map((c) => c.type);
	const firstIdat = types.indexOf('IDAT');
	expect(firstIdat).toBeGreaterThan(0);
	// IDATs are consecutive
	expect(types.lastIndexOf('IDAT') - firstIdat + 1).toBe(types.filter((t) => t === 'IDAT').length);
	for (const c of chunks) if (c.type === 'IDAT') expect(c.data.length).toBeLessThanOrEqual(MAX_IDAT);
	return types;
}

async function inflateIdat(png: Uint8Array): Promise<Uint8Array> {
	const z = new Uint8Array(listChunks(png).filter((c) => c.type === 'IDAT').reduce((n, c) => n + c.data.length, 0));
	let o = 0;
	for (const c of listChunks(png)) if (c.type === 'IDAT') z.set(c.data, (o += c.data.length) - c.data.length);
	const out = new Response(new Blob([z]).stream().pipeThrough(new DecompressionStream('deflate')));
	return new Uint8Array(await out.arrayBuffer());
}

async function roundTrip(img: RGBAImage, png: Uint8Array): Promise<void> {
	const back = (await decode(png)).image;
	expect([back.width, back.height]).toEqual([img.width, img.height]);
	expect(sameBytes(back.data, img.data)).toBe(true);
}

async function jsquashPng(img: RGBAImage): Promise<Uint8Array> {
	await ensureCodec('png');
	const { default: enc } = await import('@jsquash/png/encode.js');
	return new Uint8Array(await enc({ data: new Uint8ClampedArray(img.data), width: img.width, height: img.height, colorSpace: 'srgb' } as ImageData));
}

/** A screenshot-like 2 MP-style graphic, scaled down: flat panels, text strokes, a gradient bar, an anti-aliased disc. */
function graphic(w: number, h: number): RGBAImage {
	return image(w, h, (x, y) => {
		if (y < h / 12) return [40 + Math.round((x * 100) / w), 90 + y, 200, 255]; // a 2-D gradient: thousands of colours
		if (x < w / 8) return [200, 200, 210, 255];
		const r = Math.hypot(x - w * 0.7, y - h * 0.6);
		if (r < h / 5) {
			const t = Math.min(1, h / 5 - r);
			return [Math.round(250 * (1 - t) + 230 * t), Math.round(250 * (1 - t) + 80 * t), Math.round(250 * (1 - t) + 60 * t), 255];
		}
		if (((x >> 3) ^ (y >> 4)) % 7 === 0 && y % 16 < 11) return [30, 30, 30, 255];
		return [250, 250, 250, 255];
	});
}

describe('png-encode: colour type from the pixels', () => {
	for (const [name, k] of Object.entries(KINDS)) {
		it(`${name} → colour type ${k.colourType}${k.bitDepth ? `, ${k.bitDepth}-bit` : ''}, exact round trip at odd sizes and 1×1`, async () => {
			for (const [w, h] of [[37, 23], [1, 1], [1, 9], [9, 1], [3, 5], [17, 2]] as const) {
				const img = k.make(w, h);
				const plan = planPng(img);
				const png = await encodePngFast(img, { plan });
				checkStructure(png);
				const head = ihdr(png);
				expect([head.width, head.height]).toEqual([w, h]);
				if (w * h >= 37 * 23) {
					// small crops may hold fewer colours than the kind is named for
					expect(head.colourType, `${name} ${w}x${h}`).toBe(k.colourType);
					if (k.bitDepth) expect(head.bitDepth).toBe(k.bitDepth);
				}
				expect(head.colourType).toBe(plan.colourType);
				expect(head.bitDepth).toBe(plan.bitDepth);
				await roundTrip(img, png);
				// the inflated stream is exactly one filter byte plus one scanline per row
				expect((await inflateIdat(png)).length).toBe(h * (1 + rowBytes(w, plan)));
			}
		});
	}

	it('1×1 images of each kind pick the smallest fitting type', () => {
		const one = (p: number[]) => planPng(image(1, 1, () => p));
		const t = (p: PngPlan) => [p.colourType, p.bitDepth];
		expect(t(one([10, 20, 30, 255]))).toEqual([3, 1]);
		expect(t(one([10, 20, 30, 0]))).toEqual([3, 1]);
		expect(t(one([7, 7, 7, 255]))).toEqual([3, 1]);
	});

	it('palette: tRNS lists only up to the last translucent entry, translucent entries first', async () => {
		const img = KINDS.palette16.make(40, 10);
		const png = await encodePngFast(img);
		const types = checkStructure(png);
		expect(types).toEqual(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
		const chunks = listChunks(png);
		expect(chunks[1].data.length).toBe(16 * 3);
		expect(Array.from(chunks[2].data)).toEqual([0, 128]);
		// opaque palette: no tRNS at all
		expect(checkStructure(await encodePngFast(KINDS.palette2.make(8, 8)))).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
	});

	it('257 colours is not a palette; colour under alpha 0 counts as a colour', () => {
		const img = image(257, 1, (x) => [x & 255, x >> 8, 0, 255]);
		expect(planPng(img).colourType).toBe(2);
		const hidden = image(300, 1, (x) => [x & 255, x >> 8, 5, 0]); // all transparent, 300 hidden colours
		expect(planPng(hidden).colourType).toBe(6);
	});

	it('reads pixels through an unaligned view', async () => {
		const src = KINDS.rgba.make(13, 7);
		const buf = new Uint8ClampedArray(src.data.length + 1);
		buf.set(src.data, 1);
		const img = { width: 13, height: 7, data: buf.subarray(1) };
		await roundTrip(src, await encodePngFast(img));
	});

	it('large, incompressible data is split into IDATs of at most 1 MiB and still decodes', async () => {
		const rnd = noise(42);
		const img = image(800, 700, () => [rnd(), rnd(), rnd(), rnd()]);
		const png = await encodePngFast(img);
		const idats = listChunks(png).filter((c) => c.type === 'IDAT');
		expect(idats.length).toBeGreaterThan(1);
		checkStructure(png);
		await roundTrip(img, png);
	});
});

describe('png-encode: size, filtering, determinism', () => {
	let photo: RGBAImage;
	beforeAll(async () => {
		photo = (await decode(SAMPLE(1))).image;
	});

	it('a real photo: RGB, adaptive filters, smaller than jSquash, exact, deterministic', async () => {
		expect([photo.width, photo.height]).toEqual([1920, 1280]);
		const png = await encodePngFast(photo);
		checkStructure(png);
		expect(ihdr(png).colourType).toBe(2);
		const old = await jsquashPng(photo);
		expect(png.length).toBeLessThan(old.length * 0.7);
		await roundTrip(photo, png);
		// more than one filter type is chosen across the rows
		const raw = await inflateIdat(png);
		const stride = 1 + photo.width * 3;
		const used = new Set<number>();
		for (let y = 0; y < photo.height; y++) used.add(raw[y * stride]);
		expect(used.size).toBeGreaterThanOrEqual(3);
		for (const f of used) expect(f).toBeLessThanOrEqual(4);
		expect(sameBytes(await encodePngFast(photo), png)).toBe(true);
	});

	it('a synthetic graphic: smaller than jSquash, exact', async () => {
		const img = graphic(640, 360);
		const png = await encodePngFast(img);
		expect(ihdr(png).colourType).toBe(2);
		expect(png.length).toBeLessThan((await jsquashPng(img)).length / 2);
		await roundTrip(img, png);
	});

	it('semi-transparent photo content stays exact (RGBA)', async () => {
		const img = { width: 320, height: 200, data: new Uint8ClampedArray(320 * 200 * 4) };
		for (let y = 0; y < 200; y++)
			for (let x = 0; x < 320; x++) {
				const s = ((700 + y) * photo.width + 800 + x) * 4;
				const d = (y * 320 + x) * 4;
				img.data.set(photo.data.subarray(s, s + 3), d);
				img.data[d + 3] = (x + y) % 256;
			}
		const png = await encodePngFast(img);
		expect(ihdr(png).colourType).toBe(6);
		await roundTrip(img, png);
	});

	it('screenshot-like images also try unfiltered rows and keep the smaller; photos are filtered only', async () => {
		const img = graphic(640, 360);
		expect(planPng(img).colourType).toBe(2);
		expect(repeatShare(img)).toBeGreaterThanOrEqual(TRY_UNFILTERED_SHARE);
		const auto = await encodePngFast(img);
		const adaptive = await encodePngFast(img, { filtering: 'adaptive' });
		const none = await encodePngFast(img, { filtering: 'none' });
		expect(auto.length).toBe(Math.min(adaptive.length, none.length));
		for (const b of [adaptive, none]) await roundTrip(img, b);
		const rawNone = await inflateIdat(none);
		for (let y = 0; y < 360; y++) expect(rawNone[y * (1 + 640 * 3)]).toBe(0);
		const crop = { width: 200, height: 100, data: new Uint8ClampedArray(200 * 100 * 4) };
		for (let y = 0; y < 100; y++) crop.data.set(photo.data.subarray(((600 + y) * photo.width + 900) * 4, ((600 + y) * photo.width + 1100) * 4), y * 800);
		expect(repeatShare(crop)).toBeLessThan(TRY_UNFILTERED_SHARE);
		expect(sameBytes(await encodePngFast(crop), await encodePngFast(crop, { filtering: 'adaptive' }))).toBe(true);
	});

	it('palette rows are stored unfiltered', async () => {
		const img = KINDS.palette256.make(50, 20);
		const raw = await inflateIdat(await encodePngFast(img));
		for (let y = 0; y < 20; y++) expect(raw[y * 51]).toBe(0);
	});

	it('same input, same bytes', async () => {
		for (const k of Object.values(KINDS)) {
			const img = k.make(64, 33);
			expect(sameBytes(await encodePngFast(img), await encodePngFast(img))).toBe(true);
		}
	});
});

describe('png-encode through encode()', () => {
	it('pHYs, iCCP and eXIf go in after IHDR, before PLTE, and the file still decodes', async () => {
		const img = KINDS.palette16.make(30, 20);
		const icc = new Uint8Array(3000).map((_, i) => (i * 13) & 255);
		const b = await encode(img, { format: 'png', dpi: 300, metadata: { icc, exif: makeTiff({ orientation: 6 }) } });
		expect(checkStructure(b)).toEqual(['IHDR', 'pHYs', 'iCCP', 'eXIf', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
		expect(readPhysDpi(b)).toBe(300);
		expect(sameBytes(await extractIcc(b), icc)).toBe(true);
		expect((await readExif(b))?.Make).toBe('Darkroom');
		await roundTrip(img, b);
	});

	it('optimize still runs oxipng: never larger, exact, metadata kept', async () => {
		for (const img of [KINDS.rgba.make(64, 48), KINDS.palette256.make(64, 48), graphic(200, 120), gradient(64, 48, (x, y) => (x * y) % 256)]) {
			const plain = await encode(img, { format: 'png' });
			const opt = await encode(img, { format: 'png', optimize: true, dpi: 72 });
			expect(opt.length).toBeLessThanOrEqual(plain.length + 21); // + the pHYs chunk
			expect(readPhysDpi(opt)).toBe(72);
			checkStructure(opt);
			await roundTrip(img, opt);
		}
	});
});
