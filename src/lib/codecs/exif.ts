/**
 * EXIF and ICC extraction. The raw blocks are found by our own container parsers (so
 * every input format is handled alike, WebP and AVIF included) and only the TIFF block
 * is handed to exifr for tag decoding.
 */
import exifr from 'exifr';
import { parseAvifHeader, heifTransformToOrientation } from './isobmff';
import { readJpegExif, readJpegIcc } from './jpeg-segments';
import { listChunks, readIccp } from './png-chunks';
import { sniff } from './sniff';
import { tiffOrientation } from './tiff';
import { readWebpExif, readWebpIcc } from './webp-chunks';
import { u32be } from './bytes';

/** The raw EXIF payload from the TIFF header ("II*\0" / "MM\0*") onwards. */
export function extractExifBlock(bytes: Uint8Array): Uint8Array | undefined {
	const s = sniff(bytes);
	if (s.kind !== 'image') return undefined;
	try {
		switch (s.format) {
			case 'jpeg':
				return nonEmpty(readJpegExif(bytes));
			case 'png':
				return nonEmpty(listChunks(bytes).find((c) => c.type === 'eXIf')?.data.slice());
			case 'webp':
				return nonEmpty(readWebpExif(bytes));
			case 'avif': {
				const loc = parseAvifHeader(bytes).exif;
				if (!loc || loc.length < 4) return undefined;
				// HEIF Exif items start with the offset from the payload to the TIFF header.
				const item = bytes.subarray(loc.offset, loc.offset + loc.length);
				const skip = 4 + u32be(item, 0);
				return skip < item.length ? nonEmpty(item.slice(skip)) : undefined;
			}
			default:
				return undefined;
		}
	} catch {
		return undefined; // metadata is optional: a damaged container section is ignored here
	}
}

function nonEmpty(b: Uint8Array | undefined): Uint8Array | undefined {
	return b && b.length >= 8 ? b : undefined;
}

/**
 * Display orientation 1..8 (1 when absent). For AVIF this is the irot/imir transform
 * expressed as the equivalent EXIF value, since HEIF ignores the EXIF tag.
 */
export function readOrientation(bytes: Uint8Array): number {
	const s = sniff(bytes);
	if (s.kind !== 'image') return 1;
	if (s.format === 'avif') {
		try {
			const h = parseAvifHeader(bytes);
			return heifTransformToOrientation(h.rotation, h.mirror);
		} catch {
			return 1;
		}
	}
	const block = extractExifBlock(bytes);
	return block ? tiffOrientation(block) : 1;
}

/** The embedded ICC profile, if any (JPEG APP2 chunks joined, PNG iCCP inflated, WebP ICCP, AVIF colr). */
export async function extractIcc(bytes: Uint8Array): Promise<Uint8Array | undefined> {
	const s = sniff(bytes);
	if (s.kind !== 'image') return undefined;
	try {
		switch (s.format) {
			case 'jpeg':
				return readJpegIcc(bytes);
			case 'png':
				return await readIccp(bytes);
			case 'webp':
				return readWebpIcc(bytes);
			case 'avif':
				return parseAvifHeader(bytes).icc;
			default:
				return undefined;
		}
	} catch {
		return undefined;
	}
}

const EXIFR_OPTIONS: Parameters<typeof exifr.parse>[1] = {
	tiff: true,
	exif: true,
	gps: true,
	interop: false,
	ifd1: false,
	makerNote: false,
	userComment: false,
	xmp: false,
	icc: false,
	iptc: false,
	jfif: false,
	ihdr: false,
	translateKeys: true,
	// Numbers, not exifr's English labels: Orientation must stay 1..8.
	translateValues: false,
	// Dates stay strings: exifr would build Dates in the machine's time zone, which makes
	// the same file answer differently on different machines.
	reviveValues: false,
	sanitize: true,
	mergeOutput: true
};

const DATE_TAGS: Record<string, string> = {
	DateTimeOriginal: 'OffsetTimeOriginal',
	CreateDate: 'OffsetTimeDigitized',
	ModifyDate: 'OffsetTime',
	GPSDateStamp: ''
};

/**
 * EXIF tags as a JSON-safe object (camera, exposure, dates as ISO strings, GPS with
 * decimal `latitude`/`longitude`), or undefined when the file has no EXIF.
 */
export async function readExif(bytes: Uint8Array): Promise<Record<string, unknown> | undefined> {
	const block = extractExifBlock(bytes);
	if (!block) return undefined;
	let raw: Record<string, unknown> | undefined;
	try {
		raw = (await exifr.parse(block, EXIFR_OPTIONS)) as Record<string, unknown> | undefined;
	} catch {
		return undefined;
	}
	if (!raw) return undefined;
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(raw)) {
		if (k === 'errors') continue; // exifr's silent-error report, not a tag
		const j = jsonSafe(v);
		if (j !== undefined) out[k] = j;
	}
	for (const [tag, offsetTag] of Object.entries(DATE_TAGS)) {
		if (typeof out[tag] === 'string') out[tag] = exifDateToIso(out[tag] as string, offsetTag ? out[offsetTag] : undefined);
	}
	if (typeof out.Orientation !== 'number') delete out.Orientation;
	return Object.keys(out).length ? out : undefined;
}

/** "2017:10:31 20:16:18" (+ "+02:00") → "2017-10-31T20:16:18+02:00"; unparseable input is kept. */
export function exifDateToIso(s: string, offset?: unknown): string {
	const m = /^(\d{4}):(\d{2}):(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s.trim());
	if (!m) return s;
	const date = `${m[1]}-${m[2]}-${m[3]}`;
	if (!m[4]) return date;
	const tz = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : '';
	return `${date}T${m[4]}:${m[5]}:${m[6] ?? '00'}${tz}`;
}

function jsonSafe(v: unknown): unknown {
	if (v === null || v === undefined) return undefined;
	if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
	if (typeof v === 'string') {
		const t = v.replace(/\0+$/, '').trim();
		return t.length ? t : undefined;
	}
	if (typeof v === 'boolean') return v;
	if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
	if (ArrayBuffer.isView(v)) {
		const a = Array.from(v as unknown as ArrayLike<number>);
		// Short byte strings like ExifVersion "0230" read better as text.
		if (a.length > 0 && a.length <= 8 && a.every((c) => c >= 0x20 && c < 0x7f)) return String.fromCharCode(...a);
		return a.length <= 16 ? a : undefined; // long binary blobs are not metadata anyone reads as JSON
	}
	if (Array.isArray(v)) {
		const a = v.map(jsonSafe);
		return a.every((x) => x !== undefined) ? a : undefined;
	}
	if (typeof v === 'object') {
		const o: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
			const j = jsonSafe(x);
			if (j !== undefined) o[k] = j;
		}
		return o;
	}
	return undefined;
}
