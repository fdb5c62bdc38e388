/**
 * A small, fast, lossless PNG encoder for 8-bit RGBA pixels.
 *
 * - Colour type comes from the pixels: palette (1/2/4/8-bit, tRNS when needed) when there
 *   are at most 256 distinct RGBA values (except opaque gray with more than 16 levels,
 *   which filters better as gray); else gray / gray+alpha when R = G = B everywhere; else
 *   RGB when fully opaque; else RGBA. Samples stay 8-bit and nothing is rounded, so the
 *   file decodes to the exact input, colour under alpha 0 included.
 * - Rows of a non-palette image get the filter (None/Sub/Up/Average/Paeth) whose output
 *   has the smallest sum of absolute signed bytes: libpng's heuristic. Images with many
 *   repeated pixels (screenshots, drawings) are also compressed unfiltered and the smaller
 *   result kept. Palette rows are left unfiltered, as libpng advises for indices.
 * - Compression is the platform's zlib through `CompressionStream('deflate')` (zlib
 *   format, which is exactly what IDAT holds), fed in strips of whole rows so the filtered
 *   image is never held in memory all at once.
 *
 * Output: signature, IHDR, [PLTE, tRNS], IDAT chunks of at most 1 MiB, IEND. No ancillary
 * chunks: encode() adds pHYs / iCCP / eXIf right after IHDR.
 */
import type { RGBAImage } from '../core/image';
import { asciiBytes, writeU32be } from './bytes';
import { crc32 } from './png-chunks';
import { concatBytes } from './bytes';

export type PngColourType = 0 | 2 | 3 | 4 | 6;

export interface PngPlan {
	colourType: PngColourType;
	bitDepth: 1 | 2 | 4 | 8;
	/** Colour type 3 only: RGBA entries, those with alpha < 255 first. */
	palette?: Uint8Array;
	/** Colour type 3 only: one palette index per pixel. */
	indices?: Uint8Array;
}

/** Largest IDAT payload written. */
export const MAX_IDAT = 1 << 20;

/** Uncompressed bytes handed to the compressor at a time (whole rows, at least one). */
const STRIP_BYTES = 1 << 18;

/** Opaque grayscale with more distinct levels than this is stored as gray, not palette. */
const GRAY_PALETTE_MAX = 16;

/**
 * From this share of pixels equal to their left neighbour up (screenshots, drawings, icons;
 * photos are near 0), the unfiltered stream is compressed as well and the smaller kept.
 */
export const TRY_UNFILTERED_SHARE = 0.4;

/** Larger images decide on the unfiltered try from a band of rows, not the whole. */
const SAMPLE_ABOVE_PIXELS = 1 << 19;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** |signed byte|: the cost of one filtered byte in the minimum-sum heuristic. */
const COST = (() => {
	const t = new Uint8Array(256);
	for (let v = 0; v < 256; v++) t[v] = v < 128 ? v : 256 - v;
	return t;
})();

/**
 * One pass over the pixels: opaque? gray? at most 256 colours (and which)? Stops early
 * once the answer can only be RGBA.
 */
export function planPng(img: RGBAImage): PngPlan {
	const d = img.data;
	const n = img.width * img.height;
	const px = d.byteOffset % 4 === 0 ? new Uint32Array(d.buffer, d.byteOffset, n) : new Uint32Array(new Uint8Array(d).buffer, 0, n);
	const alphaShift = LITTLE_ENDIAN ? 24 : 0;
	const grayMask = LITTLE_ENDIAN ? 0xffff : 0xffff00; // R^G and G^B once a key is xored with itself >>> 8
	let opaque = true;
	let gray = true;
	let colours: Map<number, number> | undefined = new Map();
	const indices = new Uint8Array(n);
	let prevKey = -1; // keys are unsigned, so the first pixel never matches
	let prevIndex = 0;
	let i = 0;
	for (; i < n; i++) {
		const key = px[i];
		if (key === prevKey) {
			indices[i] = prevIndex;
			continue;
		}
		prevKey = key;
		if (((key >>> alphaShift) & 255) !== 255) opaque = false;
		if (((key ^ (key >>> 8)) & grayMask) !== 0) gray = false;
		let idx = colours.get(key);
		if (idx === undefined) {
			if (colours.size === 256) {
				colours = undefined;
				i++;
				break;
			}
			idx = colours.size;
			colours.set(key, idx);
		}
		indices[i] = prevIndex = idx;
	}
	// More than 256 colours: only opaque / gray are left to settle.
	for (; i < n && (opaque || gray); i++) {
		const key = px[i];
		if (((key >>> alphaShift) & 255) !== 255) opaque = false;
		if (((key ^ (key >>> 8)) & grayMask) !== 0) gray = false;
	}

	if (colours && !(opaque && gray && colours.size > GRAY_PALETTE_MAX)) return palettePlan(colours, indices);
	if (gray) return { colourType: opaque ? 0 : 4, bitDepth: 8 };
	return { colourType: opaque ? 2 : 6, bitDepth: 8 };
}

