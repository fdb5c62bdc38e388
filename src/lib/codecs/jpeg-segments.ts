/**
 * JPEG marker-segment surgery on encoded files: reading and writing the header segments
 * (APPn, COM, DQT, DHT) that live before the first scan, without touching scan data.
 */
import { asciiBytes, concatBytes, u16be, writeU16be } from './bytes';

export const SOI = 0xd8;
export const EOI = 0xd9;
export const SOS = 0xda;
export const DQT = 0xdb;
export const DHT = 0xc4;
export const APP0 = 0xe0;
export const APP1 = 0xe1;
export const APP2 = 0xe2;
export const COM = 0xfe;

/** The largest payload one segment can carry: the length field counts itself. */
export const MAX_SEGMENT_PAYLOAD = 65535 - 2;

export interface Segment {
	marker: number;
	/** Offset of the 0xFF. */
	start: number;
	/** Offset just past the segment. */
	end: number;
	payload: Uint8Array;
}

/** Header segments, in order, up to (not including) the first SOS. */
export function listSegments(jpeg: Uint8Array): Segment[] {
	if (jpeg[0] !== 0xff || jpeg[1] !== SOI) throw new Error('not a JPEG (no SOI marker)');
	const out: Segment[] = [];
	let o = 2;
	while (o + 4 <= jpeg.length) {
		if (jpeg[o] !== 0xff) break;
		let p = o + 1;
		while (p < jpeg.length && jpeg[p] === 0xff) p++;
		const marker = jpeg[p];
		if (marker === SOS || marker === EOI) break;
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			o = p + 1;
			continue;
		}
		const len = u16be(jpeg, p + 1);
		const end = p + 1 + len;
		if (len < 2 || end > jpeg.length) break;
		out.push({ marker, start: o, end, payload: jpeg.subarray(p + 3, end) });
		o = end;
	}
	return out;
}

export function makeSegment(marker: number, payload: Uint8Array): Uint8Array {
	if (payload.length > MAX_SEGMENT_PAYLOAD) throw new Error(`JPEG segment payload of ${payload.length} bytes exceeds ${MAX_SEGMENT_PAYLOAD}`);
	const out = new Uint8Array(4 + payload.length);
	out[0] = 0xff;
	out[1] = marker;
	writeU16be(out, 2, payload.length + 2);
	out.set(payload, 4);
	return out;
}

function isApp(m: number): boolean {
	return m >= 0xe0 && m <= 0xef;
}

/**
 * Inserts `segments` after SOI and after the leading APPn segments whose n ≤ `afterAppN`
 * (so APP0/JFIF stays first, then Exif APP1, then ICC APP2, as readers expect).
 * Segments whose marker matches `replace` are removed first.
 */
export function insertSegments(jpeg: Uint8Array, segments: Uint8Array[], afterAppN: number, replace?: (s: Segment) => boolean): Uint8Array {
	const segs = listSegments(jpeg);
	const kept = replace ? segs.filter((s) => !replace(s)) : segs;
	let insertAt = 0; // index into kept
	while (insertAt < kept.length && isApp(kept[insertAt].marker) && kept[insertAt].marker - 0xe0 <= afterAppN) insertAt++;
	const headerEnd = segs.length ? segs[segs.length - 1].end : 2;
	const parts: Uint8Array[] = [jpeg.subarray(0, 2)];
	kept.slice(0, insertAt).forEach((s) => parts.push(jpeg.subarray(s.start, s.end)));
	parts.push(...segments);
	kept.slice(insertAt).forEach((s) => parts.push(jpeg.subarray(s.start, s.end)));
	parts.push(jpeg.subarray(headerEnd));
	return concatBytes(parts);
}

export function removeSegments(jpeg: Uint8Array, drop: (s: Segment) => boolean): Uint8Array {
	return insertSegments(jpeg, [], 15, drop);
}

export function hasPrefix(payload: Uint8Array, prefix: string): boolean {
	if (payload.length < prefix.length) return false;
	for (let i = 0; i < prefix.length; i++) if (payload[i] !== prefix.charCodeAt(i)) return false;
	return true;
}

export const isJfif = (s: Segment): boolean => s.marker === APP0 && hasPrefix(s.payload, 'JFIF\0');
export const isExif = (s: Segment): boolean => s.marker === APP1 && hasPrefix(s.payload, 'Exif\0');
export const isIcc = (s: Segment): boolean => s.marker === APP2 && hasPrefix(s.payload, 'ICC_PROFILE\0');

/** A JFIF 1.02 APP0 with density in dots per inch and no thumbnail. */
export function jfifSegment(dpi: number): Uint8Array {
	const d = Math.max(1, Math.min(65535, Math.round(dpi)));
	const p = new Uint8Array(14);
	p.set(asciiBytes('JFIF\0'), 0);
	p[5] = 1;
	p[6] = 2;
	p[7] = 1; // units: dots per inch
	writeU16be(p, 8, d);
	writeU16be(p, 10, d);
	return makeSegment(APP0, p);
}

