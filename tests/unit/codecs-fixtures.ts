import { concatBytes } from '../../src/lib/codecs/bytes';
/** Test inputs for the codec tests: synthetic images, real photos, and hand-built GIF/BMP bytes. */
import type { RGBAImage } from '../../src/lib/core/image';

// Through a variable specifier: the project has no @types/node, and only tests read files.
const fs: { readFileSync(path: string): Uint8Array } = await import(/* @vite-ignore */ 'node:fs' as string);

/** The face-api demo photos: 1920 px wide camera JPEGs with full EXIF (camera, GPS). */
export const SAMPLE = (n: number): Uint8Array => new Uint8Array(fs.readFileSync(`node_modules/@vladmandic/face-api/demo/sample${n}.jpg`));

/** Smooth colour ramps plus a bright marker in the top-left corner, so orientation is visible. */
export function gradient(w: number, h: number, alpha?: (x: number, y: number) => number): RGBAImage {
	const data = new Uint8ClampedArray(w * h * 4);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const i = (y * w + x) * 4;
			data[i] = Math.round((x / Math.max(1, w - 1)) * 255);
			data[i + 1] = Math.round((y / Math.max(1, h - 1)) * 255);
			data[i + 2] = 128 + Math.round(60 * Math.sin((x + y) / 7));
			data[i + 3] = alpha ? alpha(x, y) : 255;
		}
	return { width: w, height: h, data };
}

/** Every pixel distinct (its index in R,G,B): exact position checks. */
export function indexed(w: number, h: number): RGBAImage {
	const data = new Uint8ClampedArray(w * h * 4);
	for (let i = 0; i < w * h; i++) {
		data[i * 4] = i & 0xff;
		data[i * 4 + 1] = (i >> 8) & 0xff;
		data[i * 4 + 2] = (i >> 16) & 0xff;
		data[i * 4 + 3] = 255;
	}
	return { width: w, height: h, data };
}

export function pixel(img: RGBAImage, x: number, y: number): number[] {
	const i = (y * img.width + x) * 4;
	return Array.from(img.data.subarray(i, i + 4));
}

export function crop(img: RGBAImage, x0: number, y0: number, w: number, h: number): RGBAImage {
	const data = new Uint8ClampedArray(w * h * 4);
	for (let y = 0; y < h; y++) data.set(img.data.subarray(((y0 + y) * img.width + x0) * 4, ((y0 + y) * img.width + x0 + w) * 4), y * w * 4);
	return { width: w, height: h, data };
}

/** Peak signal-to-noise ratio over RGB (alpha ignored), in dB. */
export function psnr(a: RGBAImage, b: RGBAImage): number {
	if (a.width !== b.width || a.height !== b.height) throw new Error(`size mismatch ${a.width}x${a.height} vs ${b.width}x${b.height}`);
	let se = 0;
	let n = 0;
	for (let i = 0; i < a.data.length; i += 4)
		for (let c = 0; c < 3; c++) {
			const d = a.data[i + c] - b.data[i + c];
			se += d * d;
			n++;
		}
	return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / n));
}

export function maxAlphaError(a: RGBAImage, b: RGBAImage): number {
	let m = 0;
	for (let i = 3; i < a.data.length; i += 4) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
	return m;
}

function bytes(...parts: (number[] | Uint8Array)[]): Uint8Array {
	return concatBytes(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p))));
}

const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

/**
 * A real LZW encoder (variable code width, table growth, clear when full). The width
 * grows after emitting a code once the next free entry no longer fits, which is when
 * a decoder, one entry behind, grows too.
 */
export function lzwEncode(indices: Uint8Array, minCodeSize: number): Uint8Array {
	const clear = 1 << minCodeSize;
	const eoi = clear + 1;
	const out: number[] = [];
	let acc = 0;
	let bits = 0;
	let size = minCodeSize + 1;
	const emit = (code: number) => {
		acc |= code << bits;
		bits += size;
		while (bits >= 8) {
			out.push(acc & 0xff);
			acc >>>= 8;
			bits -= 8;
		}
	};
	let dict = new Map<string, number>();
	let next = eoi + 1;
	const codeOf = (s: string) => (s.includes(',') ? dict.get(s)! : Number(s));
	emit(clear);
	let cur = String(indices[0]);
	for (let i = 1; i < indices.length; i++) {
		const key = cur + ',' + indices[i];
		if (dict.has(key)) {
			cur = key;
			continue;
		}
		emit(codeOf(cur));
		if (next === 1 << size && size < 12) size++;
		if (next < 4096) dict.set(key, next++);
		else {
			emit(clear);
			dict = new Map();
			next = eoi + 1;
			size = minCodeSize + 1;
		}
		cur = String(indices[i]);
	}
	emit(codeOf(cur));
	if (next === 1 << size && size < 12) size++;
	emit(eoi);
	if (bits > 0) out.push(acc & 0xff);
	return new Uint8Array(out);
}

function subBlocks(data: Uint8Array): number[] {
	const out: number[] = [];
	for (let i = 0; i < data.length; i += 255) {
		const part = data.subarray(i, i + 255);
		out.push(part.length, ...part);
	}
	out.push(0);
	return out;
}

export interface GifFrame {
	indices: Uint8Array;
	left?: number;
	top?: number;
	width: number;
	height: number;
	transparentIndex?: number;
	/** Store rows in GIF interlace order (0,8,16…, 4,12…, 2,6…, 1,3…) and set the flag. */
	interlaced?: boolean;
}