/** Share of pixels equal to their left neighbour, sampled on every 4th row. */
export function repeatShare(img: RGBAImage): number {
	const { width: w, height: h, data: d } = img;
	let same = 0;
	let total = 0;
	for (let y = 0; y < h; y += 4) {
		const end = (y + 1) * w * 4;
		for (let j = y * w * 4 + 4; j < end; j += 4) if (d[j] === d[j - 4] && d[j + 1] === d[j - 3] && d[j + 2] === d[j - 2] && d[j + 3] === d[j - 1]) same++;
		total += w - 1;
	}
	return total ? same / total : 0;
}

function palettePlan(colours: Map<number, number>, indices: Uint8Array): PngPlan {
	const count = colours.size;
	const entries: number[][] = [];
	for (const key of colours.keys()) {
		const b = [key & 255, (key >>> 8) & 255, (key >>> 16) & 255, key >>> 24];
		entries.push(LITTLE_ENDIAN ? b : b.reverse());
	}
	// Translucent entries first, so tRNS can stop at the last of them; otherwise first-seen order.
	const order = entries.map((_, i) => i);
	order.sort((x, y) => (entries[x][3] === 255 ? 1 : 0) - (entries[y][3] === 255 ? 1 : 0) || x - y);
	const remap = new Uint8Array(256);
	const palette = new Uint8Array(count * 4);
	order.forEach((old, i) => {
		remap[old] = i;
		palette.set(entries[old], i * 4);
	});
	for (let i = 0; i < indices.length; i++) indices[i] = remap[indices[i]];
	const bitDepth = count <= 2 ? 1 : count <= 4 ? 2 : count <= 16 ? 4 : 8;
	return { colourType: 3, bitDepth, palette, indices };
}

const CHANNELS: Record<PngColourType, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Bytes in one unfiltered scanline (without the filter-type byte). */
export function rowBytes(width: number, plan: Pick<PngPlan, 'colourType' | 'bitDepth'>): number {
	return Math.ceil((width * CHANNELS[plan.colourType] * plan.bitDepth) / 8);
}

/** Fills `row` with scanline `y` in the plan's sample layout. */
function packRow(img: RGBAImage, plan: PngPlan, y: number, row: Uint8Array): void {
	const w = img.width;
	const d = img.data;
	let j = y * w * 4;
	switch (plan.colourType) {
		case 0:
			for (let x = 0; x < w; x++, j += 4) row[x] = d[j];
			return;
		case 4:
			for (let x = 0, o = 0; x < w; x++, j += 4, o += 2) {
				row[o] = d[j];
				row[o + 1] = d[j + 3];
			}
			return;
		case 2:
			for (let x = 0, o = 0; x < w; x++, j += 4, o += 3) {
				row[o] = d[j];
				row[o + 1] = d[j + 1];
				row[o + 2] = d[j + 2];
			}
			return;
		case 6:
			row.set(d.subarray(j, j + w * 4));
			return;
		case 3: {
			const idx = plan.indices!;
			const bd = plan.bitDepth;
			let i = y * w;
			if (bd === 8) {
				row.set(idx.subarray(i, i + w));
				return;
			}
			const perByte = 8 / bd;
			row.fill(0);
			for (let x = 0; x < w; x++, i++) row[(x / perByte) | 0] |= idx[i] << (8 - bd - (x % perByte) * bd);
			return;
		}
	}
}

/**
 * The Paeth predictor without branches (they mispredict on photographic data):
 * a if |p-a| is smallest, else b if |p-b| <= |p-c|, else c, where p = a + b - c.
 */
function paeth(a: number, b: number, c: number): number {
	let pa = b - c;
	pa = (pa ^ (pa >> 31)) - (pa >> 31);
	let pb = a - c;
	pb = (pb ^ (pb >> 31)) - (pb >> 31);
	let pc = a + b - c - c;
	pc = (pc ^ (pc >> 31)) - (pc >> 31);
	const notA = ((pb - pa) | (pc - pa)) >> 31; // -1 when pa > pb or pa > pc
	const bc = b ^ ((b ^ c) & ((pc - pb) >> 31)); // c when pb > pc, else b
	return a ^ ((a ^ bc) & notA);
}

