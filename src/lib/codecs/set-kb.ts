/**
 * HivisionIDPhotos `set_kb`: a JPEG of exactly kb × 1024 bytes. Exam and visa portals
 * check file size windows, so the size must be exact: the best quality that fits, then
 * padding inside the file (COM segments in the header), never bytes after EOI, and
 * never a change of pixel size.
 */
import { DarkroomError, invalidParam } from '../api/errors';
import type { RGBAImage } from '../core/image';
import { concatBytes } from './bytes';
import { encodeJpeg, validateDpi } from './encode';
import {
	APP0,
	COM,
	insertSegments,
	listSegments,
	makeSegment,
	MAX_SEGMENT_PAYLOAD,
	mergeTableSegments,
	setJfifDensity
} from './jpeg-segments';

/** A padding segment costs 4 bytes of marker + length before any payload. */
const SEGMENT_OVERHEAD = 4;
const MAX_SEGMENT_BYTES = MAX_SEGMENT_PAYLOAD + SEGMENT_OVERHEAD;

export interface SetKbOptions {
	/** JFIF density, default 300 as in HivisionIDPhotos. */
	dpi?: number;
}

export async function setKb(img: RGBAImage, kb: number, opts: SetKbOptions = {}): Promise<Uint8Array> {
	if (typeof kb !== 'number' || !Number.isInteger(kb) || kb <= 0) throw invalidParam('kb', 'positive integer', kb);
	const dpi = validateDpi(opts.dpi ?? 300);
	const target = kb * 1024;
	const at = async (q: number) => setJfifDensity(await encodeJpeg(img, q), dpi);

	// Sizes between target-3 and target-1 cannot take a padding segment; prefer a quality
	// that avoids them so the padding stays plain COM segments.
	const fits = (n: number) => n === target || n <= target - SEGMENT_OVERHEAD;

	const top = await at(100);
	if (fits(top.length)) return padJpegToSize(top, target);
	const bottom = await at(1);
	if (bottom.length > target) {
		throw new DarkroomError(
			'unprocessable',
			`Cannot reach kb=${kb} (${target} bytes): the smallest JPEG of this ${img.width} x ${img.height} px image (quality 1) is ${bottom.length} bytes (${Math.ceil(bottom.length / 1024)} KB)`
		);
	}
	let best = { q: 1, bytes: bottom };
	let lo = 2;
	let hi = 99;
	while (lo <= hi) {
		const q = (lo + hi) >> 1;
		const bytes = await at(q);
		if (bytes.length <= target) {
			best = { q, bytes };
			lo = q + 1;
		} else hi = q - 1;
	}
	// Rarely the best lands in the awkward 1..3-byte gap: step down while that helps.
	for (let q = best.q - 1; !fits(best.bytes.length) && q >= 1; q--) {
		const bytes = q === 1 ? bottom : await at(q);
		if (bytes.length <= target) best = { q, bytes };
	}
	return padJpegToSize(best.bytes, target);
}

/**
 * Grows a JPEG to exactly `targetBytes` with COM segments placed after SOI and the APP0
 * (JFIF) segment. A shortfall of 1..3 bytes, too small for a segment of its own, is made
 * up by extending an existing COM segment, or by merging two table segments (freeing 4
 * bytes for a larger padding segment), or as a last resort by trailing bytes inside the
 * APP0 segment, which every decoder skips by its length.
 */
export function padJpegToSize(jpeg: Uint8Array, targetBytes: number): Uint8Array {
	const pad = targetBytes - jpeg.length;
	if (pad < 0) throw new DarkroomError('unprocessable', `JPEG is ${jpeg.length} bytes, already larger than the target ${targetBytes}`);
	if (pad === 0) return jpeg;
	if (pad >= SEGMENT_OVERHEAD) return insertSegments(jpeg, paddingSegments(pad), 0);

	const segs = listSegments(jpeg);
	const com = segs.find((s) => s.marker === COM && s.payload.length + pad <= MAX_SEGMENT_PAYLOAD);
	if (com) return growSegment(jpeg, com, pad);
	const merged = mergeTableSegments(jpeg, 1);
	if (merged) return padJpegToSize(merged, targetBytes);
	const app0 = segs.find((s) => s.marker === APP0 && s.payload.length + pad <= MAX_SEGMENT_PAYLOAD);
	if (app0) return growSegment(jpeg, app0, pad);
	throw new DarkroomError('unprocessable', `Cannot pad this JPEG by exactly ${pad} byte(s): it has no segment that can absorb them`);
}

/** Splits `total` bytes of padding into COM segments of 4..65537 bytes each. */
function paddingSegments(total: number): Uint8Array[] {
	const count = Math.ceil(total / MAX_SEGMENT_BYTES);
	const out: Uint8Array[] = [];
	let left = total;
	for (let i = count; i > 0; i--) {
		const size = Math.ceil(left / i); // even split keeps every part ≥ 4 bytes
		out.push(makeSegment(COM, new Uint8Array(size - SEGMENT_OVERHEAD)));
		left -= size;
	}
	return out;
}

function growSegment(jpeg: Uint8Array, seg: { marker: number; start: number; end: number; payload: Uint8Array }, extra: number): Uint8Array {
	const grown = makeSegment(seg.marker, concatBytes([seg.payload, new Uint8Array(extra)]));
	return concatBytes([jpeg.subarray(0, seg.start), grown, jpeg.subarray(seg.end)]);
}
