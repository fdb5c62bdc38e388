/**
 * Header facts (format, size, alpha, frames) from the first bytes of a file, so limits
 * are enforced before any pixel memory is allocated.
 */
import { DarkroomError } from '../api/errors';
import { ascii, i32le, startsWith, u16be, u16le, u24le, u32be, u32le } from './bytes';
import { BoxOverrun, parseAvifHeader } from './isobmff';
import { sniff, SUPPORTED_FORMATS_TEXT } from './sniff';
import { MIME, type HeaderInfo, type InputFormat, type Limits } from './types';

const NAME: Record<InputFormat, string> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP', avif: 'AVIF', gif: 'GIF', bmp: 'BMP' };

export function formatName(f: InputFormat): string {
	return NAME[f];
}

export function invalidImage(format: InputFormat, problem: string): DarkroomError {
	return new DarkroomError('invalid_image', `Invalid ${NAME[format]} image: ${problem}`);
}

export function probe(bytes: Uint8Array): HeaderInfo {
	if (bytes.length === 0) throw new DarkroomError('invalid_image', 'Input image is empty (0 bytes)');
	const s = sniff(bytes);
	if (s.kind === 'other') {
		const what = s.looksLike ? `the input looks like ${s.looksLike}` : `unrecognised file signature ${hexHead(bytes)}`;
		throw new DarkroomError('unsupported_format', `Unsupported image format: ${what}. Supported formats: ${SUPPORTED_FORMATS_TEXT}`);
	}
	const info = PARSERS[s.format](bytes);
	if (!(info.width > 0) || !(info.height > 0)) throw invalidImage(s.format, `the header gives a size of ${info.width} x ${info.height} px`);
	return info;
}