/**
 * Writes filter type + filtered `cur` at out[o]: the filter with the minimum sum of
 * absolute signed residuals (ties go to the lower type). `prev` is the previous unfiltered
 * row, all zeros for the first. `paethRow` (same length as `cur`) is scratch: Paeth is the
 * costly predictor, so its residuals are kept from the scoring pass rather than redone.
 */
function filterAdaptive(cur: Uint8Array, prev: Uint8Array, bpp: number, out: Uint8Array, o: number, paethRow: Uint8Array): void {
	const n = cur.length;
	let s0 = 0;
	let s1 = 0;
	let s2 = 0;
	let s3 = 0;
	let s4 = 0;
	for (let i = 0; i < bpp; i++) {
		// a = c = 0: Sub = None, Paeth = Up, Average = x - b/2
		const x = cur[i];
		const b = prev[i];
		const up = (x - b) & 255;
		const c0 = COST[x];
		const c2 = COST[up];
		s0 += c0;
		s1 += c0;
		s2 += c2;
		s3 += COST[(x - (b >> 1)) & 255];
		s4 += c2;
		paethRow[i] = up;
	}
	for (let i = bpp; i < n; i++) {
		const x = cur[i];
		const a = cur[i - bpp];
		const b = prev[i];
		const r4 = (x - paeth(a, b, prev[i - bpp])) & 255;
		s0 += COST[x];
		s1 += COST[(x - a) & 255];
		s2 += COST[(x - b) & 255];
		s3 += COST[(x - ((a + b) >> 1)) & 255];
		s4 += COST[r4];
		paethRow[i] = r4;
	}
	let type = 0;
	let best = s0;
	if (s1 < best) {
		type = 1;
		best = s1;
	}
	if (s2 < best) {
		type = 2;
		best = s2;
	}
	if (s3 < best) {
		type = 3;
		best = s3;
	}
	if (s4 < best) type = 4;
	out[o++] = type;
	switch (type) {
		case 0:
			out.set(cur, o);
			return;
		case 1:
			for (let i = 0; i < bpp; i++) out[o + i] = cur[i];
			for (let i = bpp; i < n; i++) out[o + i] = cur[i] - cur[i - bpp];
			return;
		case 2:
			for (let i = 0; i < n; i++) out[o + i] = cur[i] - prev[i];
			return;
		case 3:
			for (let i = 0; i < bpp; i++) out[o + i] = cur[i] - (prev[i] >> 1);
			for (let i = bpp; i < n; i++) out[o + i] = cur[i] - ((cur[i - bpp] + prev[i]) >> 1);
			return;
		case 4:
			out.set(paethRow, o);
			return;
	}
}

/**
 * The filtered image data (filter byte + scanline, per row), in strips of whole rows:
 * adaptive filters per row, or filter None throughout.
 */
function* filteredStrips(img: RGBAImage, plan: PngPlan, adaptive: boolean): Generator<Uint8Array<ArrayBuffer>> {
	const stride = rowBytes(img.width, plan);
	const bpp = Math.max(1, (CHANNELS[plan.colourType] * plan.bitDepth) >> 3);
	const rowsPerStrip = Math.max(1, Math.floor(STRIP_BYTES / (stride + 1)));
	let cur = new Uint8Array(stride);
	let prev = new Uint8Array(stride);
	const paethRow = new Uint8Array(stride);
	for (let y0 = 0; y0 < img.height; y0 += rowsPerStrip) {
		const rows = Math.min(rowsPerStrip, img.height - y0);
		const strip = new Uint8Array(rows * (stride + 1)); // fresh: the compressor may hold on to it
		for (let r = 0; r < rows; r++) {
			packRow(img, plan, y0 + r, cur);
			const o = r * (stride + 1);
			if (adaptive) filterAdaptive(cur, prev, bpp, strip, o, paethRow);
			else strip.set(cur, o + 1); // filter type 0
			[cur, prev] = [prev, cur];
		}
		yield strip;
	}
}

/** zlib stream of `parts`, written one at a time as the compressor takes them. */
export async function zlibDeflate(parts: Iterable<Uint8Array<ArrayBuffer>>): Promise<Uint8Array> {
	const cs = new CompressionStream('deflate');
	const writer = cs.writable.getWriter();
	const collected = (async () => {
		const chunks: Uint8Array[] = [];
		const reader = cs.readable.getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			chunks.push(value);
		}
		return concatBytes(chunks);
	})();
	try {
		for (const p of parts) {
			await writer.ready;
			writer.write(p).catch(() => {}); // a failure surfaces through close() and the reader
		}
		await writer.close();
	} catch (e) {
		collected.catch(() => {});
		throw e;
	}
	return collected;
}

