/**
 * WebP RIFF chunk surgery: adding EXIF/ICC (which needs the extended VP8X layout) and
 * pulling the first frame out of an animation as a still WebP.
 */
import { ascii, asciiBytes, concatBytes, u24le, u32le, writeU32le } from './bytes';

export interface RiffChunk {
	type: string;
	data: Uint8Array;
}

const VP8X_ICC = 0x20;
const VP8X_ALPHA = 0x10;
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;
const VP8X_ANIM = 0x02;

export function listWebpChunks(webp: Uint8Array): RiffChunk[] {
	const out: RiffChunk[] = [];
	const end = Math.min(webp.length, u32le(webp, 4) + 8);
	let o = 12;
	while (o + 8 <= end) {
		const size = u32le(webp, o + 4);
		if (o + 8 + size > end) break;
		out.push({ type: ascii(webp, o, 4), data: webp.subarray(o + 8, o + 8 + size) });
		o += 8 + size + (size & 1);
	}
	return out;
}

function chunkBytes(c: RiffChunk): Uint8Array {
	const pad = c.data.length & 1;
	const out = new Uint8Array(8 + c.data.length + pad);
	out.set(asciiBytes(c.type), 0);
	writeU32le(out, 4, c.data.length);
	out.set(c.data, 8);
	return out;
}

export function buildWebp(chunks: RiffChunk[]): Uint8Array {
	const body = concatBytes(chunks.map(chunkBytes));
	const out = new Uint8Array(12 + body.length);
	out.set(asciiBytes('RIFF'), 0);
	writeU32le(out, 4, 4 + body.length);
	out.set(asciiBytes('WEBP'), 8);
	out.set(body, 12);
	return out;
}

function vp8x(flags: number, width: number, height: number): RiffChunk {
	const d = new Uint8Array(10);
	d[0] = flags;
	const w = width - 1;
	const h = height - 1;
	d[4] = w & 0xff;
	d[5] = (w >> 8) & 0xff;
	d[6] = (w >> 16) & 0xff;
	d[7] = h & 0xff;
	d[8] = (h >> 8) & 0xff;
	d[9] = (h >> 16) & 0xff;
	return { type: 'VP8X', data: d };
}

/** Returns a WebP carrying `exif`/`icc` (replacing any present), in the extended layout. */
export function setWebpMetadata(webp: Uint8Array, width: number, height: number, meta: { exif?: Uint8Array; icc?: Uint8Array }): Uint8Array {
	const chunks = listWebpChunks(webp);
	const image = chunks.filter((c) => !['VP8X', 'ICCP', 'EXIF', 'XMP '].includes(c.type));
	const xmp = chunks.find((c) => c.type === 'XMP ');
	const old = chunks.find((c) => c.type === 'VP8X');
	const vp8l = chunks.find((c) => c.type === 'VP8L');
	let flags = old ? old.data[0] & (VP8X_ALPHA | VP8X_ANIM) : 0;
	if (chunks.some((c) => c.type === 'ALPH') || (vp8l && vp8l.data.length >= 5 && (u32le(vp8l.data, 1) >>> 28) & 1)) flags |= VP8X_ALPHA;
	if (meta.icc) flags |= VP8X_ICC;
	if (meta.exif) flags |= VP8X_EXIF;
	if (xmp) flags |= VP8X_XMP;
	const out: RiffChunk[] = [vp8x(flags, width, height)];
	if (meta.icc) out.push({ type: 'ICCP', data: meta.icc });
	out.push(...image);
	if (meta.exif) out.push({ type: 'EXIF', data: meta.exif });
	if (xmp) out.push(xmp);
	return buildWebp(out);
}

/** EXIF chunk payload as a TIFF block (some writers prefix it with "Exif\0\0"). */
export function readWebpExif(webp: Uint8Array): Uint8Array | undefined {
	const c = listWebpChunks(webp).find((x) => x.type === 'EXIF');
	if (!c) return undefined;
	return ascii(c.data, 0, 6) === 'Exif\0\0' ? c.data.slice(6) : c.data.slice();
}

export function readWebpIcc(webp: Uint8Array): Uint8Array | undefined {
	return listWebpChunks(webp).find((x) => x.type === 'ICCP')?.data.slice();
}

export interface WebpFirstFrame {
	canvasWidth: number;
	canvasHeight: number;
	x: number;
	y: number;
	width: number;
	height: number;
	/** The frame as a standalone still WebP. */
	still: Uint8Array;
}

/** The first ANMF frame of an animated WebP, rewrapped as a still image. */
export function extractFirstFrame(webp: Uint8Array): WebpFirstFrame | undefined {
	const chunks = listWebpChunks(webp);
	const head = chunks.find((c) => c.type === 'VP8X');
	const anmf = chunks.find((c) => c.type === 'ANMF');
	if (!head || !anmf || anmf.data.length < 16) return undefined;
	const d = anmf.data;
	const frame = {
		x: u24le(d, 0) * 2,
		y: u24le(d, 3) * 2,
		width: u24le(d, 6) + 1,
		height: u24le(d, 9) + 1
	};
	const sub: RiffChunk[] = [];
	let o = 16;
	while (o + 8 <= d.length) {
		const size = u32le(d, o + 4);
		if (o + 8 + size > d.length) break;
		sub.push({ type: ascii(d, o, 4), data: d.subarray(o + 8, o + 8 + size) });
		o += 8 + size + (size & 1);
	}
	const bits = sub.filter((c) => c.type === 'ALPH' || c.type === 'VP8 ' || c.type === 'VP8L');
	if (!bits.some((c) => c.type !== 'ALPH')) return undefined;
	const still = bits.some((c) => c.type === 'ALPH') ? buildWebp([vp8x(VP8X_ALPHA, frame.width, frame.height), ...bits]) : buildWebp(bits);
	return { canvasWidth: u24le(head.data, 4) + 1, canvasHeight: u24le(head.data, 7) + 1, ...frame, still };
}
