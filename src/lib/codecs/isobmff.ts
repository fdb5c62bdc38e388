/**
 * Just enough ISO-BMFF / HEIF box parsing to read an AVIF's header facts (size, alpha,
 * bit depth, rotation/mirroring) and locate its Exif item and ICC profile, without
 * decoding anything.
 */
import { ascii, u16be, u32be } from './bytes';

export interface Box {
	type: string;
	start: number;
	/** First byte of the payload. */
	body: number;
	end: number;
}

export class BoxOverrun extends Error {}

/**
 * Boxes in [start, end). Throws BoxOverrun when a box claims more bytes than there are,
 * which is how a truncated file shows up.
 */
export function readBoxes(b: Uint8Array, start: number, end: number): Box[] {
	const boxes: Box[] = [];
	let o = start;
	while (o + 8 <= end) {
		let size = u32be(b, o);
		const type = ascii(b, o + 4, 4);
		let header = 8;
		if (size === 1) {
			if (o + 16 > end) throw new BoxOverrun(`box '${type}' has a cut-off 64-bit size`);
			const hi = u32be(b, o + 8);
			size = hi * 2 ** 32 + u32be(b, o + 12);
			header = 16;
		} else if (size === 0) {
			size = end - o; // "extends to the end of the file"
		}
		if (size < header) throw new BoxOverrun(`box '${type}' at offset ${o} has an invalid size ${size}`);
		if (o + size > end) throw new BoxOverrun(`box '${type}' at offset ${o} needs ${size} bytes but only ${end - o} remain`);
		boxes.push({ type, start: o, body: o + header, end: o + size });
		o += size;
	}
	if (o !== end && end - o < 8 && end - o > 0) throw new BoxOverrun(`${end - o} stray bytes after the last box`);
	return boxes;
}

export function ftypBrands(b: Uint8Array): string[] | undefined {
	if (b.length < 12 || ascii(b, 4, 4) !== 'ftyp') return undefined;
	const size = u32be(b, 0);
	const end = Math.min(b.length, size >= 16 ? size : 16);
	const brands = [ascii(b, 8, 4)];
	for (let o = 16; o + 4 <= end; o += 4) brands.push(ascii(b, o, 4));
	return brands;
}

export interface AvifHeader {
	width: number;
	height: number;
	hasAlpha: boolean;
	bitDepth: number;
	/** irot: anticlockwise quarter turns. */
	rotation: number;
	/**
	 * imir mode: 0 exchanges top and bottom, 1 left and right (ISO/IEC 23008-12:2022's
	 * wording, and what libavif, avifenc --imir and browsers do).
	 */
	mirror?: number;
	/** Exif item payload location: bytes[offset, offset+length). */
	exif?: { offset: number; length: number };
	icc?: Uint8Array;
	animated: boolean;
}

function child(boxes: Box[], type: string): Box | undefined {
	return boxes.find((x) => x.type === type);
}

/** Parses ftyp + meta. Throws BoxOverrun on truncation and Error on missing pieces. */
export function parseAvifHeader(b: Uint8Array): AvifHeader {
	const top = readBoxesLenient(b);
	const brands = ftypBrands(b) ?? [];
	const meta = child(top, 'meta');
	if (!meta) throw new Error('no meta box');
	const metaKids = readBoxes(b, meta.body + 4, meta.end);

	let primary = -1;
	const pitm = child(metaKids, 'pitm');
	if (pitm) primary = b[pitm.body] === 0 ? u16be(b, pitm.body + 4) : u32be(b, pitm.body + 4);

	const iprp = child(metaKids, 'iprp');
	if (!iprp) throw new Error('no item properties (iprp) box');
	const iprpKids = readBoxes(b, iprp.body, iprp.end);
	const ipco = child(iprpKids, 'ipco');
	if (!ipco) throw new Error('no item property container (ipco) box');
	const props = readBoxes(b, ipco.body, ipco.end);

	// Which properties belong to the primary item (ipma indices are 1-based into ipco).
	let primaryProps: Box[] | undefined;
	for (const ipma of iprpKids.filter((x) => x.type === 'ipma')) {
		const version = b[ipma.body];
		const flags = (b[ipma.body + 1] << 16) | (b[ipma.body + 2] << 8) | b[ipma.body + 3];
		let o = ipma.body + 4;
		const count = u32be(b, o);
		o += 4;
		for (let i = 0; i < count && o < ipma.end; i++) {
			const id = version < 1 ? u16be(b, o) : u32be(b, o);
			o += version < 1 ? 2 : 4;
			const n = b[o++];
			const idx: number[] = [];
			for (let k = 0; k < n; k++) {
				if (flags & 1) {
					idx.push(u16be(b, o) & 0x7fff);
					o += 2;
				} else {
					idx.push(b[o] & 0x7f);
					o += 1;
				}
			}
			if (id === primary) primaryProps = idx.filter((k) => k >= 1 && k <= props.length).map((k) => props[k - 1]);
		}
	}
	const mine = primaryProps ?? props;

	// Fall back to the largest ispe: grid tiles and thumbnails are never larger than the image.
	let ispe = mine.find((x) => x.type === 'ispe');
	if (!ispe) {
		let best = 0;
		for (const p of props.filter((x) => x.type === 'ispe')) {
			const area = u32be(b, p.body + 4) * u32be(b, p.body + 8);
			if (area > best) {
				best = area;
				ispe = p;
			}
		}
	}
	if (!ispe || ispe.end - ispe.body < 12) throw new Error('no image spatial extents (ispe) property');
	const width = u32be(b, ispe.body + 4);
	const height = u32be(b, ispe.body + 8);

	const pixi = mine.find((x) => x.type === 'pixi');
	const bitDepth = pixi && b[pixi.body + 4] > 0 ? b[pixi.body + 5] : 8;
	const irot = mine.find((x) => x.type === 'irot');
	const imir = mine.find((x) => x.type === 'imir');
	const hasAlpha = props.some((p) => {
		if (p.type !== 'auxC') return false;
		const urn = ascii(b, p.body + 4, p.end - p.body - 4);
		return urn.includes('auxiliary:alpha') || urn.includes('auxid:1');
	});
	let icc: Uint8Array | undefined;
	const colr = mine.find((x) => x.type === 'colr' && (ascii(b, x.body, 4) === 'prof' || ascii(b, x.body, 4) === 'rICC'));
	if (colr) icc = b.slice(colr.body + 4, colr.end);

	return {
		width,
		height,
		hasAlpha,
		bitDepth,
		rotation: irot ? b[irot.body] & 3 : 0,
		mirror: imir ? b[imir.body] & 1 : undefined,
		exif: findExifItem(b, metaKids),
		icc,
		animated: brands.includes('avis') && top.some((x) => x.type === 'moov')
	};
}