/** GIF89a with a global palette and one image block per frame. */
export function makeGif(width: number, height: number, palette: number[][], frames: GifFrame[], opts: { trailer?: boolean } = {}): Uint8Array {
	let bitsPerEntry = 1;
	while (1 << bitsPerEntry < palette.length) bitsPerEntry++;
	const tableSize = 1 << bitsPerEntry;
	const table: number[] = [];
	for (let i = 0; i < tableSize; i++) table.push(...(palette[i] ?? [0, 0, 0]));
	const parts: number[][] = [[...'GIF89a'].map((c) => c.charCodeAt(0)), [...le16(width), ...le16(height), 0x80 | (bitsPerEntry - 1), 0, 0], table];
	for (const f of frames) {
		const t = f.transparentIndex;
		parts.push([0x21, 0xf9, 4, t !== undefined ? 1 : 0, ...le16(10), t ?? 0, 0]);
		parts.push([0x2c, ...le16(f.left ?? 0), ...le16(f.top ?? 0), ...le16(f.width), ...le16(f.height), f.interlaced ? 0x40 : 0]);
		const min = Math.max(2, bitsPerEntry);
		let data = f.indices;
		if (f.interlaced) {
			const order: number[] = [];
			for (const [start, step] of [[0, 8], [4, 8], [2, 4], [1, 2]]) for (let y = start; y < f.height; y += step) order.push(y);
			data = new Uint8Array(f.indices.length);
			order.forEach((y, i) => data.set(f.indices.subarray(y * f.width, (y + 1) * f.width), i * f.width));
		}
		parts.push([min, ...subBlocks(lzwEncode(data, min))]);
	}
	if (opts.trailer !== false) parts.push([0x3b]);
	return bytes(...parts);
}

/** Uncompressed BMP: 24-bit, 32-bit (BITFIELDS with alpha) or 8-bit palette; bottom-up unless topDown. */
export function makeBmp(img: RGBAImage, bpp: 8 | 24 | 32, opts: { topDown?: boolean; palette?: number[][] } = {}): Uint8Array {
	const { width: w, height: h } = img;
	const stride = Math.floor((w * bpp + 31) / 32) * 4;
	const bitfields = bpp === 32;
	const dibSize = bitfields ? 108 : 40; // V4 header carries the masks, alpha included
	const paletteBytes = bpp === 8 ? 256 * 4 : 0;
	const offset = 14 + dibSize + paletteBytes;
	const size = offset + stride * h;
	const out = new Uint8Array(size);
	out.set([0x42, 0x4d, ...le32(size), 0, 0, 0, 0, ...le32(offset)], 0);
	const dib = [...le32(dibSize), ...le32(w), ...le32(opts.topDown ? -h : h), ...le16(1), ...le16(bpp), ...le32(bitfields ? 3 : 0), ...le32(stride * h), ...le32(11811), ...le32(11811), ...le32(bpp === 8 ? 256 : 0), ...le32(0)];
	if (bitfields) dib.push(...le32(0x00ff0000), ...le32(0x0000ff00), ...le32(0x000000ff), ...le32(0xff000000));
	out.set(dib, 14);
	const pal = opts.palette ?? [];
	if (bpp === 8) pal.forEach((c, i) => out.set([c[2], c[1], c[0], 0], 14 + dibSize + i * 4));
	for (let y = 0; y < h; y++) {
		const row = offset + (opts.topDown ? y : h - 1 - y) * stride;
		for (let x = 0; x < w; x++) {
			const i = (y * w + x) * 4;
			const [r, g, b, a] = img.data.subarray(i, i + 4);
			if (bpp === 24) out.set([b, g, r], row + x * 3);
			else if (bpp === 32) out.set([b, g, r, a], row + x * 4);
			else out[row + x] = pal.findIndex((c) => c[0] === r && c[1] === g && c[2] === b);
		}
	}
	return out;
}

/** A minimal big-endian TIFF block: header + IFD0 holding Make and, optionally, Orientation. */
export function makeTiff(opts: { orientation?: number; make?: string; littleEndian?: boolean } = {}): Uint8Array {
	const le = !!opts.littleEndian;
	const make = (opts.make ?? 'Darkroom') + '\0';
	const entries = opts.orientation !== undefined ? 2 : 1;
	const ifdEnd = 8 + 2 + entries * 12 + 4;
	const out = new Uint8Array(ifdEnd + make.length + (make.length & 1));
	const v = new DataView(out.buffer);
	out.set(le ? [0x49, 0x49] : [0x4d, 0x4d], 0);
	v.setUint16(2, 42, le);
	v.setUint32(4, 8, le);
	v.setUint16(8, entries, le);
	// Make (0x010F, ASCII)
	v.setUint16(10, 0x010f, le);
	v.setUint16(12, 2, le);
	v.setUint32(14, make.length, le);
	v.setUint32(18, ifdEnd, le);
	if (opts.orientation !== undefined) {
		v.setUint16(22, 0x0112, le);
		v.setUint16(24, 3, le);
		v.setUint32(26, 1, le);
		v.setUint16(30, opts.orientation, le);
	}
	v.setUint32(8 + 2 + entries * 12, 0, le);
	for (let i = 0; i < make.length; i++) out[ifdEnd + i] = make.charCodeAt(i);
	return out;
}

/** Byte equality without vitest's element-by-element diffing (slow on large arrays). */
export function sameBytes(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): boolean {
	if (!a || !b || a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