/**
 * Worth compressing unfiltered too? Only with many repeated pixels, and, for large images,
 * only if unfiltered wins on a band of rows from the middle: photos with flat areas can
 * have many repeats and still want filters, and the band (1/16 of the rows, compressed
 * both ways) costs about an eighth of a full try.
 */
async function unfilteredMayWin(img: RGBAImage, plan: PngPlan): Promise<boolean> {
	if (repeatShare(img) < TRY_UNFILTERED_SHARE) return false;
	const { width: w, height: h } = img;
	if (w * h <= SAMPLE_ABOVE_PIXELS) return true;
	const rows = Math.min(h, Math.max(16, Math.ceil(h / 16)));
	const y0 = (h - rows) >> 1;
	const band = { width: w, height: rows, data: img.data.subarray(y0 * w * 4, (y0 + rows) * w * 4) };
	const adaptive = await zlibDeflate(filteredStrips(band, plan, true));
	const unfiltered = await zlibDeflate(filteredStrips(band, plan, false));
	return unfiltered.length < adaptive.length;
}

function chunk(out: Uint8Array, o: number, type: string, data: Uint8Array): number {
	writeU32be(out, o, data.length);
	out.set(asciiBytes(type), o + 4);
	out.set(data, o + 8);
	writeU32be(out, o + 8 + data.length, crc32(out.subarray(o + 4, o + 8 + data.length)));
	return o + 12 + data.length;
}

/**
 * How rows of a non-palette image are filtered. 'auto': adaptive, plus an unfiltered try
 * kept when smaller for images with many repeated pixels. Palette rows are never filtered.
 */
export type PngFiltering = 'auto' | 'adaptive' | 'none';

/** Encodes `img` losslessly; see the module comment for the choices made. */
export async function encodePngFast(img: RGBAImage, opts: { plan?: PngPlan; filtering?: PngFiltering } = {}): Promise<Uint8Array> {
	const plan = opts.plan ?? planPng(img);
	const filtering = opts.filtering ?? 'auto';
	const { width, height } = img;
	const ihdr = new Uint8Array(13);
	writeU32be(ihdr, 0, width);
	writeU32be(ihdr, 4, height);
	ihdr[8] = plan.bitDepth;
	ihdr[9] = plan.colourType;
	// [10..12]: deflate, adaptive filtering, no interlace: all 0

	let plte: Uint8Array | undefined;
	let trns: Uint8Array | undefined;
	if (plan.colourType === 3) {
		const pal = plan.palette!;
		const count = pal.length / 4;
		plte = new Uint8Array(count * 3);
		let translucent = 0;
		for (let i = 0; i < count; i++) {
			plte[i * 3] = pal[i * 4];
			plte[i * 3 + 1] = pal[i * 4 + 1];
			plte[i * 3 + 2] = pal[i * 4 + 2];
			if (pal[i * 4 + 3] !== 255) translucent = i + 1;
		}
		if (translucent) trns = pal.filter((_, i) => (i & 3) === 3).subarray(0, translucent);
	}

	// Palette indices are not magnitudes: they stay unfiltered (libpng's advice, and
	// smaller on real palette images). Other types get per-row adaptive filters; drawings
	// and screenshots often compress better unfiltered, so for those both are tried.
	const filtered = plan.colourType !== 3 && filtering !== 'none';
	let z = await zlibDeflate(filteredStrips(img, plan, filtered));
	if (filtered && filtering === 'auto' && (await unfilteredMayWin(img, plan))) {
		const unfiltered = await zlibDeflate(filteredStrips(img, plan, false));
		if (unfiltered.length < z.length) z = unfiltered;
	}
	const idats = Math.max(1, Math.ceil(z.length / MAX_IDAT));
	const size = 8 + 25 + (plte ? 12 + plte.length : 0) + (trns ? 12 + trns.length : 0) + idats * 12 + z.length + 12;
	const out = new Uint8Array(size);
	out.set(SIGNATURE, 0);
	let o = chunk(out, 8, 'IHDR', ihdr);
	if (plte) o = chunk(out, o, 'PLTE', plte);
	if (trns) o = chunk(out, o, 'tRNS', trns);
	for (let i = 0; i < idats; i++) o = chunk(out, o, 'IDAT', z.subarray(i * MAX_IDAT, (i + 1) * MAX_IDAT));
	chunk(out, o, 'IEND', new Uint8Array(0));
	return out;
}
