/**
 * Structural completeness checks run before decoding. Most decoders happily return a
 * half-grey or half-black picture for a truncated file; Darkroom's rule is that a bad
 * file is an error, never a damaged output. These checks walk the container (cheap)
 * and never decode the entropy-coded data.
 */
import { ascii, u32be, u32le } from './bytes';
import { BoxOverrun, readBoxes } from './isobmff';
import { crc32 } from './png-chunks';
import { invalidImage, parseBmpHeader, walkGif } from './probe';
import type { HeaderInfo } from './types';

export function checkIntegrity(bytes: Uint8Array, info: HeaderInfo): void {
	switch (info.format) {
		case 'jpeg':
			return checkJpeg(bytes);
		case 'png':
			return checkPng(bytes);
		case 'gif':
			return checkGif(bytes);
		case 'webp':
			return checkWebp(bytes);
		case 'bmp':
			return checkBmp(bytes, info);
		case 'avif':
			return checkAvif(bytes);
	}
}

/** Segments up to the first SOS, then entropy data (skipping stuffed FF00 and RSTn) to EOI. */
function checkJpeg(b: Uint8Array): void {
	let o = 2;
	let scans = 0;
	const n = b.length;
	while (o < n) {
		if (b[o] !== 0xff) {
			// libjpeg skips extraneous bytes before a marker with a warning; so do we.
			const next = b.indexOf(0xff, o);
			if (next < 0) break;
			o = next;
		}
		while (o < n && b[o] === 0xff) o++;
		if (o >= n) break;
		const m = b[o++];
		if (m === 0xd9) {
			if (scans === 0) throw invalidImage('jpeg', 'the file has no scan data (SOS)');
			return;
		}
		if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue;
		if (o + 2 > n) break;
		const len = (b[o] << 8) | b[o + 1];
		if (o + len > n) break;
		o += len;
		if (m !== 0xda) continue;
		scans++;
		// Entropy-coded data ends at the first FF not followed by 00 or a restart marker.
		for (;;) {
			const ff = b.indexOf(0xff, o);
			if (ff < 0 || ff + 1 >= n) {
				o = n;
				break;
			}
			const next = b[ff + 1];
			if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
				o = next === 0xff ? ff + 1 : ff + 2;
				continue;
			}
			o = ff;
			break;
		}
	}
	throw invalidImage('jpeg', `the file is truncated: no end-of-image marker (FFD9) ${scans ? 'after the scan data' : 'and no scan data'} (${n} bytes)`);
}

function checkPng(b: Uint8Array): void {
	// IHDR's CRC catches a wrong or mangled header before the decoder trusts its sizes.
	const stored = u32be(b, 29);
	const actual = crc32(b.subarray(12, 29));
	if (stored !== actual) throw invalidImage('png', `IHDR checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)})`);
	let o = 8;
	let idat = 0;
	while (o + 12 <= b.length) {
		const len = u32be(b, o);
		const type = ascii(b, o + 4, 4);
		if (o + 12 + len > b.length) throw invalidImage('png', `the file is truncated inside the ${type} chunk at offset ${o} (needs ${len + 12} bytes, ${b.length - o} remain)`);
		if (type === 'IDAT') idat++;
		if (type === 'IEND') {
			if (idat === 0) throw invalidImage('png', 'no image data (IDAT) before IEND');
			return;
		}
		o += 12 + len;
	}
	throw invalidImage('png', `the file is truncated: no IEND chunk (${b.length} bytes${idat ? ', image data cut short' : ''})`);
}

function checkGif(b: Uint8Array): void {
	const w = walkGif(b);
	if (w.problem) throw invalidImage('gif', `corrupt data: ${w.problem}`);
	if (w.frames === 0) throw invalidImage('gif', 'the file contains no image');
	if (w.trailer < 0) throw invalidImage('gif', `the file is truncated: no trailer byte (0x3B) after ${w.frames} image block(s)`);
}

function checkWebp(b: Uint8Array): void {
	const riffSize = u32le(b, 4);
	if (riffSize + 8 > b.length) throw invalidImage('webp', `the file is truncated: the RIFF header declares ${riffSize + 8} bytes but there are ${b.length}`);
	const end = riffSize + 8;
	let o = 12;
	while (o + 8 <= end) {
		const size = u32le(b, o + 4);
		if (o + 8 + size > end) throw invalidImage('webp', `the ${ascii(b, o, 4)} chunk at offset ${o} runs past the end of the file`);
		o += 8 + size + (size & 1);
	}
}

function checkBmp(b: Uint8Array, info: HeaderInfo): void {
	const h = parseBmpHeader(b);
	let need: number;
	if (h.compression === 0 || h.compression === 3 || h.compression === 6) {
		const stride = Math.floor((info.width * h.bpp + 31) / 32) * 4;
		need = h.pixelOffset + stride * info.height;
	} else {
		// RLE: the header's image size is the only length we can check against.
		need = h.pixelOffset + h.imageSize;
	}
	if (need > b.length) throw invalidImage('bmp', `the file is truncated: the pixel array needs ${need} bytes but the file has ${b.length}`);
}

function checkAvif(b: Uint8Array): void {
	let top;
	try {
		top = readBoxes(b, 0, b.length);
	} catch (e) {
		if (e instanceof BoxOverrun) throw invalidImage('avif', `the file is truncated: ${e.message}`);
		throw e;
	}
	if (!top.some((x) => x.type === 'mdat')) throw invalidImage('avif', 'no media data (mdat) box');
}