function hexHead(b: Uint8Array): string {
	return Array.from(b.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

function base(format: InputFormat, width: number, height: number, rest: Partial<HeaderInfo> = {}): HeaderInfo {
	return { format, mime: MIME[format], width, height, frames: 1, hasAlpha: false, bitDepth: 8, ...rest };
}

const PARSERS: Record<InputFormat, (b: Uint8Array) => HeaderInfo> = {
	jpeg: probeJpeg,
	png: probePng,
	webp: probeWebp,
	avif: probeAvif,
	gif: probeGif,
	bmp: probeBmp
};

/** SOFn markers that carry the frame header (C4 DHT, C8 JPG and CC DAC share the range). */
export function isSofMarker(m: number): boolean {
	return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

function probeJpeg(b: Uint8Array): HeaderInfo {
	let o = 2;
	while (o < b.length) {
		if (b[o] !== 0xff) throw invalidImage('jpeg', `expected a marker at offset ${o} but found 0x${b[o].toString(16)}`);
		while (o < b.length && b[o] === 0xff) o++; // fill bytes
		if (o >= b.length) break;
		const m = b[o++];
		if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue; // standalone markers
		if (m === 0xd9) throw invalidImage('jpeg', 'end of image reached before any frame header');
		if (m === 0xda) throw invalidImage('jpeg', 'scan data starts before the frame header (SOF)');
		if (o + 2 > b.length) break;
		const len = u16be(b, o);
		if (len < 2) throw invalidImage('jpeg', `segment 0xFF${m.toString(16).toUpperCase()} has invalid length ${len}`);
		if (isSofMarker(m)) {
			if (o + 8 > b.length) break;
			const precision = b[o + 2];
			const height = u16be(b, o + 3);
			const width = u16be(b, o + 5);
			const components = b[o + 7];
			if (components !== 1 && components !== 3 && components !== 4)
				throw invalidImage('jpeg', `unsupported number of colour components ${components}`);
			if (m === 0xc3 || m === 0xc7 || m === 0xcb || m === 0xcf) throw new DarkroomError('unsupported_format', 'Unsupported image format: lossless JPEG (SOF3) is not supported by browsers. Supported formats: ' + SUPPORTED_FORMATS_TEXT);
			if (height === 0) throw invalidImage('jpeg', 'height 0 in the frame header (DNL-defined height is not supported)');
			return base('jpeg', width, height, {
				bitDepth: precision,
				progressive: m === 0xc2 || m === 0xc6 || m === 0xca || m === 0xce,
				components
			});
		}
		o += len;
	}
	throw invalidImage('jpeg', 'the file is cut short before the frame header (SOF)');
}

const PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

function probePng(b: Uint8Array): HeaderInfo {
	if (b.length < 33) throw invalidImage('png', `the file is cut short inside the IHDR header (${b.length} bytes)`);
	if (ascii(b, 12, 4) !== 'IHDR' || u32be(b, 8) !== 13) throw invalidImage('png', 'the first chunk is not a 13-byte IHDR');
	const width = u32be(b, 16);
	const height = u32be(b, 20);
	const bitDepth = b[24];
	const colourType = b[25];
	if (!PNG_DEPTHS[colourType]?.includes(bitDepth)) throw invalidImage('png', `bit depth ${bitDepth} with colour type ${colourType} is not a valid combination`);
	let hasAlpha = colourType === 4 || colourType === 6;
	let frames = 1;
	// Walk the ancillary chunks before the image data: tRNS gives alpha, acTL frames (APNG).
	let o = 33;
	while (o + 8 <= b.length) {
		const len = u32be(b, o);
		const type = ascii(b, o + 4, 4);
		if (type === 'IDAT' || type === 'IEND') break;
		if (type === 'tRNS') hasAlpha = true;
		if (type === 'acTL' && o + 12 <= b.length) frames = Math.max(1, u32be(b, o + 8));
		o += 12 + len;
	}
	return base('png', width, height, { bitDepth, hasAlpha, frames });
}

function probeWebp(b: Uint8Array): HeaderInfo {
	if (b.length < 30) throw invalidImage('webp', `the file is cut short inside the header (${b.length} bytes)`);
	const type = ascii(b, 12, 4);
	const p = 20;
	if (type === 'VP8 ') {
		if (!startsWith(b, [0x9d, 0x01, 0x2a], p + 3)) throw invalidImage('webp', 'missing the VP8 key-frame start code');
		const width = u16le(b, p + 6) & 0x3fff;
		const height = u16le(b, p + 8) & 0x3fff;
		return base('webp', width, height);
	}
	if (type === 'VP8L') {
		if (b[p] !== 0x2f) throw invalidImage('webp', 'missing the VP8L signature byte');
		const bits = u32le(b, p + 1);
		const width = (bits & 0x3fff) + 1;
		const height = ((bits >>> 14) & 0x3fff) + 1;
		const hasAlpha = ((bits >>> 28) & 1) === 1;
		return base('webp', width, height, { hasAlpha });
	}
	if (type === 'VP8X') {
		const flags = b[p];
		const width = u24le(b, p + 4) + 1;
		const height = u24le(b, p + 7) + 1;
		const animated = (flags & 0x02) !== 0;
		let frames = 1;
		if (animated) {
			frames = 0;
			for (const c of riffChunks(b)) if (c.type === 'ANMF') frames++;
			frames = Math.max(frames, 1);
		}
		return base('webp', width, height, { hasAlpha: (flags & 0x10) !== 0, frames });
	}
	throw invalidImage('webp', `unknown first chunk '${type}'`);
}

/** RIFF chunks after the 'WEBP' tag, stopping quietly at a cut-off chunk. */
export function* riffChunks(b: Uint8Array): Generator<{ type: string; body: number; size: number }> {
	let o = 12;
	while (o + 8 <= b.length) {
		const size = u32le(b, o + 4);
		yield { type: ascii(b, o, 4), body: o + 8, size };
		o += 8 + size + (size & 1);
	}
}

function probeAvif(b: Uint8Array): HeaderInfo {
	try {
		const h = parseAvifHeader(b);
		return base('avif', h.width, h.height, { hasAlpha: h.hasAlpha, bitDepth: h.bitDepth });
	} catch (e) {
		if (e instanceof BoxOverrun) throw invalidImage('avif', `the file is cut short: ${e.message}`);
		throw invalidImage('avif', (e as Error).message);
	}
}

function probeGif(b: Uint8Array): HeaderInfo {
	if (b.length < 13) throw invalidImage('gif', `the file is cut short inside the logical screen descriptor (${b.length} bytes)`);
	const width = u16le(b, 6);
	const height = u16le(b, 8);
	const walk = walkGif(b);
	return base('gif', width, height, { frames: Math.max(1, walk.frames), hasAlpha: walk.transparent });
}

export interface GifWalk {
	frames: number;
	transparent: boolean;
	/** Offset of the trailer byte (0x3B), or -1 when the data ends first. */
	trailer: number;
	/** What stopped the walk early, if anything. */
	problem?: string;
}

/** Steps through GIF blocks without decoding: counts frames, finds the trailer. */
export function walkGif(b: Uint8Array): GifWalk {
	const r: GifWalk = { frames: 0, transparent: false, trailer: -1 };
	let o = 13;
	const packed = b[10];
	if (packed & 0x80) o += 3 * (1 << ((packed & 7) + 1));
	const skipSubBlocks = (): boolean => {
		while (o < b.length) {
			const n = b[o++];
			if (n === 0) return true;
			o += n;
		}
		return false;
	};
	while (o < b.length) {
		const intro = b[o++];
		if (intro === 0x3b) {
			r.trailer = o - 1;
			return r;
		}
		if (intro === 0x21) {
			const label = b[o++];
			if (label === 0xf9 && o + 2 < b.length && (b[o + 1] & 1)) r.transparent = true;
			if (!skipSubBlocks()) break;
		} else if (intro === 0x2c) {
			if (o + 9 > b.length) break;
			// A first frame smaller than the logical screen leaves the rest transparent.
			if (r.frames === 0 && (u16le(b, o) > 0 || u16le(b, o + 2) > 0 || u16le(b, o + 4) < u16le(b, 6) || u16le(b, o + 6) < u16le(b, 8))) r.transparent = true;
			const lp = b[o + 8];
			o += 9;
			if (lp & 0x80) o += 3 * (1 << ((lp & 7) + 1));
			o++; // LZW minimum code size
			r.frames++;
			if (!skipSubBlocks()) break;
		} else {
			r.problem = `unknown block 0x${intro.toString(16)} at offset ${o - 1}`;
			return r;
		}
	}
	return r;
}

export interface BmpHeader {
	width: number;
	/** Absolute height; `topDown` says the row order. */
	height: number;
	topDown: boolean;
	bpp: number;
	compression: number;
	pixelOffset: number;
	dibSize: number;
	imageSize: number;
	colorsUsed: number;
	masks?: { r: number; g: number; b: number; a: number };
}

export function parseBmpHeader(b: Uint8Array): BmpHeader {
	if (b.length < 26) throw invalidImage('bmp', `the file is cut short inside the header (${b.length} bytes)`);
	const pixelOffset = u32le(b, 10);
	const dibSize = u32le(b, 14);
	if (dibSize === 12) {
		return { width: u16le(b, 18), height: u16le(b, 20), topDown: false, bpp: u16le(b, 24), compression: 0, pixelOffset, dibSize, imageSize: 0, colorsUsed: 0 };
	}
	if (dibSize < 40) throw invalidImage('bmp', `unknown DIB header size ${dibSize}`);
	if (b.length < 14 + Math.min(dibSize, 56)) throw invalidImage('bmp', `the file is cut short inside the ${dibSize}-byte DIB header`);
	const width = i32le(b, 18);
	const rawHeight = i32le(b, 22);
	const h: BmpHeader = {
		width,
		height: Math.abs(rawHeight),
		topDown: rawHeight < 0,
		bpp: u16le(b, 28),
		compression: u32le(b, 30),
		pixelOffset,
		dibSize,
		imageSize: u32le(b, 34),
		colorsUsed: u32le(b, 46)
	};
	// BI_BITFIELDS / BI_ALPHABITFIELDS: masks follow the 40-byte header (or live inside V2+ headers).
	if (h.compression === 3 || h.compression === 6 || dibSize >= 52) {
		const m = 54;
		if (b.length >= m + 12) {
			const withAlpha = h.compression === 6 || dibSize >= 56;
			h.masks = { r: u32le(b, m), g: u32le(b, m + 4), b: u32le(b, m + 8), a: withAlpha && b.length >= m + 16 ? u32le(b, m + 12) : 0 };
		}
	}
	return h;
}

function probeBmp(b: Uint8Array): HeaderInfo {
	const h = parseBmpHeader(b);
	if (h.width < 0) throw invalidImage('bmp', `negative width ${h.width}`);
	if (![1, 4, 8, 16, 24, 32].includes(h.bpp)) throw invalidImage('bmp', `unsupported bits per pixel ${h.bpp}`);
	const hasAlpha = h.bpp === 32 && !!h.masks && h.masks.a !== 0 && (h.compression === 3 || h.compression === 6);
	const bitDepth = h.bpp <= 8 ? h.bpp : h.bpp === 16 ? 5 : 8;
	return base('bmp', h.width, h.height, { hasAlpha, bitDepth });
}

function mb(n: number): string {
	return (n / (1024 * 1024)).toFixed(1) + ' MiB';
}

/** 413 before decoding: the byte size, then each side, then the pixel count. */
export function checkLimits(info: HeaderInfo, byteLength: number, limits: Limits): void {
	if (byteLength > limits.maxBytes)
		throw new DarkroomError('too_large', `Input is ${mb(byteLength)} (${byteLength} bytes), over the limit of ${mb(limits.maxBytes)} (${limits.maxBytes} bytes)`);
	const side = Math.max(info.width, info.height);
	if (side > limits.maxDimension)
		throw new DarkroomError('too_large', `Image is ${info.width} x ${info.height} px: the ${info.width >= info.height ? 'width' : 'height'} ${side} px exceeds the maximum dimension of ${limits.maxDimension} px`);
	const px = info.width * info.height;
	if (px > limits.maxPixels)
		throw new DarkroomError('too_large', `Image is ${(px / 1e6).toFixed(1)} megapixels (${info.width} x ${info.height} = ${px} px), over the limit of ${(limits.maxPixels / 1e6).toFixed(1)} megapixels (${limits.maxPixels} px)`);
}
