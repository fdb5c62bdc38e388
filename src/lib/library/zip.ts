/**
 * A minimal ZIP writer and reader for library export/import: entries are STORED
 * (method 0), because the payload is already-compressed images and a manifest, so
 * deflate would cost time and save almost nothing. CRC-32 is checked on read.
 * No ZIP64: an export over 4 GiB (or 65535 entries) is refused with a clear error.
 */

import { crc32 } from '../codecs/bytes';

export interface ZipEntry {
	name: string;
	data: Uint8Array;
	/** Written as the entry's DOS date/time (2-second precision). Default: 1980-01-01. */
	modified?: Date;
}

export { crc32 };

export class ZipError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ZipError';
	}
}

const MAX32 = 0xffffffff;

function dosDateTime(d: Date | undefined): { date: number; time: number } {
	if (!d || d.getUTCFullYear() < 1980) return { date: (0 << 9) | (1 << 5) | 1, time: 0 };
	// UTC, so the same export gives the same bytes in every time zone.
	return {
		date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
		time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1)
	};
}

/** The archive as the list of its parts (headers and the entries' own buffers, not copied). */
export function zipParts(entries: readonly ZipEntry[]): Uint8Array[] {
	if (entries.length > 0xffff) throw new ZipError(`Too many entries for a ZIP without ZIP64: ${entries.length} (at most 65535)`);
	const enc = new TextEncoder();
	const parts: Uint8Array[] = [];
	const central: Uint8Array[] = [];
	const seen = new Set<string>();
	let offset = 0;
	for (const e of entries) {
		if (seen.has(e.name)) throw new ZipError(`Duplicate entry name in ZIP: ${e.name}`);
		seen.add(e.name);
		const name = enc.encode(e.name);
		const size = e.data.length;
		if (size > MAX32 || offset > MAX32) throw new ZipError('Archive larger than 4 GiB: ZIP64 is not supported');
		const crc = crc32(e.data);
		const { date, time } = dosDateTime(e.modified);
		const local = new Uint8Array(30 + name.length);
		const lv = new DataView(local.buffer);
		lv.setUint32(0, 0x04034b50, true);
		lv.setUint16(4, 20, true); // version needed
		lv.setUint16(6, 0x0800, true); // UTF-8 names
		lv.setUint16(8, 0, true); // stored
		lv.setUint16(10, time, true);
		lv.setUint16(12, date, true);
		lv.setUint32(14, crc, true);
		lv.setUint32(18, size, true);
		lv.setUint32(22, size, true);
		lv.setUint16(26, name.length, true);
		local.set(name, 30);
		const cen = new Uint8Array(46 + name.length);
		const cv = new DataView(cen.buffer);
		cv.setUint32(0, 0x02014b50, true);
		cv.setUint16(4, 20, true); // made by
		cv.setUint16(6, 20, true);
		cv.setUint16(8, 0x0800, true);
		cv.setUint16(10, 0, true);
		cv.setUint16(12, time, true);
		cv.setUint16(14, date, true);
		cv.setUint32(16, crc, true);
		cv.setUint32(20, size, true);
		cv.setUint32(24, size, true);
		cv.setUint16(28, name.length, true);
		cv.setUint32(42, offset, true);
		cen.set(name, 46);
		parts.push(local, e.data);
		central.push(cen);
		offset += local.length + size;
	}
	const cdSize = central.reduce((n, c) => n + c.length, 0);
	if (offset > MAX32) throw new ZipError('Archive larger than 4 GiB: ZIP64 is not supported');
	const end = new Uint8Array(22);
	const ev = new DataView(end.buffer);
	ev.setUint32(0, 0x06054b50, true);
	ev.setUint16(8, entries.length, true);
	ev.setUint16(10, entries.length, true);
	ev.setUint32(12, cdSize, true);
	ev.setUint32(16, offset, true);
	return [...parts, ...central, end];
}

export function zipBlob(entries: readonly ZipEntry[]): Blob {
	return new Blob(zipParts(entries) as Uint8Array<ArrayBuffer>[], { type: 'application/zip' });
}

/**
 * Reads every entry through the central directory. Stored entries only: a deflated
 * one (a ZIP re-packed by another tool) is refused by name rather than misread.
 */
export function unzip(bytes: Uint8Array): ZipEntry[] {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let eocd = -1;
	for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
		if (view.getUint32(i, true) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw new ZipError('Not a ZIP file (no end-of-central-directory record found)');
	const count = view.getUint16(eocd + 10, true);
	let p = view.getUint32(eocd + 16, true);
	const cdEnd = p + view.getUint32(eocd + 12, true);
	if (cdEnd > eocd) throw new ZipError('Truncated or corrupt ZIP: the central directory lies outside the file');
	const dec = new TextDecoder();
	const out: ZipEntry[] = [];
	for (let n = 0; n < count; n++) {
		if (p + 46 > cdEnd || view.getUint32(p, true) !== 0x02014b50) throw new ZipError(`Corrupt ZIP: central directory entry ${n} is damaged`);
		const method = view.getUint16(p + 10, true);
		const crc = view.getUint32(p + 16, true);
		const csize = view.getUint32(p + 20, true);
		const size = view.getUint32(p + 24, true);
		const nameLen = view.getUint16(p + 28, true);
		const extraLen = view.getUint16(p + 30, true);
		const commentLen = view.getUint16(p + 32, true);
		const localAt = view.getUint32(p + 42, true);
		const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
		p += 46 + nameLen + extraLen + commentLen;
		if (name.endsWith('/')) continue; // folder entries carry no data
		if (method !== 0) throw new ZipError(`ZIP entry "${name}" is compressed (method ${method}); only stored entries, as Darkroom's export writes them, can be read`);
		if (csize !== size) throw new ZipError(`Corrupt ZIP: entry "${name}" has different stored and real sizes`);
		if (localAt + 30 > bytes.length || view.getUint32(localAt, true) !== 0x04034b50) throw new ZipError(`Corrupt ZIP: the local header of "${name}" is missing`);
		const start = localAt + 30 + view.getUint16(localAt + 26, true) + view.getUint16(localAt + 28, true);
		if (start + size > bytes.length) throw new ZipError(`Truncated ZIP: entry "${name}" runs past the end of the file`);
		const data = bytes.subarray(start, start + size);
		if (crc32(data) !== crc) throw new ZipError(`Corrupt ZIP: entry "${name}" fails its CRC-32 check`);
		out.push({ name, data });
	}
	return out;
}