/** Top-level boxes, tolerating a cut-off tail (integrity is checked separately). */
function readBoxesLenient(b: Uint8Array): Box[] {
	try {
		return readBoxes(b, 0, b.length);
	} catch {
		const out: Box[] = [];
		let o = 0;
		while (o + 8 <= b.length) {
			const size = u32be(b, o);
			const type = ascii(b, o + 4, 4);
			if (size < 8 || o + size > b.length) break;
			out.push({ type, start: o, body: o + 8, end: o + size });
			o += size;
		}
		return out;
	}
}

function readSized(b: Uint8Array, o: number, size: number): number {
	if (size === 0) return 0;
	if (size === 4) return u32be(b, o);
	if (size === 8) return u32be(b, o) * 2 ** 32 + u32be(b, o + 4);
	if (size === 2) return u16be(b, o);
	return 0;
}

/** The Exif item: its id from iinf (item_type 'Exif'), its bytes from iloc. */
function findExifItem(b: Uint8Array, metaKids: Box[]): { offset: number; length: number } | undefined {
	const iinf = child(metaKids, 'iinf');
	const iloc = child(metaKids, 'iloc');
	if (!iinf || !iloc) return undefined;
	const entriesAt = iinf.body + 4 + (b[iinf.body] === 0 ? 2 : 4);
	let exifId = -1;
	for (const infe of readBoxes(b, entriesAt, iinf.end)) {
		if (infe.type !== 'infe') continue;
		const v = b[infe.body];
		if (v < 2) continue;
		const id = v === 2 ? u16be(b, infe.body + 4) : u32be(b, infe.body + 4);
		const typeAt = infe.body + 4 + (v === 2 ? 2 : 4) + 2;
		if (ascii(b, typeAt, 4) === 'Exif') exifId = id;
	}
	if (exifId < 0) return undefined;

	const v = b[iloc.body];
	let o = iloc.body + 4;
	const offsetSize = b[o] >> 4;
	const lengthSize = b[o] & 15;
	const baseSize = b[o + 1] >> 4;
	const indexSize = v === 1 || v === 2 ? b[o + 1] & 15 : 0;
	o += 2;
	const count = v < 2 ? u16be(b, o) : u32be(b, o);
	o += v < 2 ? 2 : 4;
	for (let i = 0; i < count && o < iloc.end; i++) {
		const id = v < 2 ? u16be(b, o) : u32be(b, o);
		o += v < 2 ? 2 : 4;
		let method = 0;
		if (v === 1 || v === 2) {
			method = u16be(b, o) & 15;
			o += 2;
		}
		o += 2; // data_reference_index
		const base = readSized(b, o, baseSize);
		o += baseSize;
		const extents = u16be(b, o);
		o += 2;
		let first: { offset: number; length: number } | undefined;
		for (let e = 0; e < extents; e++) {
			o += indexSize;
			const off = readSized(b, o, offsetSize);
			o += offsetSize;
			const len = readSized(b, o, lengthSize);
			o += lengthSize;
			if (e === 0) first = { offset: base + off, length: len };
		}
		// Only file-offset items in one extent: that is what every AVIF writer produces.
		if (id === exifId && method === 0 && extents === 1 && first && first.offset + first.length <= b.length) return first;
	}
	return undefined;
}

/**
 * HEIF applies irot then imir; the equivalent EXIF orientation, so one code path
 * (applyOrientation) handles every format. imir 0 is a top-to-bottom flip (EXIF 4 on its
 * own), imir 1 a left-to-right flip (EXIF 2), matching how browsers show the file.
 */
export function heifTransformToOrientation(rotation: number, mirror: number | undefined): number {
	const r = rotation & 3;
	if (mirror === undefined) return [1, 8, 3, 6][r];
	if (mirror === 0) return [4, 5, 2, 7][r];
	return [2, 7, 4, 5][r];
}
