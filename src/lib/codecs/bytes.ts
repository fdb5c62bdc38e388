/** Byte-level helpers shared by the container parsers (JPEG segments, PNG chunks, RIFF, ISO-BMFF). */

export function u16be(b: Uint8Array, o: number): number {
	return (b[o] << 8) | b[o + 1];
}

export function u32be(b: Uint8Array, o: number): number {
	return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function u16le(b: Uint8Array, o: number): number {
	return b[o] | (b[o + 1] << 8);
}

export function u24le(b: Uint8Array, o: number): number {
	return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
}

export function u32le(b: Uint8Array, o: number): number {
	return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

export function i32le(b: Uint8Array, o: number): number {
	return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

export function writeU16be(b: Uint8Array, o: number, v: number): void {
	b[o] = (v >>> 8) & 0xff;
	b[o + 1] = v & 0xff;
}

export function writeU32be(b: Uint8Array, o: number, v: number): void {
	b[o] = (v >>> 24) & 0xff;
	b[o + 1] = (v >>> 16) & 0xff;
	b[o + 2] = (v >>> 8) & 0xff;
	b[o + 3] = v & 0xff;
}

export function writeU32le(b: Uint8Array, o: number, v: number): void {
	b[o] = v & 0xff;
	b[o + 1] = (v >>> 8) & 0xff;
	b[o + 2] = (v >>> 16) & 0xff;
	b[o + 3] = (v >>> 24) & 0xff;
}

/** Latin-1 view of a byte range; safe on short input (reads what is there). */
export function ascii(b: Uint8Array, o: number, n: number): string {
	let s = '';
	const end = Math.min(b.length, o + n);
	for (let i = o; i < end; i++) s += String.fromCharCode(b[i]);
	return s;
}

export function asciiBytes(s: string): Uint8Array {
	const out = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
	return out;
}

export function startsWith(b: Uint8Array, sig: ArrayLike<number>, at = 0): boolean {
	if (b.length < at + sig.length) return false;
	for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
	return true;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
	let n = 0;
	for (const p of parts) n += p.length;
	const out = new Uint8Array(n);
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

/**
 * A standalone ArrayBuffer holding exactly these bytes. jSquash takes ArrayBuffers and
 * would otherwise see the whole backing store of a subarray (or a SharedArrayBuffer).
 */
export function toArrayBuffer(b: Uint8Array): ArrayBuffer {
	if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer;
	return b.slice().buffer as ArrayBuffer;
}

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

/** CRC-32 (IEEE, as PNG chunks and ZIP entries use it); pass the previous value to continue one. */
export function crc32(data: Uint8Array, crc = 0): number {
	let c = ~crc >>> 0;
	for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
	return ~c >>> 0;
}