/** Sets the JFIF density (dots per inch), rewriting the existing APP0 or adding one. */
export function setJfifDensity(jpeg: Uint8Array, dpi: number): Uint8Array {
	const jfif = listSegments(jpeg).find(isJfif);
	if (jfif && jfif.payload.length >= 12) {
		const out = jpeg.slice();
		const p = jfif.end - jfif.payload.length;
		const d = Math.max(1, Math.min(65535, Math.round(dpi)));
		out[p + 7] = 1;
		writeU16be(out, p + 8, d);
		writeU16be(out, p + 10, d);
		return out;
	}
	// JFIF must be the first segment after SOI.
	return insertSegments(jpeg, [jfifSegment(dpi)], -1);
}

/** Density from JFIF in dots per inch (units 1) or converted from dots per cm (units 2). */
export function readJfifDensity(jpeg: Uint8Array): number | undefined {
	const jfif = listSegments(jpeg).find(isJfif);
	if (!jfif || jfif.payload.length < 12) return undefined;
	const units = jfif.payload[7];
	const x = u16be(jfif.payload, 8);
	if (x === 0) return undefined;
	if (units === 1) return x;
	if (units === 2) return Math.round(x * 2.54);
	return undefined; // 0 = aspect ratio only
}

export function exifSegment(tiff: Uint8Array): Uint8Array {
	return makeSegment(APP1, concatBytes([asciiBytes('Exif\0\0'), tiff]));
}

/** The largest EXIF (TIFF) block one APP1 segment can hold. */
export const MAX_JPEG_EXIF = MAX_SEGMENT_PAYLOAD - 6;

/** ICC profiles span as many APP2 segments as needed, each tagged with its sequence number. */
export function iccSegments(icc: Uint8Array): Uint8Array[] {
	const per = MAX_SEGMENT_PAYLOAD - 14;
	const count = Math.ceil(icc.length / per);
	if (count > 255) throw new Error('ICC profile too large for JPEG');
	const out: Uint8Array[] = [];
	for (let i = 0; i < count; i++) {
		const head = new Uint8Array(14);
		head.set(asciiBytes('ICC_PROFILE\0'), 0);
		head[12] = i + 1;
		head[13] = count;
		out.push(makeSegment(APP2, concatBytes([head, icc.subarray(i * per, (i + 1) * per)])));
	}
	return out;
}

/** Joins APP2 ICC_PROFILE chunks in sequence order; undefined if none or incomplete. */
export function readJpegIcc(jpeg: Uint8Array): Uint8Array | undefined {
	const chunks = listSegments(jpeg)
		.filter(isIcc)
		.map((s) => ({ seq: s.payload[12], count: s.payload[13], data: s.payload.subarray(14) }));
	if (!chunks.length) return undefined;
	chunks.sort((a, b) => a.seq - b.seq);
	if (chunks.length !== chunks[0].count) return undefined;
	return concatBytes(chunks.map((c) => c.data));
}

export function readJpegExif(jpeg: Uint8Array): Uint8Array | undefined {
	const s = listSegments(jpeg).find(isExif);
	return s ? s.payload.slice(6) : undefined;
}

/**
 * Merges consecutive segments of the same kind (DQT or DHT tables) into one segment,
 * which is equivalent for every decoder and saves 4 bytes per merge. Used to make room
 * when exact-size padding leaves a remainder smaller than a segment header.
 * Returns undefined when nothing can be merged.
 */
export function mergeTableSegments(jpeg: Uint8Array, minSaving: number): Uint8Array | undefined {
	const segs = listSegments(jpeg);
	const groups: Segment[][] = [];
	for (const s of segs) {
		const last = groups[groups.length - 1];
		if ((s.marker === DQT || s.marker === DHT) && last && last[0].marker === s.marker && last[last.length - 1].end === s.start) last.push(s);
		else groups.push([s]);
	}
	let saved = 0;
	const parts: Uint8Array[] = [jpeg.subarray(0, 2)];
	for (const g of groups) {
		if (g.length > 1 && saved < minSaving) {
			// Merge as many as needed, within the 64 KiB segment limit.
			let i = 0;
			while (i < g.length) {
				const merged: Segment[] = [g[i]];
				let size = g[i].payload.length;
				i++;
				while (i < g.length && saved < minSaving && size + g[i].payload.length <= MAX_SEGMENT_PAYLOAD) {
					size += g[i].payload.length;
					merged.push(g[i]);
					saved += 4;
					i++;
				}
				parts.push(makeSegment(merged[0].marker, concatBytes(merged.map((s) => s.payload))));
			}
		} else {
			g.forEach((s) => parts.push(jpeg.subarray(s.start, s.end)));
		}
	}
	if (saved === 0) return undefined;
	parts.push(jpeg.subarray(segs.length ? segs[segs.length - 1].end : 2));
	return concatBytes(parts);
}

/** Index of the EOI marker that ends the image (the last FFD9 in the file), or -1. */
export function findEoi(jpeg: Uint8Array): number {
	for (let i = jpeg.length - 2; i >= 2; i--) if (jpeg[i] === 0xff && jpeg[i + 1] === EOI) return i;
	return -1;
}
