/**
 * Minimal reading and patching of a raw EXIF (TIFF) block's IFD0: the orientation and
 * resolution tags are the only ones Darkroom changes when it writes metadata back.
 */

export const TAG_ORIENTATION = 0x0112;
export const TAG_X_RESOLUTION = 0x011a;
export const TAG_Y_RESOLUTION = 0x011b;
export const TAG_RESOLUTION_UNIT = 0x0128;

const SHORT = 3;
const RATIONAL = 5;

interface Ifd0 {
	le: boolean;
	offset: number;
	count: number;
	entries: { tag: number; type: number; count: number; at: number }[];
	next: number;
}

function readIfd0(t: Uint8Array): Ifd0 | undefined {
	if (t.length < 8) return undefined;
	const le = t[0] === 0x49 && t[1] === 0x49;
	if (!le && !(t[0] === 0x4d && t[1] === 0x4d)) return undefined;
	const v = new DataView(t.buffer, t.byteOffset, t.byteLength);
	if (v.getUint16(2, le) !== 42) return undefined;
	const offset = v.getUint32(4, le);
	if (offset + 2 > t.length) return undefined;
	const count = v.getUint16(offset, le);
	if (offset + 2 + count * 12 + 4 > t.length) return undefined;
	const entries = [];
	for (let i = 0; i < count; i++) {
		const at = offset + 2 + i * 12;
		entries.push({ tag: v.getUint16(at, le), type: v.getUint16(at + 2, le), count: v.getUint32(at + 4, le), at });
	}
	return { le, offset, count, entries, next: v.getUint32(offset + 2 + count * 12, le) };
}

/** IFD0 Orientation (1..8), or 1 when absent or malformed. */
export function tiffOrientation(t: Uint8Array): number {
	const ifd = readIfd0(t);
	const e = ifd?.entries.find((x) => x.tag === TAG_ORIENTATION);
	if (!ifd || !e || e.type !== SHORT) return 1;
	const o = new DataView(t.buffer, t.byteOffset, t.byteLength).getUint16(e.at + 8, ifd.le);
	return o >= 1 && o <= 8 ? o : 1;
}

/** XResolution in dots per inch (converting from centimetres), if recorded. */
export function tiffDpi(t: Uint8Array): number | undefined {
	const ifd = readIfd0(t);
	if (!ifd) return undefined;
	const v = new DataView(t.buffer, t.byteOffset, t.byteLength);
	const x = ifd.entries.find((e) => e.tag === TAG_X_RESOLUTION && e.type === RATIONAL);
	if (!x) return undefined;
	const off = v.getUint32(x.at + 8, ifd.le);
	if (off + 8 > t.length) return undefined;
	const den = v.getUint32(off + 4, ifd.le);
	if (!den) return undefined;
	const value = v.getUint32(off, ifd.le) / den;
	const unitEntry = ifd.entries.find((e) => e.tag === TAG_RESOLUTION_UNIT && e.type === SHORT);
	const unit = unitEntry ? v.getUint16(unitEntry.at + 8, ifd.le) : 2;
	if (unit === 3) return Math.round(value * 2.54);
	if (unit === 2) return Math.round(value);
	return undefined;
}

/**
 * A copy of the EXIF block with Orientation set (normally to 1, because the pixels were
 * already rotated) and, if `dpi` is given, X/YResolution and ResolutionUnit=inches.
 * Tags are patched in place when they exist; otherwise a new IFD0 with the extra
 * entries is appended and the header repointed, which leaves every other offset valid.
 */
export function rewriteTiff(t: Uint8Array, set: { orientation?: number; dpi?: number }): Uint8Array {
	const ifd = readIfd0(t);
	if (!ifd) return t.slice();
	const want = new Map<number, { type: number; value: number }>();
	if (set.orientation !== undefined) want.set(TAG_ORIENTATION, { type: SHORT, value: set.orientation });
	if (set.dpi !== undefined) {
		const d = Math.max(1, Math.round(set.dpi));
		want.set(TAG_X_RESOLUTION, { type: RATIONAL, value: d });
		want.set(TAG_Y_RESOLUTION, { type: RATIONAL, value: d });
		want.set(TAG_RESOLUTION_UNIT, { type: SHORT, value: 2 });
	}
	const missing = [...want.keys()].filter((tag) => !ifd.entries.some((e) => e.tag === tag && e.type === want.get(tag)!.type && e.count === 1));
	const le = ifd.le;

	if (missing.length === 0) {
		const out = t.slice();
		const v = new DataView(out.buffer);
		for (const e of ifd.entries) {
			const w = want.get(e.tag);
			if (!w) continue;
			if (w.type === SHORT) v.setUint16(e.at + 8, w.value, le);
			else {
				const off = v.getUint32(e.at + 8, le);
				if (off + 8 > out.length) continue;
				v.setUint32(off, w.value, le);
				v.setUint32(off + 4, 1, le);
			}
		}
		return out;
	}

	const kept = ifd.entries.filter((e) => !want.has(e.tag));
	const n = kept.length + want.size;
	const base = t.length + (t.length & 1); // IFDs start on a word boundary
	const ifdSize = 2 + n * 12 + 4;
	const rationals = [...want.values()].filter((w) => w.type === RATIONAL).length;
	const out = new Uint8Array(base + ifdSize + rationals * 8);
	out.set(t);
	const v = new DataView(out.buffer);
	v.setUint32(4, base, le);
	v.setUint16(base, n, le);
	const rows: { tag: number; write: (at: number) => void }[] = kept.map((e) => ({ tag: e.tag, write: (at: number) => out.set(t.subarray(e.at, e.at + 12), at) }));
	let dataAt = base + ifdSize;
	for (const [tag, w] of want) {
		const valueAt = dataAt;
		if (w.type === RATIONAL) dataAt += 8;
		rows.push({
			tag,
			write: (at) => {
				v.setUint16(at, tag, le);
				v.setUint16(at + 2, w.type, le);
				v.setUint32(at + 4, 1, le);
				if (w.type === SHORT) {
					v.setUint32(at + 8, 0, le);
					v.setUint16(at + 8, w.value, le);
				} else {
					v.setUint32(at + 8, valueAt, le);
					v.setUint32(valueAt, w.value, le);
					v.setUint32(valueAt + 4, 1, le);
				}
			}
		});
	}
	rows.sort((a, b) => a.tag - b.tag); // TIFF requires ascending tag order
	rows.forEach((r, i) => r.write(base + 2 + i * 12));
	v.setUint32(base + 2 + n * 12, ifd.next, le);
	return out;
}
