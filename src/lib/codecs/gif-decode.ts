/**
 * First-frame GIF decoder in pure TypeScript (LZW), so GIF decodes the same in Node and
 * in every browser. The frame is placed on the logical screen; uncovered and
 * transparent pixels are transparent, as browsers show the first frame.
 */
import type { RGBAImage } from '../core/image';
import { u16le } from './bytes';
import { invalidImage } from './probe';

const MAX_CODES = 4096;

function readColourTable(b: Uint8Array, at: number, size: number): Uint8Array {
	if (at + size * 3 > b.length) throw invalidImage('gif', 'the colour table is cut short');
	return b.subarray(at, at + size * 3);
}

export function decodeGif(b: Uint8Array): RGBAImage {
	const width = u16le(b, 6);
	const height = u16le(b, 8);
	const packed = b[10];
	let o = 13;
	let globalTable: Uint8Array | undefined;
	if (packed & 0x80) {
		const n = 1 << ((packed & 7) + 1);
		globalTable = readColourTable(b, o, n);
		o += n * 3;
	}
	let transparent = -1;
	for (;;) {
		if (o >= b.length) throw invalidImage('gif', 'the file contains no image');
		const intro = b[o++];
		if (intro === 0x3b) throw invalidImage('gif', 'the file contains no image');
		if (intro === 0x21) {
			const label = b[o++];
			if (label === 0xf9 && b[o] >= 4) transparent = b[o + 1] & 1 ? b[o + 4] : -1;
			while (o < b.length && b[o] !== 0) o += b[o] + 1;
			o++;
			continue;
		}
		if (intro !== 0x2c) throw invalidImage('gif', `unknown block 0x${intro.toString(16)} at offset ${o - 1}`);
		break;
	}
	if (o + 10 > b.length) throw invalidImage('gif', 'the image descriptor is cut short');
	const left = u16le(b, o);
	const top = u16le(b, o + 2);
	const fw = u16le(b, o + 4);
	const fh = u16le(b, o + 6);
	const lp = b[o + 8];
	o += 9;
	let table = globalTable;
	if (lp & 0x80) {
		const n = 1 << ((lp & 7) + 1);
		table = readColourTable(b, o, n);
		o += n * 3;
	}
	if (!table) throw invalidImage('gif', 'the first frame has no colour table');
	const interlaced = (lp & 0x40) !== 0;
	const minCodeSize = b[o++];
	if (minCodeSize < 2 || minCodeSize > 8) throw invalidImage('gif', `invalid LZW minimum code size ${minCodeSize}`);

	// Gather the sub-blocks into one stream.
	const parts: Uint8Array[] = [];
	let total = 0;
	while (o < b.length && b[o] !== 0) {
		const n = b[o];
		parts.push(b.subarray(o + 1, o + 1 + n));
		total += n;
		o += n + 1;
	}
	const data = new Uint8Array(total);
	let p = 0;
	for (const part of parts) {
		data.set(part, p);
		p += part.length;
	}

	const indices = lzwDecode(data, minCodeSize, fw * fh);
	if (indices.filled < fw * fh) throw invalidImage('gif', `the image data is incomplete (${indices.filled} of ${fw * fh} pixels)`);

	const out = new Uint8ClampedArray(width * height * 4);
	const rows = interlaced ? interlaceOrder(fh) : null;
	const colours = table.length / 3;
	for (let i = 0; i < fh; i++) {
		const y = top + (rows ? rows[i] : i);
		if (y >= height) continue;
		for (let x = 0; x < fw; x++) {
			const X = left + x;
			if (X >= width) continue;
			const idx = indices.pixels[i * fw + x];
			if (idx === transparent) continue;
			const q = (y * width + X) * 4;
			if (idx < colours) {
				out[q] = table[idx * 3];
				out[q + 1] = table[idx * 3 + 1];
				out[q + 2] = table[idx * 3 + 2];
			}
			out[q + 3] = 255;
		}
	}
	return { width, height, data: out };
}

/** Row order of an interlaced frame: the i-th stored row is displayed at rows[i]. */
function interlaceOrder(h: number): number[] {
	const rows: number[] = [];
	for (const [start, step] of [
		[0, 8],
		[4, 8],
		[2, 4],
		[1, 2]
	])
		for (let y = start; y < h; y += step) rows.push(y);
	return rows;
}

function lzwDecode(data: Uint8Array, minCodeSize: number, count: number): { pixels: Uint8Array; filled: number } {
	const pixels = new Uint8Array(count);
	const clear = 1 << minCodeSize;
	const eoi = clear + 1;
	const prefix = new Int16Array(MAX_CODES);
	const suffix = new Uint8Array(MAX_CODES);
	const first = new Uint8Array(MAX_CODES);
	const stack = new Uint8Array(MAX_CODES + 1);
	for (let i = 0; i < clear; i++) {
		prefix[i] = -1;
		suffix[i] = i;
		first[i] = i;
	}
	let size = minCodeSize + 1;
	let next = eoi + 1;
	let prev = -1;
	let bits = 0;
	let acc = 0;
	let pos = 0;
	let filled = 0;
	while (filled < count) {
		while (bits < size && pos < data.length) {
			acc |= data[pos++] << bits;
			bits += 8;
		}
		if (bits < size) break;
		const code = acc & ((1 << size) - 1);
		acc >>>= size;
		bits -= size;
		if (code === clear) {
			size = minCodeSize + 1;
			next = eoi + 1;
			prev = -1;
			continue;
		}
		if (code === eoi) break;
		let cur: number;
		if (prev === -1) {
			if (code >= clear) break; // corrupt: the first code must be a literal
			pixels[filled++] = code;
			prev = code;
			continue;
		}
		let sp = 0;
		if (code < next) {
			cur = code;
		} else if (code === next) {
			// KwKwK: the code being defined right now.
			stack[sp++] = first[prev];
			cur = prev;
		} else break; // corrupt code
		while (cur >= 0 && sp < stack.length) {
			stack[sp++] = suffix[cur];
			cur = prefix[cur];
		}
		if (next < MAX_CODES) {
			prefix[next] = prev;
			suffix[next] = first[code < next ? code : prev];
			first[next] = first[prev];
			next++;
			if (next === 1 << size && size < 12) size++;
		}
		while (sp > 0 && filled < count) pixels[filled++] = stack[--sp];
		prev = code;
	}
	return { pixels, filled };
}
